"""Notifications' own tables: who to tell, what was told, and how each delivery went."""

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import JSON, UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.contracts import bounds
from shared.contracts.vocabulary import Language
from shared.copied_columns import UnitColumns
from shared.db import service_registry
from shared.http.idempotency import add_idempotency_table
from shared.i18n import DEFAULT_LANGUAGE, language_or_none
from shared.messaging.tables import add_messaging_tables


class NotificationsTable(SQLModel, registry=service_registry()):
    pass


class Contact(NotificationsTable, table=True):
    """A person notifications can reach: learnt from events (authors), completed by admins
    (email, officer role, language, digest preference)."""

    __tablename__ = "contacts"

    person_id: str = Field(primary_key=True, max_length=bounds.SUBJECT_MAX)
    full_name: str = Field(max_length=bounds.PERSON_NAME_MAX)
    unit_code: str | None = Field(default=None, max_length=bounds.CODE_MAX, index=True)
    email: str | None = Field(default=None, max_length=bounds.EMAIL_MAX)
    is_officer: bool = False
    language: str = Field(default="vi", max_length=bounds.LANGUAGE_CODE_LENGTH)
    daily_digest: bool = False

    @property
    def reads(self) -> Language:
        """The language this person's messages are written in (Vietnamese unless English)."""
        return language_or_none(self.language) or DEFAULT_LANGUAGE


class UnitCopy(NotificationsTable, UnitColumns, table=True):
    """Notifications' copy of the union tree (from `unit recorded`)."""

    __tablename__ = "units"


class CampaignCopy(NotificationsTable, table=True):
    """What messages quote of a campaign (from `campaign published`)."""

    __tablename__ = "campaigns"

    code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    title: str = Field(max_length=bounds.CAMPAIGN_TITLE_MAX)
    review_max_score: float
    movement_names: dict[str, str] = Field(sa_type=JSON)


class PhaseCopy(NotificationsTable, table=True):
    __tablename__ = "phases"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    name: str = Field(max_length=bounds.NAME_MAX)
    ends_on: date
    report_due_on: date | None = None
    status: str = Field(max_length=bounds.VOCABULARY_MAX)


class ReportFiled(NotificationsTable, table=True):
    """Which unit filed its result report for which phase: no reminder once it has."""

    __tablename__ = "reports_filed"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    unit_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)


class InitiativeTally(NotificationsTable, table=True):
    """Initiatives per unit and phase, for a unit's standing when the phase closes."""

    __tablename__ = "initiative_tallies"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    unit_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    submitted: int = 0


class InboxMessage(NotificationsTable, table=True):
    """One message in a person's in-app inbox (hộp thư)."""

    __tablename__ = "inbox_messages"
    # One message per event and recipient, whatever the delivery count.
    __table_args__ = (UniqueConstraint("event_id", "recipient_id"),)

    id: UUID = Field(primary_key=True)
    event_id: UUID
    trigger: str = Field(max_length=bounds.CODE_MAX)
    recipient_id: str = Field(max_length=bounds.SUBJECT_MAX, index=True)
    subject: str = Field(max_length=bounds.MESSAGE_SUBJECT_MAX)
    body: str
    created_at: datetime
    read_at: datetime | None = None


class WebhookSubscriber(NotificationsTable, table=True):
    """A system that receives events as signed webhooks (HR, communications ...)."""

    __tablename__ = "webhook_subscribers"

    id: UUID = Field(primary_key=True)
    name: str = Field(max_length=bounds.PERSON_NAME_MAX)
    url: str = Field(max_length=bounds.URL_MAX)
    # Current secret first; the previous one is kept for a while during a rotation.
    secrets: list[str] = Field(sa_type=JSON)
    event_types: list[str] = Field(sa_type=JSON)  # empty: every event
    active: bool = True
    created_at: datetime


class Channel(StrEnum):
    """How a delivery reaches its recipient."""

    email = "email"  # a person, at their address
    webhook = "webhook"  # a subscriber, at its URL


class Delivery(NotificationsTable, table=True):
    """One (event, recipient, channel): created once, whatever the deliveries of the event."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("event_id", "recipient_id", "channel"),)

    id: UUID = Field(primary_key=True)
    event_id: UUID
    event_type: str = Field(max_length=bounds.EVENT_TYPE_MAX)
    recipient_id: str = Field(max_length=bounds.SUBJECT_MAX)
    channel: str = Field(max_length=bounds.VOCABULARY_MAX)  # a Channel
    destination: str = Field(max_length=bounds.URL_MAX)  # address or URL
    subject: str = Field(max_length=bounds.MESSAGE_SUBJECT_MAX)
    body: str
    html: str | None = None
    status: str = Field(max_length=bounds.VOCABULARY_MAX, index=True)  # a DeliveryStatus
    attempts: int = 0
    next_attempt_at: datetime = Field(index=True)
    # While `in_flight`: when the claim lapses (the machine's time, not the campaign's). Until
    # then the row is its worker's; after it, any worker may take it back (a crashed one's).
    claimed_until: datetime | None = None
    last_status_code: int | None = None
    last_error: str | None = None
    created_at: datetime
    sent_at: datetime | None = None


class DeliveryAttempt(NotificationsTable, table=True):
    """The delivery log: every attempt, its answer and how long it took."""

    __tablename__ = "delivery_attempts"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: UUID = Field(foreign_key="deliveries.id", index=True)
    attempt: int
    at: datetime
    ok: bool
    status_code: int | None = None
    error: str | None = None
    duration_ms: float


class ReminderSent(NotificationsTable, table=True):
    """A report reminder already sent: each (phase, unit, days before) is reminded once."""

    __tablename__ = "reminders_sent"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    unit_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    days_before: int = Field(primary_key=True)
    sent_at: datetime


metadata = NotificationsTable.metadata
messaging = add_messaging_tables(metadata)
# Admins' POSTs that create (webhook subscribers) honour Idempotency-Key, as submissions' do.
idempotency_keys = add_idempotency_table(metadata)
