"""Reporting's projections, event type by event type: what each event it subscribes to (its
definition's list) leaves in the read models, and that the same event delivered twice changes
nothing. On an in-memory SQLite database with reporting's own tables; no broker."""

from collections.abc import AsyncIterator
from datetime import date

import pytest

from services.reporting.bootstrap import define
from services.reporting.config import ReportingSettings
from services.reporting.tables import (
    AwardView,
    CampaignView,
    ClosedStandingRow,
    ComplaintView,
    DailyTally,
    InitiativeView,
    RegistrationView,
    ReportView,
    UnitTally,
    UnitView,
)
from shared.contracts import (
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    EventData,
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeWithdrawn,
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
)
from tests.unit.event_examples import (
    COMPLAINT,
    EARLIER,
    EXAMPLES,
    LATER,
    NOW,
    RECEIVED,
    amended,
    campaign,
    decision,
    granted,
    registration,
    rejected,
    report,
    revoked,
    standing,
    submitted,
    unit,
)
from tests.unit.handler_harness import Handlers, envelope, handlers_on_sqlite

# Where the handlers write is the harness's in-memory database: the service is not started.
SETTINGS = ReportingSettings(
    database_url="sqlite+aiosqlite://", kafka_bootstrap_servers="127.0.0.1:1"
)
# Defined once (its refresher, never started, and caches take a while to build): its
# handlers keep no state, each test gets a database of its own.
SERVICE = define(SETTINGS)
SUBSCRIBED = [s.contract for s in SERVICE.subscriptions]


@pytest.fixture
async def reporting() -> AsyncIterator[Handlers]:
    async with handlers_on_sqlite(SERVICE) as handlers:
        yield handlers


def test_reporting_subscribes_to_each_event_type_once() -> None:
    assert len(SUBSCRIBED) == len(set(SUBSCRIBED)) > 0


@pytest.mark.parametrize("contract", SUBSCRIBED, ids=lambda c: c.__name__)
async def test_an_event_delivered_twice_is_projected_once(
    reporting: Handlers, contract: type[EventData]
) -> None:
    empty = await reporting.snapshot()
    event = envelope(EXAMPLES[contract](), NOW)
    await reporting.deliver(event)
    once = await reporting.snapshot()
    assert once != empty  # the event is projected somewhere
    await reporting.deliver(event)
    assert await reporting.snapshot() == once
    assert reporting.dead_letters.parked == []


@pytest.mark.parametrize("contract", SUBSCRIBED, ids=lambda c: c.__name__)
async def test_a_projection_applied_again_changes_nothing(
    reporting: Handlers, contract: type[EventData]
) -> None:
    """Without the consumer's record of event ids (a rebuild replaying the topics over rows
    that survived): each projection keeps the newest state, so applying it again is harmless."""
    event = envelope(EXAMPLES[contract](), NOW)
    await reporting.apply(event)
    once = await reporting.snapshot()
    await reporting.apply(event)
    assert await reporting.snapshot() == once


# --- campaigns and units ---------------------------------------------------------------------


async def test_a_campaign_is_kept_and_replaced_only_by_a_newer_publication(
    reporting: Handlers,
) -> None:
    await reporting.apply(envelope(campaign(), NOW))
    await reporting.apply(envelope(campaign("Bản cũ hơn"), EARLIER))
    [kept] = await reporting.rows(CampaignView)
    assert kept.definition["title"] == "Kế hoạch thi đua năm 2022"
    await reporting.apply(envelope(campaign("Kế hoạch sửa đổi"), LATER))
    [kept] = await reporting.rows(CampaignView)
    assert (kept.definition["title"], kept.published_at) == ("Kế hoạch sửa đổi", LATER)


async def test_a_unit_is_kept_as_last_recorded(reporting: Handlers) -> None:
    await reporting.apply(envelope(unit(), NOW), envelope(unit("PV GAS"), LATER))
    [kept] = await reporting.rows(UnitView)
    assert (kept.code, kept.name, kept.parent_code, kept.path) == (
        "PVGAS",
        "PV GAS",
        "CDDKVN",
        "CDDKVN/PVGAS/",
    )


# --- initiatives and their counters ----------------------------------------------------------


