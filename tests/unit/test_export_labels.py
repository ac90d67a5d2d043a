"""The export's Vietnamese words for the campaign file's codes name every code of its enum and
no other: a kind or level added to the campaign file's model shows with its words, never as
its raw code."""

from collections.abc import Mapping
from enum import StrEnum

import pytest

from services.reporting.exports.activity import MOVEMENT_KINDS, REPORT_KINDS
from services.reporting.exports.awards import AWARD_LEVELS
from shared.campaign.model import AwardLevel, MovementKind, ReportKind


@pytest.mark.parametrize(
    ("labels", "codes"),
    [(MOVEMENT_KINDS, MovementKind), (REPORT_KINDS, ReportKind), (AWARD_LEVELS, AwardLevel)],
)
def test_every_code_has_its_words(labels: Mapping[str, str], codes: type[StrEnum]) -> None:
    assert set(labels) == set(codes)
    assert all(labels.values())
