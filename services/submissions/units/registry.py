"""Recording units in the tree: paths kept consistent, every change published."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.units.tables import Unit
from shared.contracts import UnitRecorded
from shared.http.errors import ClientError
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox

SOURCE = "/thidua/submissions"


@dataclass(frozen=True)
class UnitInput:
    code: str
    name: str
    parent_code: str | None
    level: str
    cluster: str | None = None


@dataclass(frozen=True)
class RecordResult:
    created: int
    updated: int
    unchanged: int


async def record_units(
    session: AsyncSession, outbox: Outbox, units: Sequence[UnitInput]
) -> RecordResult:
    """Create or update `units` (parents before children, whatever their order) and publish
    `unit recorded` for each one that changed, its moved descendants included."""
    known = {
        unit.code: unit
        for unit in (
            await session.exec(
                select(Unit).where(col(Unit.code).in_({u.code for u in units} | _parents(units)))
            )
        ).all()
    }
    created = updated = unchanged = 0
    changed: list[Unit] = []
    now = datetime.now(UTC)
    for item in _parents_first(units):
        parent = known.get(item.parent_code) if item.parent_code else None
        if item.parent_code and parent is None:
            parent = await session.get(Unit, item.parent_code)
            if parent is None:
                raise _unknown_parent(item)
            known[parent.code] = parent
        path = f"{parent.path if parent else ''}{item.code}/"
        unit = known.get(item.code)
        if unit is None:
            unit = Unit(
                code=item.code,
                name=item.name,
                parent_code=item.parent_code,
                level=item.level,
                cluster=item.cluster,
                path=path,
                updated_at=now,
            )
            session.add(unit)
            known[unit.code] = unit
            created += 1
            changed.append(unit)
            continue
        before = (unit.name, unit.parent_code, unit.level, unit.cluster, unit.path)
        if before == (item.name, item.parent_code, item.level, item.cluster, path):
            unchanged += 1
            continue
        old_path = unit.path
        unit.name, unit.parent_code, unit.level, unit.cluster = (
            item.name,
            item.parent_code,
            item.level,
            item.cluster,
        )
        unit.updated_at = now
        if path != old_path:
            changed.extend(await _move_subtree(session, unit, old_path, path, now))
        updated += 1
        changed.append(unit)
    await session.flush()
    if changed:
        await outbox.add(
            session,
            *(new_envelope(_event(u), source=SOURCE, subject=u.code) for u in changed),
        )
    return RecordResult(created, updated, unchanged)


async def subtree_contains(session: AsyncSession, ancestor_code: str, unit_code: str) -> bool:
    """Is `unit_code` the unit `ancestor_code` or somewhere below it?"""
    paths = dict(
        (
            await session.exec(
                select(Unit.code, Unit.path).where(col(Unit.code).in_([ancestor_code, unit_code]))
            )
        ).all()
    )
    return (
        ancestor_code in paths
        and unit_code in paths
        and paths[unit_code].startswith(paths[ancestor_code])
    )


async def _move_subtree(
    session: AsyncSession, unit: Unit, old_path: str, new_path: str, now: datetime
) -> list[Unit]:
    if new_path.startswith(old_path):
        raise ClientError(
            422,
            "parent_code",
            "cycle",
            f"Không thể đặt đơn vị {unit.code} dưới chính đơn vị cấp dưới của nó",
            f"Unit {unit.code} cannot be placed under one of its own descendants",
        )
    unit.path = new_path
    descendants = (
        await session.exec(
            select(Unit).where(col(Unit.path).startswith(old_path), Unit.code != unit.code)
        )
    ).all()
    for descendant in descendants:
        descendant.path = new_path + descendant.path[len(old_path) :]
        descendant.updated_at = now
    return list(descendants)


def _parents(units: Sequence[UnitInput]) -> set[str]:
    return {u.parent_code for u in units if u.parent_code}


def _parents_first(units: Sequence[UnitInput]) -> list[UnitInput]:
    by_code = {u.code: u for u in units}
    ordered: list[UnitInput] = []
    placed: set[str] = set()

    def place(unit: UnitInput, trail: tuple[str, ...]) -> None:
        if unit.code in placed:
            return
        if unit.code in trail:
            raise ClientError(
                422,
                "parent_code",
                "cycle",
                f"Vòng lặp cấp trên: {' → '.join((*trail, unit.code))}",
                f"Parent links form a cycle: {' → '.join((*trail, unit.code))}",
            )
        parent = by_code.get(unit.parent_code or "")
        if parent is not None:
            place(parent, (*trail, unit.code))
        placed.add(unit.code)
        ordered.append(unit)

    for unit in units:
        place(unit, ())
    return ordered


def _unknown_parent(item: UnitInput) -> ClientError:
    return ClientError(
        422,
        "parent_code",
        "unknown_unit",
        f"Không có đơn vị cấp trên mã {item.parent_code} (đơn vị {item.code})",
        f"No parent unit with code {item.parent_code} (unit {item.code})",
    )


def _event(unit: Unit) -> UnitRecorded:
    return UnitRecorded(
        code=unit.code,
        name=unit.name,
        parent_code=unit.parent_code,
        level=unit.level,
        cluster=unit.cluster,
        path=unit.path,
    )
