"""What a pooled transaction costs this process, with the pool's liveness check and without.

    python -m bench.pool_checkout [--transactions 3000] [--rounds 3] [--statements 1,6]

On the shared PostgreSQL, in one process on uvloop (the services' loop), each series runs
`transactions` transactions back to back, each a checkout, BEGIN, `statements` times
SELECT 1, COMMIT, and the checkin:

  ours       shared.db.create_engine: the pool asks asyncpg whether the connection is closed
  pre-ping   SQLAlchemy's pool_pre_ping (on asyncpg: BEGIN, a query, ROLLBACK a checkout)
  none       no check at all: the floor

For each: this process's CPU and the wall time per transaction (µs). The rounds alternate
the order. It shows what the liveness check costs, and what any request that writes pays for
its transaction before its own statements: the floor under a submission's CPU.
"""

import argparse
import asyncio
import time
from typing import Any

import uvloop
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.results import save
from shared.db import create_engine
from tests.support.infrastructure import postgres_admin_url

ONE = text("SELECT 1")


async def per_transaction(engine: AsyncEngine, transactions: int, statements: int) -> Any:
    async with engine.begin() as connection:  # the pool's first connection, and warm caches
        await connection.execute(ONE)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(transactions):
        async with engine.begin() as connection:
            for _ in range(statements):
                await connection.execute(ONE)
    return {
        "cpu_us": round((time.process_time() - cpu) / transactions * 1e6),
        "wall_us": round((time.perf_counter() - wall) / transactions * 1e6),
    }


async def main(arguments: argparse.Namespace) -> list[Any]:
    results = []
    with postgres_admin_url() as admin:
        url = make_url(admin).set(drivername="postgresql+asyncpg")
        engines = {
            "ours": create_engine(url.render_as_string(hide_password=False)),
            "pre-ping": create_async_engine(url, pool_pre_ping=True),
            "none": create_async_engine(url),
        }
        try:
            for number in range(arguments.rounds):
                names = list(engines) if number % 2 == 0 else list(reversed(engines))
                for statements in arguments.statements:
                    for name in names:
                        measured = await per_transaction(
                            engines[name], arguments.transactions, statements
                        )
                        results.append(
                            {"round": number + 1, "engine": name, "statements": statements}
                            | measured
                        )
                        print(
                            f"round {number + 1}  {statements} statement(s)  {name:<9}"
                            f"CPU {measured['cpu_us']:>5} µs  wall {measured['wall_us']:>5} µs"
                        )
        finally:
            await asyncio.gather(*(engine.dispose() for engine in engines.values()))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transactions", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--statements", type=lambda s: [int(n) for n in s.split(",")], default=[1, 6]
    )
    save("pool_checkout", uvloop.run(main(parser.parse_args())))
