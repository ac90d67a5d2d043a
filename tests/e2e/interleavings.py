"""Property, through the four running services on the real broker and PostgreSQL: whatever
people do to a few initiatives at once, in whatever order, and two of them at the same
moment (an author withdrawing while the federation assigns a council, a return racing the
last vote), every service ends agreeing on each initiative's state and round, and the events
on the topics fold to that same state (shared.contracts.lifecycle).

Run by test_initiative_flow on its system, while phase 1 is open. Hypothesis draws the plans;
a failing one is printed (`note`) rather than shrunk, as each try costs seconds."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import strategies as st

from services.submissions.demo import token
from shared.auth import Role
from shared.contracts import EVENT_TYPES, topics
from shared.contracts.lifecycle import InitiativeStatus, Life, life_after, merge
from shared.messaging.cloudevents import from_record, header_map
from tests.e2e.conftest import ADMIN
from tests.e2e.one_life import SCORES, System, Walk
from tests.support.kafka_probe import read_to_end
from tests.support.polling import eventually

# What a person may do to an initiative; the services answer 2xx or refuse (4xx), never 5xx.
ACTIONS = (
    "amend",  # the author (after a return: the resubmission)
    "withdraw",  # the author
    "assign",  # the federation admin assigns the council (again: replaces it)
    "vote_for",  # a council member, who may be any of the three
    "vote_against",
    "return",  # the federation admin returns it to the authors
)

action = st.tuples(st.sampled_from(ACTIONS), st.integers(0, 2))
# A step is one action, or two sent at the same moment.
step = st.lists(action, min_size=1, max_size=2)
script = st.lists(step, min_size=1, max_size=7)
plans = st.lists(script, min_size=2, max_size=4)

Plan = Sequence[Sequence[Sequence[tuple[str, int]]]]


@dataclass
class Told:
    """What the services answered about one initiative: the states their 2xx replied with."""

    walk: Walk
    replies: list[tuple[str, int, int]] = field(default_factory=list)  # (action, status, code)
    states: list[Life] = field(default_factory=list)
    withdrawn: bool = False


async def run_plan(system: System, kafka: str, plan: Plan) -> None:
    async with httpx.AsyncClient(timeout=20) as client:
        told = [Told(Walk(system, client)) for _ in plan]
        await asyncio.gather(*(t.walk.start() for t in told))
        # All the initiatives' scripts at once, so their events interleave on the topics.
        await asyncio.gather(*(_play(t, steps) for t, steps in zip(told, plan, strict=True)))
        for t in told:
            assert all(code < 500 for _, _, code in t.replies), t.replies
        await _agreed(told, kafka)


async def _play(told: Told, steps: Sequence[Sequence[tuple[str, int]]]) -> None:
    for actions in steps:
        await asyncio.gather(*(_act(told, name, who) for name, who in actions))


async def _act(told: Told, name: str, who: int) -> None:
    walk, client, url = told.walk, told.walk.client, told.walk.system
    if name == "amend":
        reply = await walk.amend(solution=f"Cảm biến áp suất, bản sửa {len(told.replies)}.")
    elif name == "withdraw":
        reply = await walk.withdraw()
    elif name == "assign":
        reply = await walk.assign()
    elif name in ("vote_for", "vote_against"):
        reply = await client.post(
            f"{url['scoring'].url}/api/v1/reviews/{walk.id}/scores",
            json={"scores": SCORES, "vote_for": name == "vote_for"},
            headers=token(walk.reviewers[who], "CDDKVN", Role.REVIEWER),
        )
    else:
        reply = await client.post(
            f"{url['scoring'].url}/api/v1/reviews/{walk.id}/return",
            json={"reason": "Bổ sung số liệu đo trước và sau khi áp dụng"},
            headers=ADMIN,
        )
    told.replies.append((name, who, reply.status_code))
    if reply.is_success:
        body: Any = reply.json()
        for item in body if isinstance(body, list) else [body]:
            if "status" in item:
                told.states.append(Life(InitiativeStatus(item["status"]), item["round"]))
        told.withdrawn |= name == "withdraw"


State = tuple[str, int] | None


async def _agreed(told: list[Told], kafka: str) -> None:
    """Every initiative reads the same in every service and on the topics, and still does a
    moment later; then what its people were told holds."""

    async def everyone() -> list[tuple[State, ...]]:
        on_topics = await _folded_from_topics(kafka, [t.walk.id for t in told])
        return [
            (
                await t.walk.submissions_state(),
                # No council ever sat: scoring never knew of it.
                await t.walk.scoring_state() or on_topics[t.walk.id],
                await t.walk.reporting_state(),
                on_topics[t.walk.id],
            )
            for t in told
        ]

    def agree(rows: list[tuple[State, ...]]) -> bool:
        return all(len(set(states)) == 1 and states[0] is not None for states in rows)

    await eventually(everyone, agree, timeout=60, interval=0.5)
    await asyncio.sleep(1.0)  # still agreeing a moment later: nothing was in flight
    finals = await eventually(everyone, agree, timeout=5, interval=0.5)
    for t, states in zip(told, finals, strict=True):
        assert states[0] is not None
        await _told_holds(t, Life(InitiativeStatus(states[0][0]), states[0][1]))


async def _told_holds(told: Told, life: Life) -> None:
    walk = told.walk
    context = f"{walk.id}: {told.replies} → {life}"
    # A withdrawal the author was told of holds, whatever a council did meanwhile.
    assert not told.withdrawn or life.status is InitiativeStatus.withdrawn, context
    # Nothing anyone was told is undone: the end is at or after every state a reply showed.
    assert all(life.rank >= shown.rank for shown in told.states), context
    decided = {"initiative_recognised", "initiative_not_recognised"}
    if life.status in (InitiativeStatus.recognised, InitiativeStatus.not_recognised):
        await eventually(walk.triggers, lambda seen: f"initiative_{life.status}" in seen)
    else:
        assert not decided & set(await walk.triggers()), context


async def _folded_from_topics(kafka: str, initiative_ids: list[str]) -> dict[str, State]:
    """The life the topics' events about each fold to, as an independent reader would fold
    it: each topic read once for all of them."""
    lives: dict[bytes, Life | None] = {i.encode(): None for i in initiative_ids}
    for topic in (topics.INITIATIVES, topics.REVIEWS):
        for record in await read_to_end(kafka, topic):
            if record.key not in lives:
                continue
            envelope = from_record(header_map(record.headers), record.value, EVENT_TYPES)
            if envelope is not None:
                lives[record.key] = merge(lives[record.key], life_after(envelope.data))
    return {
        key.decode(): (str(life.status), life.round) if life else None
        for key, life in lives.items()
    }
