"""Scoring's rules on the 2022 plan: target progress, emulation points and rankings, awards by
rule at a phase's close, and facts that do not depend on the order or duplication of events."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar
from uuid import NAMESPACE_URL, uuid4, uuid5

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.scoring.domain.awards import (
    AwardProposal,
    PriorAward,
    award_id,
    propose_awards,
    rank_units,
)
from services.scoring.domain.facts import PhaseFacts
from services.scoring.domain.targets import evaluate_targets
from shared.campaign.model import Campaign
from shared.contracts import (
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    EventData,
    InitiativeAmended,
    InitiativeAuthor,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    RegistrationApproved,
    ReportSubmitted,
)
from shared.formatting import format_number
from tests.unit.scoring_scenario import (
    CAMPAIGN_FILE,
    CLUSTERS,
    FIGURES,
    TODAY,
    TREE,
    at,
    by_rule,
    initiative,
    recognised,
    registration,
    report,
    scenario,
    units,
    withdrawn,
)


def campaign_with(change: Any) -> Campaign:
    """The 2022 file with `change(data)` applied: a variant to exercise one rule."""
    data = yaml.safe_load(CAMPAIGN_FILE.read_text(encoding="utf-8"))
    change(data)
    return Campaign.model_validate(data)


@pytest.fixture(scope="module")
def facts(campaign_2022: Campaign) -> PhaseFacts:
    return PhaseFacts.from_events(campaign_2022, "dot-2", scenario())


@pytest.fixture(scope="module")
def proposals(campaign_2022: Campaign, facts: PhaseFacts) -> list[AwardProposal]:
    return propose_awards(campaign_2022, "dot-2", facts, today=TODAY, cluster_names=CLUSTERS)


# --- target progress -------------------------------------------------------------------------


def test_target_1_names_the_units_without_an_approved_registration(
    campaign_2022: Campaign, facts: PhaseFacts
) -> None:
    target = evaluate_targets(campaign_2022, facts, today=TODAY).target(1)
    assert (target.achieved, target.total, target.met) == (13, 15, False)
    assert [(u.code, u.reason) for u in target.lagging] == [
        ("PVC", "chưa có đăng ký thi đua được duyệt"),
        ("PVI", "chưa có đăng ký thi đua được duyệt"),
    ]
    assert target.summary == "13/15 công đoàn trực thuộc (86,7%; mục tiêu 100%)"


def test_initiatives_are_counted_against_2000_for_the_year(
    campaign_2022: Campaign, facts: PhaseFacts
) -> None:
    target = evaluate_targets(campaign_2022, facts, today=TODAY).target(7)
    # Both phases count; the 7 withdrawn initiatives do not.
    assert (target.achieved, target.total, target.met, target.exceeded) == (2143, 2000, True, True)
    assert target.summary == "2.143/2.000 sáng kiến đã nộp (107,2%; vượt mức)"
    # PVOIL has 38 against its share of 100 (20 unions weigh the same without member counts).
    assert [(u.code, u.reason) for u in target.lagging] == [("PVOIL", "38/100 sáng kiến đã nộp")]


def test_shares_of_the_count_goal_follow_members_when_known(
    campaign_2022: Campaign, facts: PhaseFacts
) -> None:
    members = {row[0]: 1000 for row in TREE[1:]} | {"PVOIL": 300}
    target = evaluate_targets(campaign_2022, facts, today=TODAY, members=members).target(7)
    # 2,000 x 300 / 19,300 = 31.1 for PVOIL, which has 38; 103.6 for a 1,000-member union.
    assert [(u.code, u.reason) for u in target.lagging] == [
        ("PVC", "100/104 sáng kiến đã nộp"),
        ("PVGAS-KVT", "101/104 sáng kiến đã nộp"),
        ("PVI", "100/104 sáng kiến đã nộp"),
        ("PVTRANS", "100/104 sáng kiến đã nộp"),
    ]


def test_a_unit_with_an_overdue_complaint_fails_target_5(
    campaign_2022: Campaign, facts: PhaseFacts
) -> None:
    target = evaluate_targets(campaign_2022, facts, today=TODAY).target(5)
    # PTSC resolved a case late; VSP answers for its grassroots union's open overdue case.
    # PVGAS resolved in time; BSR's open case is not due before 19 January.
    assert [(u.code, u.reason) for u in target.lagging] == [
        ("PTSC", "1 đơn thư khiếu nại, tố cáo quá hạn"),
        ("VSP", "1 đơn thư khiếu nại, tố cáo quá hạn"),
    ]
    assert not target.met
    assert target.summary == "2/15 công đoàn trực thuộc có đơn thư khiếu nại, tố cáo quá hạn"


def test_report_targets_read_the_latest_result_report_of_the_phase(
    campaign_2022: Campaign, facts: PhaseFacts
) -> None:
    progress = evaluate_targets(campaign_2022, facts, today=TODAY)
    assert [u.code for u in progress.target(2).lagging] == ["PVI"]
    assert [(u.code, u.reason) for u in progress.target(4).lagging] == [
        ("PVI", "chưa nộp báo cáo kết quả Đợt 2"),
        ("PVTRANS", "báo cáo kết quả Đợt 2 ghi số liệu 0"),
    ]
    # Target 6 is over unions of all levels: 20, of which PVI alone has no report.
    assert (progress.target(6).achieved, progress.target(6).total) == (19, 20)


def test_phase_1_facts_leave_out_what_came_later(campaign_2022: Campaign) -> None:
    facts = PhaseFacts.from_events(campaign_2022, "dot-1", scenario())
    progress = evaluate_targets(campaign_2022, facts, today=date(2022, 7, 10))
    assert [u.code for u in progress.target(1).lagging] == ["PVC", "PVD", "PVI"]
    assert 0 < progress.target(7).achieved < 1100  # the phase-1 half only
    assert progress.target(2).achieved == 0  # no phase-1 result report in the scenario
    # The late complaints of the scenario fell due after 30 June: phase 1 is clean.
    assert progress.target(5).met and progress.target(5).lagging == ()


# --- points, ranks and awards ----------------------------------------------------------------


def test_points_and_ranks_within_level_and_cluster(
    campaign_2022: Campaign, facts: PhaseFacts
) -> None:
    points = rank_units(campaign_2022, facts, today=TODAY).scored()
    assert points["PVGAS"].points == 100 and points["PVGAS"].initiatives_recognised == 40
    assert (points["PVGAS"].rank, points["PVGAS"].rank_of) == (1, 2)
    assert points["PVI"].points == 30  # no registration (1), no report (2, 3, 4, 6)
    assert points["PVGAS-KVT"].points == 55 and points["PVGAS-KVT"].targets_met == (1, 5, 6, 7)
    # Tied on points and initiatives recognised: they share the rank (the code orders them).
    assert (points["PVCFC"].rank, points["PVFCCO"].rank) == (2, 2)
    assert (points["BSR"].rank, points["BSR"].rank_of) == (1, 3)
    assert "CDDKVN" not in points


def test_emulation_flags_go_to_the_best_five_eligible_units(
    proposals: list[AwardProposal],
) -> None:
    # PETROSETCO has 100 points but filed its report late: skipped.
    assert by_rule(proposals, "co-thi-dua-don-vi-dan-dau") == [
        "PVGAS",
        "BSR",
        "PVD",
        "PVEP",
        "PVPOWER",
    ]
    flag = proposals[0]
    assert flag.award_name == "Cờ thi đua của Công đoàn Dầu khí Việt Nam"
    assert (flag.level, flag.granted_by, flag.recipient_kind) == ("federation", "cd-dkvn", "unit")
    assert flag.recipient_name == "Công đoàn Tổng công ty Khí Việt Nam"
    assert flag.reasons[:3] == (
        "Xếp hạng 1/2 cụm Khí - Điện với 100 điểm",
        "Đạt 7/7 chỉ tiêu thi đua (1, 2, 3, 4, 5, 6, 7)",
        "40 sáng kiến được công nhận",
    )
    assert "Đứng thứ 1/8 trong số đủ điều kiện" in flag.reasons[4]


def test_certificates_skip_ineligible_units_and_the_higher_award_wins(
    proposals: list[AwardProposal],
) -> None:
    assert by_rule(proposals, "bang-khen-tap-the") == [
        "BSR-NMLD",
        "PVGAS-KCM",
        "BDPOC",
        "PVGAS-KDN",
        "PVCFC",
        "PVFCCO",  # 100 points
        "PVOIL",
        "PTSC",
        "PVTRANS",
        "VSP",
        "VSP-XNKT",  # 85: PVOIL has 1 recognised
    ]
    # PVC (not registered) and PETROSETCO (late report) are skipped; the flag holders and the
    # grassroots unions commended by the federation get no second award for the same year.
    assert by_rule(proposals, "giay-khen-tap-the") == []
    grassroots = next(p for p in proposals if p.recipient_id == "BSR-NMLD")
    assert grassroots.reasons[0] == "Xếp hạng 1/1 công đoàn cơ sở cụm Lọc hóa dầu với 100 điểm"


def test_quota_per_affiliated_union() -> None:
    def one_per_union_and_no_federation_certificate(data: dict[str, Any]) -> None:
        rules = data["awards"]["rules"]
        rules[:] = [r for r in rules if r["code"] != "bang-khen-tap-the"]
        next(r for r in rules if r["code"] == "giay-khen-tap-the")["quota"] = 1

    variant = campaign_with(one_per_union_and_no_federation_certificate)
    facts = PhaseFacts.from_events(variant, "dot-2", scenario())
    proposals = propose_awards(variant, "dot-2", facts, today=TODAY)
    certificates = [p for p in proposals if p.rule_code == "giay-khen-tap-the"]
    # PVGAS has two grassroots unions at 100 points: only the better (more initiatives
    # recognised) is commended by PVGAS; each affiliated union grants its own.
    assert [(p.recipient_id, p.granted_by) for p in certificates] == [
        ("BSR-NMLD", "BSR"),  # tied with PVGAS-KCM (100 points, 20 recognised): by code
        ("PVGAS-KCM", "PVGAS"),
        ("VSP-XNKT", "VSP"),
    ]
    assert certificates[0].award_name == "Giấy khen của công đoàn trực thuộc"


def test_people_are_commended_for_their_recognised_initiatives(
    proposals: list[AwardProposal],
) -> None:
    # Phạm Thị Dung's unit (PVC) never registered; Võ Thị Giang's initiative is of phase 1.
    assert by_rule(proposals, "bang-khen-ca-nhan") == ["PVGAS-0012", "PVGAS-0044", "BSR-0301"]
    assert by_rule(proposals, "giay-khen-ca-nhan") == ["PVOIL-0007"]
    an = next(p for p in proposals if p.recipient_id == "PVGAS-0012")
    assert (an.recipient_kind, an.recipient_name, an.unit_code) == (
        "member",
        "Nguyễn Văn An",
        "PVGAS-KCM",
    )
    assert an.reasons[:3] == (
        "1 sáng kiến được công nhận trong Đợt 2",
        "Sáng kiến “Tối ưu vận hành máy nén khí” đạt 9,1 điểm, tỷ lệ đóng góp 60%",
        "Giá trị làm lợi dự kiến theo tỷ lệ đóng góp: 720.000.000 ₫",
    )
    em = next(p for p in proposals if p.recipient_id == "PVOIL-0007")
    assert em.granted_by == "PVOIL"


def test_rerunning_a_close_proposes_the_same_awards(
    campaign_2022: Campaign, facts: PhaseFacts, proposals: list[AwardProposal]
) -> None:
    again = propose_awards(campaign_2022, "dot-2", facts, today=TODAY, cluster_names=CLUSTERS)
    assert again == proposals
    assert proposals[0].award_id == award_id(
        "2022", "dot-2", "co-thi-dua-don-vi-dan-dau", "unit", "PVGAS"
    )
    # Its own earlier proposals, fed back as granted awards, change nothing.
    granted = [p.to_event(at(TODAY)) for p in proposals]
    assert (
        propose_awards(campaign_2022, "dot-2", facts, granted, today=TODAY, cluster_names=CLUSTERS)
        == proposals
    )
    assert len({p.award_id for p in proposals}) == len(proposals)


def test_an_award_granted_before_blocks_a_second_one(
    campaign_2022: Campaign, facts: PhaseFacts
) -> None:
    before = PriorAward(uuid4(), "2022", "dot-2", "unit", "PVGAS")
    proposals = propose_awards(campaign_2022, "dot-2", facts, [before], today=TODAY)
    flags = by_rule(proposals, "co-thi-dua-don-vi-dan-dau")
    assert flags == ["BSR", "PVD", "PVEP", "PVPOWER", "BDPOC"]
    assert "PVGAS" not in {p.recipient_id for p in proposals}


def test_format_number_as_written_in_vietnam() -> None:
    assert format_number(2143) == "2.143"
    assert format_number(Decimal("92.5")) == "92,5"
    assert format_number(100) == "100"


# --- order and duplication do not matter -----------------------------------------------------


def test_withdrawal_and_recognition_whatever_their_order(campaign_2022: Campaign) -> None:
    base = PhaseFacts.from_events(campaign_2022, "dot-2", units(TREE[:5]))
    kept = initiative("kept", "PVGAS")
    dropped = initiative("dropped", "PVGAS")
    decision = recognised(kept, 8.0)
    early = base.apply(decision)  # recognised before it was submitted
    assert early.initiatives == {}
    late = early.apply(kept)
    assert late.initiatives[kept.initiative_id].recognised
    assert late == base.apply(kept).apply(decision).apply(kept)
    gone = base.apply(withdrawn(dropped)).apply(dropped)
    assert gone.initiatives == {} and gone == base.apply(dropped).apply(withdrawn(dropped))
    assert base.apply(kept).apply(kept) == base.apply(kept)


MEMBERS = [("M1", "Đỗ Văn Hải"), ("M2", "Ngô Thị Lan"), ("M3", "Bùi Văn Minh")]
SMALL = {"CDDKVN", "PVGAS", "PVPOWER", "BSR", "PVD", "PVGAS-KCM", "BSR-NMLD"}
SMALL_TREE = [row for row in TREE if row[0] in SMALL]
UNIT_CODES = [row[0] for row in SMALL_TREE[1:]]
INITIATIVE_IDS = [uuid5(NAMESPACE_URL, f"random/{n}") for n in range(6)]
CASE_IDS = [uuid5(NAMESPACE_URL, f"case/{n}") for n in range(3)]
DAYS = st.dates(date(2022, 1, 1), date(2023, 1, 20))
TIMES = st.builds(at, DAYS)
PHASES = st.sampled_from(["dot-1", "dot-2"])
UNIT = st.sampled_from(UNIT_CODES)


@st.composite
def authors(draw: st.DrawFn) -> tuple[InitiativeAuthor, ...]:
    people = draw(st.lists(st.sampled_from(MEMBERS), min_size=0, max_size=2, unique=True))
    shares = [100] if len(people) == 1 else [60, 40][: len(people)]
    return tuple(
        InitiativeAuthor(member_id=m, full_name=n, share_percent=s)
        for (m, n), s in zip(people, shares, strict=True)
    )


INITIATIVE = st.sampled_from(INITIATIVE_IDS)
OFFICER = st.just("officer")
E = TypeVar("E", bound=EventData)


# Positional-only: a report has a field named `kind`.
def _event(kind: type[E], /, **fields: Any) -> st.SearchStrategy[E]:
    """An event of the 2022 plan at a unit of the small tree."""
    return st.builds(kind, campaign_code=st.just("2022"), unit_code=UNIT, **fields)


def _in_phase(kind: type[E], /, **fields: Any) -> st.SearchStrategy[E]:
    return _event(kind, phase_code=PHASES, **fields)


def _initiative(kind: type[InitiativeSubmitted]) -> st.SearchStrategy[InitiativeSubmitted]:
    return _in_phase(
        kind,
        initiative_id=INITIATIVE,
        title=st.sampled_from(["Giải pháp A", "Giải pháp B"]),
        field=st.just("technical"),
        authors=authors(),
        expected_benefit_vnd=st.none() | st.integers(0, 10**9),
        submitted_by=OFFICER,
        submitted_at=TIMES,
    )


def _decision(kind: type[EventData], **extra: Any) -> st.SearchStrategy[EventData]:
    return _in_phase(
        kind, initiative_id=INITIATIVE, title=st.just("Giải pháp"), decided_at=TIMES, **extra
    )


def _case(kind: type[EventData], **extra: Any) -> st.SearchStrategy[EventData]:
    return _event(
        kind,
        case_id=st.sampled_from(CASE_IDS),
        received_on=DAYS,
        due_on=DAYS,
        recorded_by=OFFICER,
        **extra,
    )


SCORES = {
    "weighted_score": st.sampled_from([6.5, 7.0, 8.5, 9.25]),
    "votes_for": st.just(3),
    "council_size": st.just(3),
}
EVENTS = st.one_of(
    _in_phase(
        RegistrationApproved,
        registration_id=INITIATIVE,
        movement_codes=st.just(("01-trieu-sang-kien",)),
        actor=OFFICER,
        at=TIMES,
    ),
    _in_phase(
        ReportSubmitted,
        report_id=st.sampled_from(CASE_IDS),
        kind=st.sampled_from(["plan", "result"]),
        figures=st.dictionaries(st.sampled_from(FIGURES), st.sampled_from([0.0, 50.0, 100.0])),
        due_on=st.just(date(2023, 1, 10)),
        submitted_at=TIMES,
        late=st.booleans(),
        submitted_by=OFFICER,
    ),
    _initiative(InitiativeSubmitted),
    _initiative(InitiativeAmended),
    _in_phase(
        InitiativeWithdrawn, initiative_id=INITIATIVE, withdrawn_by=OFFICER, withdrawn_at=TIMES
    ),
    _decision(InitiativeRecognised, **SCORES),
    _decision(InitiativeNotRecognised, **SCORES),
    _decision(InitiativeReturned, reason=st.just("Bổ sung")),
    _case(ComplaintCaseOpened),
    _case(ComplaintCaseResolved, resolved_on=DAYS),
)


def small_goal(data: dict[str, Any]) -> None:
    # A few random events can meet a goal of 4 initiatives, so every rule gets exercised.
    next(t for t in data["targets"] if t["number"] == 7)["indicator"]["goal"] = 4


SMALL_GOAL = campaign_with(small_goal)


def close(facts: PhaseFacts) -> tuple[object, ...]:
    return (
        facts.unit_facts,
        facts.people,
        evaluate_targets(SMALL_GOAL, facts, today=TODAY),
        rank_units(SMALL_GOAL, facts, today=TODAY).scored(),
        propose_awards(SMALL_GOAL, "dot-2", facts, today=TODAY),
    )


@st.composite
def streams(draw: st.DrawFn) -> list[EventData]:
    """Random events over a small tree, after random registrations, complete on-time result
    reports and recognised initiatives: without them hardly anyone would earn an award."""
    registered = draw(st.lists(st.sampled_from(UNIT_CODES), unique=True))
    reported = draw(st.lists(st.sampled_from(UNIT_CODES), unique=True))
    decided = draw(st.lists(st.tuples(_initiative(InitiativeSubmitted), SCORES["weighted_score"])))
    return [
        *units(SMALL_TREE),
        *(registration(code, draw(PHASES)) for code in registered),
        *(report(code, dict.fromkeys(FIGURES, 100.0)) for code in reported),
        *(e for submitted, score in decided for e in (submitted, recognised(submitted, score))),
        *draw(st.lists(EVENTS, max_size=50)),
    ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ordered=streams(), data=st.data())
def test_order_and_duplicates_do_not_change_the_result(
    ordered: list[EventData], data: st.DataObject
) -> None:
    duplicates = data.draw(st.lists(st.sampled_from(ordered), max_size=15))
    shuffled = data.draw(st.permutations(ordered + duplicates))
    start = PhaseFacts.start(SMALL_GOAL, "dot-2")
    in_order = fold(start, ordered)
    assert fold(start, shuffled) == in_order
    assert PhaseFacts.from_events(SMALL_GOAL, "dot-2", shuffled) == in_order
    assert close(fold(start, shuffled)) == close(in_order)


def fold(facts: PhaseFacts, events: Iterable[EventData]) -> PhaseFacts:
    for event in events:
        facts = facts.apply(event)
    return facts


def test_the_property_test_reaches_awards() -> None:
    """A hand-made stream the generator could draw, to show the compared output is not empty."""
    sub = initiative("x", "PVGAS-KCM", authors=[("M1", "Đỗ Văn Hải", 100)])
    stream = [
        *units(SMALL_TREE),
        registration("PVGAS-KCM", "dot-2", "01-trieu-sang-kien"),
        report("PVGAS-KCM", dict.fromkeys(FIGURES, 100.0)),
        sub,
        recognised(sub, 9.25),
        *(initiative(f"y{n}", "PVGAS-KCM") for n in range(4)),
    ]
    _, _, _, _, awards = close(fold(PhaseFacts.start(SMALL_GOAL, "dot-2"), stream))
    assert isinstance(awards, list)
    assert {(p.rule_code, p.recipient_id) for p in awards} == {
        ("bang-khen-tap-the", "PVGAS-KCM"),
        ("bang-khen-ca-nhan", "M1"),
    }
