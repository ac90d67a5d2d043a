"""The awards of an export: by type and level, and the list of those decided (the names of
the people and units commended, for the review's honour roll)."""

from typing import Any

from sqlalchemy import select

from services.reporting.exports.activity import vietnam_day
from services.reporting.exports.scope import Scope
from services.reporting.exports.sheets import Column, Table
from services.reporting.labels import code_label
from services.reporting.tables import Core, with_unit
from shared.campaign.model import AwardLevel
from shared.contracts.vocabulary import AwardStatus, RecipientKind

_AWARD_COLUMNS = (Column("Hình thức khen thưởng"), Column("Cấp khen thưởng"))  # name, level


# By whether proposals are shown (`Scope.proposals_shown`).
_STATUSES_COUNTED = {
    True: (AwardStatus.proposed, AwardStatus.confirmed),
    False: (AwardStatus.confirmed,),
}


async def _awards(scope: Scope) -> list[Any]:
    query = (
        select(Core.awards, Core.units.c.name.label("unit_name"))
        .select_from(with_unit(Core.awards))
        .where(
            Core.awards.c.campaign_code == scope.plan.code,
            Core.awards.c.phase_code.in_(scope.phases),
            # Not rejected, revoked or withdrawn; proposals to those shown them.
            Core.awards.c.status.in_(_STATUSES_COUNTED[scope.proposals_shown]),
        )
    )
    order = list(AwardLevel)  # in the order of precedence
    return sorted(
        await scope.rows(query),
        key=lambda a: (
            order.index(a.level) if a.level in order else len(order),
            a.award_name,
            a.recipient_kind,
            a.recipient_name,
        ),
    )


async def awards(scope: Scope) -> Table:
    """Awards by type and level: those decided, by recipient, and (to federation admins)
    those still proposed."""
    proposed = (Column("Đang đề nghị", "int"),) if scope.proposals_shown else ()
    table = Table(
        "Khen thưởng",
        (
            *_AWARD_COLUMNS,
            Column(RecipientKind.unit.label_vi, "int"),
            Column(RecipientKind.member.label_vi, "int"),
            Column("Tổng số đã quyết định", "int"),
            *proposed,
        ),
    )
    counts: dict[tuple[str, str], list[int]] = {}
    for a in await _awards(scope):
        row = counts.setdefault((a.award_name, a.level), [0, 0, 0, 0])
        if a.status == AwardStatus.confirmed:
            row[0 if a.recipient_kind == RecipientKind.unit else 1] += 1
            row[2] += 1
        else:
            row[3] += 1
    for (name, level), row in counts.items():
        figures = row if scope.proposals_shown else row[:3]
        table.rows.append((name, code_label("award_level", level), *figures))
    return table


async def confirmed_awards(scope: Scope) -> Table:
    """Each confirmed award of the scope, one a row: the award and its level, the phase, the
    collective or person and their unit, and the day it was decided (proposals never)."""
    table = Table(
        "Danh sách khen thưởng",
        (
            *_AWARD_COLUMNS,
            Column("Đợt"),
            Column("Đối tượng"),
            Column("Tên tập thể/cá nhân"),
            Column("Mã đơn vị"),
            Column("Tên đơn vị"),
            Column("Ngày quyết định", "date"),
        ),
    )
    phases = {p.code: p.name for p in scope.plan.phases}
    for a in await _awards(scope):
        if a.status != AwardStatus.confirmed:
            continue
        table.rows.append(
            (
                a.award_name,
                code_label("award_level", a.level),
                phases.get(a.phase_code, a.phase_code),
                code_label("recipient_kind", a.recipient_kind),
                a.recipient_name,
                a.unit_code,
                a.unit_name,
                vietnam_day(a.status_at),
            )
        )
    return table
