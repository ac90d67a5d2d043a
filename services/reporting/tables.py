"""Reporting's read models."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Index,
    Join,
    Select,
    Table,
    and_,
    func,
    select,
)
from sqlmodel import Field, SQLModel

from shared.contracts import bounds
from shared.contracts.lifecycle import InitiativeStatus
from shared.copied_columns import CampaignFileColumns, InitiativeColumns, UnitColumns
from shared.db import VndTotal, service_registry
from shared.messaging.tables import add_messaging_tables
from shared.upsert import table_of


class ReportingTable(SQLModel, registry=service_registry()):
    pass


class CampaignView(ReportingTable, CampaignFileColumns, table=True):
    """The campaign file as published: its phases and targets."""

    __tablename__ = "campaigns"

    published_at: datetime


class UnitView(ReportingTable, UnitColumns, table=True):
    """The union tree, for roll-ups: a unit's figures include its subtree (path prefix)."""

    __tablename__ = "units"

    path: str = Field(max_length=bounds.PATH_MAX, index=True)  # a subtree is read by prefix


class InitiativeView(ReportingTable, InitiativeColumns, table=True):
    """One row per initiative: counted by unit, field and month; recognised or not."""

    __tablename__ = "initiatives"
    # The honour board: a campaign's recognised initiatives, greatest benefit first.
    __table_args__ = (
        Index("ix_initiatives_honour", "campaign_code", "recognised", "expected_benefit_vnd"),
    )

    month: str = Field(max_length=bounds.MONTH_LENGTH, description="yyyy-mm, in Vietnam time")
    day: date | None = None  # of the submission, in Vietnam time (None until it arrives)
    expected_benefit_vnd: int = Field(default=0, sa_type=BigInteger)
    withdrawn: bool = False
    recognised: bool | None = None  # None until the council decides
    # Its life as every service folds it (shared.contracts.lifecycle); `withdrawn` and
    # `recognised` above are what the counters read of it.
    status: str = Field(
        default=InitiativeStatus.submitted,
        max_length=bounds.VOCABULARY_MAX,
        sa_column_kwargs={"server_default": InitiativeStatus.submitted.value},
    )
    round: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    version_at: datetime  # the newest version applied (events may arrive out of order)


class RegistrationView(ReportingTable, table=True):
    """A unit's registration for the movements of a phase, as submissions' events tell it:
    the registration target and the registrations export count the approved ones."""

    __tablename__ = "registrations"

    registration_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=bounds.CAMPAIGN_CODE_MAX, index=True)
    phase_code: str = Field(max_length=bounds.CODE_MAX)
    unit_code: str = Field(max_length=bounds.CODE_MAX, index=True)
    movement_codes: list[str] = Field(sa_type=JSON)
    status: str = Field(max_length=bounds.VOCABULARY_MAX)
    status_at: datetime


class ReportView(ReportingTable, table=True):
    """A unit's newest report of a kind in a phase (a later one replaces it): whether it was
    late, and its figures, which the targets read."""

    __tablename__ = "reports"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    unit_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    kind: str = Field(primary_key=True, max_length=bounds.VOCABULARY_MAX)
    late: bool
    submitted_at: datetime  # when it was recorded: the newest counts
    filed_on: date | None = None  # the campaign day it was filed
    figures: dict[str, float] = Field(default_factory=dict, sa_type=JSON)


class ComplaintView(ReportingTable, table=True):
    """A complaint or denunciation case of a unit, merged from its events whatever their order:
    the complaints target counts those overdue in its window (`progress.overdue_window`)."""

    __tablename__ = "complaints"

    case_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=bounds.CAMPAIGN_CODE_MAX, index=True)
    unit_code: str = Field(max_length=bounds.CODE_MAX, index=True)
    received_on: date
    due_on: date
    resolved_on: date | None = None


class AwardView(ReportingTable, table=True):
    """Scoring's proposals and awards as their events tell them (granted, rejected, revoked):
    one row each, in its latest status; only a confirmed one is an award on the board and in
    the exports."""

    __tablename__ = "awards"

    award_id: UUID = Field(primary_key=True)
    campaign_code: str = Field(max_length=bounds.CAMPAIGN_CODE_MAX, index=True)
    phase_code: str = Field(max_length=bounds.CODE_MAX)
    award_type: str = Field(max_length=bounds.CODE_MAX)
    award_name: str = Field(max_length=bounds.NAME_MAX)
    level: str = Field(max_length=bounds.VOCABULARY_MAX)
    recipient_kind: str = Field(max_length=bounds.VOCABULARY_MAX)
    recipient_id: str = Field(max_length=bounds.SUBJECT_MAX)
    recipient_name: str = Field(max_length=bounds.NAME_MAX)
    unit_code: str = Field(max_length=bounds.CODE_MAX)
    # an AwardStatus (shared.contracts.vocabulary): only a confirmed one is an award
    status: str = Field(max_length=bounds.VOCABULARY_MAX)
    status_at: datetime
    reason: str | None = None  # a rejection's, revocation's or withdrawal's, for the record


class Tally(ReportingTable):
    """What a tally counts of a campaign's phase, with its keys (a table adds its own)."""

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    submitted: int = 0
    decided: int = 0
    recognised: int = 0
    benefit_vnd: int = Field(default=0, sa_type=VndTotal)  # a sum: NUMERIC, not bigint


class UnitTally(Tally, table=True):
    """Initiatives counted per unit (its own, not its subtree) and phase, kept as the
    initiatives change: the targets and the league table read 10,000 of these rows, not a
    million initiatives."""

    __tablename__ = "unit_tallies"

    unit_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)


