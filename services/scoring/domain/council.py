"""One initiative's review by its council, and the campaign's rule that decides it.

`Review` is a frozen aggregate: every command returns the new state and the events it raised,
and refuses with a `ReviewError` (field, code, Vietnamese and English) instead. The caller
passes the time (`at`), so the same commands always give the same state and events.

The rule is the campaign's `initiative_review`: each member scores every criterion on the scale
and votes; once every member has scored, the initiative is recognised when the votes for reach
`min_share_of_votes` of the council AND the weighted score (the mean over members of
Σ weight × score) reaches `min_weighted_score`. The rule has no clause for deciding earlier
(the weighted score is a mean over all members), so the last scorecard decides.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal, NoReturn
from uuid import UUID

from shared.campaign.model import InitiativeReview
from shared.contracts.reviews import (
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
)

# --- refusals --------------------------------------------------------------------------------

# Vietnamese and English of every refusal, formatted with the problem's context.
_MESSAGES: dict[str, tuple[str, str]] = {
    "not_assigned": (
        "{reviewer} không phải thành viên hội đồng xét sáng kiến này",
        "{reviewer} is not on this initiative's council",
    ),
    "unknown_criterion": (
        "Không có tiêu chí '{code}'; các tiêu chí: {known}",
        "Unknown criterion '{code}'; the criteria are: {known}",
    ),
    "missing_criterion": (
        # The error's field (scores.<code>) names the code; a person reads the criterion's name.
        "Chưa chấm tiêu chí '{name}'",
        "Criterion '{code}' ({name}) has no score",
    ),
    "out_of_scale": (
        "Điểm {score} nằm ngoài thang điểm {min} đến {max}",
        "Score {score} is outside the scale {min} to {max}",
    ),
    "not_a_number": ("Điểm phải là một số", "A score must be a number"),
    "already_decided": (
        "Sáng kiến đã có kết quả ({outcome_vi}); không thể thay đổi",
        "The initiative has already been decided ({outcome_en}); it cannot change",
    ),
    "council_too_small": (
        "Hội đồng cần ít nhất {min} thành viên (không phải tác giả); mới có {count}",
        "A council needs at least {min} members (not authors); got {count}",
    ),
    "author_as_reviewer": (
        "{reviewer} là tác giả của sáng kiến nên không được chấm sáng kiến này",
        "{reviewer} is an author of the initiative and cannot review it",
    ),
    "duplicate_reviewer": (
        "{reviewer} được phân công nhiều lần",
        "{reviewer} is assigned more than once",
    ),
    "duplicate_line": (
        "Sáng kiến này đã có ở dòng {line} của phiếu chấm",
        "This initiative is already on line {line} of the sheet",
    ),
    "not_found": (
        "Không có sáng kiến chờ xét với mã này",
        "No initiative under review with that id",
    ),
    "campaign_unknown": (
        "Chưa nhận kế hoạch {campaign_code}",
        "Campaign {campaign_code} has not been received yet",
    ),
    "reason_required": (
        "Cần nêu lý do trả lại sáng kiến cho tác giả",
        "Give the reason for returning the initiative to its authors",
    ),
}


@dataclass(frozen=True)
class Problem:
    field: str  # e.g. `scores.novelty`, `reviewer_ids.2`
    code: str
    message_vi: str
    message_en: str


def _problem(field: str, code: str, /, **context: Any) -> Problem:
    vietnamese, english = _MESSAGES[code]
    return Problem(field, code, vietnamese.format(**context), english.format(**context))


def one_line_each(initiative_ids: Sequence[object]) -> None:
    """A score sheet has one line per initiative: a second one is a slip of the pen (two
    votes on a paper sheet), refused naming it and the line it repeats (numbered from 1)."""
    first_line: dict[object, int] = {}
    repeated: list[Problem] = []
    for i, initiative_id in enumerate(initiative_ids):
        if initiative_id in first_line:
            where = f"items.{i}.initiative_id"
            repeated.append(_problem(where, "duplicate_line", line=first_line[initiative_id]))
        else:
            first_line[initiative_id] = i + 1
    if repeated:
        raise ReviewError(repeated)


class ReviewError(Exception):
    """A refused command. A scorecard may be wrong in several ways: `problems` lists them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        # Where only one problem is shown, it is the first.
        first = self.problems[0]
        self.field, self.code = first.field, first.code
        self.message_vi, self.message_en = first.message_vi, first.message_en
        super().__init__("; ".join(f"{p.field}: {p.message_en}" for p in self.problems))


