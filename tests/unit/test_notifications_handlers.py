"""Notifications' reactions, event type by event type: who each event it subscribes to (its
definition's list: every published event) tells, in the inbox and by email, what it forwards
to subscribed systems, the state it keeps, and that the same event delivered twice tells no
one twice. On an in-memory SQLite database with notifications' own tables; no broker, no mail
server: deliveries are rows the delivery worker would send."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from services.notifications.bootstrap import define
from services.notifications.config import NotificationsSettings
from services.notifications.tables import (
    CampaignCopy,
    Contact,
    Delivery,
    InboxMessage,
    InitiativeTally,
    PhaseCopy,
    ReportFiled,
    UnitCopy,
    WebhookSubscriber,
)
from shared.clock import FixedClock
from shared.contracts import AwardGranted, EventData, InitiativeRecognised, InitiativeWithdrawn
from shared.formatting import VIETNAM_TIME
from shared.messaging.cloudevents import Envelope
from tests.support.webhook_subscribers import webhook_subscriber
from tests.unit.event_examples import (
    AUTHORS,
    EXAMPLES,
    LATER,
    NOW,
    TITLE,
    amended,
    campaign,
    federation,
    granted,
    phase_closed,
    phase_opened,
    report,
    revoked,
    submitted,
    unit,
)
from tests.unit.handler_harness import Handlers, envelope, handlers_on_sqlite

SETTINGS = NotificationsSettings(
    database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1", smtp_port=1
)
# Defined once (its delivery worker and scheduler, never started, take a while to build): its
# handlers keep no state, each test gets a database of its own.
SERVICE = define(SETTINGS, FixedClock(NOW))
SUBSCRIBED = [s.contract for s in SERVICE.subscriptions]

OFFICER, ADMIN = "PVGAS-CB01", "CDDKVN-0001"
EMAILED, DIGEST = AUTHORS[0].member_id, AUTHORS[1].member_id  # the second chose the digest
HR = UUID("0d5e1c7b-3a2f-4e6d-9b8c-1a2b3c4d5e01")  # takes every event
PRESS = UUID("0d5e1c7b-3a2f-4e6d-9b8c-1a2b3c4d5e02")  # takes granted awards only


@pytest.fixture
async def notifications() -> AsyncIterator[Handlers]:
    """Notifications on the campaign's clock at NOW, knowing the federation and PVGAS (from
    their events), PVGAS's officer, the federation's admin and the first author (with their
    addresses; the second author reads a daily digest), and two subscribed systems."""
    async with handlers_on_sqlite(SERVICE) as handlers:
        await handlers.apply(envelope(federation(), NOW), envelope(unit(), NOW))
        async with handlers.sessions() as session, session.begin():
            session.add_all(
                [
                    Contact(
                        person_id=OFFICER,
                        full_name="Phạm Thu Trang",
                        unit_code="PVGAS",
                        email="trang@pvgas.thidua.example",
                        is_officer=True,
                    ),
                    Contact(
                        person_id=ADMIN,
                        full_name="Nguyễn Quốc Bảo",
                        unit_code="CDDKVN",
                        email="bao@cddkvn.thidua.example",
                        is_officer=True,
                    ),
                    Contact(
                        person_id=EMAILED,
                        full_name=AUTHORS[0].full_name,
                        unit_code="PVGAS",
                        email="hanh@pvgas.thidua.example",
                        language="en",
                    ),
                    Contact(
                        person_id=DIGEST,
                        full_name=AUTHORS[1].full_name,
                        unit_code="PVGAS",
                        email="tung@pvgas.thidua.example",
                        daily_digest=True,
                    ),
                    subscriber(HR, "Nhân sự", []),
                    subscriber(PRESS, "Truyền thông", [AwardGranted.event_type]),
                ]
            )
        yield handlers


def subscriber(id_: UUID, name: str, event_types: list[str]) -> WebhookSubscriber:
    url = f"https://{id_.hex[:8]}.thidua.example/hook"
    return webhook_subscriber(name, url, "s3cret", NOW, event_types, id_)


AUTHORS_TOLD = {EMAILED, DIGEST}
# Whom each event tells (inbox), with which template; the typical example of each type. A
# proposal is no award yet, and a withdrawal by scoring no decision: they tell no one (below).
# By contract (its class's name).
TOLD: dict[str, tuple[set[str], str | None]] = {
    "CampaignPublished": (set(), None),
    "PhaseOpened": (set(), None),
    "PhaseClosed": (set(), None),
    "UnitRecorded": (set(), None),
    "RegistrationSubmitted": (set(), None),
    "RegistrationReturned": ({OFFICER}, "registration_returned"),
    "RegistrationApproved": ({OFFICER}, "registration_approved"),
    "InitiativeSubmitted": (AUTHORS_TOLD, "initiative_received"),
    "InitiativeAmended": (AUTHORS_TOLD, "initiative_amended"),
    "ReportSubmitted": (set(), None),
    "ComplaintCaseOpened": (set(), None),
    "ComplaintCaseResolved": (set(), None),
    "InitiativeWithdrawn": (AUTHORS_TOLD, "initiative_withdrawn"),
    "InitiativeCouncilAssigned": (AUTHORS_TOLD, "initiative_under_review"),
    "InitiativeReviewed": (set(), None),
    "InitiativeReturned": (AUTHORS_TOLD | {OFFICER}, "initiative_returned"),
    "InitiativeRecognised": (AUTHORS_TOLD | {OFFICER}, "initiative_recognised"),
    "InitiativeNotRecognised": (AUTHORS_TOLD | {OFFICER}, "initiative_not_recognised"),
    "AwardGranted": (set(), None),  # the example is a proposal
    "AwardRejected": (set(), None),
    "AwardRevoked": ({EMAILED, OFFICER}, "award_revoked"),
    "AwardsAwaitingDecision": ({ADMIN}, "awards_awaiting_decision"),
    "StandingPublished": ({OFFICER}, "phase_closed"),
}


async def inbox(notifications: Handlers) -> dict[str, str]:
    """Each recipient's message: its template (one message each, by the unique key)."""
    return {m.recipient_id: m.trigger for m in await notifications.rows(InboxMessage)}


