"""One achievement is not rewarded twice, and an admin's decision stands when a close is
computed again; one ranking rule for the standings (pure rules, on the 2022 scenario of
test_scoring_rules)."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from services.scoring.domain.awards import (
    AwardProposal,
    PriorAward,
    award_id,
    propose_awards,
    rank_units,
)
from services.scoring.domain.facts import PhaseFacts
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.campaign.progress import emulation_points, ranking_order
from tests.unit.scoring_scenario import CAMPAIGN_FILE, CLUSTERS, TODAY, by_rule, scenario

FLAG, CERTIFICATE = "co-thi-dua-don-vi-dan-dau", "bang-khen-tap-the"
TODAY_AT = datetime(2023, 1, 15, 9, tzinfo=UTC)


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign(CAMPAIGN_FILE)


@pytest.fixture(scope="module")
def facts(campaign: Campaign) -> PhaseFacts:
    return PhaseFacts.from_events(campaign, "dot-2", scenario())


def decided(rule: str, kind: str, recipient: str, unit: str) -> PriorAward:
    """An award of this close an admin confirmed (or confirmed, then revoked)."""
    return PriorAward(
        award_id("2022", "dot-2", rule, kind, recipient),
        "2022",
        "dot-2",
        kind,
        recipient,
        rule_code=rule,
        unit_code=unit,
        decided=True,
    )


def close(campaign: Campaign, facts: PhaseFacts, *prior: PriorAward) -> list[AwardProposal]:
    return propose_awards(campaign, "dot-2", facts, prior, today=TODAY, cluster_names=CLUSTERS)


def test_a_recipient_is_proposed_one_award_per_close(campaign: Campaign, facts: PhaseFacts) -> None:
    proposals = close(campaign, facts)
    recipients = [(p.recipient_kind, p.recipient_id) for p in proposals]
    assert len(recipients) == len(set(recipients))
    # PVGAS earns the flag (the higher award) and not also the federation's certificate.
    assert "PVGAS" in by_rule(proposals, FLAG) and "PVGAS" not in by_rule(proposals, CERTIFICATE)


@pytest.mark.parametrize(
    ("rule", "holder", "flag_top"),
    [
        # PVGAS's certificate was confirmed (say, before a late event raised it to the flag):
        # computing the close again does not propose it the flag as well.
        pytest.param(
            CERTIFICATE,
            "PVGAS",
            ["BSR", "PVD", "PVEP", "PVPOWER", "BDPOC"],
            id="a confirmed award blocks a second proposal for the same achievement",
        ),
        # PVC (never registered) holds a confirmed flag: of the top 5, four places are left,
        # and PVC is proposed nothing else.
        pytest.param(
            FLAG,
            "PVC",
            ["PVGAS", "BSR", "PVD", "PVEP"],
            id="a decided award keeps its place in the rule's top",
        ),
        pytest.param(
            FLAG,
            "PVGAS",
            ["BSR", "PVD", "PVEP", "PVPOWER"],
            id="a recipient confirmed under the same rule is not proposed again",
        ),
    ],
)
def test_a_decided_award_is_not_proposed_again_and_keeps_its_place(
    campaign: Campaign, facts: PhaseFacts, rule: str, holder: str, flag_top: list[str]
) -> None:
    proposals = close(campaign, facts, decided(rule, "unit", holder, holder))
    assert by_rule(proposals, FLAG) == flag_top
    assert holder not in {p.recipient_id for p in proposals}


def test_a_pending_proposal_fed_back_changes_nothing(campaign: Campaign, facts: PhaseFacts) -> None:
    proposals = close(campaign, facts)
    pending = [PriorAward.of(p.to_event(TODAY_AT)) for p in proposals]
    assert not any(p.decided for p in pending)
    assert close(campaign, facts, *pending) == proposals
    assert {p.rule_code for p in proposals} == {p.to_event(TODAY_AT).rule_code for p in proposals}


def test_an_award_of_another_recipient_or_phase_changes_nothing(
    campaign: Campaign, facts: PhaseFacts
) -> None:
    elsewhere = PriorAward(uuid4(), "2022", "dot-1", "unit", "PVGAS", decided=True)
    assert close(campaign, facts, elsewhere) == close(campaign, facts)


def test_one_ranking_rule_within_each_level(campaign: Campaign, facts: PhaseFacts) -> None:
    ranking = rank_units(campaign, facts, today=TODAY)
    levels: dict[str, list[str]] = {}
    for code, points in ranking.points.items():  # best first
        levels.setdefault(points.level, []).append(code)
    for level, codes in levels.items():
        ranks = [ranking.points[c].level_rank for c in codes]
        assert {r.of for r in ranks} == {len(codes)}
        orders = [
            ranking_order(emulation_points(campaign, ranking.standings[c]), ranking.standings[c])
            for c in codes
        ]
        assert orders == sorted(orders)
        # 1 + the units strictly ahead: equal points and recognised share a rank.
        for position, (code, order) in enumerate(zip(codes, orders, strict=True)):
            ahead = sum(other[:2] < order[:2] for other in orders)
            assert ranking.points[code].level_rank.rank == ahead + 1, (level, position)
    assert ranking.points["PVGAS"].level_rank.rank == 1  # 100 points, 40 recognised
    # Only affiliated and grassroots unions compete for awards.
    scored = {c for level in ("affiliated", "grassroots") for c in levels.get(level, [])}
    assert set(ranking.scored()) == scored
