"""What notifications looks up once per consumed batch instead of once per event.

A run of events is applied by the per-event reactions, in order, with these lookups in the
session (`session.info`): the contacts the run names (one query), the officers of the units
it is about (one query), the subscribed systems (one query), and the initiative counters
summed for one multi-row upsert. The contacts the reactions create or rename are the same
objects in the dict, so a later event of the run sees them as one event after another would;
nothing is flushed between events. At its end, the contacts it met first go with one upsert
(another replica may have met them too), its inbox messages and deliveries (held as rows)
with one multi-row insert per table, and the flush writes the contacts it renamed.

Officers and subscribers do not change while events are applied: an admin's request makes
them, never an event."""

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.service.delivery import note_new_work
from services.notifications.tables import (
    CampaignCopy,
    Contact,
    Delivery,
    InboxMessage,
    InitiativeTally,
    UnitCopy,
    WebhookSubscriber,
)
from shared.contracts.vocabulary import UnitLevel
from shared.messaging.cloudevents import Envelope
from shared.upsert import dialect_insert, table_of

_KEY = "notifications.batch"


class BatchLookups:
    def __init__(self) -> None:
        self.contacts: dict[str, Contact | None] = {}  # None: known to be no contact
        self.officers: dict[str, list[Contact]] = {}
        self.roots: list[str] | None = None
        self.subscribers: list[WebhookSubscriber] | None = None
        self.tallies: Counter[tuple[str, str, str]] = Counter()
        self.unit_names: dict[str, str] = {}  # the code itself for a unit not recorded
        self.campaigns: dict[str, CampaignCopy | None] = {}
        # Contacts the run met first, inserted at its end with an upsert (`finish`): another
        # replica, on another partition, may meet the same person at the same time.
        self.new_contacts: dict[str, Contact] = {}
        # The run's inbox messages and deliveries, as rows, inserted at its end (`finish`).
        self.inbox: list[dict[str, Any]] = []
        self.deliveries: list[dict[str, Any]] = []

    def add_contact(self, contact: Contact) -> None:
        self.contacts[contact.person_id] = contact
        self.new_contacts[contact.person_id] = contact

    async def load_unit_names(self, session: AsyncSession, codes: Iterable[str]) -> None:
        missing = [c for c in dict.fromkeys(codes) if c not in self.unit_names]
        if not missing:
            return
        found = await session.exec(
            select(UnitCopy.code, UnitCopy.name).where(col(UnitCopy.code).in_(missing))
        )
        self.unit_names.update({c: c for c in missing})
        self.unit_names.update(dict(found.all()))

    async def unit_name(self, session: AsyncSession, code: str) -> str:
        await self.load_unit_names(session, [code])
        return self.unit_names[code]

    async def campaign(self, session: AsyncSession, code: str) -> CampaignCopy | None:
        if code not in self.campaigns:
            self.campaigns[code] = await session.get(CampaignCopy, code)
        return self.campaigns[code]

    def forget_campaign(self, session: AsyncSession, code: str) -> None:
        """Its row is being replaced (a Core upsert the object does not see): read again."""
        held = self.campaigns.pop(code, None)
        if held is not None:
            session.expire(held)

    async def load_contacts(self, session: AsyncSession, person_ids: Iterable[str]) -> None:
        missing = [p for p in dict.fromkeys(person_ids) if p not in self.contacts]
        if not missing:
            return
        found = await session.exec(select(Contact).where(col(Contact.person_id).in_(missing)))
        self.contacts.update(dict.fromkeys(missing))
        self.contacts.update({c.person_id: c for c in found.all()})

    async def load_officers(self, session: AsyncSession, unit_codes: Iterable[str]) -> None:
        missing = [u for u in dict.fromkeys(unit_codes) if u not in self.officers]
        if not missing:
            return
        found = await session.exec(
            select(Contact).where(col(Contact.unit_code).in_(missing), col(Contact.is_officer))
        )
        for code in missing:
            self.officers[code] = []
        for contact in found.all():
            assert contact.unit_code is not None
            self.officers[contact.unit_code].append(contact)

    async def federation_roots(self, session: AsyncSession) -> list[str]:
        if self.roots is None:
            self.roots = list(
                (
                    await session.exec(
                        select(UnitCopy.code).where(UnitCopy.level == UnitLevel.federation)
                    )
                ).all()
            )
        return self.roots

    async def active_subscribers(self, session: AsyncSession) -> list[WebhookSubscriber]:
        if self.subscribers is None:
            self.subscribers = list(
                (
                    await session.exec(
                        select(WebhookSubscriber).where(col(WebhookSubscriber.active))
                    )
                ).all()
            )
        return self.subscribers


