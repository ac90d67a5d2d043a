"""`python -m services.submissions.demo_year`: load the 2022 demo year into a running stack.

    python -m services.submissions.demo_year --clock-file .run/clock [--size small]

The services must read their day from the same clock file (THIDUA_CLOCK_FILE, as `make run`
starts them). Settings, as options or in the environment: THIDUA_DEMO_SIZE (full: about 2,400
initiatives; small: about 100, for tests), THIDUA_DEMO_SEED (2022), THIDUA_DEMO_AS_OF (the day
the story stops at, 2022-11-15). Does nothing when the year is loaded already.
"""

import argparse
import asyncio
import os
import sys
import time
from datetime import date
from pathlib import Path

import httpx

from services.submissions import demo
from services.submissions.demo_year.player import Player, already_there
from services.submissions.demo_year.story import AS_OF, SIZES, plan_year
from shared.formatting import format_date, format_number


async def load(
    *,
    submissions_url: str,
    scoring_url: str,
    reporting_url: str,
    notifications_url: str,
    clock_file: Path,
    size: str = "full",
    seed: int = 2022,
    as_of: date = AS_OF,
    concurrency: int = 8,
) -> bool:
    """Play the year unless it is there; whether it was played."""
    started = time.monotonic()
    timeout = httpx.Timeout(120.0)
    # Kept alive for less than the services' 5 s (uvicorn's default): a connection idle for
    # as long as the server keeps it may be closed by the server as a request goes out on it
    # (httpx.ReadError, seen once in the middle of the year).
    limits = httpx.Limits(keepalive_expiry=2.0)
    async with (
        httpx.AsyncClient(base_url=submissions_url, timeout=timeout, limits=limits) as submissions,
        httpx.AsyncClient(base_url=scoring_url, timeout=timeout, limits=limits) as scoring,
        httpx.AsyncClient(base_url=reporting_url, timeout=timeout, limits=limits) as reporting,
    ):
        reason = await already_there(submissions)
        if reason:
            print(f"demo year: {reason}; nothing loaded", file=sys.stderr)
            return False
        if notifications_url:
            # Before anything tells them: a contact is mailed only once it has an address.
            with httpx.Client(base_url=notifications_url, timeout=30) as notifications:
                demo.seed_contacts(notifications)
        with httpx.Client(base_url=submissions_url, timeout=60) as client:
            demo.seed_units(client)
        year = plan_year(demo.UNITS, size=size, seed=seed, as_of=as_of)
        player = Player(
            year,
            submissions=submissions,
            scoring=scoring,
            reporting=reporting,
            clock_file=clock_file,
            concurrency=concurrency,
        )
        await player.play()
    print(
        f"demo year: 2022 loaded as of {format_date(as_of)}, "
        f"{format_number(len(year.initiatives), language='en')} initiatives, "
        f"in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )
    return True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions-url", default="http://127.0.0.1:8001")
    parser.add_argument("--scoring-url", default="http://127.0.0.1:8002")
    parser.add_argument("--reporting-url", default="http://127.0.0.1:8004")
    parser.add_argument(
        "--notifications-url",
        default="http://127.0.0.1:8003",
        help='where the demo people become contacts ("" to skip)',
    )
    parser.add_argument(
        "--clock-file", type=Path, default=Path(os.environ.get("THIDUA_CLOCK_FILE", ".run/clock"))
    )
    parser.add_argument(
        "--size", choices=sorted(SIZES), default=os.environ.get("THIDUA_DEMO_SIZE", "full")
    )
    parser.add_argument("--seed", type=int, default=int(os.environ.get("THIDUA_DEMO_SEED", "2022")))
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.fromisoformat(os.environ.get("THIDUA_DEMO_AS_OF", AS_OF.isoformat())),
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="requests in flight to each service at once"
    )
    # Each option is one of load's keywords, under the same name.
    asyncio.run(load(**vars(parser.parse_args())))


if __name__ == "__main__":
    main()