async def tallies(reporting: Handlers) -> dict[str, tuple[int, int, int, int]]:
    """Each unit's counters: submitted, decided, recognised, benefit."""
    return {
        t.unit_code: (t.submitted, t.decided, t.recognised, t.benefit_vnd)
        for t in await reporting.rows(UnitTally)
    }


async def test_a_submission_is_a_row_counted_for_its_unit_and_its_day(
    reporting: Handlers,
) -> None:
    await reporting.apply(envelope(submitted(), NOW))
    [row] = await reporting.rows(InitiativeView)
    assert (row.status, row.round, row.withdrawn, row.recognised) == ("submitted", 1, False, None)
    assert (row.day, row.month, row.field) == (RECEIVED, "2022-05", "technical")
    assert await tallies(reporting) == {"PVGAS": (1, 0, 0, 500_000_000)}
    [day] = await reporting.rows(DailyTally)
    assert (day.day, day.field, day.submitted, day.benefit_vnd) == (
        RECEIVED,
        "technical",
        1,
        500_000_000,
    )


async def test_an_amendment_replaces_the_content_and_moves_the_counters(
    reporting: Handlers,
) -> None:
    await reporting.apply(
        envelope(submitted(), NOW),
        envelope(amended(unit_code="BSR", expected_benefit_vnd=700_000_000), LATER),
    )
    [row] = await reporting.rows(InitiativeView)
    assert (row.unit_code, row.expected_benefit_vnd) == ("BSR", 700_000_000)
    assert await tallies(reporting) == {"PVGAS": (0, 0, 0, 0), "BSR": (1, 0, 0, 700_000_000)}


async def test_an_older_version_arriving_late_does_not_replace_the_newer(
    reporting: Handlers,
) -> None:
    await reporting.apply(
        envelope(amended(title="Bản mới nhất"), LATER), envelope(submitted(), NOW)
    )
    [row] = await reporting.rows(InitiativeView)
    assert row.title == "Bản mới nhất"
    assert await tallies(reporting) == {"PVGAS": (1, 0, 0, 500_000_000)}


async def test_a_withdrawn_initiative_is_no_longer_counted(reporting: Handlers) -> None:
    await reporting.apply(
        envelope(submitted(), NOW), envelope(EXAMPLES[InitiativeWithdrawn](), LATER)
    )
    [row] = await reporting.rows(InitiativeView)
    assert (row.status, row.withdrawn) == ("withdrawn", True)
    assert await tallies(reporting) == {"PVGAS": (0, 0, 0, 0)}