async def deliveries(notifications: Handlers, channel: str) -> set[str]:
    return {d.recipient_id for d in await notifications.rows(Delivery) if d.channel == channel}


def test_every_event_notifications_subscribes_to_is_listed_here_once() -> None:
    # A subscription added to the bootstrap without saying here whom it tells fails this one.
    assert len(SUBSCRIBED) == len(set(SUBSCRIBED))
    assert {c.__name__ for c in SUBSCRIBED} == set(TOLD)


@pytest.fixture(params=SUBSCRIBED, ids=lambda c: c.__name__)
async def delivered(
    notifications: Handlers, request: pytest.FixtureRequest
) -> tuple[type[EventData], Envelope[Any]]:
    """The typical example of each event notifications subscribes to, delivered once."""
    contract: type[EventData] = request.param
    event = envelope(EXAMPLES[contract](), NOW)
    await notifications.deliver(event)
    return contract, event


async def test_each_event_tells_its_audience_and_is_forwarded_to_the_systems_that_want_it(
    notifications: Handlers, delivered: tuple[type[EventData], Envelope[Any]]
) -> None:
    contract, event = delivered
    # In the inbox always, by email too unless the person reads a daily digest.
    people, template = TOLD[contract.__name__]
    assert await inbox(notifications) == dict.fromkeys(people, template)
    assert await deliveries(notifications, "email") == people - {DIGEST}
    # Every event to the system that takes them all; granted awards to the one that asked.
    hooks = [d for d in await notifications.rows(Delivery) if d.channel == "webhook"]
    wanted = {HR, PRESS} if contract is AwardGranted else {HR}
    assert {UUID(d.recipient_id) for d in hooks} == wanted
    assert all(
        (d.event_id, d.event_type, d.status) == (event.id, contract.event_type, "pending")
        for d in hooks
    )
    assert all(f'"id": "{event.id}"' in d.body for d in hooks)  # the CloudEvent, structured
    assert notifications.dead_letters.parked == []


async def test_an_event_delivered_twice_tells_no_one_twice(
    notifications: Handlers, delivered: tuple[type[EventData], Envelope[Any]]
) -> None:
    _, event = delivered
    once = await notifications.snapshot()
    await notifications.deliver(event)
    assert await notifications.snapshot() == once


@pytest.mark.parametrize(
    ("amended_at", "says"),
    [
        # When it happened in the campaign: a simulated year's amendment was told as of the
        # day it was recorded (07/12/2026 in make run's 2022).
        (datetime(2022, 5, 24, 9, tzinfo=VIETNAM_TIME), "24/05/2022"),
        (None, "20/05/2022"),  # an older producer's: the record's time (NOW)
    ],
)
async def test_a_resubmission_is_told_as_of_its_day_in_the_campaign(
    notifications: Handlers, amended_at: datetime | None, says: str
) -> None:
    event = amended(round=2, amended_at=amended_at)
    await notifications.deliver(envelope(event, NOW))
    bodies = {m.body for m in await notifications.rows(InboxMessage)}
    assert bodies and all(says in body for body in bodies)


