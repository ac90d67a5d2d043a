"""Turning an event into messages: an inbox entry per person, and an email or webhook
delivery per (event, recipient, channel), each created once."""

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.domain.templates import Rendered, render
from services.notifications.queries import contacts
from services.notifications.service.batch import lookups, write_rows
from services.notifications.tables import (
    Channel,
    Contact,
    Delivery,
    WebhookSubscriber,
)
from shared.contracts.vocabulary import DeliveryStatus
from shared.messaging.cloudevents import Envelope


async def tell(
    session: AsyncSession,
    event: Envelope[Any] | tuple[UUID, str],
    trigger: str,
    people: Iterable[Contact],
    context: Mapping[str, Any],
    now: datetime,
) -> int:
    """Tell each person (once, however often they appear): in the inbox always, by email
    too when they have an address and did not choose the daily digest. `now` is the
    campaign's clock's: the inbox, the digests and the deliveries keep one time."""
    # What caused it: an event, or (for reminders and digests) a deterministic id and a kind.
    event_id, event_type = (event.id, event.type) if isinstance(event, Envelope) else event
    inbox: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for person in {p.person_id: p for p in people}.values():
        message = render(
            trigger,
            person.reads,
            {**context, "addressee_name": person.full_name},
        )
        inbox.append(
            {
                "id": uuid4(),
                "event_id": event_id,
                "trigger": trigger,
                "recipient_id": person.person_id,
                "subject": message.subject,
                "body": message.text,
                "created_at": now,
                "read_at": None,
            }
        )
        if person.email and not person.daily_digest:
            deliveries.append(email_row(person, message, event_id, event_type, now))
    await _write(session, inbox, deliveries)
    return len(inbox)


def email_row(
    person: Contact, message: Rendered, event_id: UUID, event_type: str, now: datetime
) -> dict[str, Any]:
    """An email delivery of a rendered message, due now: the delivery worker sends it."""
    return _delivery_row(
        event_id=event_id,
        event_type=event_type,
        recipient_id=person.person_id,
        channel=Channel.email,
        destination=person.email or "",
        subject=message.subject,
        body=message.text,
        html=message.html,
        now=now,
    )


def email_to(
    person: Contact, message: Rendered, event_id: UUID, event_type: str, now: datetime
) -> Delivery:
    """`email_row` as an object, for a session that works with objects (the digests)."""
    return Delivery(**email_row(person, message, event_id, event_type, now))


def _delivery_row(*, now: datetime, html: str | None = None, **values: Any) -> dict[str, Any]:
    return {
        "id": uuid4(),
        **values,
        "html": html,
        "status": DeliveryStatus.pending,
        "attempts": 0,
        "next_attempt_at": now,
        "last_status_code": None,
        "last_error": None,
        "created_at": now,
        "sent_at": None,
    }


async def _write(
    session: AsyncSession, inbox: list[dict[str, Any]], deliveries: list[dict[str, Any]]
) -> None:
    """Rows for the inbox and the deliveries, as plain rows (building an ORM object cost
    more than rendering its message): held for the run's end in a batch, written now alone."""
    batch = lookups(session)
    if batch is not None:
        batch.inbox += inbox
        batch.deliveries += deliveries
        return
    await write_rows(session, inbox, deliveries)


async def forward_to_subscribers(
    session: AsyncSession, event: Envelope[Any], now: datetime
) -> None:
    """Every subscribed system gets the event as a structured CloudEvent, signed on sending."""
    batch = lookups(session)
    if batch is not None:  # a run of a batch: looked up once for the run
        subscribers = await batch.active_subscribers(session)
    else:
        query = select(WebhookSubscriber).where(col(WebhookSubscriber.active))
        subscribers = list((await session.exec(query)).all())
    wanted = [s for s in subscribers if not s.event_types or event.type in s.event_types]
    if not wanted:
        return
    body = json.dumps(
        {
            "specversion": "1.0",
            "id": str(event.id),
            "source": event.source,
            "type": event.type,
            "time": event.time.isoformat(),
            "subject": event.subject,
            "datacontenttype": "application/json",
            "data": event.data.model_dump(mode="json"),
        },
        ensure_ascii=False,
    )
    deliveries = [
        _delivery_row(
            event_id=event.id,
            event_type=event.type,
            recipient_id=str(subscriber.id),
            channel=Channel.webhook,
            destination=subscriber.url,
            subject=event.type,
            body=body,
            now=now,
        )
        for subscriber in wanted
    ]
    await _write(session, [], deliveries)


async def named(session: AsyncSession, person_ids: Iterable[str], unit_code: str) -> list[Contact]:
    """The people an event names (its authors, an award's recipient) as contacts. One the
    events have not introduced yet is added now, inbox only: the topics are not read in step
    (after a restart, a council's decision can be applied before the submission naming the
    authors), and a person named must be told whichever comes first. The submission fills in
    the name later (handlers.initiative_received)."""
    ids = list(dict.fromkeys(person_ids))
    batch = lookups(session)
    if batch is not None:  # a run of a batch: its contacts are at hand, written at its end
        await batch.load_contacts(session, ids)
        for person_id in ids:
            if batch.contacts[person_id] is None:
                batch.add_contact(
                    Contact(person_id=person_id, full_name=person_id, unit_code=unit_code)
                )
        return [c for c in (batch.contacts[p] for p in ids) if c is not None]
    known = {c.person_id: c for c in await contacts(session, ids)}
    for person_id in ids:
        if person_id not in known:
            known[person_id] = Contact(
                person_id=person_id, full_name=person_id, unit_code=unit_code
            )
            session.add(known[person_id])
    await session.flush()
    return [known[person_id] for person_id in ids]