def refuse(field: str, code: str, /, **context: Any) -> NoReturn:
    """Refuse a command with one problem (a code of `_MESSAGES`, formatted with `context`)."""
    raise ReviewError([_problem(field, code, **context)])


# --- state -----------------------------------------------------------------------------------

Number = int | float | Decimal


@dataclass(frozen=True)
class Initiative:
    """What the decision events say about the initiative, and who may not review it."""

    initiative_id: UUID
    campaign_code: str
    phase_code: str
    unit_code: str
    title: str
    # Known for every initiative, a confidential one's too: no author sits on its council.
    author_ids: tuple[str, ...] = ()
    confidential: bool = False  # its content stays in submissions; its authors do not


@dataclass(frozen=True)
class Scorecard:
    """One member's scores (criterion code → score, in the campaign's order) and vote."""

    reviewer_id: str
    scores: Mapping[str, Decimal]
    vote_for: bool
    private_note: str | None  # for the council's eyes: never in a decision event
    at: datetime


class Outcome(StrEnum):
    recognised = "recognised"
    not_recognised = "not_recognised"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    weighted_score: Fraction  # exact, so the threshold is compared without rounding
    votes_for: int
    council_size: int
    at: datetime


@dataclass(frozen=True)
class Returned:
    by: str
    reason: str
    at: datetime


class Status(StrEnum):
    awaiting_council = "awaiting_council"
    under_review = "under_review"
    returned = "returned"
    recognised = "recognised"
    not_recognised = "not_recognised"


# A review's final statuses → (Vietnamese, English), as `already_decided` names them.
_OUTCOMES = {
    Status.recognised: ("đã công nhận", "recognised"),
    Status.not_recognised: ("không công nhận", "not recognised"),
    Status.returned: ("đã trả lại cho tác giả", "returned to its authors"),
}


# --- events ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilAssigned:
    """Internal to scoring (no public contract): lets the service tell the reviewers."""

    initiative_id: UUID
    reviewer_ids: tuple[str, ...]
    by: str
    at: datetime


@dataclass(frozen=True)
class ScoreRecorded:
    """Internal to scoring: who scored, not what (scores stay with the council)."""

    initiative_id: UUID
    reviewer_id: str
    revised: bool
    at: datetime


Event = (
    CouncilAssigned
    | ScoreRecorded
    | InitiativeReturned
    | InitiativeRecognised
    | InitiativeNotRecognised
)
Result = tuple["Review", tuple[Event, ...]]


