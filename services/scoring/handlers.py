"""How scoring applies the events it consumes (the bootstrap lists which, and gives the
handlers that publish their outbox)."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.service.awarding import close, record_fact, record_facts
from services.scoring.tables import CampaignCopy, ReviewRecord
from shared.campaign.cache import CampaignCache
from shared.campaign.published import published_campaign
from shared.clock import Clock
from shared.contracts import (
    CampaignPublished,
    InitiativeAmended,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    PhaseClosed,
)
from shared.contracts.lifecycle import InitiativeStatus, advance, life_after
from shared.messaging.cloudevents import Envelope
from shared.messaging.outbox import Outbox
from shared.upsert import table_of, upsert


async def keep_campaign(event: Envelope[CampaignPublished], session: AsyncSession) -> None:
    """Keep the campaign file, once it reads as the campaign it names (published_campaign):
    a file kept over a good copy of the same code failed each close of its phases and each
    late fact for a closed one, every such record parked, and its progress answered 500."""
    published_campaign(event.data)
    await upsert(
        session,
        CampaignCopy,
        values={"code": event.data.campaign_code, "definition": event.data.definition},
        key=["code"],
        on_conflict={"definition": event.data.definition},
    )


async def queue_for_review(
    event: Envelope[InitiativeSubmitted | InitiativeAmended], session: AsyncSession
) -> None:
    """A submitted initiative waits for its council; an amendment updates what it shows (an
    amendment can arrive first, on another partition: it then creates the entry), and one
    made after a return (the next round) opens a new review."""
    record = await session.get(ReviewRecord, event.data.initiative_id, with_for_update=True)
    _queue(session, record, event)


def _queue(
    session: AsyncSession,
    record: ReviewRecord | None,
    event: Envelope[InitiativeSubmitted | InitiativeAmended],
) -> ReviewRecord:
    if record is None:
        record = ReviewRecord(**_new_review(event))
        session.add(record)
        return record
    initiative = event.data
    after = advance(record.status, record.round, initiative)
    if after.round > record.round:  # resubmitted after a return: a new council will sit
        record.status, record.round = after.status, after.round
        record.council, record.scored_by = [], []
    if record.round == initiative.round and record.status != InitiativeStatus.withdrawn:
        # The content of this round (an amendment that crossed the council's seating in
        # flight is what the council reviews).
        for name, value in _content(initiative).items():
            setattr(record, name, value)
    record.updated_at = max(record.updated_at, event.time)
    return record


def _content(initiative: InitiativeSubmitted) -> dict[str, Any]:
    """What a review shows of its initiative (an amendment is a submission too)."""
    return {
        "campaign_code": initiative.campaign_code,
        "phase_code": initiative.phase_code,
        "unit_code": initiative.unit_code,
        "title": initiative.title,
        "field": initiative.field,
        "author_ids": list(initiative.author_ids),
        "confidential": initiative.confidential,
        "submitted_at": initiative.submitted_at,
        "received_on": initiative.received_day,
        "expected_benefit_vnd": initiative.expected_benefit_vnd,
        "first_applied_on": initiative.first_applied_on,
    }


def _new_review(event: Envelope[InitiativeSubmitted | InitiativeAmended]) -> dict[str, Any]:
    """The review an initiative's first submission (or an amendment that overtook it) opens,
    as a row."""
    incoming = life_after(event.data)
    assert incoming is not None
    return {
        "initiative_id": event.data.initiative_id,
        "status": incoming.status,
        "round": incoming.round,
        "council": [],
        "scored_by": [],
        "updated_at": event.time,
        **_content(event.data),
    }


async def withdraw(event: Envelope[InitiativeWithdrawn], session: AsyncSession) -> None:
    """Final: the review closes, whatever stage it had reached."""
    record = await session.get(ReviewRecord, event.data.initiative_id, with_for_update=True)
    _withdraw(record, event)


def _withdraw(record: ReviewRecord | None, event: Envelope[InitiativeWithdrawn]) -> None:
    if record is not None:
        after = advance(record.status, record.round, event.data)
        record.status, record.round = after.status, after.round


async def apply_batch(events: Sequence[Envelope[Any]], session: AsyncSession) -> None:
    """A run of the events kept as facts (submissions, amendments and withdrawals among
    them), in their order: the reviews they touch locked and read in one query; the reviews
    the run opens inserted as rows with one statement (building each as an object cost as
    much as the rest of its event); the other steps folded in memory (written at the flush,
    together), and the facts recorded in one statement. Leaves what the per-event handlers
    applied one after another leave."""
    life = [e for e in events if isinstance(e.data, _LIFE)]
    records = await _locked(session, {e.data.initiative_id for e in life})
    # A review the run opens: its first submission or amendment (a withdrawal before it
    # finds no review and changes nothing, as it would alone).
    opened: dict[UUID, int] = {}
    for n, event in enumerate(life):
        key = event.data.initiative_id
        if (
            key not in records
            and key not in opened
            and not isinstance(event.data, InitiativeWithdrawn)
        ):
            opened[key] = n
    if opened:
        rows = [_new_review(life[n]) for n in opened.values()]
        await session.execute(insert(table_of(ReviewRecord)), rows)
        # The few the run goes on to change are read back as objects, locked.
        again = {
            e.data.initiative_id
            for n, e in enumerate(life)
            if opened.get(e.data.initiative_id, n) < n
        }
        records |= await _locked(session, again)
    for n, event in enumerate(life):
        key = event.data.initiative_id
        if opened.get(key, -1) >= n:
            continue  # the review it opened, or a withdrawal before it: already applied
        if isinstance(event.data, InitiativeSubmitted | InitiativeAmended):
            records[key] = _queue(session, records.get(key), event)
        else:
            _withdraw(records.get(key), event)
    await record_facts(session, events)


_LIFE = (InitiativeSubmitted, InitiativeAmended, InitiativeWithdrawn)


async def _locked(session: AsyncSession, ids: set[UUID]) -> dict[UUID, ReviewRecord]:
    if not ids:
        return {}
    found = await session.exec(
        select(ReviewRecord)
        .where(col(ReviewRecord.initiative_id).in_(ids))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {r.initiative_id: r for r in found.all()}


async def remember(event: Envelope[Any], session: AsyncSession) -> None:
    """An event the targets and awards are computed from."""
    await record_fact(session, event)


def remembering(handler: Any) -> Any:
    async def handle(event: Envelope[Any], session: AsyncSession) -> None:
        await handler(event, session)
        await record_fact(session, event)

    return handle


async def phase_closed(
    event: Envelope[PhaseClosed],
    session: AsyncSession,
    *,
    outbox: Outbox,
    clock: Clock,
    campaigns: CampaignCache | None = None,
) -> None:
    """Rank and propose the phase's awards (the relay, woken when the batch commits,
    publishes them from the outbox).

    What counts is what was recorded before the close was: both are the envelopes' times, on
    the same machines' clocks. `closed_at` is the campaign's clock (a simulated year's may be
    years behind the recording times) and would leave every fact out; it is what the
    proposals and standings are as of. The rules are judged on `closed_day`, its review day."""
    await record_fact(session, event)
    await close(
        session,
        outbox,
        event.data.campaign_code,
        event.data.phase_code,
        event.time,
        campaigns,
        as_of=event.data.closed_at,
        closed_on=event.data.closed_day,
        clock=clock,
    )
