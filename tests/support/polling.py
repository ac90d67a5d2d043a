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
