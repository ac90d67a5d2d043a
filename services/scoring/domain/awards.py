"""Emulation points, rankings, and the awards a phase's close proposes by the campaign's rules.

A unit earns a target's points when it meets the target on its own (`targets.unit_standings`);
for a count target that means reaching its pro-rata share of the goal. Units are ranked by
`shared.campaign.progress.ranking_order` (points, then initiatives recognised, then code, so
no two units ever tie): within their level for the standings published at the close (the
league every service shows), within their level and cluster for the award reasons. Each rule
of the closing phase then ranks its candidates the same way, keeps those eligible at or above
`min_score`, and selects at most `top` of them and at most `quota` per granting body. Rules
run from the highest award down (level, then the order of the file's award types).

One achievement is not rewarded twice. A unit's achievement is its results at a close; a
member's, the initiatives recognised in the phase (an initiative counts at one close only).
- A recipient has at most one award per rule and phase: an award's id is derived from
  campaign, phase, rule and recipient.
- Under rules with `no_duplicate_award_for_same_achievement` (every rule of 2022) a recipient
  receives one award of a close, the highest it qualifies for.
- An admin's decision stands when late data makes scoring compute a close again: a confirmed
  (or revoked) award keeps its place in its rule's `top` and `quota`, and its recipient is
  proposed nothing else under those rules (`PriorAward.decided`).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from services.scoring.domain.facts import PhaseFacts, UnitFacts
from services.scoring.domain.targets import (
    POPULATION_LEVELS,
    POPULATION_VI,
    SCORED_LEVELS,
    UnitStanding,
    ancestors,
    unit_standings,
)
from shared.campaign.model import (
    AwardLevel,
    AwardRule,
    AwardType,
    Campaign,
    Eligibility,
    Phase,
    Recipient,
)
from shared.campaign.progress import Rank, emulation_points, rank_in_groups, ranking_order
from shared.contracts import AwardGranted
from shared.contracts.vocabulary import AwardStatus, RecipientKind, UnitLevel
from shared.formatting import format_number, format_vnd
from shared.unit_tree import affiliated_code

AWARD_NAMESPACE = uuid5(NAMESPACE_URL, "https://congdoandaukhi.vn/thidua/awards")
_LEVEL_ORDER = {AwardLevel.confederation: 0, AwardLevel.federation: 1}
_LEVEL_VI: dict[str, str] = {UnitLevel.affiliated: "", UnitLevel.grassroots: "công đoàn cơ sở "}


def award_id(campaign: str, phase: str, rule: str, recipient_kind: str, recipient: str) -> UUID:
    """Stable: re-running a close proposes the same award under the same id."""
    return uuid5(AWARD_NAMESPACE, f"{campaign}/{phase}/{rule}/{recipient_kind}/{recipient}")


@dataclass(frozen=True)
class UnitPoints:
    code: str
    name: str
    level: str
    cluster: str | None
    points: Decimal  # 0 to 100
    targets_met: tuple[int, ...]
    initiatives_submitted: int  # subtree, to date
    initiatives_recognised: int
    rank: int  # within its level and cluster, from 1 (the award reasons' place)
    rank_of: int  # units of its level and cluster
    level_rank: Rank  # within its level: the standings published at the close, the league


@dataclass(frozen=True)
class Ranking:
    """Every unit below the federation at a close: against each target, and ranked."""

    standings: Mapping[str, UnitStanding]
    points: Mapping[str, UnitPoints]  # best first

    def scored(self) -> Mapping[str, UnitPoints]:
        """The affiliated and grassroots unions: those that earn awards."""
        return {c: p for c, p in self.points.items() if p.level in SCORED_LEVELS}


def rank_units(
    campaign: Campaign,
    facts: PhaseFacts,
    *,
    today: date,
    members: Mapping[str, int] | None = None,
) -> Ranking:
    standings = unit_standings(campaign, facts, today=today, members=members)
    return Ranking(standings, _ranked(campaign, facts, standings))


def _ranked(
    campaign: Campaign, facts: PhaseFacts, standings: Mapping[str, UnitStanding]
) -> Mapping[str, UnitPoints]:
    units = facts.unit_facts
    by_level = rank_in_groups(campaign, standings.values(), lambda c: units[c].level)
    by_cluster = rank_in_groups(
        campaign, standings.values(), lambda c: (units[c].level, units[c].cluster)
    )
    result = {}
    for code in sorted(by_level, key=lambda c: (by_level[c].rank, units[c].level, c)):
        unit, standing = units[code], standings[code]
        result[code] = UnitPoints(
            code=unit.code,
            name=unit.name,
            level=unit.level,
            cluster=unit.cluster,
            points=Decimal(emulation_points(campaign, standing)),
            targets_met=tuple(sorted(standing.met)),
            initiatives_submitted=standing.initiatives_submitted,
            initiatives_recognised=standing.initiatives_recognised,
            rank=by_cluster[code].rank,
            rank_of=by_cluster[code].of,
            level_rank=by_level[code],
        )
    return result


@dataclass(frozen=True)
class PriorAward:
    """An award granted before this close, as `AwardGranted` states it.

    `decided`: an admin confirmed it (or confirmed then revoked it): a decision on this
    close's result that computing the close again leaves as it is."""

    award_id: UUID
    campaign_code: str
    phase_code: str
    recipient_kind: str  # a RecipientKind
    recipient_id: str
    rule_code: str | None = None
    unit_code: str | None = None
    decided: bool = False

    @classmethod
    def of(cls, event: "AwardGranted | PriorAward") -> "PriorAward":
        if isinstance(event, PriorAward):
            return event
        return cls(
            event.award_id,
            event.campaign_code,
            event.phase_code,
            event.recipient_kind,
            event.recipient_id,
            rule_code=event.rule_code,
            unit_code=event.unit_code,
            decided=event.status == AwardStatus.confirmed,
        )


