"""Initiative review by a council, with the 2022 campaign's real criteria, scale and rule."""

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from uuid import UUID, uuid5

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.scoring.domain.council import (
    CouncilAssigned,
    Event,
    Initiative,
    Number,
    Outcome,
    Review,
    ReviewError,
    ScoreRecorded,
    Status,
    assign_many,
    pending_for,
)
from shared.campaign.loader import load_campaign
from shared.contracts import InitiativeNotRecognised, InitiativeRecognised, InitiativeReturned

CAMPAIGN = load_campaign(Path(__file__).resolve().parents[2] / "campaigns" / "2022.yaml")
RULES = CAMPAIGN.initiative_review
CODES = tuple(c.code for c in RULES.criteria)  # novelty, applicability, effectiveness, scope

AT = datetime(2022, 5, 10, 2, 0, tzinfo=UTC)
COUNCIL = ("PVGAS-0101", "BSR-0202", "PVPOWER-0303")
AUTHOR = "PVGAS-0012"
SECRETARY = "CDDKVN-0001"

VIETNAMESE = set("ăâđêôơưáàảãạếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def initiative(
    number: int = 1, authors: tuple[str, ...] = (AUTHOR,), confidential: bool = False
) -> Initiative:
    return Initiative(
        initiative_id=uuid5(UUID(int=0), f"initiative-{number}"),
        campaign_code=CAMPAIGN.code,
        phase_code="dot-1",
        unit_code="PVGAS-KCM",
        title=f"Sáng kiến số {number}: cải tiến quy trình bảo dưỡng máy nén khí",
        author_ids=authors,
        confidential=confidential,
    )


def fresh(
    number: int = 1, authors: tuple[str, ...] = (AUTHOR,), confidential: bool = False
) -> Review:
    return Review(initiative(number, authors, confidential), RULES)


def seated(council: Sequence[str] = COUNCIL, confidential: bool = False) -> Review:
    review, _ = fresh(confidential=confidential).assign(council, SECRETARY, at=AT)
    return review


def even(score: Number) -> dict[str, Number]:
    return dict.fromkeys(CODES, score)


def run(
    review: Review, cards: Sequence[tuple[str, Mapping[str, Number], bool]]
) -> tuple[Review, list[Event]]:
    events: list[Event] = []
    for minute, (reviewer, scores, vote_for) in enumerate(cards):
        review, raised = review.score(reviewer, scores, vote_for, at=AT + timedelta(minutes=minute))
        events.extend(raised)
    return review, events


def decided(review: Review, votes: Sequence[bool], scores: Mapping[str, Number]) -> Review:
    state, _ = run(review, [(r, scores, v) for r, v in zip(review.council, votes, strict=True)])
    return state


def refusal(error: pytest.ExceptionInfo[ReviewError], code: str) -> None:
    """The refusal carries its code and a message a person can read, in both languages."""
    assert error.value.code == code
    assert set(error.value.message_vi) & VIETNAMESE, error.value.message_vi
    assert error.value.message_en
    assert error.value.message_vi != error.value.message_en


def test_the_2022_rule_is_the_one_the_file_states() -> None:
    assert CODES == ("novelty", "applicability", "effectiveness", "scope")
    assert [c.weight for c in RULES.criteria] == [
        Decimal(w) for w in ("0.30", "0.25", "0.35", "0.10")
    ]
    assert RULES.council_rule.min_members == 3
    assert RULES.council_rule.min_share_of_votes == Fraction(2, 3)
    assert RULES.council_rule.min_weighted_score == Decimal(6)


# --- the decision rule -----------------------------------------------------------------------


def test_two_of_three_for_is_exactly_two_thirds_and_recognises() -> None:
    review, events = run(
        seated(),
        [(COUNCIL[0], even(8), True), (COUNCIL[1], even(8), False), (COUNCIL[2], even(8), True)],
    )
    assert review.status is Status.recognised
    decision = events[-1]
    assert isinstance(decision, InitiativeRecognised)
    assert (decision.votes_for, decision.council_size, decision.weighted_score) == (2, 3, 8.0)
    assert decision.decided_at == AT + timedelta(minutes=2)  # the last scorecard decides
    assert decision.author_ids == (AUTHOR,)


def test_one_of_three_for_is_not_recognised_whatever_the_score() -> None:
    review, events = run(
        seated(),
        [
            (COUNCIL[0], even(10), True),
            (COUNCIL[1], even(10), False),
            (COUNCIL[2], even(10), False),
        ],
    )
    assert review.status is Status.not_recognised
    assert isinstance(events[-1], InitiativeNotRecognised)
    assert (events[-1].votes_for, events[-1].weighted_score) == (1, 10.0)