# --- the aggregate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    initiative: Initiative
    rules: InitiativeReview  # the campaign's `initiative_review`
    council: tuple[str, ...] = ()
    assigned_by: str | None = None
    assigned_at: datetime | None = None
    scorecards: tuple[Scorecard, ...] = ()  # in council order, whoever scored first
    decision: Decision | None = None
    returned: Returned | None = None

    @property
    def status(self) -> Status:
        if self.returned is not None:
            return Status.returned
        if self.decision is not None:
            return Status(self.decision.outcome.value)
        return Status.under_review if self.council else Status.awaiting_council

    def scorecard(self, reviewer_id: str) -> Scorecard | None:
        return next((c for c in self.scorecards if c.reviewer_id == reviewer_id), None)

    def awaits(self, reviewer_id: str) -> bool:
        """Whether the review is open and waits for this member's first scorecard."""
        return (
            self.status is Status.under_review
            and reviewer_id in self.council
            and reviewer_id not in self.initiative.author_ids
            and self.scorecard(reviewer_id) is None
        )

    # --- commands ---

    def assign(
        self, reviewer_ids: Iterable[str], by: str, *, at: datetime, replaying: bool = False
    ) -> Result:
        """Seat the council; assigning again before the decision replaces it, keeping the
        scorecards of members who stay (a member who falls ill can be replaced).

        `replaying`: a seating recorded before, applied again as the fact it was: not judged
        against the authors as they now stand (an amendment that crossed it may have made a
        member an author; such a council decides nothing until it is replaced)."""
        self._check_open()
        council = tuple(reviewer_ids)
        problems: list[Problem] = []
        for index, reviewer in enumerate(council):
            where = f"reviewer_ids.{index}"
            if reviewer in council[:index]:
                problems.append(_problem(where, "duplicate_reviewer", reviewer=reviewer))
            elif reviewer in self.initiative.author_ids and not replaying:
                problems.append(_problem(where, "author_as_reviewer", reviewer=reviewer))
        minimum = self.rules.council_rule.min_members
        if len(set(council)) < minimum:
            problems.append(
                _problem("reviewer_ids", "council_too_small", min=minimum, count=len(set(council)))
            )
        if problems:
            raise ReviewError(problems)
        kept = tuple(c for c in self.scorecards if c.reviewer_id in council)
        state = replace(
            self,
            council=council,
            assigned_by=by,
            assigned_at=at,
            scorecards=_in_council_order(kept, council),
        )
        event = CouncilAssigned(self.initiative.initiative_id, council, by, at)
        return state._decide_if_complete((event,), at)

    def score(
        self,
        reviewer_id: str,
        scores: Mapping[str, Number],
        vote_for: bool,
        private_note: str | None = None,
        *,
        at: datetime,
        replaying: bool = False,
    ) -> Result:
        """Record (or replace, until the decision) a member's scorecard (`replaying`: one
        recorded before, as `assign` replays a seating)."""
        self._check_open()
        if reviewer_id not in self.council:
            refuse("reviewer_id", "not_assigned", reviewer=reviewer_id)
        if reviewer_id in self.initiative.author_ids and not replaying:
            # Seated before an amendment made them an author: a new council replaces them.
            refuse("reviewer_id", "author_as_reviewer", reviewer=reviewer_id)
        card = Scorecard(
            reviewer_id=reviewer_id,
            scores=MappingProxyType(self._checked(scores)),
            vote_for=vote_for,
            private_note=(private_note or "").strip() or None,
            at=at,
        )
        revised = self.scorecard(reviewer_id) is not None
        others = tuple(c for c in self.scorecards if c.reviewer_id != reviewer_id)
        state = replace(self, scorecards=_in_council_order((*others, card), self.council))
        event = ScoreRecorded(self.initiative.initiative_id, reviewer_id, revised, at)
        return state._decide_if_complete((event,), at)

    def return_to_author(self, by: str, reason: str, *, at: datetime) -> Result:
        """Send it back to its authors to complete (trả lại để bổ sung); ends this review."""
        self._check_open()
        reason = reason.strip()
        if not reason:
            refuse("reason", "reason_required")
        state = replace(self, returned=Returned(by, reason, at))
        return state, (InitiativeReturned(**self._facts(at), reason=reason),)

    # --- the rule ---

    def weighted_score(self, card: Scorecard) -> Fraction:
        """Σ weight × score of one scorecard, exactly (no decimal context can round it)."""
        return sum(
            (Fraction(c.weight) * Fraction(card.scores[c.code]) for c in self.rules.criteria),
            Fraction(0),
        )

    def _decide_if_complete(self, events: tuple[Event, ...], at: datetime) -> Result:
        if not self.council or len(self.scorecards) < len(self.council):
            return self, events
        if set(self.council) & set(self.initiative.author_ids):
            # A member an amendment made an author sits on it: whatever they scored before,
            # it waits for a council without them (their own vote would count).
            return self, events
        rule = self.rules.council_rule
        size = len(self.council)
        votes_for = sum(1 for card in self.scorecards if card.vote_for)
        # Exact arithmetic: the mean of a sum does not depend on the order members scored in,
        # and 2 of 3 is exactly two thirds.
        weighted = sum((self.weighted_score(c) for c in self.scorecards), Fraction(0)) / size
        enough_votes = votes_for >= rule.min_share_of_votes * size
        recognised = enough_votes and weighted >= Fraction(rule.min_weighted_score)
        outcome = Outcome.recognised if recognised else Outcome.not_recognised
        state = replace(self, decision=Decision(outcome, weighted, votes_for, size, at))
        facts = {
            **self._facts(at),
            "weighted_score": float(weighted),
            "votes_for": votes_for,
            "council_size": size,
        }
        decided = InitiativeRecognised(**facts) if recognised else InitiativeNotRecognised(**facts)
        return state, (*events, decided)

    # --- checks ---

    def _check_open(self) -> None:
        if self.status in _OUTCOMES:
            vietnamese, english = _OUTCOMES[self.status]
            refuse("status", "already_decided", outcome_vi=vietnamese, outcome_en=english)

    def _checked(self, scores: Mapping[str, Number]) -> dict[str, Decimal]:
        criteria = self.rules.criteria
        scale = self.rules.scale
        known = [c.code for c in criteria]
        problems = [
            _problem(f"scores.{code}", "unknown_criterion", code=code, known=", ".join(known))
            for code in scores
            if code not in known
        ]
        checked: dict[str, Decimal] = {}
        for criterion in criteria:
            where = f"scores.{criterion.code}"
            if criterion.code not in scores:
                problems.append(
                    _problem(where, "missing_criterion", code=criterion.code, name=criterion.name)
                )
                continue
            value = _as_decimal(scores[criterion.code])
            if value is None:
                problems.append(_problem(where, "not_a_number"))
            elif not scale.contains(value):
                score = scores[criterion.code]
                problems.append(
                    _problem(where, "out_of_scale", score=score, min=scale.min, max=scale.max)
                )
            else:
                checked[criterion.code] = value
        if problems:
            raise ReviewError(problems)
        return checked

    def _facts(self, at: datetime) -> dict[str, Any]:
        """What every decision event says about the initiative (never a private note)."""
        initiative = self.initiative
        return {
            "initiative_id": initiative.initiative_id,
            "campaign_code": initiative.campaign_code,
            "phase_code": initiative.phase_code,
            "unit_code": initiative.unit_code,
            "title": initiative.title,
            # A confidential initiative's authors too: confidentiality hides its content,
            # not the people to be told and rewarded.
            "author_ids": initiative.author_ids,
            "decided_at": at,
        }