@dataclass(frozen=True)
class AwardProposal:
    award_id: UUID
    campaign_code: str
    phase_code: str
    rule_code: str
    award_type: str
    award_name: str  # e.g. 'Bằng khen của Công đoàn Dầu khí Việt Nam'
    level: str  # confederation | federation | affiliated_union
    granted_by: str  # an organisation's code, or the affiliated union's unit code
    recipient_kind: str  # a RecipientKind
    recipient_id: str
    recipient_name: str
    unit_code: str  # the recipient's unit (itself for a unit)
    score: Decimal  # emulation points, or the best initiative's weighted score
    reasons: tuple[str, ...]

    def to_event(self, at: datetime) -> AwardGranted:
        # The event has no field for `granted_by` and `score`: they stay here.
        return AwardGranted.of(self, status=AwardStatus.proposed, at=at)


@dataclass(frozen=True)
class _Candidate:
    kind: str  # unit | member
    id: str
    name: str
    unit: UnitFacts  # the recipient's unit
    score: Decimal
    order: tuple[object, ...]  # ascending = best first
    figures: tuple[str, ...]  # the first reasons: what earned it


@dataclass(frozen=True)
class _Close:
    """What every rule of one close reads."""

    campaign: Campaign
    phase: Phase
    facts: PhaseFacts
    rules: tuple[AwardRule, ...]  # of this phase, highest award first
    points: Mapping[str, UnitPoints]
    standings: Mapping[str, UnitStanding]
    prior: Mapping[tuple[str, str], frozenset[UUID]]  # (kind, id) -> awards of this phase

    def award_id(self, rule: AwardRule, c: _Candidate) -> UUID:
        return award_id(self.campaign.code, self.phase.code, rule.code, c.kind, c.id)

    def awarded_before(self, c: _Candidate) -> bool:
        # Awards this close itself proposes (recognised by their ids) are not "before": the
        # close is a function of the facts, and the service reconciles what it proposed.
        own = {self.award_id(r, c) for r in self.rules}
        return not self.prior.get((c.kind, c.id), frozenset()) <= own