@pytest.mark.parametrize(
    ("votes_for", "outcome"), [(2, Outcome.not_recognised), (3, Outcome.recognised)]
)
def test_the_share_is_of_the_whole_council(votes_for: int, outcome: Outcome) -> None:
    # Two thirds of four is 2.67: two votes are not enough, three are.
    council = (*COUNCIL, "PVEP-0404")
    votes = [True] * votes_for + [False] * (4 - votes_for)
    review = decided(seated(council), votes, even(9))
    assert review.decision is not None and review.decision.outcome is outcome


def test_a_weighted_score_of_exactly_the_threshold_recognises() -> None:
    review = decided(seated(), [True, True, True], even(6))
    assert review.decision is not None
    assert review.decision.weighted_score == 6
    assert review.status is Status.recognised


def test_just_below_the_threshold_is_not_recognised() -> None:
    # One member takes a tenth off scope (weight 0.10): 5.99 for them, a mean of 5.9966…
    below = even(6) | {"scope": Decimal("5.9")}
    review, events = run(
        seated(),
        [(COUNCIL[0], even(6), True), (COUNCIL[1], even(6), True), (COUNCIL[2], below, True)],
    )
    assert review.decision is not None
    assert review.decision.weighted_score == Fraction(1799, 300)
    assert review.status is Status.not_recognised
    assert isinstance(events[-1], InitiativeNotRecognised)
    assert events[-1].weighted_score == pytest.approx(5.99667, abs=1e-5)


def test_weights_are_applied_not_a_plain_mean() -> None:
    # A plain mean of these is 6.5; weighted, the poor effectiveness (0.35) pulls it to 5.5.
    scores = {"novelty": 6, "applicability": 8, "effectiveness": 2, "scope": 10}
    review = decided(seated(), [True, True, True], scores)
    assert review.decision is not None
    assert review.decision.weighted_score == Fraction(11, 2)
    assert review.status is Status.not_recognised


def test_each_weight_counts_its_own_criterion() -> None:
    review = seated()
    for criterion in RULES.criteria:
        review, _ = review.score(COUNCIL[0], even(0) | {criterion.code: 10}, True, at=AT)
        card = review.scorecard(COUNCIL[0])
        assert card is not None and review.weighted_score(card) == 10 * criterion.weight


def test_a_member_may_change_their_score_until_the_decision() -> None:
    review, first = run(seated(), [(COUNCIL[0], even(3), False), (COUNCIL[1], even(8), True)])
    review, changed = review.score(COUNCIL[0], even(7), True, "Đã xem lại số liệu", at=AT)
    assert changed == (ScoreRecorded(review.initiative.initiative_id, COUNCIL[0], True, AT),)
    assert [e.revised for e in first if isinstance(e, ScoreRecorded)] == [False, False]
    review, _ = review.score(COUNCIL[2], even(6), False, at=AT)
    assert review.status is Status.recognised  # with the changed vote and scores
    assert review.decision is not None and review.decision.weighted_score == Fraction(7)
    with pytest.raises(ReviewError) as error:
        review.score(COUNCIL[0], even(2), False, at=AT)
    refusal(error, "already_decided")


def test_private_notes_are_kept_but_never_published() -> None:
    note = "Tác giả là người quen của tôi - ghi chú riêng"
    review, events = run(seated(), [(COUNCIL[0], even(8), True), (COUNCIL[1], even(8), True)])
    review, raised = review.score(COUNCIL[2], even(8), True, note, at=AT)
    card = review.scorecard(COUNCIL[2])
    assert card is not None and card.private_note == note
    for event in (*events, *raised):
        assert note not in repr(event)
        if isinstance(event, InitiativeRecognised):
            assert note not in event.model_dump_json()
            assert "note" not in event.model_dump()


def test_a_confidential_initiatives_decision_names_its_authors_to_tell_and_reward_them() -> None:
    review, events = run(seated(confidential=True), [(r, even(9), True) for r in COUNCIL])
    assert review.status is Status.recognised
    assert review.initiative.author_ids == (AUTHOR,)  # known, so refused a seat
    assert isinstance(events[-1], InitiativeRecognised) and events[-1].author_ids == (AUTHOR,)


