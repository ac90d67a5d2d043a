"""The figures the dashboard shows, read for its API and its page alike (so that the two
cannot disagree): progress on the seven targets, the league table, the trend toward the
initiatives goal, initiatives by field, the honour board. Each takes a campaign (and phase)
already found; who may ask is the caller's business.
"""

import asyncio
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.labels import field_label
from services.reporting.queries import (
    closed_levels,
    measure,
    phases_to_date,
    read_inputs,
    target_rows,
)
from services.reporting.tables import (
    COUNTED,
    ClosedStandingRow,
    Core,
    StandingRow,
    UnitView,
    initiative_sums,
    with_unit,
)
from shared.campaign.calendar import as_of
from shared.campaign.model import Campaign, Count, Phase
from shared.campaign.progress import reason_en, summary_text
from shared.clock import Clock, today
from shared.contracts.vocabulary import AwardStatus
from shared.formatting import VIETNAM_TIME, format_date, format_vnd
from shared.unit_tree import within as within_tree
from shared.unit_tree import within_where
from shared.upsert import table_of

M = TypeVar("M", bound=BaseModel)

LEAGUE_ROWS = 20
"""A league's page: the affiliated unions of a federation fit on one (the page's league, and
the API's default)."""


class Answers:
    """Answers of the materialised figures, by request and by when the figures were computed:
    the same question asked again before the next refresh is answered without the database's
    rows (a dashboard is looked at far more often than the figures change). Made in
    `bootstrap.define`, reached through `dependencies.DashboardAnswers`."""

    def __init__(self, kept: int = 512) -> None:
        self._kept = kept
        self._answers: OrderedDict[tuple[Any, ...], BaseModel] = OrderedDict()

    def recall(self, key: tuple[Any, ...], computed_at: datetime) -> BaseModel | None:
        answer = self._answers.get((*key, computed_at))
        if answer is not None:
            self._answers.move_to_end((*key, computed_at))
        return answer

    def remember(self, key: tuple[Any, ...], computed_at: datetime, answer: M) -> M:
        self._answers[(*key, computed_at)] = answer
        while len(self._answers) > self._kept:
            self._answers.popitem(last=False)
        return answer


class LaggingUnitPublic(BaseModel):
    code: str
    name: str
    reason: str = Field(description="Why it is not met, in Vietnamese.")
    reason_en: str | None = Field(
        default=None, description="The same in English; null: shown in Vietnamese only."
    )


class TargetPublic(BaseModel):
    number: int
    name: str
    name_en: str | None = Field(
        default=None, description="Its English name, if the campaign file gives one."
    )
    kind: str = Field(description="share_of_units | count | none_overdue")
    population: str
    achieved: int = Field(description="Units meeting it, or initiatives counted.")
    total: int = Field(description="Units measured, or the count's goal.")
    goal: float = Field(description="Percent of units, or the count's goal.")
    percent: float
    met: bool
    exceeded: bool
    summary: str = Field(description="The figures in a sentence, in Vietnamese.")
    summary_en: str = Field(default="", description="The same in English.")
    lagging_count: int
    lagging: list[LaggingUnitPublic] = Field(description="The first `lagging_limit` of them.")


class ProgressPublic(BaseModel):
    campaign_code: str
    phase_code: str
    phase_name: str
    computed_at: datetime
    computed_at_display: str
    targets: list[TargetPublic]


class StandingPublic(BaseModel):
    rank: int
    unit_code: str
    name: str
    level: str
    points: int = Field(description="Emulation points, 0-100: the ranking's first criterion.")
    targets_met: int
    missed: dict[str, str] = Field(description="Target number -> why it is not met.")
    missed_en: dict[str, str] = Field(
        default_factory=dict,
        description="The same in English, for the reasons that have English (the others are "
        "shown in Vietnamese).",
    )
    submitted: int
    recognised: int
    benefit_vnd: int
    benefit_display: str


class LeaguePublic(BaseModel):
    campaign_code: str
    phase_code: str
    level: str
    closed: bool = Field(
        description="The standings scoring published at the phase's close (final); false: "
        "the live ranking of an open phase, by the same ordering."
    )
    total: int
    rows: list[StandingPublic]


class PhasePublic(BaseModel):
    code: str
    name: str
    starts_on: date
    ends_on: date
    review: str
    report_due_on: date


