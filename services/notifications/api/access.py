"""What the notifications routes share: who an admin is, and the union tree as its copy
knows it."""

from typing import Annotated

from fastapi import Depends
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.tables import UnitCopy
from shared import unit_tree
from shared.auth import Principal, Role, require_roles

Admin = Annotated[Principal, Depends(require_roles(Role.FEDERATION_ADMIN))]


class TreeScope:
    """`shared.auth.UnitScope` over notifications' copy of the union tree."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def __call__(self, unit_code: str, *, within: str) -> bool:
        unit = await self._session.get(UnitCopy, unit_code)
        ancestor = await self._session.get(UnitCopy, within)
        return bool(unit and ancestor and unit_tree.within(unit.path, ancestor.path))
