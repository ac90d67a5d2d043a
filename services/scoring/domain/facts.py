"""What scoring knows at one phase of a campaign, folded from events in any order.

Every field of `PhaseFacts` is a grow-only set of immutable records. Folding an event adds
one record: set union is commutative, associative and idempotent, so a consumer that
replays, reorders or receives an event twice ends with equal facts. Where a rule needs "the
current" value (a unit's latest report, an initiative's latest version or decision), it is
derived from the set by a deterministic maximum over the records' contents, never by the
order in which they arrived. `UnitFacts` and `PersonFacts` are such derived views.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from types import MappingProxyType
from typing import Any, TypeAlias
from uuid import UUID

from shared import contracts
from shared.campaign.model import Campaign, ReportKind
from shared.campaign.progress import overdue_within, phases_to_date
from shared.contracts.lifecycle import InitiativeStatus

# --- records: one per event, hashable, compared by content --------------------------------


@dataclass(frozen=True, order=True)
class UnitRecord:
    # UnitRecorded carries no version: where the facts are read from the stored events, a
    # unit's latest record by its event's time is the one kept (awarding.current_units); among
    # records folded together otherwise, the greatest (by these fields, in this order) is
    # taken, which gives every consumer the same answer whatever the arrival order.
    code: str
    path: str
    name: str
    level: str
    cluster: str
    parent_code: str


@dataclass(frozen=True)
class Registration:
    # RegistrationApproved is terminal in submissions (nothing reopens an approved
    # registration), so an approval is a fact that only ever accumulates.
    registration_id: UUID
    phase_code: str
    unit_code: str
    movement_codes: frozenset[str]


@dataclass(frozen=True, order=True)
class FiledReport:
    # Filing again replaces a unit's report of that kind: the latest by `submitted_at` wins
    # (then the other fields, only to break an exact tie the same way everywhere).
    submitted_at: datetime
    report_id: UUID
    unit_code: str
    kind: str
    late: bool
    figures: tuple[tuple[str, float], ...]  # sorted by name; finite (the contract's bound)

    def figure(self, name: str) -> float | None:
        return dict(self.figures).get(name)


@dataclass(frozen=True, order=True)
class Author:
    # Not the contract's InitiativeAuthor: a version record must be ordered (the current
    # version is the greatest by content), and a pydantic model has no order.
    member_id: str
    full_name: str
    share_percent: int


@dataclass(frozen=True, order=True)
class InitiativeVersion:
    # InitiativeAmended keeps the original `submitted_at`, so versions have no time order:
    # an amendment beats the submission, and among amendments the greatest by content wins.
    initiative_id: UUID
    amendment: bool
    phase_code: str
    unit_code: str
    title: str
    authors: tuple[Author, ...]
    benefit_vnd: int  # -1: not stated (keeps the record orderable)
    confidential: bool


# The events that decide an initiative: a `Decision` record each.
CouncilDecision: TypeAlias = (
    contracts.InitiativeRecognised
    | contracts.InitiativeNotRecognised
    | contracts.InitiativeReturned
)
# A decision's outcome is the status it leaves the initiative in; two decisions of the same
# moment are ordered by this rank, whatever order they arrive in.
_OUTCOMES = {
    InitiativeStatus.returned: 0,
    InitiativeStatus.not_recognised: 1,
    InitiativeStatus.recognised: 2,
}


@dataclass(frozen=True, order=True)
class Decision:
    # A council may return an initiative and decide again later: the latest `decided_at`
    # wins, whatever order the decisions arrive in.
    initiative_id: UUID
    decided_at: datetime
    outcome_rank: int
    outcome: InitiativeStatus
    weighted_score: Decimal


@dataclass(frozen=True)
class ComplaintCase:
    # Opened and resolved events of a case are merged per case: the earliest received date,
    # the latest due date (a later one is an extension) and the latest resolution date (the
    # conservative reading) — min and max do not depend on arrival order.
    case_id: UUID
    unit_code: str
    received_on: date
    due_on: date
    resolved_on: date | None

    def overdue_within(self, start: date, end: date, today: date) -> bool:
        """Was the case unresolved past its due date on some day from `start` to `end`?
        It is overdue from the day after `due_on` until it is resolved (or until today)."""
        return overdue_within(self.due_on, self.resolved_on, start, end, today)


# --- derived views ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Initiative:
    """An initiative's current version (not withdrawn) with its latest council decision."""

    version: InitiativeVersion
    recognised: bool
    score: Decimal | None  # the recognising decision's weighted score


@dataclass(frozen=True)
class UnitFacts:
    code: str
    name: str
    level: str  # federation | affiliated | grassroots | sub
    cluster: str | None
    parent_code: str | None
    path: str  # 'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is a path prefix
    registered_movements: frozenset[str]  # movements of its approved registrations, to date
    reports: Mapping[str, FiledReport]  # kind (plan | result) -> latest, this phase
    initiatives_submitted: frozenset[UUID]  # its own, to date, withdrawn ones removed
    initiatives_recognised: frozenset[UUID]
    complaints: tuple[ComplaintCase, ...]  # its own cases of the campaign

    @property
    def result_report(self) -> FiledReport | None:
        return self.reports.get(ReportKind.result)