class TrendDay(BaseModel):
    day: date
    submitted: int
    recognised: int
    cumulative_submitted: int
    cumulative_recognised: int


class TrendPublic(BaseModel):
    campaign_code: str
    as_of: date = Field(
        description="The day the figures are shown as of (Đến ngày …): the campaign's today, "
        "or the last day of its period once it is over."
    )
    goal: int | None = Field(description="The initiatives count target's goal, if any.")
    phases: list[PhasePublic]
    days: list[TrendDay]


class FieldPublic(BaseModel):
    field: str
    label_vi: str
    label_en: str
    submitted: int
    recognised: int
    benefit_vnd: int


class HonouredInitiative(BaseModel):
    title: str
    unit_code: str
    unit_name: str
    field: str
    expected_benefit_vnd: int
    benefit_display: str
    submitted_on: date | None = Field(description="The campaign day it was received on.")


class HonouredAward(BaseModel):
    award_name: str
    level: str
    phase_code: str
    recipient_kind: str
    recipient_name: str
    unit_code: str
    unit_name: str


class HonourBoardPublic(BaseModel):
    campaign_code: str
    initiatives: list[HonouredInitiative]
    awards: list[HonouredAward]


# `lagging` is cut to size; the English is said here, from the stored figures and the file.
_TARGET_COLUMNS = TargetPublic.model_fields.keys() - {"lagging", "name_en", "summary_en"}


async def progress(
    session: AsyncSession,
    answers: Answers,
    plan: Campaign,
    phase: Phase,
    clock: Clock,
    lagging_limit: int,
) -> ProgressPublic:
    """The federation's figure on each target, its goal, and the first `lagging_limit` units
    that have not met it yet (year to date, as of the last refresh)."""
    at = await _computed_at(session, plan, phase.code)
    if at is None:  # never refreshed yet: computed for this answer, not kept
        unstored = await _compute(session, plan, phase.code, clock)
        return _progress(plan, phase, unstored.computed_at, unstored.targets, lagging_limit)
    key = ("progress", plan.code, phase.code, lagging_limit)
    if (answer := answers.recall(key, at)) is not None:
        return cast(ProgressPublic, answer)
    rows = [r._mapping for r in await _target_rows(session, plan, phase.code)]
    computed_at = min(r["computed_at"] for r in rows)
    return answers.remember(key, at, _progress(plan, phase, computed_at, rows, lagging_limit))


def _progress(
    plan: Campaign,
    phase: Phase,
    computed_at: datetime,
    rows: Sequence[Mapping[Any, Any]],
    lagging_limit: int,
) -> ProgressPublic:
    return ProgressPublic(
        campaign_code=plan.code,
        phase_code=phase.code,
        phase_name=phase.name,
        computed_at=computed_at,
        computed_at_display=_moment(computed_at),
        targets=[_target(plan, r, lagging_limit) for r in rows],
    )


def _target(plan: Campaign, row: Mapping[Any, Any], lagging_limit: int) -> TargetPublic:
    """A stored target row, with its English said from its figures and the campaign file."""
    number = row["number"]
    target = next((t for t in plan.targets if t.number == number), None)
    english = (
        summary_text(target, row["achieved"], row["total"], row["lagging_count"], "en")
        if target is not None
        else ""
    )
    return TargetPublic(
        **{k: v for k, v in row.items() if k in _TARGET_COLUMNS},
        name_en=target.name_en if target is not None else None,
        summary_en=english,
        lagging=[
            LaggingUnitPublic.model_validate(
                {**u, "reason_en": u.get("reason_en") or reason_en(u["reason"], plan)}
            )
            for u in row["lagging"][:lagging_limit]
        ],
    )


_STANDING_COLUMNS = StandingPublic.model_fields.keys() - {"missed_en"}  # said here


