"""The demo year's story, before anything is sent: the same seed tells the same year, and what
it would send passes the rules the services apply."""

from collections import Counter
from datetime import date

import pytest

from services.submissions.demo import UNITS
from services.submissions.demo_year.story import (
    AS_OF,
    PHASE_1_CLOSED_ON,
    PHASE_1_END,
    Year,
    acts_in_order,
    league,
    plan_year,
)
from shared.contracts.bounds import VND_MAX


@pytest.fixture(scope="module")
def full() -> Year:
    return plan_year(UNITS)


def test_the_same_seed_tells_the_same_year_and_another_seed_another() -> None:
    first, again = plan_year(UNITS, size="small"), plan_year(UNITS, size="small")
    other = plan_year(UNITS, size="small", seed=7)
    rows = [i.row() for i in first.initiatives.values()]
    assert rows == [i.row() for i in again.initiatives.values()]
    assert rows != [i.row() for i in other.initiatives.values()]


def test_about_2400_initiatives_crossing_2000_in_october(full: Year) -> None:
    initiatives = list(full.initiatives.values())
    assert len(initiatives) == 2400
    by_day = sorted(i.received_on for i in initiatives if not i.withdrawn_on)
    assert by_day[1999].month == 10 and by_day[-1] <= AS_OF
    assert len({i.title for i in initiatives}) == len(initiatives)  # the import's matching
    assert len(Counter(i.field for i in initiatives)) == 6


def test_each_initiative_is_valid_as_a_submission(full: Year) -> None:
    for initiative in full.initiatives.values():
        assert sum(a.share_percent for a in initiative.authors) == 100
        assert all(a.share_percent >= 1 for a in initiative.authors)
        assert 1 <= len(initiative.authors) <= 4
        assert len({a.member_id for a in initiative.authors}) == len(initiative.authors)
        assert initiative.received_on.weekday() < 5
        assert initiative.first_applied_on <= initiative.received_on
        assert (initiative.phase == "dot-1") == (initiative.received_on <= PHASE_1_END)
        benefit = initiative.expected_benefit_vnd
        assert benefit is None or 10_000_000 <= benefit <= min(VND_MAX, 10**11)
    assert 0 < sum(i.confidential for i in full.initiatives.values()) < 100


def test_councils_decide_most_and_phase_1_before_its_close(full: Year) -> None:
    initiatives = list(full.initiatives.values())
    decided = full.decided()
    assert len(decided) > 0.75 * len(initiatives)
    assert all(i.sitting and i.sitting <= PHASE_1_CLOSED_ON for i in decided if i.phase == "dot-1")
    returned = [i for i in initiatives if i.returned]
    assert returned and any(i.second_sitting for i in returned)
    assert any(not i.resubmitted_on for i in returned)  # some still with their authors
    for i in decided:
        assert len(i.cards) == 3


def test_a_step_keys_in_before_its_council_sits_and_closes_before_phase_2s_files(
    full: Year,
) -> None:
    keyed: set[str] = set()
    for step in full.steps:
        for act in acts_in_order(step):
            if act.kind == "import":
                keyed |= set(act.initiatives)
            if act.kind in ("sit", "withdraw", "resubmit", "seat"):
                assert set(act.initiatives) <= keyed, (step.day, act.kind)
        kinds = [a.kind for a in acts_in_order(step)]
        if "close_phase_1" in kinds:
            assert kinds.index("sit") < kinds.index("close_phase_1") < kinds.index("import")
    assert keyed == set(full.initiatives)


@pytest.mark.parametrize("size", ["small", "full"])
def test_each_league_has_one_union_at_its_top(size: str) -> None:
    year = plan_year(UNITS, size=size)
    for phase in ("dot-1", "dot-2"):
        first, second = league(year, phase)[:2]
        assert first[1:] != second[1:]


def test_the_story_stops_on_a_day_of_the_second_half_year() -> None:
    with pytest.raises(ValueError):
        plan_year(UNITS, size="small", as_of=date(2022, 6, 1))
    earlier = plan_year(UNITS, size="small", as_of=date(2022, 10, 20))
    assert earlier.steps[-1].day == date(2022, 10, 20)