@dataclass(frozen=True)
class AuthoredInitiative:
    initiative_id: UUID
    phase_code: str
    unit_code: str
    title: str
    share_percent: int
    benefit_vnd: int | None
    score: Decimal


@dataclass(frozen=True)
class PersonFacts:
    member_id: str
    full_name: str
    unit_code: str  # the unit of their best recognised initiative
    recognised: tuple[AuthoredInitiative, ...]  # best first


# --- the aggregate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseFacts:
    """The events of one campaign that matter at one phase's close, as grow-only sets.

    Each field only ever gains records (union: commutative, idempotent), and which records
    are kept depends on the event alone (its campaign and phase), never on what came before.
    """

    campaign_code: str
    phase_code: str
    # Registrations and initiatives count for the year to date: this phase and earlier ones.
    phases_to_date: frozenset[str]
    # Every version of every unit; the current one is the greatest (see UnitRecord).
    units: frozenset[UnitRecord] = frozenset()
    # Approvals are final, so "approved" is simply "an approval exists".
    registrations: frozenset[Registration] = frozenset()
    # Every filing of this phase; the latest by `submitted_at` is derived, not overwritten.
    reports: frozenset[FiledReport] = frozenset()
    # Every version; an id in `withdrawn` hides all of them, whichever arrived first.
    versions: frozenset[InitiativeVersion] = frozenset()
    withdrawn: frozenset[UUID] = frozenset()
    # Every decision; the latest by `decided_at` applies once the submission is here too.
    decisions: frozenset[Decision] = frozenset()
    # Opened and resolved observations of each case, merged by min/max on read.
    cases: frozenset[ComplaintCase] = frozenset()

    @classmethod
    def start(cls, campaign: Campaign, phase_code: str) -> "PhaseFacts":
        return cls(campaign.code, phase_code, frozenset(phases_to_date(campaign, phase_code)))

    @classmethod
    def from_events(
        cls, campaign: Campaign, phase_code: str, events: Iterable[contracts.EventData]
    ) -> "PhaseFacts":
        """Fold many events at once (one pass; `apply` copies a set per event)."""
        facts = cls.start(campaign, phase_code)
        found: dict[str, set[Any]] = defaultdict(set)
        for event in events:
            for name, record in facts._records(event):
                found[name].add(record)
        return replace(facts, **{n: getattr(facts, n) | r for n, r in found.items()})

    def apply(self, event: contracts.EventData) -> "PhaseFacts":
        """These facts with `event` added; the same object if it adds nothing new."""
        new = {n: getattr(self, n) | {r} for n, r in self._records(event)}
        new = {n: s for n, s in new.items() if len(s) != len(getattr(self, n))}
        return replace(self, **new) if new else self

    def _records(self, event: contracts.EventData) -> list[tuple[str, Any]]:
        if isinstance(event, contracts.UnitRecorded):
            return [("units", _unit(event))]
        if getattr(event, "campaign_code", None) != self.campaign_code:
            return []
        phase = getattr(event, "phase_code", None)
        if isinstance(event, contracts.RegistrationApproved) and phase in self.phases_to_date:
            codes = frozenset(event.movement_codes)
            reg = Registration(event.registration_id, event.phase_code, event.unit_code, codes)
            return [("registrations", reg)]
        if isinstance(event, contracts.ReportSubmitted) and phase == self.phase_code:
            return [("reports", _report(event))]
        if isinstance(event, contracts.InitiativeSubmitted) and phase in self.phases_to_date:
            return [("versions", _version(event))]
        if isinstance(event, contracts.InitiativeWithdrawn):
            return [("withdrawn", event.initiative_id)]
        if isinstance(event, CouncilDecision):
            return [("decisions", _decision(event))]
        if isinstance(event, contracts.ComplaintCaseOpened | contracts.ComplaintCaseResolved):
            resolved = (
                event.resolved_on if isinstance(event, contracts.ComplaintCaseResolved) else None
            )
            case = ComplaintCase(
                event.case_id, event.unit_code, event.received_on, event.due_on, resolved
            )
            return [("cases", case)]
        return []

    # --- derived, cached (the dataclass is frozen, so the cache can never go stale) ---

    @cached_property
    def initiatives(self) -> Mapping[UUID, Initiative]:
        """Initiatives to date whose submission has arrived and which were not withdrawn; a
        decision that arrived first applies as soon as the submission does."""
        latest_version: dict[UUID, InitiativeVersion] = {}
        for v in self.versions:
            if v.initiative_id not in self.withdrawn:
                latest_version[v.initiative_id] = max(v, latest_version.get(v.initiative_id, v))
        latest_decision: dict[UUID, Decision] = {}
        for d in self.decisions:
            latest_decision[d.initiative_id] = max(d, latest_decision.get(d.initiative_id, d))
        result = {}
        for key, version in latest_version.items():
            decision = latest_decision.get(key)
            recognised = decision is not None and decision.outcome == InitiativeStatus.recognised
            score = decision.weighted_score if decision is not None and recognised else None
            result[key] = Initiative(version, recognised, score)
        return result

    @cached_property
    def complaint_cases(self) -> tuple[ComplaintCase, ...]:
        merged: dict[UUID, ComplaintCase] = {}
        for case in sorted(self.cases, key=_case_key):
            seen = merged.get(case.case_id)
            if seen is not None:
                dates = [d for d in (seen.resolved_on, case.resolved_on) if d is not None]
                case = replace(
                    case,
                    received_on=min(seen.received_on, case.received_on),
                    due_on=max(seen.due_on, case.due_on),
                    resolved_on=max(dates, default=None),
                )
            merged[case.case_id] = case
        return tuple(merged.values())

    @cached_property
    def unit_facts(self) -> Mapping[str, UnitFacts]:
        """Every unit recorded so far, with what its own events establish."""
        current: dict[str, UnitRecord] = {}
        for u in self.units:
            current[u.code] = max(u, current.get(u.code, u))
        movements: dict[str, set[str]] = defaultdict(set)
        for reg in self.registrations:
            movements[reg.unit_code] |= reg.movement_codes
        reports: dict[str, dict[str, FiledReport]] = defaultdict(dict)
        for report in sorted(self.reports):  # ascending: the latest is written last
            reports[report.unit_code][report.kind] = report
        submitted: dict[str, set[UUID]] = defaultdict(set)
        recognised: dict[str, set[UUID]] = defaultdict(set)
        for key, initiative in self.initiatives.items():
            submitted[initiative.version.unit_code].add(key)
            if initiative.recognised:
                recognised[initiative.version.unit_code].add(key)
        cases: dict[str, list[ComplaintCase]] = defaultdict(list)
        for case in self.complaint_cases:
            cases[case.unit_code].append(case)
        return {
            code: UnitFacts(
                code=code,
                name=u.name,
                level=u.level,
                cluster=u.cluster or None,
                parent_code=u.parent_code or None,
                path=u.path,
                registered_movements=frozenset(movements[code]),
                reports=MappingProxyType(reports[code]),
                initiatives_submitted=frozenset(submitted[code]),
                initiatives_recognised=frozenset(recognised[code]),
                complaints=tuple(cases[code]),
            )
            for code, u in sorted(current.items())
        }

    @cached_property
    def people(self) -> Mapping[str, PersonFacts]:
        """Authors of recognised initiatives to date, with their share of each."""
        authored: dict[str, list[tuple[AuthoredInitiative, str]]] = defaultdict(list)
        for key, initiative in self.initiatives.items():
            v = initiative.version
            if initiative.score is None:
                continue
            benefit = None if v.benefit_vnd < 0 else v.benefit_vnd
            for a in v.authors:
                item = AuthoredInitiative(
                    key,
                    v.phase_code,
                    v.unit_code,
                    v.title,
                    a.share_percent,
                    benefit,
                    initiative.score,
                )
                authored[a.member_id].append((item, a.full_name))
        people = {}
        for member_id, items in sorted(authored.items()):
            # A total order (a member listed twice on one initiative included): the set's
            # iteration order must not show through.
            items.sort(
                key=lambda p: (-p[0].score, str(p[0].initiative_id), -p[0].share_percent, p[1])
            )
            best, name = items[0]
            people[member_id] = PersonFacts(
                member_id, name, best.unit_code, tuple(item for item, _ in items)
            )
        return people


