"""Messages no event causes: reminders before report deadlines, and daily digests.

Each is created once, under a deterministic id (a reminder per phase, unit and days before;
a digest per person and day), so a rerun, a restart or a second replica adds nothing. The
days are the campaign's (its clock, given to the scheduler at start), so a simulated year
is reminded of its own deadlines.
"""

import asyncio
import logging
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.config import NotificationsSettings
from services.notifications.domain.templates import render
from services.notifications.queries import officers_of
from services.notifications.service.notifier import email_to, tell
from services.notifications.tables import (
    Channel,
    Contact,
    Delivery,
    InboxMessage,
    PhaseCopy,
    ReminderSent,
    ReportFiled,
    UnitCopy,
)
from shared.clock import Clock
from shared.contracts.vocabulary import PhaseStatus
from shared.formatting import VIETNAM_TIME

log = logging.getLogger(__name__)
DIGEST = "thidua.digest.daily"


class Scheduler:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings

    async def run(self, sessions: async_sessionmaker[Any], clock: Clock) -> None:
        while True:
            now = clock.now()
            local = now.astimezone(VIETNAM_TIME)
            try:
                async with sessions() as session, session.begin():
                    await remind_reports(session, now, self._settings.reminder_days)
                if local.hour >= self._settings.digest_hour:
                    async with sessions() as session, session.begin():
                        await send_digests(session, now)
            except Exception:
                log.exception("scheduler pass failed; retrying at the next one")
            await asyncio.sleep(self._settings.scheduler_interval_seconds)


async def remind_reports(session: AsyncSession, now: datetime, reminder_days: list[int]) -> int:
    """Officers of units that have not filed their result report hear it is due in N days
    (counted from `now`'s day in Vietnam)."""
    today = now.astimezone(VIETNAM_TIME).date()
    reminded = 0
    phases = (
        await session.exec(select(PhaseCopy).where(PhaseCopy.status == PhaseStatus.open))
    ).all()
    for phase in phases:
        if phase.report_due_on is None:
            continue
        days_left = (phase.report_due_on - today).days
        if days_left not in reminder_days:
            continue
        filed = set(
            (
                await session.exec(
                    select(ReportFiled.unit_code).where(
                        ReportFiled.campaign_code == phase.campaign_code,
                        ReportFiled.phase_code == phase.phase_code,
                    )
                )
            ).all()
        )
        done = set(
            (
                await session.exec(
                    select(ReminderSent.unit_code).where(
                        ReminderSent.campaign_code == phase.campaign_code,
                        ReminderSent.phase_code == phase.phase_code,
                        ReminderSent.days_before == days_left,
                    )
                )
            ).all()
        )
        for unit in (await session.exec(select(UnitCopy))).all():
            if unit.code in filed or unit.code in done:
                continue
            officers = await officers_of(session, [unit.code])
            if not officers:
                continue
            key = f"reminder:{phase.campaign_code}:{phase.phase_code}:{unit.code}:{days_left}"
            await tell(
                session,
                (uuid5(NAMESPACE_URL, key), "thidua.reminder.report_due"),
                "report_due",
                officers,
                {
                    "phase_name": phase.name,
                    "unit_name": unit.name,
                    "due_on": phase.report_due_on,
                    "days_left": days_left,
                },
                now,
            )
            session.add(
                ReminderSent(
                    campaign_code=phase.campaign_code,
                    phase_code=phase.phase_code,
                    unit_code=unit.code,
                    days_before=days_left,
                    sent_at=now,
                )
            )
            reminded += 1
    return reminded


async def send_digests(session: AsyncSession, now: datetime) -> int:
    """One email a day (`now`'s day in Vietnam) per person who chose the digest, listing the
    messages since their previous digest (so a message that arrives after today's goes into
    tomorrow's)."""
    day = now.astimezone(VIETNAM_TIME).date()
    people = (
        await session.exec(
            select(Contact).where(col(Contact.daily_digest), col(Contact.email).is_not(None))
        )
    ).all()
    sent = 0
    for person in people:
        digest_id = uuid5(NAMESPACE_URL, f"digest:{person.person_id}:{day.isoformat()}")
        already = (
            await session.exec(
                select(Delivery.id).where(
                    Delivery.event_id == digest_id, Delivery.channel == Channel.email
                )
            )
        ).first()
        if already is not None:
            continue
        previous = await session.scalar(
            select(func.max(Delivery.created_at)).where(
                Delivery.recipient_id == person.person_id, Delivery.event_type == DIGEST
            )
        )
        query = select(InboxMessage).where(InboxMessage.recipient_id == person.person_id)
        if previous is not None:
            query = query.where(col(InboxMessage.created_at) > previous)
        items = (await session.exec(query.order_by(col(InboxMessage.created_at)))).all()
        if not items:
            continue
        message = render(
            "daily_digest",
            person.reads,
            {
                "day": day,
                "addressee_name": person.full_name,
                "items": [
                    {"subject": i.subject, "body": i.body, "created_at": i.created_at}
                    for i in items
                ],
            },
        )
        session.add(email_to(person, message, digest_id, DIGEST, now))
        sent += 1
    return sent