@pytest.mark.parametrize(
    ("contract", "status", "recognised", "counted"),
    [
        (InitiativeCouncilAssigned, "under_review", None, (1, 0, 0)),
        (InitiativeReturned, "returned", None, (1, 0, 0)),
        (InitiativeRecognised, "recognised", True, (1, 1, 1)),
        (InitiativeNotRecognised, "not_recognised", False, (1, 1, 0)),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
async def test_the_councils_steps_move_the_initiatives_life_and_its_counters(
    reporting: Handlers,
    contract: type[EventData],
    status: str,
    recognised: bool | None,
    counted: tuple[int, int, int],
) -> None:
    await reporting.apply(envelope(submitted(), NOW), envelope(EXAMPLES[contract](), LATER))
    [row] = await reporting.rows(InitiativeView)
    assert (row.status, row.recognised) == (status, recognised)
    assert await tallies(reporting) == {"PVGAS": (*counted, 500_000_000)}


async def test_a_decision_read_before_its_submission_waits_for_it_uncounted(
    reporting: Handlers,
) -> None:
    await reporting.apply(envelope(decision(InitiativeRecognised), LATER))
    [waiting] = await reporting.rows(InitiativeView)
    assert (waiting.status, waiting.field, waiting.day) == ("recognised", "", None)
    assert await reporting.rows(UnitTally) == []

    await reporting.apply(envelope(submitted(), NOW))
    [row] = await reporting.rows(InitiativeView)
    assert (row.status, row.recognised, row.field) == ("recognised", True, "technical")
    assert await tallies(reporting) == {"PVGAS": (1, 1, 1, 500_000_000)}


# --- registrations, reports, complaints ------------------------------------------------------


async def test_a_registration_shows_its_newest_step(reporting: Handlers) -> None:
    await reporting.apply(
        envelope(registration(RegistrationSubmitted, EARLIER), EARLIER),
        envelope(registration(RegistrationApproved, LATER), LATER),
        envelope(registration(RegistrationReturned, NOW), NOW),  # older than the approval
    )
    [row] = await reporting.rows(RegistrationView)
    assert (row.status, row.movement_codes, row.unit_code) == (
        "approved",
        ["lao-dong-gioi"],
        "PVGAS",
    )


async def test_the_newest_report_of_a_kind_counts(reporting: Handlers) -> None:
    # (A figure that is not finite never reaches it: the contract refuses the event, for every
    # consumer alike; test_cloudevents.)
    await reporting.apply(
        envelope(report(NOW, members_trained=80.0), NOW),
        envelope(report(LATER, members_trained=90.0), LATER),
        envelope(report(EARLIER, members_trained=10.0), EARLIER),
    )
    [row] = await reporting.rows(ReportView)
    assert (row.kind, row.figures, row.submitted_at) == ("result", {"members_trained": 90.0}, LATER)


async def test_a_complaint_is_kept_open_then_resolved(reporting: Handlers) -> None:
    await reporting.apply(envelope(ComplaintCaseOpened(**COMPLAINT), NOW))
    [row] = await reporting.rows(ComplaintView)
    assert (row.received_on, row.due_on, row.resolved_on) == (
        date(2022, 4, 1),
        date(2022, 5, 1),
        None,
    )
    await reporting.apply(envelope(EXAMPLES[ComplaintCaseResolved](), LATER))
    [row] = await reporting.rows(ComplaintView)
    assert row.resolved_on == date(2022, 4, 20)


# --- awards and standings --------------------------------------------------------------------


async def award_status(reporting: Handlers) -> tuple[str, str | None]:
    [row] = await reporting.rows(AwardView)
    return row.status, row.reason


async def test_an_award_is_proposed_confirmed_then_revoked_with_its_reason(
    reporting: Handlers,
) -> None:
    await reporting.apply(envelope(granted("proposed", EARLIER), EARLIER))
    assert await award_status(reporting) == ("proposed", None)
    await reporting.apply(envelope(granted("confirmed", NOW), NOW))
    assert await award_status(reporting) == ("confirmed", None)
    await reporting.apply(envelope(revoked(LATER), LATER))
    assert await award_status(reporting) == ("revoked", "Kê khai không đúng")


async def test_a_rejection_is_final_whatever_arrives_after_it(reporting: Handlers) -> None:
    await reporting.apply(
        envelope(rejected(NOW), NOW), envelope(granted("confirmed", LATER), LATER)
    )
    assert await award_status(reporting) == ("rejected", "Chưa đủ tiêu chuẩn")


async def test_a_proposal_withdrawn_by_scoring_is_withdrawn_not_revoked(
    reporting: Handlers,
) -> None:
    await reporting.apply(
        envelope(granted("proposed", NOW), NOW),
        envelope(revoked(LATER, status="withdrawn"), LATER),
    )
    assert await award_status(reporting) == ("withdrawn", "Kê khai không đúng")


async def test_a_closed_phases_standing_keeps_its_newest_revision(reporting: Handlers) -> None:
    await reporting.apply(
        envelope(standing(revision=2, rank=1), LATER), envelope(standing(revision=1), NOW)
    )
    [row] = await reporting.rows(ClosedStandingRow)
    assert (row.unit_code, row.rank, row.rank_of, row.revision, row.targets_met) == (
        "PVGAS",
        1,
        12,
        2,
        3,
    )
    assert row.missed == {"4": "Chưa đạt 80%"}
    assert row.missed_en is None  # sent without its English (contracts before 1.2)


async def test_a_standing_keeps_the_english_reasons_scoring_sent(reporting: Handlers) -> None:
    english = {"4": "Below 80%"}
    await reporting.apply(envelope(standing(targets_missed_en=english), NOW))
    [row] = await reporting.rows(ClosedStandingRow)
    assert (row.missed, row.missed_en) == ({"4": "Chưa đạt 80%"}, english)