def _as_decimal(value: object) -> Decimal | None:
    # bool is an int to Python, but "True" is not a score. A float is read as the decimal it
    # prints as, so 6.1 means 6.1 and not 6.0999999999999996447286321199499070644378662109375.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    number = Decimal(value)
    return number if number.is_finite() else None


def _in_council_order(cards: Iterable[Scorecard], council: Sequence[str]) -> tuple[Scorecard, ...]:
    # The state then does not depend on the order members scored in.
    return tuple(sorted(cards, key=lambda card: council.index(card.reviewer_id)))


# --- across reviews --------------------------------------------------------------------------


def pending_for(reviewer_id: str, reviews: Iterable[Review]) -> tuple[Review, ...]:
    """The open reviews, in the given order, still waiting for this member's scorecard."""
    return tuple(review for review in reviews if review.awaits(reviewer_id))


def assign_many(
    reviews: Sequence[Review],
    reviewer_ids: Sequence[str],
    per_initiative: int,
    strategy: Literal["round_robin"] = "round_robin",
    *,
    by: str,
    at: datetime,
) -> tuple[tuple[Review, ...], tuple[Event, ...]]:
    """Seat a council of `per_initiative` members on each review, from a pool of reviewers.

    Each review takes the least-loaded members of the pool who are not its authors; ties go
    to the next in turn (round robin), so the same input always gives the same councils and
    loads differ by at most one unless authorship forces otherwise. All or nothing: a review
    that cannot be seated refuses the whole batch.
    """
    if strategy != "round_robin":
        raise ValueError(f"unknown assignment strategy {strategy!r}")
    pool = tuple(reviewer_ids)
    duplicates = [
        _problem(f"reviewer_ids.{i}", "duplicate_reviewer", reviewer=r)
        for i, r in enumerate(pool)
        if r in pool[:i]
    ]
    if duplicates:
        raise ReviewError(duplicates)
    load = dict.fromkeys(pool, 0)
    turn = 0
    states: list[Review] = []
    events: list[Event] = []
    for review in reviews:
        rotation = pool[turn:] + pool[:turn]
        eligible = [r for r in rotation if r not in review.initiative.author_ids]
        if len(eligible) < per_initiative:
            refuse("reviewer_ids", "council_too_small", min=per_initiative, count=len(eligible))
        # sorted() is stable: among equal loads, the rotation's order decides.
        council = sorted(eligible, key=load.__getitem__)[:per_initiative]
        # A council is listed in the pool's order, whatever the turn: one canonical form.
        council.sort(key=pool.index)
        state, raised = review.assign(council, by, at=at)
        states.append(state)
        events.extend(raised)
        for reviewer in council:
            load[reviewer] += 1
        turn = (turn + per_initiative) % len(pool) if pool else 0
    return tuple(states), tuple(events)
