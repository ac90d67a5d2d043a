"""How the player runs a step's acts at once without changing what they do: every act once, in
its order wherever one depends on another, the close between what comes before and after it."""

import pytest

from services.submissions.demo import UNITS
from services.submissions.demo_year.player import BARRIERS, LANES, stages
from services.submissions.demo_year.story import (
    PHASE_1_CLOSED_ON,
    Act,
    Year,
    acts_in_order,
    plan_year,
)


@pytest.fixture(scope="module", params=["full", "small"])
def year(request: pytest.FixtureRequest) -> Year:
    return plan_year(UNITS, size=request.param)


def test_every_act_once_and_each_lane_in_the_steps_order(year: Year) -> None:
    for step in year.steps:
        acts = acts_in_order(step)
        played = [act for stage in stages(acts) for lane in stage for act in lane]
        assert sorted(map(id, played)) == sorted(map(id, acts)), step.day
        for stage in stages(acts):
            for lane in stage:
                positions = [next(n for n, a in enumerate(acts) if a is act) for act in lane]
                assert positions == sorted(positions), step.day


def test_acts_at_once_share_no_initiative_and_chains_stay_in_one_lane(year: Year) -> None:
    """But for what the stage imports: an act on that waits for its id (Player._known)."""
    for step in year.steps:
        for stage in stages(acts_in_order(step)):
            touched = [
                {k for act in lane if act.kind != "import" for k in act.initiatives}
                for lane in stage
            ]
            for n, keys in enumerate(touched):
                assert not keys & set().union(*touched[n + 1 :]), step.day
            groups = [{LANES.get(a.kind) for a in lane} - {None} for lane in stage]
            for n, group in enumerate(groups):
                assert not group & set().union(*groups[n + 1 :]), step.day


def test_the_plan_and_the_close_wait_for_all_before_them_and_all_after_wait_for_them(
    year: Year,
) -> None:
    for step in year.steps:
        for stage in stages(acts_in_order(step)):
            if any(a.kind in BARRIERS for lane in stage for a in lane):
                assert len(stage) == 1 and len(stage[0]) == 1
    close_day = next(s for s in year.steps if s.day == PHASE_1_CLOSED_ON)
    played = stages(acts_in_order(close_day))
    close = next(n for n, stage in enumerate(played) if stage[0][0].kind == "close_phase_1")

    def kinds(part: list[list[list[Act]]]) -> set[tuple[str, str | None]]:
        return {
            (a.kind, a.report.phase if a.report else None)
            for stage in part
            for lane in stage
            for a in lane
        }

    before, after = kinds(played[:close]), kinds(played[close + 1 :])
    assert ("sit", None) in before and ("report", "dot-1") in before
    assert ("import", None) in after and ("report", "dot-2") in after
    assert not {k for k in before if k[1] == "dot-2" or k[0] == "import"}
    assert not {k for k in after if k[1] == "dot-1" or k[0] == "sit"}


def test_councils_sit_while_the_new_files_are_keyed_in(year: Year) -> None:
    """What the lanes are for: on most days a council's sitting and the officers' import go
    to scoring and submissions at once."""
    both = apart = 0
    for step in year.steps:
        kinds = {a.kind for a in acts_in_order(step)}
        both += {"sit", "import"} <= kinds and step.day != PHASE_1_CLOSED_ON
        for stage in stages(acts_in_order(step)):
            lanes = [{a.kind for a in lane} for lane in stage]
            apart += any("sit" in k and "import" not in k for k in lanes) and any(
                "import" in k for k in lanes
            )
    assert apart == both > 0
