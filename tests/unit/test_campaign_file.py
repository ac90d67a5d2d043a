"""The campaign file: the 2022 plan loads as the plan states it, another year loads with the
same code, and typical mistakes are refused with the place in the file and the reason."""

import copy
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from shared.campaign.loader import (
    CampaignFileError,
    load_campaign,
    load_campaign_text,
)
from shared.campaign.model import (
    Campaign,
    Count,
    Evidence,
    MovementKind,
    NoneOverdue,
    Population,
    ShareOfUnits,
)
from shared.data_files import read_yaml

CAMPAIGNS = Path(__file__).resolve().parents[2] / "campaigns"
FILE_2022 = CAMPAIGNS / "2022.yaml"
FILE_2023 = CAMPAIGNS / "examples" / "2023.yaml"


@pytest.fixture(scope="module")
def campaign_2023() -> Campaign:
    return load_campaign(FILE_2023)


# --- the 2022 plan, as plan 46/KH-CĐDK states it ---------------------------------------------


def test_2022_is_plan_46_of_the_petroleum_trade_union(campaign_2022: Campaign) -> None:
    assert campaign_2022.code == "2022"
    assert campaign_2022.plan.number == "46/KH-CĐDK"
    assert campaign_2022.plan.issued_on == date(2022, 2, 16)
    issuer = next(o for o in campaign_2022.organisations if o.code == campaign_2022.plan.issuer)
    assert issuer.name == "Công đoàn Dầu khí Việt Nam"
    assert "Đổi mới, sáng tạo trong phương thức hoạt động Công đoàn" in campaign_2022.theme
    assert campaign_2022.theme.endswith("nhiệm kỳ 2018 - 2023")
    assert campaign_2022.slogan == (
        "Đoàn kết, sáng tạo, nỗ lực vượt khó phát triển, quyết tâm chiến thắng đại dịch Covid-19"
    )
    assert len(campaign_2022.purposes) == 3


def test_2022_has_two_phases_with_the_plans_dates(campaign_2022: Campaign) -> None:
    phases = [(p.code, p.starts_on, p.ends_on) for p in campaign_2022.phases]
    assert phases == [
        ("dot-1", date(2022, 1, 1), date(2022, 6, 30)),
        ("dot-2", date(2022, 7, 1), date(2022, 12, 31)),
    ]
    assert [p.closing_review.kind for p in campaign_2022.phases] == ["so_ket", "tong_ket"]
    assert campaign_2022.phases[1].closing_review.name == "Tổng kết phong trào thi đua năm 2022"
    # Deadlines are an assumption of the file, but a report is never due before its phase ends.
    assert all(p.report_due_on > p.ends_on for p in campaign_2022.phases)
    assert campaign_2022.phase_on(date(2022, 6, 30)) == campaign_2022.phase("dot-1")
    assert campaign_2022.phase_on(date(2022, 7, 1)) == campaign_2022.phase("dot-2")


def test_2022_lists_the_movements_of_section_ii_and_the_key_projects(
    campaign_2022: Campaign,
) -> None:
    kinds = {m.code: m.kind for m in campaign_2022.movements}
    assert kinds == {
        "lao-dong-gioi-sang-tao": MovementKind.phong_trao,
        "gioi-viec-nuoc-dam-viec-nha": MovementKind.phong_trao,
        "xanh-sach-dep-an-toan-ve-sinh-lao-dong": MovementKind.phong_trao,
        "tham-muu-gioi-phuc-vu-tot": MovementKind.phong_trao,
        "van-hoa-cong-so": MovementKind.phong_trao,
        "co-quan-van-hoa-ngay-lam-viec-8-gio": MovementKind.phong_trao,
        "noi-khong-voi-tieu-cuc": MovementKind.cuoc_van_dong,
        "trung-thanh-trach-nhiem-liem-chinh-sang-tao": MovementKind.cuoc_van_dong,
        "01-trieu-sang-kien": MovementKind.chuong_trinh,
        "du-an-cong-trinh-trong-diem": MovementKind.phong_trao,
    }
    assert campaign_2022.movement("lao-dong-gioi-sang-tao").name == (
        "Lao động giỏi, lao động sáng tạo"
    )
    assert campaign_2022.movement("01-trieu-sang-kien").launched_by == ("tld",)


