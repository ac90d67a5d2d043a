"""Who may act for which unit, answered from submissions' own copy of the union tree."""

from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.units.service import subtree_contains
from services.submissions.units.tables import Unit
from shared.refusals import Kind, Refusal


class TreeScope:
    """`shared.auth.UnitScope` over the units table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def __call__(self, unit_code: str, *, within: str) -> bool:
        return await subtree_contains(self._session, within, unit_code)


async def existing_unit(session: AsyncSession, code: str, field: str = "unit_code") -> Unit:
    unit = await session.get(Unit, code)
    if unit is None:
        raise Refusal(
            Kind.invalid,
            field,
            "unknown_unit",
            f"Không có đơn vị mã {code}",
            f"No unit with code {code}",
        )
    return unit
