"""Recording units in the tree: its shape kept (one federation at the root, each level under
the one above it, codes unique), paths kept consistent, every change published."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from types import MappingProxyType

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.source import SOURCE
from services.submissions.units.tables import Unit
from shared.contracts import UnitRecorded
from shared.contracts.vocabulary import UNIT_LEVELS, UnitLevel
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox
from shared.refusals import Kind, Refusal
from shared.unit_tree import child_path, within, within_where

# The shape of the tree --------------------------------------------------------------------

# Which levels (shared.contracts.vocabulary.UnitLevel) a unit may sit directly under: always
# a level above its own, so the tree cannot fold back on itself. A union group (tổ công đoàn)
# sits under a section or, where a grassroots union has no sections, directly under it (the
# Union Charter allows both).
_PARENT_LEVELS: Mapping[str, tuple[UnitLevel, ...]] = MappingProxyType(
    {
        UnitLevel.federation: (),
        UnitLevel.affiliated: (UnitLevel.federation,),
        UnitLevel.grassroots: (UnitLevel.affiliated,),
        UnitLevel.sub: (UnitLevel.grassroots,),
        UnitLevel.group: (UnitLevel.grassroots, UnitLevel.sub),
    }
)


def parent_levels(level: str) -> tuple[UnitLevel, ...]:
    """The levels a unit of `level` may sit directly under: none for the federation, the
    tree's one root. The rule the API and the spreadsheet import both apply."""
    return _PARENT_LEVELS.get(level, ())


def level_name(level: str) -> tuple[str, str]:
    """How a sentence names a level, in Vietnamese and English ("an affiliated union")."""
    vietnamese, english = UNIT_LEVELS[level]
    if level == UnitLevel.federation:
        return vietnamese, f"the {english.lower()}"
    # "a union", "an affiliated union": the article follows the sound, and "union" starts
    # with a consonant's.
    lower = english.lower()
    article = "an" if lower[0] in "aeio" or lower.startswith("und") else "a"
    return vietnamese, f"{article} {english.lower()}"


def wrong_parent_level(level: str, parent_code: str, parent_level: str) -> tuple[str, str] | None:
    """Why a unit of `level` cannot sit under `parent_code` (Vietnamese, English), or None."""
    allowed = parent_levels(level)
    if parent_level in allowed:
        return None
    (level_vi, level_en), (parent_vi, parent_en) = level_name(level), level_name(parent_level)
    if not allowed:
        return (
            f"{level_vi} không có đơn vị cấp trên; {parent_code} là {parent_vi}",
            f"{level_en.capitalize()} has no parent; {parent_code} is {parent_en}",
        )
    return (
        f"Cấp trên của {level_vi} phải là "
        f"{' hoặc '.join(level_name(a)[0] for a in allowed)}; {parent_code} là {parent_vi}",
        f"The parent of {level_en} must be "
        f"{' or '.join(level_name(a)[1] for a in allowed)}; {parent_code} is {parent_en}",
    )


def wrong_root(code: str, level: str, has_parent: bool) -> tuple[str, str, str] | None:
    """Why unit `code` of `level`, with or without a parent, is refused (reason code,
    Vietnamese, English), or None: the federation is the one unit without a parent."""
    if level == UnitLevel.federation and has_parent:
        return (
            "federation_has_parent",
            "Công đoàn ngành không có đơn vị cấp trên: để trống mã cấp trên",
            "The federation has no parent: leave the parent code empty",
        )
    if level != UnitLevel.federation and not has_parent:
        return (
            "required",
            f"Thiếu mã đơn vị cấp trên của {code} (chỉ Công đoàn ngành được để trống)",
            f"The parent code of {code} is missing (only the federation has none)",
        )
    return None


def wrong_child_level(code: str, level: str, child_code: str, child_level: str) -> tuple[str, str]:
    """Why unit `code` cannot become `level` while `child_code` is under it."""
    (level_vi, level_en), (child_vi, child_en) = level_name(level), level_name(child_level)
    return (
        f"Không thể đổi {code} thành {level_vi}: đơn vị cấp dưới {child_code} là {child_vi}",
        f"{code} cannot become {level_en}: {child_code}, under it, is {child_en}",
    )