def test_replacing_the_council_keeps_the_scores_of_members_who_stay() -> None:
    review, _ = run(seated(), [(COUNCIL[0], even(9), True), (COUNCIL[2], even(9), True)])
    council = (COUNCIL[0], "PVEP-0404", COUNCIL[2])
    review, events = review.assign(council, SECRETARY, at=AT)
    assert [c.reviewer_id for c in review.scorecards] == [COUNCIL[0], COUNCIL[2]]
    assert events == (CouncilAssigned(review.initiative.initiative_id, council, SECRETARY, AT),)
    review, events = review.score("PVEP-0404", even(9), True, at=AT)
    assert review.status is Status.recognised


# --- refusals --------------------------------------------------------------------------------


def test_only_a_member_of_the_council_scores() -> None:
    with pytest.raises(ReviewError) as error:
        seated().score("PVEP-0404", even(8), True, at=AT)
    refusal(error, "not_assigned")
    assert error.value.field == "reviewer_id"
    assert "PVEP-0404" in error.value.message_vi and "PVEP-0404" in error.value.message_en


def test_a_review_without_a_council_takes_no_score() -> None:
    with pytest.raises(ReviewError) as error:
        fresh().score(COUNCIL[0], even(8), True, at=AT)
    refusal(error, "not_assigned")


@pytest.mark.parametrize(
    ("scores", "field", "code"),
    [
        (even(8) | {"originality": 9}, "scores.originality", "unknown_criterion"),
        (even(8) | {"novelty": 11}, "scores.novelty", "out_of_scale"),
        (even(8) | {"scope": Decimal("-0.5")}, "scores.scope", "out_of_scale"),
        (even(8) | {"scope": float("nan")}, "scores.scope", "not_a_number"),
        (even(8) | {"scope": True}, "scores.scope", "not_a_number"),
        (
            {c: 8 for c in CODES if c != "effectiveness"},
            "scores.effectiveness",
            "missing_criterion",
        ),
    ],
)
def test_a_scorecard_must_fit_the_criteria_and_the_scale(
    scores: dict[str, Number], field: str, code: str
) -> None:
    with pytest.raises(ReviewError) as error:
        seated().score(COUNCIL[0], scores, True, at=AT)
    refusal(error, code)
    assert error.value.field == field


def test_every_problem_of_a_scorecard_is_reported_at_once() -> None:
    scores: dict[str, Number] = {"novelty": 12, "applicability": 5, "scope": 5, "impact": 5}
    with pytest.raises(ReviewError) as error:
        seated().score(COUNCIL[0], scores, True, at=AT)
    assert [(p.field, p.code) for p in error.value.problems] == [
        ("scores.impact", "unknown_criterion"),
        ("scores.novelty", "out_of_scale"),
        ("scores.effectiveness", "missing_criterion"),
    ]
    assert "Hiệu quả" in error.value.problems[2].message_vi
    assert "effectiveness" not in error.value.problems[2].message_vi  # shown beside its field
    assert "0 đến 10" in error.value.problems[1].message_vi
    assert "0 to 10" in error.value.problems[1].message_en


def test_a_council_needs_the_rules_minimum() -> None:
    with pytest.raises(ReviewError) as error:
        fresh().assign(COUNCIL[:2], SECRETARY, at=AT)
    refusal(error, "council_too_small")
    assert "3" in error.value.message_vi and "3" in error.value.message_en


def test_an_author_never_reviews_their_own_initiative() -> None:
    with pytest.raises(ReviewError) as error:
        fresh().assign((*COUNCIL[:2], AUTHOR), SECRETARY, at=AT)
    refusal(error, "author_as_reviewer")
    assert error.value.field == "reviewer_ids.2"


def test_a_member_sits_once() -> None:
    with pytest.raises(ReviewError) as error:
        fresh().assign((*COUNCIL, COUNCIL[0]), SECRETARY, at=AT)
    refusal(error, "duplicate_reviewer")


def test_a_decided_review_changes_no_more() -> None:
    review = decided(seated(), [True, True, False], even(8))
    with pytest.raises(ReviewError) as error:
        review.assign(COUNCIL, SECRETARY, at=AT)
    refusal(error, "already_decided")
    assert "đã công nhận" in error.value.message_vi
    assert "recognised" in error.value.message_en
    with pytest.raises(ReviewError) as error:
        review.return_to_author(SECRETARY, "Bổ sung số liệu", at=AT)
    refusal(error, "already_decided")


# --- return to the authors -------------------------------------------------------------------


