import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    accept: Callable[[T], bool],
    timeout: float = 30.0,
    interval: float = 0.2,
) -> T:
    """Poll `probe` until `accept` holds for its value; on time-out, fail showing the last value."""
    last: T | None = None
    try:
        async with asyncio.timeout(timeout):
            while True:
                last = await probe()
                if accept(last):
                    return last
                await asyncio.sleep(interval)
    except TimeoutError:
        raise AssertionError(f"not reached in {timeout}s; last value: {last!r}") from None


async def settled(read: Callable[[], Awaitable[T]], pause: float = 1.0, reads: int = 60) -> T:
    """What `read` answers once two reads a pause apart agree: events still in flight on the
    shared broker (earlier tests', a closed phase's standings) have then been applied."""
    last = await read()
    for _ in range(reads):
        await asyncio.sleep(pause)
        now = await read()
        if now == last:
            return now
        last = now
    raise AssertionError(f"never settled; last value: {last!r}")