def test_2022_has_the_seven_targets_each_with_its_indicator(campaign_2022: Campaign) -> None:
    targets = campaign_2022.targets
    assert [t.number for t in targets] == [1, 2, 3, 4, 5, 6, 7]
    assert all(t.text.startswith("100% ") for t in targets)
    populations = [t.population for t in targets]
    assert populations == [Population.affiliated_unions] * 5 + [Population.unions_all_levels] * 2

    first = campaign_2022.target(1).indicator
    assert isinstance(first, ShareOfUnits)
    assert first.evidence is Evidence.registration_approved
    assert first.goal_percent == 100
    for number in (2, 3, 4, 6):
        indicator = campaign_2022.target(number).indicator
        assert isinstance(indicator, ShareOfUnits), number
        assert indicator.evidence is Evidence.report_filed
        assert indicator.figure and indicator.figure_label
        assert indicator.goal_percent == 100
    figures = [campaign_2022.target(n).indicator for n in (2, 3, 4, 6)]
    assert len({i.figure for i in figures if isinstance(i, ShareOfUnits)}) == 4

    complaints = campaign_2022.target(5).indicator
    assert isinstance(complaints, NoneOverdue)
    assert complaints.resolution_days > 0
    assert "đơn thư khiếu nại, tố cáo" in campaign_2022.target(5).text

    initiatives = campaign_2022.target(7).indicator
    assert isinstance(initiatives, Count)
    assert (initiatives.counts, initiatives.goal, initiatives.exceed) == (
        "initiative_submitted",
        2000,
        True,
    )
    assert "vượt mức chỉ tiêu 2.000 sáng kiến" in campaign_2022.target(7).text


def test_2022_council_rule_and_criteria(campaign_2022: Campaign) -> None:
    review = campaign_2022.initiative_review
    assert {c.code for c in review.criteria} == {
        "novelty",
        "applicability",
        "effectiveness",
        "scope",
    }
    assert sum(c.weight for c in review.criteria) == 1
    assert review.council_rule.min_share_of_votes == Fraction(2, 3)
    full_marks = {c.code: review.scale.max for c in review.criteria}
    assert review.weighted_score(full_marks) == review.scale.max
    only_novel = {c.code: Decimal(10 if c.code == "novelty" else 0) for c in review.criteria}
    assert review.weighted_score(only_novel) == Decimal("3.0")


def test_2022_awards_and_reporting_channel(campaign_2022: Campaign) -> None:
    awards = campaign_2022.awards
    assert {t.level for t in awards.types} == {"federation", "affiliated_union"}
    flag = next(r for r in awards.rules if r.award == "co-thi-dua-cd-dkvn")
    assert flag.top is not None and flag.granted_at == "dot-2"
    assert "must_have_registered" in flag.eligibility
    assert sorted(awards.emulation_score.target_points) == [1, 2, 3, 4, 5, 6, 7]
    via = next(o for o in campaign_2022.organisations if o.code == campaign_2022.reporting.via)
    assert via.name == "Ban Chính sách Pháp luật và Quan hệ Lao động"
    assert campaign_2022.reporting.to == "cd-dkvn"


def test_the_campaign_survives_a_json_round_trip(campaign_2022: Campaign) -> None:
    # `campaign published` carries the definition as JSON; consumers rebuild it from that.
    definition = campaign_2022.model_dump(mode="json")
    assert Campaign.model_validate(definition) == campaign_2022


def test_a_campaign_is_frozen(campaign_2022: Campaign) -> None:
    with pytest.raises(ValidationError):
        campaign_2022.code = "2099"  # type: ignore[misc]


# --- another year, no code change ------------------------------------------------------------


def test_the_2023_example_loads_with_other_movements_dates_and_targets(
    campaign_2022: Campaign, campaign_2023: Campaign
) -> None:
    assert campaign_2023.code == "2023"
    movements_2022 = {m.code for m in campaign_2022.movements}
    movements_2023 = {m.code for m in campaign_2023.movements}
    assert movements_2023 - movements_2022  # some are new
    assert movements_2022 - movements_2023  # some are gone
    assert len(campaign_2023.phases) == 3
    assert campaign_2023.phases[-1].ends_on == date(2023, 12, 15)
    assert len(campaign_2023.targets) != len(campaign_2022.targets)
    initiatives = [t.indicator for t in campaign_2023.targets if isinstance(t.indicator, Count)]
    assert [(i.counts, i.goal) for i in initiatives] == [("initiative_recognised", 2500)]
    assert campaign_2023.theme != campaign_2022.theme
    assert {t.level for t in campaign_2023.awards.types} == {"confederation", "federation"}


# --- mistakes are refused, naming where --------------------------------------------------------


