"""The targets' progress in both languages (shared.campaign.progress): each target's summary
and each lagging unit's reason in Vietnamese (what is stored and travels) and in English, with
the numbers as each language writes them; the campaign file's English names where it gives
them, the Vietnamese where it does not; a reason sent in Vietnamese read back into English."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.reporting.dashboard.queries import _league
from shared.campaign.loader import CampaignFileError, load_campaign, load_campaign_text
from shared.campaign.model import Campaign, CountedEvent, name_in
from shared.campaign.progress import (
    REASONS,
    Reason,
    UnitFigures,
    evaluate_targets,
    reason_en,
    summary_text,
    unit_standings,
)

CAMPAIGNS = Path(__file__).parents[2] / "campaigns"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign(CAMPAIGNS / "2022.yaml")


@pytest.fixture(scope="module")
def vietnamese_only() -> Campaign:
    """The 2022 file without a single English name."""

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "name_en"}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    data = yaml.safe_load((CAMPAIGNS / "2022.yaml").read_text(encoding="utf-8"))
    return load_campaign_text(yaml.safe_dump(strip(data), allow_unicode=True))


def unit(
    code: str,
    level: str = "affiliated",
    *,
    registered: bool = True,
    figures: dict[str, float] | None = None,
    submitted: int = 0,
    overdue: int = 0,
) -> UnitFigures:
    path = f"CDDKVN/{code}/" if level == "affiliated" else f"CDDKVN/{code}"
    return UnitFigures(
        code=code,
        name=f"Công đoàn {code}",
        level=level,
        path=path,
        registered_movements=frozenset({"lao-dong-gioi-sang-tao"}) if registered else frozenset(),
        result_figures=figures,
        submitted=submitted,
        recognised=0,
        overdue_cases=overdue,
    )


ALL_FIGURES = {
    "activities-implemented": 100.0,
    "action-programme-22-concretised": 100.0,
    "assigned-targets-met": 100.0,
    "congress-resolution-met-and-congress-prepared": 100.0,
}


def federation() -> dict[str, UnitFigures]:
    units = [
        UnitFigures("CDDKVN", "Công đoàn Dầu khí Việt Nam", "federation", "CDDKVN/",
                    frozenset(), None, 0, 0, 0),
        unit("A", figures=ALL_FIGURES, submitted=1500),
        unit("B", registered=False, figures=None, submitted=900, overdue=2),
        unit("C", figures={**ALL_FIGURES, "assigned-targets-met": 0.0}, submitted=40),
    ]  # fmt: skip
    return {u.code: u for u in units}


def test_the_2022_file_names_every_target_in_english(campaign: Campaign) -> None:
    assert all(t.name_en for t in campaign.targets)
    assert all(c.name_en for c in campaign.initiative_review.criteria)
    assert all(m.name_en for m in campaign.movements)
    assert all(p.name_en and p.closing_review.name_en for p in campaign.phases)
    assert all(a.name_en for a in campaign.awards.types)
    assert all(r.name_en for r in campaign.awards.rules)
    seven = campaign.target(7)
    assert name_in(seven, "en") == "“One million initiatives”, beyond 2,000 initiatives"
    assert name_in(seven, "vi") == "Chương trình “01 triệu sáng kiến”, vượt mức 2.000 sáng kiến"


def test_the_example_file_keeps_its_shape_with_english_names() -> None:
    example = load_campaign(CAMPAIGNS / "examples" / "2023.yaml")
    assert [p.name_en for p in example.phases] == ["Phase 1", "Phase 2", "Phase 3"]
    assert example.target(5).name_en == "2,500 initiatives recognised"
    # Its rules give no English: an English reader sees the Vietnamese.
    rule = example.awards.rules[0]
    assert rule.name_en is None
    assert name_in(rule, "en") == rule.name


def test_the_summaries_in_both_languages(campaign: Campaign) -> None:
    progress = evaluate_targets(campaign, "dot-1", federation(), today=date(2022, 7, 15))
    one, four, five, seven = (progress.target(n) for n in (1, 4, 5, 7))
    assert one.summary == "2/3 công đoàn trực thuộc (66,7%; mục tiêu 100%)"
    assert one.summary_en == "2/3 affiliated unions (66.7%; goal 100%)"
    assert one.name_en == "Emulation movements and campaigns put into practice"
    assert four.summary_en == "1/3 affiliated unions (33.3%; goal 100%)"
    assert five.summary == "1/3 công đoàn trực thuộc có đơn thư khiếu nại, tố cáo quá hạn"
    assert five.summary_en == "1/3 affiliated unions with complaint or denunciation cases overdue"
    # The count: thousands and decimals as each language writes them; exceeded.
    assert seven.summary == "2.440/2.000 sáng kiến đã nộp (122%; vượt mức)"
    assert seven.summary_en == "2,440/2,000 initiatives submitted (122%; exceeded)"


def test_no_overdue_case_said_in_both_languages(campaign: Campaign) -> None:
    target = campaign.target(5)
    assert summary_text(target, 33, 33, 0) == (
        "Không có công đoàn trực thuộc nào để đơn thư quá hạn (33/33)"
    )
    assert summary_text(target, 33, 33, 0, "en") == (
        "None of the affiliated unions let a complaint go overdue (33/33)"
    )


def test_the_lagging_units_reasons_in_both_languages(campaign: Campaign) -> None:
    progress = evaluate_targets(campaign, "dot-1", federation(), today=date(2022, 7, 15))
    reasons = {
        (n, u.code): (u.reason, u.reason_en)
        for n in (1, 2, 4, 5)
        for u in progress.target(n).lagging
    }
    assert reasons == {
        (1, "B"): ("chưa có đăng ký thi đua được duyệt", "no emulation registration approved yet"),
        (2, "B"): ("chưa nộp báo cáo kết quả Đợt 1", "Phase 1 result report not filed yet"),
        (4, "B"): ("chưa nộp báo cáo kết quả Đợt 1", "Phase 1 result report not filed yet"),
        (4, "C"): ("báo cáo kết quả Đợt 1 ghi số liệu 0", "Phase 1 result report gives 0"),
        (5, "B"): (
            "2 đơn thư khiếu nại, tố cáo quá hạn",
            "complaint or denunciation cases overdue: 2",
        ),
    }


def test_a_units_standing_says_why_in_english_too(campaign: Campaign) -> None:
    standings = unit_standings(campaign, "dot-1", federation())
    c = standings["C"]
    assert c.missed[7] == "40/667 sáng kiến đã nộp"  # a third of 2,000, rounded up
    assert c.missed_en[7] == "40/667 initiatives submitted"
    assert c.missed_en.keys() == c.missed.keys()


def test_without_english_names_the_vietnamese_is_shown(vietnamese_only: Campaign) -> None:
    progress = evaluate_targets(vietnamese_only, "dot-1", federation(), today=date(2022, 7, 15))
    two = progress.target(2)
    assert two.name_en == ""
    assert name_in(vietnamese_only.target(2), "en") == two.name
    # The sentence is English; the phase has no English name, so it keeps its own.
    b = next(u for u in two.lagging if u.code == "B")
    assert b.reason_en == "Đợt 1 result report not filed yet"
    assert two.summary_en == "2/3 affiliated unions (66.7%; goal 100%)"


EVERY_KIND = [
    Reason("no_registration"),
    Reason("no_report", phase=("Đợt 2", "Phase 2")),
    Reason("figure_missing", phase=("Đợt 1", "Phase 1"), number=6),
    Reason("figure_zero", phase=("Đợt 2", "Phase 2")),
    Reason("short", done=1234, needed=20000),
    Reason("short", done=3, needed=5, counted=CountedEvent.initiative_recognised),
    Reason("overdue", overdue=1200),
]


@pytest.mark.parametrize("reason", EVERY_KIND, ids=lambda r: r.kind)
def test_a_reason_sent_in_vietnamese_reads_back_into_english(
    campaign: Campaign, reason: Reason
) -> None:
    vietnamese = reason.text()
    assert Reason.read(vietnamese, campaign) == reason
    assert reason_en(vietnamese, campaign) == reason.text("en")


def test_every_kind_of_reason_is_read_back_above() -> None:
    assert {r.kind for r in EVERY_KIND} == set(REASONS)


def test_a_reason_no_template_words_stays_vietnamese(campaign: Campaign) -> None:
    assert reason_en("chưa nộp báo cáo kết quả Đợt 9", campaign) is None
    assert reason_en("lý do khác", campaign) is None
    # Numbers written the older way (no thousands separator) still read.
    assert reason_en("1500 đơn thư khiếu nại, tố cáo quá hạn", campaign) == (
        "complaint or denunciation cases overdue: 1,500"
    )


def test_a_figures_english_label_only_where_a_report_states_the_figure() -> None:
    text = (CAMPAIGNS / "2022.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["targets"][3]["indicator"]["figure_label_en"] == "Met the targets assigned for 2022"
    data["targets"][0]["indicator"]["figure_label_en"] = "Registered"  # a registration target
    with pytest.raises(CampaignFileError, match="figure_label_en"):
        load_campaign_text(yaml.safe_dump(data, allow_unicode=True))


def test_the_league_shows_the_english_a_standing_came_with(campaign: Campaign) -> None:
    """Scoring sends its reasons in English too (contracts 1.2): the league shows those, even
    for a reason no template here reads back; an older standing's are read back."""
    row = {
        "rank": 1,
        "unit_code": "PVGAS",
        "name": "Tổng công ty Khí Việt Nam",
        "level": "affiliated",
        "points": 80,
        "targets_met": 6,
        "missed": {"4": "lý do khác"},
        "submitted": 1,
        "recognised": 1,
        "benefit_vnd": 0,
    }
    older = {**row, "unit_code": "PVEP", "missed": {"7": Reason("overdue", overdue=2).text()}}
    phase = campaign.phases[0]
    league = _league(
        campaign,
        phase,
        "affiliated",
        True,
        2,
        [
            {**row, "missed_en": {"4": "another reason"}},
            {**older, "missed_en": None},
        ],
    )
    assert [r.missed_en for r in league.rows] == [
        {"4": "another reason"},
        {"7": "complaint or denunciation cases overdue: 2"},
    ]
