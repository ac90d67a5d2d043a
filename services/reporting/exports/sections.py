"""The sections of a sơ kết / tổng kết export, in the order of the workbook's sheets.

The targets, the lagging units and the league are computed here, fresh, from the read models
(`unit_figures`), not read from the materialised `target_progress`: that keeps only the first
lagging units of each target, and an export lists them all. The standings, and so the ranks and
each unit's share of a count goal, are the federation's; a subtree's export shows its own units
among them, as the dashboard's league does (`evaluate_targets` measures the subtree's units).
The ranking of a closed phase is the one scoring published at its close (the ranks of the
phase-closed messages and of the league table), not recomputed here.
"""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from services.reporting.exports import activity
from services.reporting.exports import awards as exports_awards
from services.reporting.exports.scope import Scope
from services.reporting.exports.sheets import UNIT_COLUMNS, Column, Table, unit_cells, yes_no
from services.reporting.labels import LEVELS
from services.reporting.queries import closed_league, league, unit_figures
from shared.campaign.model import Count
from shared.campaign.progress import (
    TargetProgress,
    UnitFigures,
    UnitStanding,
    evaluate_targets,
    unit_standings,
)
from shared.unit_tree import path_codes


@dataclass(frozen=True)
class Measured:
    figures: Mapping[str, UnitFigures]  # every unit's own
    standings: Mapping[str, UnitStanding]  # every unit's, against the federation
    progress: TargetProgress  # the scope's units against the targets
    league: list[dict[str, Any]]  # the published ranks of a closed phase's levels, or live


async def measure(scope: Scope) -> Measured:
    figures = await unit_figures(scope.session, scope.plan, scope.phase.code, scope.today)
    standings = unit_standings(scope.plan, scope.phase.code, figures)
    in_scope = {c: s for c, s in standings.items() if scope.covers(figures[c].path)}
    progress = evaluate_targets(
        scope.plan, scope.phase.code, figures, today=scope.today, standings=in_scope
    )
    published = await closed_league(scope.session, scope.plan.code, scope.phase.code)
    closed = {row["level"] for row in published}
    live = [r for r in league(scope.plan, figures, standings) if r["level"] not in closed]
    return Measured(figures, standings, progress, published + live)


def targets(scope: Scope, m: Measured) -> Table:
    table = Table(
        "Chỉ tiêu",
        (
            Column("STT", "int"),
            Column("Chỉ tiêu"),
            Column("Kết quả", "int"),
            Column("Trên tổng số", "int"),
            Column("Tỷ lệ", "percent"),
            Column("Mục tiêu", "percent"),
            Column("Đạt mục tiêu"),
            Column("Vượt mức"),
            Column("Tóm tắt"),
            Column("Số đơn vị chưa đạt", "int"),
        ),
    )
    for t in m.progress.targets:
        indicator = scope.plan.target(t.number).indicator
        counted = isinstance(indicator, Count)
        asks_more = isinstance(indicator, Count) and indicator.exceed
        table.rows.append(
            (
                t.number,
                t.name,
                t.achieved,
                t.total,
                float(t.percent / 100),  # the dashboard's rounding (one decimal of a percent)
                1.0 if counted else float(t.goal / 100),  # a count's goal is all of it
                yes_no(t.met),
                yes_no(t.exceeded) if asks_more else None,
                t.summary,
                len(t.lagging),
            )
        )
    return table


def lagging(scope: Scope, m: Measured) -> Table:
    table = Table(
        "Đơn vị chưa đạt",
        (
            Column("STT chỉ tiêu", "int"),
            Column("Chỉ tiêu"),
            *UNIT_COLUMNS,
            Column("Lý do chưa đạt"),
        ),
    )
    for t in m.progress.targets:
        for unit in t.lagging:
            named = unit_cells(unit.code, unit.name, m.figures[unit.code].level)
            table.rows.append((t.number, t.name, *named, unit.reason))
    return table