def _document() -> dict[str, Any]:
    document = yaml.safe_load(FILE_2022.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return copy.deepcopy(document)


def _refusal(change: Callable[[dict[str, Any]], None]) -> CampaignFileError:
    document = _document()
    change(document)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    with pytest.raises(CampaignFileError) as caught:
        load_campaign_text(text, source="campaigns/broken.yaml")
    return caught.value


def _node(document: dict[str, Any], path: Sequence[str | int]) -> Any:
    """What `path` leads to in the document: a mapping's key or a list's index at each step."""
    node: Any = document
    for part in path:
        node = node[part]
    return node


def _set(*path: str | int, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        _node(document, path[:-1])[path[-1]] = value

    return change


def _delete(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        del _node(document, path[:-1])[path[-1]]

    return change


def _rename_key(*path: str | int, to: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node = _node(document, path[:-1])
        node[to] = node.pop(path[-1])

    return change


def _reverse(*path: str | int) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        _node(document, path).reverse()

    return change


def _change(mistake: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    """The change a mistake of campaign_file_mistakes.yaml names (its header says how)."""
    if "set" in mistake:
        return _set(*mistake["set"], value=mistake["value"])
    if "delete" in mistake:
        return _delete(*mistake["delete"])
    if "rename" in mistake:
        return _rename_key(*mistake["rename"], to=mistake["to"])
    return _reverse(*mistake["reverse"])


# A table of data, read once: each mistake is the same three facts (change, place, reason).
# A mistake named twice would silently be one test less: read_yaml refuses it.
MISTAKES: dict[str, dict[str, Any]] = read_yaml(
    Path(__file__).parent / "campaign_file_mistakes.yaml"
)


@pytest.mark.parametrize("mistake", MISTAKES)
def test_a_mistake_is_refused_naming_where_and_why(mistake: str) -> None:
    location, code = MISTAKES[mistake]["at"], MISTAKES[mistake]["code"]
    error = _refusal(_change(MISTAKES[mistake]))
    found = {(p.location, p.code) for p in error.problems}
    assert (location, code) in found, str(error)
    problem = next(p for p in error.problems if p.location == location)
    assert problem.message_vi and problem.message_en
    assert problem.message_vi != problem.message_en
    message = str(error)
    assert message.startswith("campaigns/broken.yaml: ")
    assert f"{location}: {problem.message_vi} / {problem.message_en}" in message


def test_a_value_outside_its_closed_set_names_the_choices_the_vietnamese_way() -> None:
    """As the API's 422 does (shared.validation_messages): the file's loader had a catalogue
    of its own, which still joined the last two choices with the English "or"."""
    error = _refusal(_set("awards", "types", 0, "level", value="national"))
    problem = next(p for p in error.problems if p.location == "awards.types[0].level")
    assert problem.message_vi.startswith("Giá trị không hợp lệ; chấp nhận: ")
    assert " hoặc " in problem.message_vi and " or " not in problem.message_vi
    assert " or " in problem.message_en


def test_every_problem_is_reported_not_only_the_first() -> None:
    def two_mistakes(document: dict[str, Any]) -> None:
        document["movements"][1]["code"] = "lao-dong-gioi-sang-tao"
        document["phases"][1]["starts_on"] = "2022-06-01"

    locations = {p.location for p in _refusal(two_mistakes).problems}
    assert {"movements[1].code", "phases[1].starts_on"} <= locations


def test_the_file_is_named_and_vietnamese_comes_first(tmp_path: Path) -> None:
    path = tmp_path / "2024.yaml"
    text = FILE_2022.read_text(encoding="utf-8").replace("weight: 0.30", "weight: 0.35")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignFileError) as caught:
        load_campaign(path)
    message = str(caught.value)
    assert str(path) in message
    assert (
        "initiative_review.criteria: Tổng trọng số các tiêu chí phải bằng 1, hiện là 1.05 / "
        "Criteria weights must sum to 1, got 1.05"
    ) in message


def test_a_repeated_key_is_refused_with_its_line() -> None:
    text = FILE_2022.read_text(encoding="utf-8") + 'code: "2022b"\n'
    line = text.count("\n")
    with pytest.raises(CampaignFileError) as caught:
        load_campaign_text(text, source="x.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "duplicate_key"
    assert problem.location == f"dòng {line}, cột 1 / line {line}, column 1"


def test_a_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(CampaignFileError) as caught:
        load_campaign_text('code: "2022"\nphases: [\n  {code: dot-1\n', source="x.yaml")
    (problem,) = caught.value.problems
    assert problem.code == "yaml_syntax"
    assert problem.location.startswith("dòng ")


@pytest.mark.parametrize("text", ["", "- 1\n- 2\n", "just text\n"])
def test_a_document_that_is_not_a_mapping_is_refused(text: str) -> None:
    with pytest.raises(CampaignFileError) as caught:
        load_campaign_text(text)
    assert caught.value.problems[0].code == "not_a_mapping"


def test_a_missing_file_is_a_campaign_file_error(tmp_path: Path) -> None:
    with pytest.raises(CampaignFileError) as caught:
        load_campaign(tmp_path / "none.yaml")
    assert caught.value.problems[0].code == "unreadable"


def test_decomposed_vietnamese_is_stored_composed() -> None:
    document = _document()
    document["slogan"] = unicodedata.normalize("NFD", document["slogan"])
    campaign = load_campaign_text(yaml.safe_dump(document, allow_unicode=True))
    assert campaign.slogan == load_campaign(FILE_2022).slogan
    assert unicodedata.is_normalized("NFC", campaign.slogan or "")