async def league(
    session: AsyncSession,
    answers: Answers,
    plan: Campaign,
    phase: Phase,
    clock: Clock,
    level: str,
    within: UnitView | None,
    limit: int,
    offset: int,
) -> LeaguePublic:
    """Units of a level ranked (the published standings of a closed phase, or live), only
    those of `within`'s subtree if given."""
    closed = level in await closed_levels(session, plan.code, phase.code)
    table = table_of(ClosedStandingRow if closed else StandingRow)
    where = [
        table.c.campaign_code == plan.code,
        table.c.phase_code == phase.code,
        table.c.level == level,
    ]
    if closed:
        computed_at = (
            await session.execute(select(func.max(table.c.computed_at)).where(*where))
        ).scalar_one()
    else:
        computed_at = await _computed_at(session, plan, phase.code)
    unit = None
    if within is not None:
        unit = within.code
        where.append(within_where(table.c.path, within.path))
    if computed_at is None:  # never refreshed yet: computed for this answer, not kept
        unstored = await _compute(session, plan, phase.code, clock)
        ranked = [
            r
            for r in unstored.league
            if r["level"] == level and (within is None or within_tree(r["path"], within.path))
        ]
        ranked.sort(key=lambda r: (r["rank"], r["unit_code"]))
        shown = ranked[offset : offset + limit]
        return _league(plan, phase, level, closed, len(ranked), shown)
    key = ("league", plan.code, phase.code, level, unit, limit, offset, closed)
    if (answer := answers.recall(key, computed_at)) is not None:
        return cast(LeaguePublic, answer)
    total = (await session.execute(select(func.count()).where(*where))).scalar_one()
    rows = (
        await session.execute(
            select(table)
            .where(*where)
            .order_by(table.c.rank, table.c.unit_code)
            .offset(offset)
            .limit(limit)
        )
    ).all()
    answer = _league(plan, phase, level, closed, total, [r._mapping for r in rows])
    return answers.remember(key, computed_at, answer)


def _league(
    plan: Campaign,
    phase: Phase,
    level: str,
    closed: bool,
    total: int,
    rows: Sequence[Mapping[Any, Any]],
) -> LeaguePublic:
    return LeaguePublic(
        campaign_code=plan.code,
        phase_code=phase.code,
        level=level,
        closed=closed,
        total=total,
        rows=[
            StandingPublic(
                **{k: v for k, v in r.items() if k in _STANDING_COLUMNS},
                missed_en=r.get("missed_en") or _missed_en(plan, r["missed"]),
                benefit_display=format_vnd(r["benefit_vnd"]),
            )
            for r in rows
        ],
    )


def _missed_en(plan: Campaign, missed: Mapping[str, str]) -> dict[str, str]:
    """Reasons stored without their English (sent by scoring before contracts 1.2), read back
    from the Vietnamese: those a template here words, in English."""
    english = {number: reason_en(why, plan) for number, why in missed.items()}
    return {number: text for number, text in english.items() if text is not None}


async def trend(session: AsyncSession, plan: Campaign, clock: Clock) -> TrendPublic:
    """Initiatives submitted (and later recognised) per campaign day they were received, with
    running totals, as of the campaign's today, against the goal and the plan's phases."""
    day_shown = as_of(plan, today(clock))
    rows = (
        await session.execute(
            select(
                Core.daily_tallies.c.day,
                func.sum(Core.daily_tallies.c.submitted),
                func.sum(Core.daily_tallies.c.recognised),
            )
            .where(Core.daily_tallies.c.campaign_code == plan.code)
            .group_by(Core.daily_tallies.c.day)
            .order_by(Core.daily_tallies.c.day)
        )
    ).all()
    days, submitted_total, recognised_total = [], 0, 0
    for day, submitted, recognised in rows:
        if not submitted and not recognised:
            continue  # every initiative of that day was withdrawn
        submitted_total += int(submitted)
        recognised_total += int(recognised)
        days.append(
            TrendDay(
                day=day,
                submitted=int(submitted),
                recognised=int(recognised),
                cumulative_submitted=submitted_total,
                cumulative_recognised=recognised_total,
            )
        )
    goal = next((t.indicator.goal for t in plan.targets if isinstance(t.indicator, Count)), None)
    return TrendPublic(
        campaign_code=plan.code,
        as_of=day_shown,
        goal=goal,
        phases=[
            PhasePublic(
                code=p.code,
                name=p.name,
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                review=p.closing_review.name,
                report_due_on=p.report_due_on,
            )
            for p in plan.phases
        ],
        days=days,
    )