# Recording --------------------------------------------------------------------------------


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
    session: AsyncSession, outbox: Outbox, units: Sequence[UnitInput], now: datetime
) -> RecordResult:
    """Create or update `units` (parents before children, whatever their order) and publish
    `unit recorded` for each one that changed, its moved descendants included; `now` is the
    campaign's clock's.

    The tree keeps its shape, or nothing is recorded (a `Refusal`): one federation, with no
    parent; every other unit under a parent of the level above its own (`parent_levels`),
    including the units already under one whose level changes; codes unique."""
    known = {
        unit.code: unit
        for unit in (
            await session.exec(
                select(Unit).where(col(Unit.code).in_({u.code for u in units} | _parents(units)))
            )
        ).all()
    }
    roots = set(
        (await session.exec(select(Unit.code).where(Unit.level == UnitLevel.federation))).all()
    )
    created = updated = unchanged = 0
    changed: list[Unit] = []
    relevelled: list[Unit] = []
    added: list[str] = []
    try:
        for item in _parents_first(units):
            _check_root(item, roots)
            parent = known.get(item.parent_code) if item.parent_code else None
            if item.parent_code and parent is None:
                parent = await session.get(Unit, item.parent_code)
                if parent is None:
                    raise _unknown_parent(item)
                known[parent.code] = parent
            if parent is not None:
                _check_parent_level(item, parent)
            if item.level == UnitLevel.federation:
                roots.add(item.code)
            path = child_path(parent.path if parent else "", item.code)
            unit = known.get(item.code)
            if unit is None:
                unit = Unit(**asdict(item), path=path, updated_at=now)
                session.add(unit)
                added.append(unit.code)
                known[unit.code] = unit
                created += 1
                changed.append(unit)
                continue
            before = (unit.name, unit.parent_code, unit.level, unit.cluster, unit.path)
            if before == (item.name, item.parent_code, item.level, item.cluster, path):
                unchanged += 1
                continue
            if unit.level != item.level:
                relevelled.append(unit)
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
    except IntegrityError as error:
        # Another request created one of these codes since they were looked up.
        raise _code_taken(added) from error
    await _check_children_levels(session, relevelled)
    if changed:
        await outbox.add(
            session,
            *(new_envelope(UnitRecorded.of(u), source=SOURCE, subject=u.code) for u in changed),
        )
    return RecordResult(created, updated, unchanged)


async def subtree_contains(session: AsyncSession, ancestor_code: str, unit_code: str) -> bool:
    """Is `unit_code` the unit `ancestor_code` or somewhere below it?"""
    return path_contains(
        await unit_paths(session, {ancestor_code, unit_code}), ancestor_code, unit_code
    )


async def unit_paths(session: AsyncSession, codes: Iterable[str]) -> dict[str, str]:
    """The path of each of `codes` that exists, in one query."""
    query = select(Unit.code, Unit.path).where(col(Unit.code).in_(set(codes)))
    return dict((await session.exec(query)).all())


def path_contains(paths: Mapping[str, str], ancestor_code: str, unit_code: str) -> bool:
    """Is `unit_code` the unit `ancestor_code` or below it, by the paths of both (`unit_paths`);
    False when either is unknown."""
    return (
        ancestor_code in paths
        and unit_code in paths
        and within(paths[unit_code], paths[ancestor_code])
    )


async def _move_subtree(
    session: AsyncSession, unit: Unit, old_path: str, new_path: str, now: datetime
) -> list[Unit]:
    if within(new_path, old_path):
        raise Refusal(
            Kind.invalid,
            "parent_code",
            "cycle",
            f"Không thể đặt đơn vị {unit.code} dưới chính đơn vị cấp dưới của nó",
            f"Unit {unit.code} cannot be placed under one of its own descendants",
        )
    unit.path = new_path
    descendants = (
        await session.exec(
            select(Unit).where(within_where(col(Unit.path), old_path), Unit.code != unit.code)
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
            raise Refusal(
                Kind.invalid,
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


def _check_root(item: UnitInput, roots: set[str]) -> None:
    """The federation is the one unit without a parent, and there is one federation."""
    wrong = wrong_root(item.code, item.level, bool(item.parent_code))
    if wrong is not None:
        raise Refusal(Kind.invalid, "parent_code", *wrong)
    if item.level != UnitLevel.federation:
        return
    others = sorted(roots - {item.code})
    if others:
        raise Refusal(
            Kind.invalid,
            "level",
            "second_federation",
            f"Chỉ có một Công đoàn ngành: đã có {others[0]}; {item.code} phải có đơn vị cấp trên",
            f"There is only one federation, {others[0]}; {item.code} needs a parent",
        )


def _check_parent_level(item: UnitInput, parent: Unit) -> None:
    wrong = wrong_parent_level(item.level, parent.code, parent.level)
    if wrong is not None:
        raise Refusal(Kind.invalid, "parent_code", "parent_level", *wrong)


async def _check_children_levels(session: AsyncSession, relevelled: Sequence[Unit]) -> None:
    """A unit whose level changed still has only units of the level below under it."""
    if not relevelled:
        return
    by_code = {unit.code: unit for unit in relevelled}
    children = (
        await session.exec(
            select(Unit).where(col(Unit.parent_code).in_(by_code)).order_by(col(Unit.code))
        )
    ).all()
    for child in children:
        parent = by_code[child.parent_code or ""]
        if parent.level not in parent_levels(child.level):
            raise Refusal(
                Kind.invalid,
                "level",
                "child_level",
                *wrong_child_level(parent.code, parent.level, child.code, child.level),
            )


def _code_taken(codes: Sequence[str]) -> Refusal:
    listed = ", ".join(codes[:5]) + ("…" if len(codes) > 5 else "")
    return Refusal(
        Kind.conflict,
        "code",
        "code_taken",
        f"Mã đơn vị {listed} vừa được ghi bởi một yêu cầu khác; chưa lưu gì, hãy gửi lại",
        f"Unit code {listed} was just recorded by another request; nothing was stored, "
        "send it again",
    )


def _unknown_parent(item: UnitInput) -> Refusal:
    return Refusal(
        Kind.invalid,
        "parent_code",
        "unknown_unit",
        f"Không có đơn vị cấp trên mã {item.parent_code} (đơn vị {item.code})",
        f"No parent unit with code {item.parent_code} (unit {item.code})",
    )
