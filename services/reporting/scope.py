"""Whose figures a caller may see: the federation (and reviewers) everything, a unit
officer their own subtree."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.tables import UnitView
from shared.auth import Principal, Role
from shared.http.errors import ClientError


async def scope_root(
    session: AsyncSession, principal: Principal, unit: str | None
) -> UnitView | None:
    code = unit or (
        None
        if principal.is_federation_admin or principal.has_role(Role.REVIEWER)
        else principal.unit_code
    )
    if code is None:
        return (
            await session.exec(select(UnitView).where(col(UnitView.parent_code).is_(None)))
        ).first()
    root = await session.get(UnitView, code)
    if root is None:
        raise ClientError(
            404, "unit", "unknown_unit", f"Không có đơn vị mã {code}", f"No unit with code {code}"
        )
    if not (principal.is_federation_admin or principal.has_role(Role.REVIEWER)):
        own = await session.get(UnitView, principal.unit_code)
        if own is None or not root.path.startswith(own.path):
            raise ClientError(
                403,
                "unit",
                "forbidden_unit",
                f"Bạn không có quyền xem số liệu của đơn vị {code}",
                f"You may not see the figures of unit {code}",
            )
    return root