def test_return_to_the_authors_with_a_reason() -> None:
    review, _ = run(seated(), [(COUNCIL[0], even(5), False)])
    reason = "Bổ sung số liệu giá trị làm lợi đã được kiểm toán"
    returned, events = review.return_to_author(COUNCIL[0], f"  {reason}\n", at=AT)
    assert returned.status is Status.returned
    assert returned.returned is not None and returned.returned.by == COUNCIL[0]
    (event,) = events
    assert isinstance(event, InitiativeReturned)
    assert (event.reason, event.decided_at, event.author_ids) == (reason, AT, (AUTHOR,))
    with pytest.raises(ReviewError) as error:
        returned.score(COUNCIL[1], even(8), True, at=AT)
    refusal(error, "already_decided")
    assert "trả lại" in error.value.message_vi


def test_a_return_needs_a_reason() -> None:
    with pytest.raises(ReviewError) as error:
        fresh().return_to_author(SECRETARY, "   ", at=AT)
    refusal(error, "reason_required")
    assert error.value.field == "reason"


# --- across reviews --------------------------------------------------------------------------


POOL = ("R-01", "R-02", "R-03", "R-04", "R-05")


def test_bulk_assignment_is_balanced_and_never_seats_an_author() -> None:
    # Some initiatives are authored by members of the pool.
    reviews = [
        fresh(n, authors=(f"R-0{n % 5 + 1}", AUTHOR) if n % 2 else (AUTHOR,)) for n in range(10)
    ]
    states, events = assign_many(reviews, POOL, 3, by=SECRETARY, at=AT)
    load = Counter(r for s in states for r in s.council)
    assert sum(load.values()) == 30
    assert max(load.values()) - min(load.values()) <= 1
    for state in states:
        assert len(set(state.council)) == 3
        assert not set(state.council) & set(state.initiative.author_ids)
        assert state.status is Status.under_review
    assert len(events) == 10 and all(isinstance(e, CouncilAssigned) for e in events)
    # Deterministic: the same input gives the same councils.
    assert assign_many(reviews, POOL, 3, by=SECRETARY, at=AT) == (states, events)


def test_bulk_assignment_refuses_when_too_few_reviewers_are_not_authors() -> None:
    reviews = [fresh(1), fresh(2, authors=("R-01", "R-02"))]
    with pytest.raises(ReviewError) as error:
        assign_many(reviews, POOL[:4], 3, by=SECRETARY, at=AT)
    refusal(error, "council_too_small")


def test_bulk_assignment_keeps_the_rules_minimum() -> None:
    with pytest.raises(ReviewError) as error:
        assign_many([fresh(1)], POOL, 2, by=SECRETARY, at=AT)
    refusal(error, "council_too_small")


def test_pending_for_lists_what_still_waits_for_the_reviewers_score() -> None:
    waiting = seated()
    scored, _ = seated().score(COUNCIL[0], even(7), True, at=AT)
    closed = decided(seated(), [True, True, True], even(7))
    returned, _ = seated().return_to_author(SECRETARY, "Thiếu minh chứng áp dụng", at=AT)
    elsewhere = seated(("R-01", "R-02", "R-03"))
    unassigned = fresh()
    reviews = [waiting, scored, closed, returned, elsewhere, unassigned]
    assert pending_for(COUNCIL[0], reviews) == (waiting,)
    assert pending_for(COUNCIL[1], reviews) == (waiting, scored)
    assert pending_for("R-01", reviews) == (elsewhere,)


# --- order independence ----------------------------------------------------------------------

_SCORE = st.one_of(
    st.integers(0, 10),
    st.decimals(0, 10, places=2),
    st.floats(0, 10, allow_nan=False, allow_infinity=False),
)
_CARD = st.tuples(st.fixed_dictionaries(dict.fromkeys(CODES, _SCORE)), st.booleans())


@given(
    st.lists(_CARD, min_size=3, max_size=7).flatmap(
        lambda cards: st.tuples(st.just(cards), st.permutations(range(len(cards))))
    )
)
def test_the_order_of_scorecards_changes_neither_decision_nor_score(
    drawn: tuple[list[tuple[dict[str, Number], bool]], list[int]],
) -> None:
    cards, order = drawn
    council = tuple(f"M-{i}" for i in range(len(cards)))
    start, _ = fresh().assign(council, SECRETARY, at=AT)

    def submit(sequence: Sequence[int]) -> tuple[Review, Event]:
        review, raised = start, tuple[Event, ...]()
        for i in sequence:
            scores, vote_for = cards[i]
            review, raised = review.score(council[i], scores, vote_for, at=AT)
        return review, raised[-1]

    in_order, decision = submit(range(len(cards)))
    shuffled, same = submit(order)
    assert in_order.decision is not None
    assert shuffled.decision == in_order.decision
    assert same == decision
    assert shuffled == in_order  # the whole state, since every card carries the same time
