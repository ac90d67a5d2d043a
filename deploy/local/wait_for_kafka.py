#!/usr/bin/env python3
"""Wait until a Kafka broker answers a real metadata request.

Used by deploy/local/kafka.sh after it starts the local broker, and usable on its own:

    python deploy/local/wait_for_kafka.py --bootstrap-server 127.0.0.1:9092 --timeout 60

Each attempt starts an aiokafka admin client (bootstrap = a Metadata request) and asks the
broker to describe the cluster; it succeeds once at least one broker is listed (and, with
--cluster-id, once the cluster id is the expected one, so a different broker holding the
port does not count). Attempts repeat until the deadline.

Exit status: 0 ready; 1 not ready before the deadline, or the process given by --pid died;
2 bad usage or aiokafka missing. All messages go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import time
from typing import Any


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--bootstrap-server",
        "-b",
        default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
        help="host:port[,host:port...] (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)",
    )
    parser.add_argument(
        "--timeout",
        "-t",
        type=float,
        default=120.0,
        help="seconds to keep trying (default: 120)",
    )
    parser.add_argument(
        "--pid",
        type=int,
        default=None,
        help="give up at once if this process (the broker) exits",
    )
    parser.add_argument(
        "--cluster-id",
        default=None,
        help="only accept a broker that reports this cluster id",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="show each failed attempt and aiokafka logs"
    )
    return parser.parse_args(argv)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped) still answers kill(0): look at its state.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


async def _describe(bootstrap: str, request_timeout_s: float) -> dict[str, Any]:
    from aiokafka.admin import AIOKafkaAdminClient

    timeout_ms = max(1000, int(request_timeout_s * 1000))
    admin = AIOKafkaAdminClient(
        bootstrap_servers=bootstrap,
        client_id="thidua-wait-for-kafka",
        request_timeout_ms=timeout_ms,
        retry_backoff_ms=200,
    )
    try:
        await admin.start()
        cluster: dict[str, Any] = await admin.describe_cluster()
        return cluster
    finally:
        # Closing a client that never connected may complain.
        with contextlib.suppress(Exception):
            await admin.close()


async def _wait(args: argparse.Namespace) -> int:
    start = time.monotonic()
    deadline = start + args.timeout
    attempt = 0
    last_error = "no attempt made"
    while True:
        if args.pid is not None and not _pid_alive(args.pid):
            print(
                f"wait_for_kafka: broker process {args.pid} exited before "
                f"{args.bootstrap_server} answered (last error: {last_error})",
                file=sys.stderr,
            )
            return 1
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        attempt += 1
        per_attempt = min(remaining, 10.0)
        try:
            cluster = await asyncio.wait_for(
                _describe(args.bootstrap_server, per_attempt), timeout=per_attempt
            )
        except Exception as exc:  # connection refused, timeouts, not-ready errors, ...
            text = str(exc).strip()
            name = type(exc).__name__
            last_error = text if text.startswith(name) else f"{name}: {text}".rstrip(": ")
        else:
            brokers = cluster.get("brokers") or []
            cluster_id = cluster.get("cluster_id")
            if not brokers:
                last_error = "metadata lists no broker yet"
            elif args.cluster_id and cluster_id != args.cluster_id:
                last_error = (
                    f"cluster id is {cluster_id!r}, expected {args.cluster_id!r}"
                    " (another broker on this port?)"
                )
            else:
                if not args.quiet:
                    print(
                        f"wait_for_kafka: {args.bootstrap_server} ready after "
                        f"{time.monotonic() - start:.1f}s ({attempt} attempt(s)), "
                        f"cluster id {cluster_id}, {len(brokers)} broker(s), "
                        f"controller {cluster.get('controller_id')}",
                        file=sys.stderr,
                    )
                return 0
        if args.verbose:
            print(f"wait_for_kafka: attempt {attempt}: {last_error}", file=sys.stderr)
        await asyncio.sleep(min(0.5, max(0.0, deadline - time.monotonic())))

    print(
        f"wait_for_kafka: timed out after {args.timeout:g}s waiting for Kafka at "
        f"{args.bootstrap_server} ({attempt} attempt(s)); last error: {last_error}",
        file=sys.stderr,
    )
    return 1


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        import aiokafka  # noqa: F401
    except ImportError as exc:
        print(
            f"wait_for_kafka: cannot import aiokafka with {sys.executable} ({exc}); "
            "install the project (pip install -e .) or set PYTHON to an interpreter that has it",
            file=sys.stderr,
        )
        return 2
    # aiokafka logs every refused connection at ERROR: only worth seeing with --verbose.
    level = logging.WARNING if args.verbose else logging.CRITICAL + 1
    logging.basicConfig(level=level)
    logging.getLogger("aiokafka").setLevel(level)
    try:
        return asyncio.run(_wait(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