async def write_rows(
    session: AsyncSession, inbox: list[dict[str, Any]], deliveries: list[dict[str, Any]]
) -> None:
    """Inbox messages and deliveries as plain rows (building an ORM object for each cost more
    than rendering its message): one multi-row insert per table."""
    for model, rows in ((InboxMessage, inbox), (Delivery, deliveries)):
        if rows:
            await session.execute(insert(table_of(model)), rows)
    if deliveries:
        note_new_work(session)


async def _write_new_contacts(session: AsyncSession, met: Iterable[Contact]) -> None:
    """The contacts a run met first, in one statement. One another replica inserted in the
    meantime stays as it is, but for its name: a placeholder (the person's id, from an event
    that named them before their submission did) takes the name this run learnt."""
    columns = [column.name for column in table_of(Contact).columns]
    rows = [{name: getattr(c, name) for name in columns} for c in met]
    if not rows:
        return
    insert = dialect_insert(session, Contact)
    stored = table_of(Contact).c
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["person_id"],
            set_={"full_name": insert.excluded.full_name},
            where=(stored.full_name == stored.person_id)
            & (insert.excluded.full_name != insert.excluded.person_id),
        ),
        rows,
    )


def lookups(session: AsyncSession) -> BatchLookups | None:
    """The batch's lookups, while a run is applied (None for an event applied alone)."""
    found = session.info.get(_KEY)
    return found if isinstance(found, BatchLookups) else None


def _named_in(event: Envelope[Any]) -> list[str]:
    data = event.data
    ids = list(getattr(data, "author_ids", ()))
    recipient = getattr(data, "recipient_id", None)
    if isinstance(recipient, str):
        ids.append(recipient)
    return ids


async def begin(session: AsyncSession, events: Sequence[Envelope[Any]]) -> BatchLookups:
    """Set up the run's lookups, loading at once what its events will ask for."""
    batch = BatchLookups()
    await batch.load_contacts(session, [p for e in events for p in _named_in(e)])
    units = [u for e in events if isinstance(u := getattr(e.data, "unit_code", None), str)]
    await batch.load_officers(session, units)
    await batch.load_unit_names(session, units)
    session.info[_KEY] = batch
    return batch


async def finish(session: AsyncSession, batch: BatchLookups) -> None:
    """End the run's lookups and write what it held back: the contacts it met first (one
    upsert), its inbox messages and deliveries (one insert per table), the initiative
    counters it summed (one upsert), then the contacts it renamed (the flush)."""
    session.info.pop(_KEY, None)
    await _write_new_contacts(session, batch.new_contacts.values())
    await write_rows(session, batch.inbox, batch.deliveries)
    if batch.tallies:
        insert = dialect_insert(session, InitiativeTally)
        submitted = table_of(InitiativeTally).c.submitted
        await session.execute(
            insert.on_conflict_do_update(
                index_elements=["campaign_code", "phase_code", "unit_code"],
                set_={"submitted": submitted + insert.excluded.submitted},
            ),
            [
                {"campaign_code": c, "phase_code": p, "unit_code": u, "submitted": n}
                for (c, p, u), n in batch.tallies.items()
            ],
        )
    await session.flush()
