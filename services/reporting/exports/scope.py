"""What one export covers, and the reads of its subtree."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.tables import UnitView
from shared.campaign.model import Campaign, Phase
from shared.campaign.progress import phases_to_date
from shared.unit_tree import within, within_where


@dataclass
class Scope:
    """What one export covers: a phase's figures, year to date, for `root`'s subtree (the
    whole tree for the federation; `root` is None only before any unit is known)."""

    session: AsyncSession
    plan: Campaign
    phase: Phase
    root: UnitView | None
    today: date
    # Whether proposals (awaiting the admins' decision) are counted: for federation admins
    # only, as scoring's award list and reporting's summary; for a small unit a count can tell
    # who was proposed.
    proposals_shown: bool = False
    _units: list[UnitView] | None = None

    @property
    def path(self) -> str:
        return self.root.path if self.root is not None else ""

    @property
    def phases(self) -> list[str]:
        return phases_to_date(self.plan, self.phase.code)

    def covers(self, path: str) -> bool:
        return within(path, self.path)

    async def units(self) -> list[UnitView]:
        """The subtree's units, each after its parent (by path)."""
        if self._units is None:
            query = select(UnitView).where(within_where(col(UnitView.path), self.path))
            self._units = list((await self.session.exec(query.order_by(col(UnitView.path)))).all())
        return self._units

    async def rows(self, query: Any) -> list[Any]:
        """`query`'s rows for the subtree's units (the query joins `units`)."""
        subtree = within_where(col(UnitView.path), self.path)
        return list((await self.session.execute(query.where(subtree))).all())
