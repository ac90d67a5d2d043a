"""The export's Vietnamese words for the campaign file's codes name every code of its enum and
no other: a kind or level added to the campaign file's model shows with its words, never as
its raw code."""

from collections.abc import Mapping
from enum import StrEnum

import pytest

from services.reporting.exports.activity import REPORT_KINDS
from shared.campaign.model import AwardLevel, MovementKind, ReportKind
from shared.i18n import CODE_LABELS, Translator


@pytest.mark.parametrize(
    ("labels", "codes"),
    [
        (CODE_LABELS["movement_kind"], MovementKind),
        (CODE_LABELS["report_kind"], ReportKind),
        (CODE_LABELS["award_level"], AwardLevel),
    ],
)
def test_every_code_has_its_words(
    labels: Mapping[str, tuple[str, str]], codes: type[StrEnum]
) -> None:
    assert set(labels) == set(codes)
    assert all(vi and en for vi, en in labels.values())


def test_a_report_kind_is_called_in_the_export_what_the_pages_call_it() -> None:
    """Mid-sentence ("Báo cáo kế hoạch"), as the portal's reports page writes it."""
    pages = Translator({}, "vi")
    assert {kind: pages.code("report_kind", kind).lower() for kind in ReportKind} == REPORT_KINDS
    assert REPORT_KINDS[ReportKind.plan] == "kế hoạch"
