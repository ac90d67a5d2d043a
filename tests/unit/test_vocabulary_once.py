"""The words of the events are said once: the contracts' Literals name exactly the codes of
the vocabulary's StrEnums, and every code has its Vietnamese and English label."""

from collections.abc import Mapping
from enum import StrEnum
from typing import get_args

import pytest

from shared.auth.principal import ROLE_LABELS
from shared.campaign.enums import AwardLevel, ReportKind
from shared.contracts import (
    AwardGranted,
    AwardRejected,
    AwardRevoked,
    ReportSubmitted,
    StandingPublished,
    UnitRecorded,
)
from shared.contracts.base import EventData
from shared.contracts.lifecycle import LABELS as INITIATIVE_STATUSES
from shared.contracts.vocabulary import (
    AWARD_STATUSES,
    DELIVERY_STATUSES,
    INITIATIVE_FIELDS,
    PHASE_STATUSES,
    RECIPIENT_KINDS,
    REGISTRATION_STATUSES,
    UNIT_LEVELS,
    AwardStatus,
    DeliveryStatus,
    InitiativeField,
    PhaseStatus,
    RecipientKind,
    RegistrationStatus,
    UnitLevel,
)
from shared.i18n import CODE_LABELS


def _literal(model: type[EventData], field: str) -> set[str]:
    return set(get_args(model.model_fields[field].annotation))


def test_a_unit_event_names_exactly_the_vocabulary_levels() -> None:
    assert _literal(UnitRecorded, "level") == set(UnitLevel)


def test_award_events_name_statuses_of_the_vocabulary() -> None:
    granted, revoked = _literal(AwardGranted, "status"), _literal(AwardRevoked, "status")
    assert granted == {AwardStatus.proposed, AwardStatus.confirmed}
    assert revoked == {AwardStatus.revoked, AwardStatus.withdrawn}
    # Rejection is its own event; between them the events name every status there is.
    assert granted | revoked | {AwardStatus.rejected} == set(AwardStatus)


@pytest.mark.parametrize("event", [AwardGranted, AwardRejected, AwardRevoked])
def test_award_events_name_the_recipient_kinds_of_the_vocabulary(
    event: type[EventData],
) -> None:
    assert _literal(event, "recipient_kind") == set(RecipientKind)


@pytest.mark.parametrize("event", [AwardGranted, AwardRejected])
def test_award_events_name_the_award_levels_of_the_campaign_file(event: type[EventData]) -> None:
    assert _literal(event, "level") == set(AwardLevel)


def test_a_report_event_names_the_report_kinds_of_the_campaign_file() -> None:
    assert _literal(ReportSubmitted, "kind") == set(ReportKind)


def test_a_standing_names_every_level_but_the_federation() -> None:
    # The federation is ranked against no one: it has no standing.
    assert _literal(StandingPublished, "level") == set(UnitLevel) - {UnitLevel.federation}


@pytest.mark.parametrize(
    ("codes", "labels"),
    [
        (InitiativeField, INITIATIVE_FIELDS),
        (UnitLevel, UNIT_LEVELS),
        (RegistrationStatus, REGISTRATION_STATUSES),
        (AwardStatus, AWARD_STATUSES),
        (PhaseStatus, PHASE_STATUSES),
        (RecipientKind, RECIPIENT_KINDS),
        (DeliveryStatus, DELIVERY_STATUSES),
    ],
)
def test_every_code_has_both_labels(
    codes: type[StrEnum], labels: Mapping[str, tuple[str, str]]
) -> None:
    assert set(labels) == set(codes)
    assert all(vi and en and vi != en for vi, en in labels.values())


@pytest.mark.parametrize(
    ("key", "labels"),
    [
        ("field", INITIATIVE_FIELDS),
        ("unit_level", UNIT_LEVELS),
        ("registration_status", REGISTRATION_STATUSES),
        ("award_status", AWARD_STATUSES),
        ("phase_status", PHASE_STATUSES),
        ("initiative_status", INITIATIVE_STATUSES),
        ("role", ROLE_LABELS),
        ("delivery_status", DELIVERY_STATUSES),
    ],
)
def test_the_pages_label_each_code_as_the_vocabulary_does(
    key: str, labels: Mapping[str, tuple[str, str]]
) -> None:
    assert dict(CODE_LABELS[key]) == dict(labels)
