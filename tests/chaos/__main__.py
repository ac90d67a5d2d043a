"""python -m tests.chaos [--size N] [--kills K] [--clients C] [--seed S] [--keep]

Starts a broker, a PostgreSQL cluster and the four services of its own; seeds the 2022
campaign and its own units; runs about N client calls (initiatives, amendments, withdrawals,
registrations, reports, complaint cases, councils and their scores, one phase close) while
each service is SIGKILLed K times, the broker once and PostgreSQL once; waits until nothing
is in flight; compares what the clients were told with every database, topic and dead-letter
topic. Prints a report table; exits 1 on anything lost, doubled or wrong, 2 if the system
never settled. The defaults come from CHAOS_SIZE, CHAOS_KILLS, CHAOS_CLIENTS, CHAOS_SEED.
"""

import argparse
import asyncio
import os
import random
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

from tests.chaos import audit, faults, load
from tests.chaos.stack import SERVICES, Stack


def _say(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _reason(body: object) -> str:
    """The code of an error answer ({"errors": [{"field", "code", …}]}), for the summary."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return f"{errors[0].get('field', '')}: {errors[0].get('code', '')}"
    return ""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.chaos", description=__doc__)
    env = os.environ.get
    parser.add_argument("--size", type=int, default=int(env("CHAOS_SIZE") or 300))
    parser.add_argument("--kills", type=int, default=int(env("CHAOS_KILLS") or 3))
    parser.add_argument("--clients", type=int, default=int(env("CHAOS_CLIENTS") or 8))
    parser.add_argument(
        "--seed", type=int, default=int(env("CHAOS_SEED") or random.randrange(10**6))
    )
    parser.add_argument("--keep", action="store_true", help="keep the work dir (logs, data)")
    return parser.parse_args()


async def main() -> int:
    args = _arguments()
    run_id = uuid.uuid4().hex[:6]
    # Under /tmp rather than in the repository: the cluster's owner (`postgres`, when run
    # as root) must reach the data dir, and a 100,000 run's data should not land in a tree.
    work_dir = Path(tempfile.mkdtemp(prefix=f"thidua-chaos-{run_id}-"))
    _say(
        f"run {run_id}: size {args.size}, {args.kills} kills per service, "
        f"{args.clients} clients, seed {args.seed}; work dir {work_dir}"
    )
    started = time.monotonic()
    stories, units = load.plan(args.size, args.seed, run_id)
    # Stopped from outside (a CI job cancelled), the run still stops what it started.
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    stack = await Stack.start(work_dir, run_id)
    code = 2
    try:
        _say("PostgreSQL: " + ", ".join(f"{k} = {v}" for k, v in stack.settings.items()))
        if stack.settings.get("fsync") != "on" or stack.settings.get("synchronous_commit") != "on":
            _say(
                "WARNING: not durable: after PostgreSQL's crash a loss may be the server's, "
                "not the services'"
            )
        await asyncio.to_thread(stack.seed, units)
        _say(
            f"stack up and seeded in {time.monotonic() - started:.0f}s: "
            f"broker {stack.broker.address}, PostgreSQL port {stack.postgres.port}, "
            f"{len(units)} units of the run"
        )
        schedule = faults.schedule(args.kills, args.seed, list(SERVICES))
        total = sum(s.planned for s in stories)
        gate = load.Gate(total, len(schedule))
        finished = 0

        def progress() -> None:
            nonlocal finished
            finished += 1
            if finished % max(1, len(stories) // 10) == 0:
                _say(
                    f"{finished}/{len(stories)} stories, {gate.issued}/{total} calls, "
                    f"{gate.faults_done}/{len(schedule)} faults"
                )

        loading = time.monotonic()
        urls = load.Urls(stack.services["submissions"].url, stack.services["scoring"].url)
        limits = httpx.Limits(max_connections=args.clients * 2)
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            client = load.Client(
                http,
                gate,
                run_id,
                deadline=240.0,
                services={s.url: name for name, s in stack.services.items()},
            )
            injecting = asyncio.create_task(faults.inject(stack, schedule, client, _say))
            try:
                # Bounded: a system that stops answering fails the run, it does not hang CI.
                async with asyncio.timeout(900 + args.size * 0.5):
                    await load.run_stories(stories, client, urls, args.clients, progress)
                    await injecting
            except TimeoutError:
                injecting.cancel()
                _say(f"the load did not finish in time: {gate.issued} of {total} calls issued")
                return 2
        _say(f"load and faults done in {time.monotonic() - loading:.0f}s: {gate.issued} calls")
        calls = [c for s in stories for c in s.calls]
        outcomes = Counter((c.kind, c.outcome.value) for c in calls)
        # An answer lost after a request was sent: the retry with the same key is what the
        # Idempotency-Key (or the state machine's refusal) must make harmless.
        outcomes.update((c.kind, "answer lost") for c in calls if c.lost_on_the_way)
        _say(f"what the clients were told ({sum(c.attempts > 1 for c in calls)} calls retried):")
        for kind in sorted({c.kind for c in calls}):
            print(
                f"    {kind:<17}"
                + "  ".join(
                    f"{o} {outcomes[(kind, o)]:>5}"
                    for o in ("acked", "refused", "unknown", "answer lost")
                )
            )
        refusals = Counter(
            (c.kind, c.status, _reason(c.body))
            for s in stories
            for c in s.calls
            if c.outcome is not load.Outcome.ACKED
        )
        for (kind, status, reason), n in sorted(refusals.items(), key=str):
            print(f"    not acked: {kind} {status} {reason} ×{n}")

        settling = time.monotonic()
        settled = await audit.settle(stack, timeout=300 + args.size / 50, say=_say)
        _say(
            f"{'settled' if settled else 'NOT settled'} "
            f"in {time.monotonic() - settling:.0f}s; auditing"
        )
        result = await audit.audit(stack, stories, units)
        print(result.table(), flush=True)
        failed_faults = [f for f in schedule if f.error]
        code = 2 if not settled else 1 if result.failed or failed_faults else 0
        _say(
            f"{'PASS' if code == 0 else 'FAIL'}: {len(schedule)} faults "
            f"({len(failed_faults)} failed), total {time.monotonic() - started:.0f}s"
        )
    finally:
        await asyncio.to_thread(stack.stop)
        if code == 0 and not args.keep:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            _say(f"logs and data kept in {work_dir}")
    return code


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
