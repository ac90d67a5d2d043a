"""The fault schedule: every service SIGKILLed several times, the broker once, PostgreSQL
once, one after the other, each while the clients are calling (tests.chaos.load.Gate)."""

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.chaos.load import Client
from tests.chaos.stack import Stack


@dataclass
class Fault:
    target: str  # a service's name, "broker" or "postgres"
    pause: float  # seconds it stays down
    at_call: int = 0  # calls issued when it struck
    in_flight: int = 0  # the target's requests awaiting an answer when it struck
    down_for: float = 0.0  # seconds from the kill until it answered again
    error: str = ""


def schedule(kills_per_service: int, seed: int, services: list[str]) -> list[Fault]:
    """The service kills in a shuffled order; the broker's crash a third of the way in and
    PostgreSQL's two thirds of the way, so that each has service kills around it."""
    rng = random.Random(seed)
    kills = [name for name in services for _ in range(kills_per_service)]
    rng.shuffle(kills)
    targets = list(kills)
    targets.insert(len(targets) // 3, "broker")
    targets.insert(2 * len(targets) // 3, "postgres")
    return [Fault(t, pause=round(rng.uniform(0.5, 2.5), 1)) for t in targets]


async def inject(
    stack: Stack, faults: list[Fault], client: Client, say: Callable[[str], None]
) -> None:
    gate = client.gate
    for number, fault in enumerate(faults):
        await gate.reached(number)
        # Aimed at a moment when the service is answering someone (for a few seconds at
        # most): that answer is lost, whether or not its transaction had committed.
        aiming = time.monotonic()
        # Polled, briefly: the counter is moved by every client, and no event would be simpler.
        while client.in_flight[fault.target] == 0 and time.monotonic() - aiming < 3.0:  # noqa: ASYNC110
            await asyncio.sleep(0.002)
        fault.in_flight = client.in_flight[fault.target]
        fault.at_call = gate.issued
        started = time.monotonic()
        try:
            await asyncio.to_thread(_crash_and_restart, stack, fault)
        except Exception as error:  # reported, and the run goes on to its audit
            fault.error = f"{type(error).__name__}: {error}"[:500]
        fault.down_for = time.monotonic() - started
        say(
            f"fault {number + 1}/{len(faults)}: SIGKILL {fault.target} at call {fault.at_call} "
            f"({fault.in_flight} of its requests in flight), back in {fault.down_for:.1f}s"
            f"{' — ' + fault.error if fault.error else ''}"
        )
        await gate.fault_over()


def _crash_and_restart(stack: Stack, fault: Fault) -> None:
    if fault.target == "broker":
        stack.broker.kill()
        time.sleep(fault.pause)
        stack.broker.start()
    elif fault.target == "postgres":
        stack.postgres.kill()
        time.sleep(fault.pause)
        stack.postgres.start()
    else:
        service = stack.services[fault.target]
        service.kill()
        time.sleep(fault.pause)
        # Ready means its database and the broker answer; after a crash of either a while
        # may pass before they do for a new process.
        service.start(ready_timeout=180.0)
