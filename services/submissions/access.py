"""Who may act for which unit, answered from submissions' own copy of the union tree."""

from collections.abc import Iterable, Mapping

from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.units.service import path_contains, subtree_contains, unit_paths
from services.submissions.units.tables import Unit
from shared.refusals import Kind, Refusal


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
        raise _unknown_unit(code, field)
    return PathScope(paths)


async def existing_unit(session: AsyncSession, code: str, field: str = "unit_code") -> Unit:
    unit = await session.get(Unit, code)
    if unit is None:
        raise _unknown_unit(code, field)
    return unit


def _unknown_unit(code: str, field: str) -> Refusal:
    return Refusal(
        Kind.invalid,
        field,
        "unknown_unit",
        f"Không có đơn vị mã {code}",
        f"No unit with code {code}",
    )