def _case_key(case: ComplaintCase) -> tuple[str, str, date, date, date]:
    return (
        str(case.case_id),
        case.unit_code,
        case.received_on,
        case.due_on,
        case.resolved_on or date.min,
    )


# --- events to records -----------------------------------------------------------------------


def _unit(e: contracts.UnitRecorded) -> UnitRecord:
    return UnitRecord(e.code, e.path, e.name, e.level, e.cluster or "", e.parent_code or "")


def _report(e: contracts.ReportSubmitted) -> FiledReport:
    figures = tuple(sorted(e.figures.items()))
    return FiledReport(e.submitted_at, e.report_id, e.unit_code, e.kind, e.late, figures)


def _version(e: contracts.InitiativeSubmitted) -> InitiativeVersion:
    authors = tuple(sorted(Author(a.member_id, a.full_name, a.share_percent) for a in e.authors))
    benefit = -1 if e.expected_benefit_vnd is None else e.expected_benefit_vnd
    amendment = isinstance(e, contracts.InitiativeAmended)
    return InitiativeVersion(
        e.initiative_id,
        amendment,
        e.phase_code,
        e.unit_code,
        e.title,
        authors,
        benefit,
        e.confidential,
    )


def _decision(e: CouncilDecision) -> Decision:
    if isinstance(e, contracts.InitiativeReturned):
        outcome, score = InitiativeStatus.returned, Decimal(0)
    else:
        recognised = isinstance(e, contracts.InitiativeRecognised)
        outcome = InitiativeStatus.recognised if recognised else InitiativeStatus.not_recognised
        # Via str: the float's shortest repr (8.7, not 8.699999…); finite, as the contract is.
        score = Decimal(str(e.weighted_score))
    return Decision(e.initiative_id, e.decided_at, _OUTCOMES[outcome], outcome, score)
