"""Where a consumer's time goes: py-spy samples of a running service process (no pause, no
change to it), folded into each function's share of the samples, by itself and inclusive."""

import asyncio
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

PY_SPY = Path(sys.executable).with_name("py-spy")
# Frames every sample has (the interpreter, the event loop, the server): left out of the
# inclusive list, where they would stand first at the same share.
_ROOTS = ("<frozen runpy>", "asyncio/runners.py", "asyncio/base_events.py", "uvicorn/")
_ROOTS_BY_NAME = ("<module> (", "run_service (")
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _where(frame: str) -> str:
    """`function (path:line)` as `function (path relative to the venv or repo)`, no line."""
    match = _FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{match['function']} ({path})"


def fold(raw: str, top: int = 25) -> dict[str, Any]:
    """py-spy's raw (collapsed) stacks as the top functions by own and by inclusive share."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    files: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_where(f) for f in stack.split(";") if f and not f.startswith("process ")]
        frames = [f for f in frames if not f.startswith("thread ")]
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            if not any(r in frame for r in _ROOTS) and not frame.startswith(_ROOTS_BY_NAME):
                inclusive[frame] += count
        leaf_file = frames[-1].rsplit("(", 1)[-1].rstrip(")")
        files[leaf_file] += count

    def share(counter: Counter[str]) -> list[tuple[str, float]]:
        return (
            [(name, round(n / total, 4)) for name, n in counter.most_common(top)] if total else []
        )

    return {
        "samples": total,
        "own": share(own),
        "inclusive": share(inclusive),
        "own_by_file": share(files),
    }


async def profile(pid: int, seconds: float, output: Path) -> dict[str, Any]:
    """Sample `pid` for `seconds` (50 Hz, active threads only) into `output` (collapsed
    stacks), and fold it."""
    if not PY_SPY.exists():
        return {"error": f"{PY_SPY} not installed"}
    process = await asyncio.create_subprocess_exec(
        str(PY_SPY),
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(int(seconds)),
        "--rate",
        "50",
        "--nonblocking",
        "--format",
        "raw",
        "--output",
        str(output),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    said, _ = await process.communicate()
    return await asyncio.to_thread(_folded, output, process.returncode, said)


def _folded(output: Path, returncode: int | None, said: bytes) -> dict[str, Any]:
    if returncode != 0 or not output.exists():
        return {"error": said.decode(errors="replace")[-500:]}
    return fold(output.read_text(errors="replace"))
