"""Notifications reads two topics that are not in step: after a restart, a council's decision
(reviews topic) can be applied before the submission that introduced its authors
(initiatives topic). Found by the fault-injection suite: the authors were never told, and
the decision, already recorded as processed, never came again. Whichever comes first, every
author named is told. On SQLite, through the service's own handlers."""

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from sqlmodel import select

from services.notifications.bootstrap import define
from services.notifications.config import NotificationsSettings
from services.notifications.tables import Contact, InboxMessage
from shared.clock import FixedClock
from shared.contracts import (
    EventData,
    InitiativeAuthor,
    InitiativeCouncilAssigned,
    InitiativeRecognised,
    InitiativeSubmitted,
)
from shared.db import create_engine, session_factory
from shared.formatting import VIETNAM_TIME
from shared.messaging.cloudevents import new_envelope
from shared.migrations import upgrade_to_head

NOW = datetime(2022, 5, 20, 9, tzinfo=VIETNAM_TIME)
INITIATIVE = uuid4()
WHERE: dict[str, Any] = {
    "initiative_id": INITIATIVE,
    "campaign_code": "2022",
    "phase_code": "dot-1",
    "unit_code": "PVGAS",
    "title": "Thu hồi khí đồng hành tại giàn nén",
}
AUTHORS = (
    InitiativeAuthor(member_id="PVGAS-0101", full_name="Đỗ Thị Hạnh", share_percent=60),
    InitiativeAuthor(member_id="PVGAS-0102", full_name="Lý Văn Tùng", share_percent=40),
)
SEATED = InitiativeCouncilAssigned(
    **WHERE,
    author_ids=("PVGAS-0101", "PVGAS-0102"),
    reviewer_ids=("HD-1", "HD-2", "HD-3"),
    assigned_by="CDDKVN-0001",
    assigned_at=NOW,
)
RECOGNISED = InitiativeRecognised(
    **WHERE,
    author_ids=("PVGAS-0101", "PVGAS-0102"),
    decided_at=NOW,
    weighted_score=8.5,
    votes_for=3,
    council_size=3,
)
SUBMITTED = InitiativeSubmitted(
    **WHERE,
    field="technical",
    authors=AUTHORS,
    submitted_by="PVGAS-0101",
    submitted_at=NOW,
)


async def apply(
    tmp_path: Path, events: list[EventData]
) -> tuple[dict[str, set[str]], dict[str, str]]:
    """The triggers each author's inbox holds, and each contact's name, after the events."""
    settings = NotificationsSettings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'notifications.sqlite3'}",
        kafka_bootstrap_servers="127.0.0.1:1",
    )
    await asyncio.to_thread(upgrade_to_head, "services.notifications", settings.database_url)
    handlers = {s.contract: s.handler for s in define(settings, FixedClock(NOW)).subscriptions}
    engine = create_engine(settings.database_url)
    try:
        sessions = session_factory(engine)
        for data in events:  # one transaction per event, as the consumer's batches may be
            async with sessions() as session, session.begin():
                await handlers[type(data)](new_envelope(data, source="t", subject="s"), session)
        async with sessions() as session:
            messages = (await session.exec(select(InboxMessage))).all()
            people = (await session.exec(select(Contact))).all()
    finally:
        await engine.dispose()
    triggers: dict[str, set[str]] = {}
    for message in messages:
        triggers.setdefault(message.recipient_id, set()).add(message.trigger)
    return triggers, {p.person_id: p.full_name for p in people}


EVERY_TRIGGER = {"initiative_received", "initiative_under_review", "initiative_recognised"}


async def test_authors_are_told_of_a_decision_read_before_their_submission(
    tmp_path: Path,
) -> None:
    triggers, names = await apply(tmp_path, [SEATED, RECOGNISED, SUBMITTED])

    assert triggers == {"PVGAS-0101": EVERY_TRIGGER, "PVGAS-0102": EVERY_TRIGGER}
    # Met first by id alone, then named by the submission.
    assert names == {"PVGAS-0101": "Đỗ Thị Hạnh", "PVGAS-0102": "Lý Văn Tùng"}


async def test_in_order_the_same_messages(tmp_path: Path) -> None:
    triggers, names = await apply(tmp_path, [SUBMITTED, SEATED, RECOGNISED])

    assert triggers == {"PVGAS-0101": EVERY_TRIGGER, "PVGAS-0102": EVERY_TRIGGER}
    assert names["PVGAS-0102"] == "Lý Văn Tùng"
