"""Where the benchmarks keep what they measured: bench/results/<name>-<UTC time>.json."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("results")


def stamp() -> str:
    """Now, in UTC, as the results' names carry it: 20221231T235959Z."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def save(name: str, result: Any, *, at: str | None = None, ensure_ascii: bool = True) -> Path:
    """`result` as JSON in bench/results/<name>-<at, default now>.json; its path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{at or stamp()}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=ensure_ascii))
    return path
