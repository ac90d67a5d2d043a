"""Stopping a process's Kafka clients: an error stopping one must not leave the others running."""

import logging
from collections.abc import Awaitable, Callable


async def stop_quietly(
    log: logging.Logger, message: str, *stops: Callable[[], Awaitable[object]]
) -> None:
    """Call each of `stops` in turn; an error is logged at DEBUG with `message` and ignored."""
    for stop in stops:
        try:
            await stop()
        except Exception:
            log.debug(message, exc_info=True)