def propose_awards(
    campaign: Campaign,
    phase_code: str,
    facts: PhaseFacts,
    already_awarded: Iterable[AwardGranted | PriorAward] = (),
    *,
    today: date,
    members: Mapping[str, int] | None = None,
    cluster_names: Mapping[str, str] | None = None,
    ranking: Ranking | None = None,
) -> list[AwardProposal]:
    """The awards the close of `phase_code` proposes: highest award first, best first.

    `already_awarded`: awards granted before this close; one for the same recipient and
    phase blocks a rule with `no_duplicate_award_for_same_achievement`; a decided one of this
    phase keeps its place (see the module's docstring) and is not proposed again.
    `cluster_names` maps a cluster's code to its name for the reasons ('khi-dien' -> 'Khí -
    Điện'). `ranking`: `rank_units` of the same facts, when the caller has it already."""
    if (facts.campaign_code, facts.phase_code) != (campaign.code, phase_code):
        raise ValueError(f"facts of {facts.campaign_code}/{facts.phase_code}, not {phase_code}")
    types = {t.code: (index, t) for index, t in enumerate(campaign.awards.types)}
    rules = sorted(
        (r for r in campaign.awards.rules if r.granted_at == phase_code),
        key=lambda r: (_LEVEL_ORDER.get(types[r.award][1].level, 2), types[r.award][0]),
    )
    prior: dict[tuple[str, str], set[UUID]] = defaultdict(set)
    decided: dict[str | None, list[PriorAward]] = defaultdict(list)  # by rule
    for p in map(PriorAward.of, already_awarded):
        if (p.campaign_code, p.phase_code) == (campaign.code, phase_code):
            prior[p.recipient_kind, p.recipient_id].add(p.award_id)
            if p.decided:
                decided[p.rule_code].append(p)
    if ranking is None:
        ranking = rank_units(campaign, facts, today=today, members=members)
    close = _Close(
        campaign=campaign,
        phase=campaign.phase(phase_code),
        facts=facts,
        rules=tuple(rules),
        points=ranking.scored(),
        standings=ranking.standings,
        prior={key: frozenset(ids) for key, ids in prior.items()},
    )
    # By the rules run so far (the higher awards), and by the admins' decisions.
    awarded = {(p.recipient_kind, p.recipient_id) for ps in decided.values() for p in ps}
    proposals: list[AwardProposal] = []
    for rule in rules:
        award = types[rule.award][1]
        candidates = (
            _people(close)
            if rule.recipient is Recipient.individual
            else _units(close, rule, cluster_names or {})
        )
        held = decided.get(rule.code, [])  # places this rule's decided awards keep
        holders = {(p.recipient_kind, p.recipient_id) for p in held}
        eligible = [
            c
            for c in sorted(candidates, key=lambda c: c.order)
            if (c.kind, c.id) not in holders
            and (rule.min_score is None or c.score >= rule.min_score)
            and all(_meets(e, rule, c, close, awarded) for e in rule.eligibility)
        ]
        per_body = Counter(award.granted_by or _affiliated_of(close, p.unit_code) for p in held)
        for position, c in enumerate(eligible, start=1):
            if rule.top is not None and sum(per_body.values()) >= rule.top:
                break
            body = award.granted_by or _affiliated(c.unit)
            if rule.quota is not None and per_body[body] >= rule.quota:
                continue
            per_body[body] += 1
            awarded.add((c.kind, c.id))
            reasons = (*c.figures, *_selection(close, rule, award, position, len(eligible)))
            proposals.append(
                AwardProposal(
                    award_id=close.award_id(rule, c),
                    campaign_code=campaign.code,
                    phase_code=phase_code,
                    rule_code=rule.code,
                    award_type=award.code,
                    award_name=award.name,
                    level=award.level.value,
                    granted_by=body,
                    recipient_kind=c.kind,
                    recipient_id=c.id,
                    recipient_name=c.name,
                    unit_code=c.unit.code,
                    score=c.score,
                    reasons=reasons,
                )
            )
    return proposals


def _affiliated(unit: UnitFacts) -> str:
    """The affiliated union a unit belongs to (itself, for one): who grants its Giấy khen."""
    return affiliated_code(unit.path, unit.code)


def _affiliated_of(close: _Close, unit_code: str | None) -> str:
    unit = close.facts.unit_facts.get(unit_code or "")
    return _affiliated(unit) if unit is not None else unit_code or ""


def _meets(
    condition: Eligibility,
    rule: AwardRule,
    c: _Candidate,
    close: _Close,
    awarded: set[tuple[str, str]],
) -> bool:
    units = close.facts.unit_facts
    if condition is Eligibility.must_have_registered:
        # A member takes part through the registration of their union or a union above it.
        mine = (
            [c.unit]
            if c.kind == RecipientKind.unit
            else [
                units[code]
                for code in ancestors(c.unit)
                if code in units and units[code].level != UnitLevel.federation
            ]
        )
        wanted = {rule.movement} if rule.movement else None
        return any(
            u.registered_movements & wanted if wanted else u.registered_movements for u in mine
        )
    if condition is Eligibility.must_have_filed_phase_report:
        report = c.unit.result_report
        return report is not None and not report.late
    if condition is Eligibility.no_overdue_complaints:
        standing = close.standings.get(c.unit.code)
        return standing is None or standing.overdue_cases == 0
    return (c.kind, c.id) not in awarded and not close.awarded_before(c)


