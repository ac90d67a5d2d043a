"""How scoring applies the events it consumes (the bootstrap lists which, and gives the
handlers that publish their outbox)."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.service.awarding import close, record_fact, record_facts
from services.scoring.tables import CampaignCopy, ReviewRecord
from shared.campaign.cache import CampaignCache
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
from shared.upsert import upsert


async def keep_campaign(event: Envelope[CampaignPublished], session: AsyncSession) -> None:
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
    initiative = event.data
    values: dict[str, Any] = {
        "campaign_code": initiative.campaign_code,
        "phase_code": initiative.phase_code,
        "unit_code": initiative.unit_code,
        "title": initiative.title,
        "field": initiative.field,
        "author_ids": [a.member_id for a in initiative.authors],
        "confidential": initiative.confidential,
        "submitted_at": initiative.submitted_at,
        "received_on": initiative.received_day,
        "expected_benefit_vnd": initiative.expected_benefit_vnd,
        "first_applied_on": initiative.first_applied_on,
    }
    incoming = life_after(initiative)
    assert incoming is not None
    if record is None:
        record = ReviewRecord(
            initiative_id=initiative.initiative_id,
            status=incoming.status,
            round=incoming.round,
            council=[],
            scored_by=[],
            updated_at=event.time,
            **values,
        )
        session.add(record)
        return record
    after = advance(record.status, record.round, initiative)
    if after.round > record.round:  # resubmitted after a return: a new council will sit
        record.status, record.round = after.status, after.round
        record.council, record.scored_by = [], []
    if record.round == initiative.round and record.status != InitiativeStatus.withdrawn:
        # The content of this round (an amendment that crossed the council's seating in
        # flight is what the council reviews).
        for name, value in values.items():
            setattr(record, name, value)
    record.updated_at = max(record.updated_at, event.time)
    return record


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
    them), in their order: the reviews they touch locked and read in one query, folded in
    memory (written at the flush, together), and the facts recorded in one statement.
    Leaves what the per-event handlers applied one after another leave."""
    ids = {
        e.data.initiative_id
        for e in events
        if isinstance(e.data, InitiativeSubmitted | InitiativeAmended | InitiativeWithdrawn)
    }
    records: dict[UUID, ReviewRecord] = {}
    if ids:
        found = await session.exec(
            select(ReviewRecord)
            .where(col(ReviewRecord.initiative_id).in_(ids))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        records = {r.initiative_id: r for r in found.all()}
    for event in events:
        if isinstance(event.data, InitiativeSubmitted | InitiativeAmended):
            key = event.data.initiative_id
            records[key] = _queue(session, records.get(key), event)
        elif isinstance(event.data, InitiativeWithdrawn):
            _withdraw(records.get(event.data.initiative_id), event)
    await record_facts(session, events)


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
    campaigns: CampaignCache | None = None,
) -> None:
    """Rank and propose the phase's awards (the relay, woken when the batch commits,
    publishes them from the outbox).

    What counts is what was recorded before the close was: both are the envelopes' times, on
    the same machines' clocks. `closed_at` is the campaign's clock (a simulated year's may be
    years behind the recording times) and would leave every fact out."""
    await record_fact(session, event)
    await close(
        session, outbox, event.data.campaign_code, event.data.phase_code, event.time, campaigns
    )