class DailyTally(Tally, table=True):
    """Initiatives counted per day of submission and field, federation-wide: the trend
    toward the goal and the split by field."""

    __tablename__ = "daily_tallies"

    day: date = Field(primary_key=True)
    field: str = Field(primary_key=True, max_length=bounds.CODE_MAX)


class TargetProgressRow(ReportingTable, table=True):
    """The federation against one target, as last computed (`progress.refresh`)."""

    __tablename__ = "target_progress"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    number: int = Field(primary_key=True)
    name: str = Field(max_length=bounds.NAME_MAX)
    kind: str = Field(max_length=bounds.VOCABULARY_MAX)
    population: str = Field(max_length=bounds.VOCABULARY_MAX)
    achieved: int
    total: int
    goal: float
    percent: float
    met: bool
    exceeded: bool
    summary: str = Field(max_length=bounds.CAMPAIGN_TITLE_MAX)
    lagging_count: int
    lagging: list[dict[str, str]] = Field(sa_type=JSON)  # the first ones: code, name, reason
    computed_at: datetime


class Standing(ReportingTable):
    """A unit's standing (its subtree's figures, the targets it meets) and its rank among the
    units of its level: what the live league and the one published at a phase's close both
    keep, with their keys (a table adds its own)."""

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    unit_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    name: str = Field(max_length=bounds.NAME_MAX)
    level: str = Field(max_length=bounds.VOCABULARY_MAX)
    path: str = Field(max_length=bounds.PATH_MAX)
    rank: int
    points: int = 0  # emulation points (the ranking's first criterion)
    targets_met: int
    missed: dict[str, str] = Field(sa_type=JSON)  # target number -> why not
    # The same in English, as computed or as scoring sent them; None from a producer before
    # contracts 1.2, whose Vietnamese is read back into English when shown.
    missed_en: dict[str, str] | None = Field(default=None, sa_type=JSON)
    submitted: int
    recognised: int
    benefit_vnd: int = Field(sa_type=VndTotal)  # its subtree's sum: NUMERIC, not bigint
    overdue_cases: int


class StandingRow(Standing, table=True):
    """The league table, live: computed by the refresher."""

    __tablename__ = "standings"
    # The league: ORDER BY rank, unit_code within a level, read from the index alone.
    __table_args__ = (
        Index("ix_standings_rank", "campaign_code", "phase_code", "level", "rank", "unit_code"),
    )


class ClosedStandingRow(Standing, table=True):
    """A unit's standing at a phase's close, as scoring ranked it and published it
    (`standing.published.v1`): the league of a closed phase."""

    __tablename__ = "closed_standings"
    __table_args__ = (
        Index(
            "ix_closed_standings_rank", "campaign_code", "phase_code", "level", "rank", "unit_code"
        ),
    )

    rank_of: int  # units of its level ranked: the level is complete when all have arrived
    revision: int
    closed_at: datetime
    computed_at: datetime


class RefreshState(ReportingTable, table=True):
    """What the materialised progress of a phase was computed from: a cheap fingerprint of
    the read models, so an unchanged phase is not recomputed."""

    __tablename__ = "refresh_state"

    campaign_code: str = Field(primary_key=True, max_length=bounds.CAMPAIGN_CODE_MAX)
    phase_code: str = Field(primary_key=True, max_length=bounds.CODE_MAX)
    fingerprint: str = Field(max_length=bounds.FINGERPRINT_MAX)
    computed_at: datetime
    seconds: float  # how long the computation took


metadata = ReportingTable.metadata
messaging = add_messaging_tables(metadata)


class Core:
    """The tables as SQLAlchemy Core sees them, for set-based reads and writes
    (`Core.units.c.code`): one name each, here, for every query module. The two standings
    tables are not here: they are one shape (`Standing`), and a query takes the one it reads
    by its class (`table_of(ClosedStandingRow if closed else StandingRow)`)."""

    campaigns = table_of(CampaignView)
    units = table_of(UnitView)
    initiatives = table_of(InitiativeView)
    registrations = table_of(RegistrationView)
    reports = table_of(ReportView)
    complaints = table_of(ComplaintView)
    awards = table_of(AwardView)
    unit_tallies = table_of(UnitTally)
    daily_tallies = table_of(DailyTally)
    target_progress = table_of(TargetProgressRow)
    refresh_state = table_of(RefreshState)


# Whether an initiative counts (towards every figure: tallies, lists, exports, summaries):
# once its submission has arrived (a council's decision can overtake it, leaving a row with
# no field yet) and until it is withdrawn. Said once, for SQL here and for a row in
# `service.initiative_rows.InitiativeRow.counts`.
COUNTED = and_(Core.initiatives.c.field != "", Core.initiatives.c.withdrawn.is_(False))


def with_unit(table: Table) -> Join:
    """`table` joined to the unit each of its rows is of (by `unit_code`): for the unit's name,
    or its path to keep a subtree's rows."""
    return table.join(Core.units, Core.units.c.code == table.c.unit_code)


def initiative_sums(tally: Table) -> tuple[ColumnElement[Any], ...]:
    """Initiatives submitted, recognised and their expected benefit, summed over the rows of
    a tally (`Core.unit_tallies`, `Core.daily_tallies`): the figures every roll-up shows."""
    return (
        func.sum(tally.c.submitted),
        func.sum(tally.c.recognised),
        func.sum(tally.c.benefit_vnd),
    )


def columns(table: Table, *names: str) -> tuple[ColumnElement[Any], ...]:
    """`table`'s columns called `names`, in that order."""
    return tuple(table.c[name] for name in names)


def count_per(table: Table, *names: str) -> Select[Any]:
    """Each set of values of `table`'s columns `names` and how many rows have it (a
    query to narrow with `select_from` and `where`)."""
    grouped = columns(table, *names)
    return select(*grouped, func.count()).group_by(*grouped)