def ranking(scope: Scope, m: Measured) -> Table:
    table = Table(
        "Xếp hạng",
        (
            Column("Hạng", "int"),
            *UNIT_COLUMNS,
            Column("Điểm thi đua", "int"),
            Column("Số chỉ tiêu đạt", "int"),
            Column("Chỉ tiêu chưa đạt"),
            Column("Sáng kiến đã nộp", "int"),
            Column("Sáng kiến được công nhận", "int"),
            Column("Giá trị làm lợi (đồng)", "vnd"),
        ),
    )
    order = {level: n for n, level in enumerate(LEVELS)}
    rows = [r for r in m.league if scope.covers(r["path"])]
    rows.sort(key=lambda r: (order.get(r["level"], len(order)), r["rank"], r["unit_code"]))
    for r in rows:
        table.rows.append(
            (
                r["rank"],  # among the federation's units of its level
                *unit_cells(r["unit_code"], r["name"], r["level"]),
                r["points"],
                r["targets_met"],
                ", ".join(r["missed"]) or None,
                r["submitted"],
                r["recognised"],
                r["benefit_vnd"],
            )
        )
    return table


def initiatives_by_unit(scope: Scope, m: Measured) -> Table:
    """Each unit's own initiatives, and with its subtree's (the roll-up its officer reports)."""
    table = Table(
        "Sáng kiến theo đơn vị",
        (
            *UNIT_COLUMNS,
            Column("Đơn vị cấp trên"),
            Column("Đã nộp", "int"),
            Column("Được công nhận", "int"),
            Column("Giá trị làm lợi (đồng)", "vnd"),
            Column("Đã nộp (gồm cấp dưới)", "int"),
            Column("Được công nhận (gồm cấp dưới)", "int"),
            Column("Giá trị làm lợi gồm cấp dưới (đồng)", "vnd"),
        ),
    )
    units = sorted((f for f in m.figures.values() if scope.covers(f.path)), key=lambda f: f.path)
    rolled: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for unit in units:
        for code in path_codes(unit.path):
            totals = rolled[code]
            totals[0] += unit.submitted
            totals[1] += unit.recognised
            totals[2] += unit.benefit_vnd
    for unit in units:
        above = path_codes(unit.path)[:-1]
        table.rows.append(
            (
                *unit_cells(unit.code, unit.name, unit.level),
                above[-1] if above else None,
                unit.submitted,
                unit.recognised,
                unit.benefit_vnd,
                *rolled[unit.code],
            )
        )
    return table


_MEASURED: dict[str, Callable[[Scope, Measured], Table]] = {
    "chi-tieu": targets,
    "don-vi-chua-dat": lagging,
    "xep-hang": ranking,
    "sang-kien-theo-don-vi": initiatives_by_unit,
}
_COUNTED: dict[str, Callable[[Scope], Awaitable[Table]]] = {
    "theo-linh-vuc": activity.by_field,
    "theo-thang": activity.by_month,
    "dang-ky-theo-phong-trao": activity.registrations,
    "bao-cao": activity.reports,
    "khieu-nai-qua-han": activity.overdue_complaints,
    "khen-thuong": exports_awards.awards,
    "danh-sach-khen-thuong": exports_awards.confirmed_awards,
}
SLUGS: tuple[str, ...] = (*_MEASURED, *_COUNTED)


async def build(scope: Scope, only: str | None = None) -> list[Table]:
    """Every section, or only the one named (a slug of `SLUGS`)."""
    wanted = [slug for slug in SLUGS if only in (None, slug)]
    measured = await measure(scope) if any(s in _MEASURED for s in wanted) else None
    tables = []
    for slug in wanted:
        if measured is not None and slug in _MEASURED:
            tables.append(_MEASURED[slug](scope, measured))
        else:
            tables.append(await _COUNTED[slug](scope))
    return tables