async def test_a_withdrawal_from_an_older_producer_names_no_one_and_tells_no_one(
    notifications: Handlers,
) -> None:
    older = EXAMPLES[InitiativeWithdrawn]().model_copy(update={"title": None, "author_ids": ()})
    await notifications.deliver(envelope(older, NOW))
    assert await inbox(notifications) == {}
    assert notifications.dead_letters.parked == []


# --- the state it keeps, for its messages and reminders --------------------------------------


async def test_a_campaign_gives_its_phases_which_open_and_close(notifications: Handlers) -> None:
    await notifications.deliver(envelope(campaign(), NOW))
    [copy] = await notifications.rows(CampaignCopy)
    assert (copy.title, copy.review_max_score) == ("Kế hoạch thi đua năm 2022", 10.0)
    assert copy.movement_names["lao-dong-gioi-sang-tao"] == "Lao động giỏi, lao động sáng tạo"
    assert len(copy.movement_names) == 10

    async def status() -> str:
        phases = {phase.phase_code: phase for phase in await notifications.rows(PhaseCopy)}
        assert phases["dot-2"].status == "planned"
        return str(phases["dot-1"].status)

    assert await status() == "planned"
    await notifications.deliver(envelope(phase_opened(), NOW))
    assert await status() == "open"
    await notifications.deliver(envelope(phase_closed(), LATER))
    assert await status() == "closed"


async def test_a_unit_is_kept_as_last_recorded(notifications: Handlers) -> None:
    await notifications.deliver(envelope(unit("PV GAS"), LATER))
    names = {u.code: u.name for u in await notifications.rows(UnitCopy)}
    assert names == {"CDDKVN": "Công đoàn Dầu khí Việt Nam", "PVGAS": "PV GAS"}


async def test_only_a_result_report_counts_as_filed(notifications: Handlers) -> None:
    await notifications.deliver(envelope(report().model_copy(update={"kind": "plan"}), NOW))
    assert await notifications.rows(ReportFiled) == []
    await notifications.deliver(envelope(report(), NOW))
    [filed] = await notifications.rows(ReportFiled)
    assert (filed.phase_code, filed.unit_code) == ("dot-1", "PVGAS")


async def test_a_submission_counts_for_its_unit_and_introduces_unknown_authors(
    notifications: Handlers,
) -> None:
    newcomer = AUTHORS[0].model_copy(update={"member_id": "PVGAS-0999", "full_name": "Vũ Lan"})
    await notifications.deliver(
        envelope(submitted(), NOW),
        envelope(submitted(initiative_id=UUID(int=2), authors=(newcomer,)), NOW),
    )
    [tally] = await notifications.rows(InitiativeTally)
    assert (tally.unit_code, tally.submitted) == ("PVGAS", 2)
    known = {c.person_id: c for c in await notifications.rows(Contact)}
    assert (known["PVGAS-0999"].full_name, known["PVGAS-0999"].email) == ("Vũ Lan", None)
    assert (await inbox(notifications))["PVGAS-0999"] == "initiative_received"


async def test_a_message_names_the_initiative_and_speaks_the_readers_language(
    notifications: Handlers,
) -> None:
    await notifications.deliver(envelope(EXAMPLES[InitiativeRecognised](), NOW))
    messages = {m.recipient_id: m for m in await notifications.rows(InboxMessage)}
    assert all(TITLE in m.body for m in messages.values())
    english, vietnamese = messages[EMAILED], messages[OFFICER]
    assert english.subject != vietnamese.subject  # the same news, in each one's language


# --- awards: only a decision is news ---------------------------------------------------------


async def test_a_confirmed_award_tells_its_recipient_and_the_units_officers(
    notifications: Handlers,
) -> None:
    await notifications.deliver(envelope(granted("confirmed"), NOW))
    assert await inbox(notifications) == {EMAILED: "award_granted", OFFICER: "award_granted"}


async def test_a_proposal_withdrawn_by_scoring_tells_no_one(notifications: Handlers) -> None:
    await notifications.deliver(
        envelope(granted("proposed"), NOW), envelope(revoked(LATER, status="withdrawn"), LATER)
    )
    assert await inbox(notifications) == {}