async def by_field(
    session: AsyncSession, plan: Campaign, phase: Phase | None = None
) -> list[FieldPublic]:
    """Initiatives by field: the year to date, or to the end of `phase`."""
    query = select(Core.daily_tallies.c.field, *initiative_sums(Core.daily_tallies)).where(
        Core.daily_tallies.c.campaign_code == plan.code
    )
    if phase is not None:
        query = query.where(Core.daily_tallies.c.phase_code.in_(phases_to_date(plan, phase.code)))
    rows = (await session.execute(query.group_by(Core.daily_tallies.c.field))).all()
    return sorted(
        (
            FieldPublic(
                field=field,
                label_vi=field_label(field, "vi"),
                label_en=field_label(field, "en"),
                submitted=int(submitted),
                recognised=int(recognised),
                benefit_vnd=int(benefit),
            )
            for field, submitted, recognised, benefit in rows
            if submitted
        ),
        key=lambda f: (-f.submitted, f.field),
    )


# What the board shows of an award is the awards table's columns of the same names, and the
# unit's name.
_HONOURED_AWARD_COLUMNS = [name for name in HonouredAward.model_fields if name != "unit_name"]


async def honour_board(session: AsyncSession, plan: Campaign, limit: int) -> HonourBoardPublic:
    """Recognised initiatives of the greatest expected benefit, and the awards confirmed
    (newest first)."""
    campaign_code = plan.code
    unit_name = Core.units.c.name.label("unit_name")
    initiatives = (
        await session.execute(
            select(
                Core.initiatives.c.title,
                Core.initiatives.c.unit_code,
                unit_name,
                Core.initiatives.c.field,
                Core.initiatives.c.expected_benefit_vnd,
                Core.initiatives.c.day.label("submitted_on"),
            )
            .select_from(with_unit(Core.initiatives))
            .where(
                Core.initiatives.c.campaign_code == campaign_code,
                Core.initiatives.c.recognised.is_(True),
                COUNTED,
            )
            .order_by(
                Core.initiatives.c.expected_benefit_vnd.desc(), Core.initiatives.c.initiative_id
            )
            .limit(limit)
        )
    ).all()
    awards = (
        await session.execute(
            select(*(Core.awards.c[name] for name in _HONOURED_AWARD_COLUMNS), unit_name)
            .select_from(with_unit(Core.awards))
            .where(
                Core.awards.c.campaign_code == campaign_code,
                Core.awards.c.status == AwardStatus.confirmed,
            )
            .order_by(Core.awards.c.status_at.desc(), Core.awards.c.award_id)
            .limit(limit)
        )
    ).all()
    return HonourBoardPublic(
        campaign_code=campaign_code,
        initiatives=[
            HonouredInitiative(**i._mapping, benefit_display=format_vnd(i.expected_benefit_vnd))
            for i in initiatives
        ],
        awards=[HonouredAward(**a._mapping) for a in awards],
    )


async def _computed_at(session: AsyncSession, plan: Campaign, phase_code: str) -> datetime | None:
    """When the phase's figures were last computed (by the refresher); None if never."""
    query = select(Core.refresh_state.c.computed_at).where(
        Core.refresh_state.c.campaign_code == plan.code,
        Core.refresh_state.c.phase_code == phase_code,
    )
    return cast(datetime | None, (await session.execute(query)).scalar_one_or_none())


@dataclass(frozen=True)
class _Unstored:
    """A phase's figures computed for one answer and not kept: a GET never writes. Only
    before the refresher's first round of the phase (it computes the same, and keeps them)."""

    computed_at: datetime
    targets: list[dict[str, Any]]
    league: list[dict[str, Any]]


async def _compute(
    session: AsyncSession, plan: Campaign, phase_code: str, clock: Clock
) -> _Unstored:
    now = clock.now()
    inputs = await read_inputs(session, plan, phase_code)
    # As the refresher does: a national tree's second of Python is not run on the event loop.
    progress, ranked = await asyncio.to_thread(measure, plan, phase_code, inputs, today(clock))
    return _Unstored(now, target_rows(progress, now), ranked)


async def _target_rows(session: AsyncSession, plan: Campaign, phase_code: str) -> list[Any]:
    """The materialised targets (there are some once `_computed_at` has a time)."""
    query = (
        select(Core.target_progress)
        .where(
            Core.target_progress.c.campaign_code == plan.code,
            Core.target_progress.c.phase_code == phase_code,
        )
        .order_by(Core.target_progress.c.number)
    )
    return list((await session.execute(query)).all())


def _moment(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite keeps no offset; we store UTC or Vietnam time, both aware
        at = at.replace(tzinfo=UTC)
    local = at.astimezone(VIETNAM_TIME)
    return f"{local:%H:%M:%S} {format_date(local)}"