_CONDITION_VI = {
    Eligibility.must_have_registered: "đơn vị đã đăng ký thi đua được duyệt",
    Eligibility.must_have_filed_phase_report: "nộp báo cáo kết quả {phase} đúng hạn",
    Eligibility.no_overdue_complaints: "không để đơn thư khiếu nại, tố cáo quá hạn",
    Eligibility.no_duplicate_award_for_same_achievement: "chưa được khen cho cùng thành tích",
}


def _selection(
    close: _Close, rule: AwardRule, award: AwardType, position: int, eligible: int
) -> list[str]:
    """The rule's part of the reasons: threshold, place, conditions met."""
    reasons = []
    if rule.min_score is not None:
        reasons.append(f"Đạt từ {format_number(rule.min_score, 2)} điểm trở lên")
    place = f"Đứng thứ {position}/{eligible} trong số đủ điều kiện xét “{rule.name}”"
    if rule.top is not None:
        place += f" (chọn tối đa {rule.top})"
    if rule.quota is not None:
        each = " mỗi công đoàn trực thuộc" if award.level is AwardLevel.affiliated_union else ""
        place += f" (tối đa {rule.quota}{each})"
    reasons.append(place)
    if rule.eligibility:
        conditions = [_CONDITION_VI[e].format(phase=close.phase.name) for e in rule.eligibility]
        if rule.movement is not None and Eligibility.must_have_registered in rule.eligibility:
            movement = close.campaign.movement(rule.movement).name
            conditions[rule.eligibility.index(Eligibility.must_have_registered)] = (
                f"đơn vị đã đăng ký tham gia “{movement}”"
            )
        reasons.append("Đủ điều kiện: " + ", ".join(conditions))
    return reasons


def _units(close: _Close, rule: AwardRule, cluster_names: Mapping[str, str]) -> list[_Candidate]:
    candidates = []
    for p in close.points.values():
        if p.level not in POPULATION_LEVELS[rule.population]:
            continue
        if p.cluster is None:
            group = f"{POPULATION_VI[rule.population]} không thuộc cụm"
        else:
            group = f"{_LEVEL_VI.get(p.level, '')}cụm {cluster_names.get(p.cluster, p.cluster)}"
        met = ", ".join(map(str, p.targets_met))
        figures = [
            f"Xếp hạng {p.rank}/{p.rank_of} {group} với {format_number(p.points)} điểm",
            f"Đạt {len(p.targets_met)}/{len(close.campaign.targets)} chỉ tiêu thi đua ({met})",
        ]
        if p.initiatives_recognised:
            figures.append(f"{format_number(p.initiatives_recognised)} sáng kiến được công nhận")
        unit = close.facts.unit_facts[p.code]
        order = ranking_order(p.points, close.standings[p.code])
        candidates.append(
            _Candidate(RecipientKind.unit, p.code, p.name, unit, p.points, order, tuple(figures))
        )
    return candidates


def _people(close: _Close) -> list[_Candidate]:
    """Authors of initiatives recognised in this phase, scored on their best one."""
    candidates = []
    for person in close.facts.people.values():
        mine = [i for i in person.recognised if i.phase_code == close.phase.code]  # best first
        unit = close.facts.unit_facts.get(mine[0].unit_code) if mine else None
        if unit is None:
            continue
        best = mine[0]
        benefit = sum((i.benefit_vnd or 0) * i.share_percent // 100 for i in mine)
        figures = [
            f"{len(mine)} sáng kiến được công nhận trong {close.phase.name}",
            f"Sáng kiến “{best.title}” đạt {format_number(best.score, 2)} điểm,"
            f" tỷ lệ đóng góp {best.share_percent}%",
        ]
        if benefit:
            figures.append(f"Giá trị làm lợi dự kiến theo tỷ lệ đóng góp: {format_vnd(benefit)}")
        order = (-best.score, -len(mine), -benefit, person.member_id)
        candidates.append(
            _Candidate(
                RecipientKind.member,
                person.member_id,
                person.full_name,
                unit,
                best.score,
                order,
                tuple(figures),
            )
        )
    return candidates
