"""Who may act for which unit, answered from submissions' own copy of the union tree."""

from collections.abc import Iterable, Mapping
from typing import TypeVar
from uuid import UUID

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.units.service import path_contains, subtree_contains, unit_paths
from services.submissions.units.tables import Unit
from shared.auth import Principal, ensure_can_act_for_unit
from shared.refusals import Kind, Refusal, unknown_unit

Row = TypeVar("Row", bound=SQLModel)


class TreeScope:
    """`shared.auth.UnitScope` over the units table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def __call__(self, unit_code: str, *, within: str) -> bool:
        return await subtree_contains(self._session, within, unit_code)


class PathScope:
    """`shared.auth.UnitScope` over the paths of the units a request needs, read once
    (`known_units`) instead of a query per question."""

    def __init__(self, paths: Mapping[str, str]) -> None:
        self._paths = paths

    async def __call__(self, unit_code: str, *, within: str) -> bool:
        return path_contains(self._paths, within, unit_code)


async def known_units(
    session: AsyncSession, code: str, others: Iterable[str | None] = (), field: str = "unit_code"
) -> PathScope:
    """The scope over unit `code` (which must exist, as `existing_unit` says) and `others`
    (those that exist), in one query."""
    paths = await unit_paths(session, {code, *(other for other in others if other)})
    if code not in paths:
        raise unknown_unit(code, field)
    return PathScope(paths)


async def unit_acted_for(session: AsyncSession, principal: Principal, code: str) -> Unit:
    """Unit `code`, which must exist and be one the principal acts for."""
    unit = await existing_unit(session, code)
    await ensure_can_act_for_unit(principal, code, TreeScope(session))
    return unit


async def existing_unit(session: AsyncSession, code: str, field: str = "unit_code") -> Unit:
    unit = await session.get(Unit, code)
    if unit is None:
        raise unknown_unit(code, field)
    return unit


async def locked(
    session: AsyncSession, table: type[Row], key: UUID, field: str, what_vi: str, what_en: str
) -> Row:
    """The row of `table` keyed `key`, locked for the transaction: two officers acting on one
    row at once act one after the other. Refused (404) when there is none."""
    row = await session.get(table, key, with_for_update=True)
    if row is None:
        raise not_found(field, what_vi, what_en)
    return row


def not_found(field: str, what_vi: str, what_en: str) -> Refusal:
    """`field` names no `what_vi` ("bản đăng ký") / `what_en` ("Registration")."""
    return Refusal(
        Kind.not_found, field, "not_found", f"Không tìm thấy {what_vi}", f"{what_en} not found"
    )
