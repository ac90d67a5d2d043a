"""Business figures for operations, beside the technical metrics on /metrics.

Initiatives are labelled by affiliated union (the roll-up of its subtree), not by each of
a national tree's ten thousand units: one series per unit and state would swamp Prometheus,
and the dashboard's league table has the detail.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Gauge
from sqlalchemy import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.queries import all_rows
from services.reporting.tables import Core, columns, count_per
from shared.unit_tree import path_codes


@dataclass(frozen=True)
class BusinessGauges:
    initiatives: Gauge
    benefit: Gauge
    awards: Gauge
    reports: Gauge
    target_percent: Gauge
    target_met: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry) -> "BusinessGauges":
        def gauge(name: str, text: str, labels: list[str]) -> Gauge:
            return Gauge(f"reporting_{name}", text, labels, registry=registry)

        return cls(
            initiatives=gauge(
                "initiatives",
                "Initiatives of an affiliated union's subtree, by state "
                "(pending | recognised | not_recognised; withdrawn ones are not counted).",
                ["campaign", "unit", "state"],
            ),
            benefit=gauge(
                "initiative_benefit_vnd",
                "Expected benefit of the initiatives of an affiliated union's subtree, VND.",
                ["campaign", "unit"],
            ),
            awards=gauge(
                "awards", "Awards by type and status.", ["campaign", "award_type", "status"]
            ),
            reports=gauge(
                "reports",
                "Reports filed, on time or late.",
                ["campaign", "phase", "kind", "timeliness"],
            ),
            target_percent=gauge(
                "target_percent",
                "The federation's figure on a target, in percent of its goal.",
                ["campaign", "phase", "target"],
            ),
            target_met=gauge(
                "target_met",
                "1 if the federation meets the target.",
                ["campaign", "phase", "target"],
            ),
        )

    async def update(self, session: AsyncSession) -> None:
        """Set every gauge from the read models; label sets that no longer exist go."""
        affiliated = {}
        for code, path in (
            await session.execute(select(Core.units.c.code, Core.units.c.path))
        ).all():
            codes = path_codes(path)
            # A unit below an affiliated union counts for it; the federation's own for itself.
            affiliated[code] = codes[1] if len(codes) > 1 else code
        states: dict[tuple[str, str, str], int] = defaultdict(int)
        benefit: dict[tuple[str, str], int] = defaultdict(int)
        for campaign, unit, submitted, decided, recognised, vnd in (
            await session.execute(
                select(
                    Core.unit_tallies.c.campaign_code,
                    Core.unit_tallies.c.unit_code,
                    func.sum(Core.unit_tallies.c.submitted),
                    func.sum(Core.unit_tallies.c.decided),
                    func.sum(Core.unit_tallies.c.recognised),
                    func.sum(Core.unit_tallies.c.benefit_vnd),
                ).group_by(Core.unit_tallies.c.campaign_code, Core.unit_tallies.c.unit_code)
            )
        ).all():
            top = affiliated.get(unit, unit)
            states[campaign, top, "pending"] += submitted - decided
            states[campaign, top, "recognised"] += recognised
            states[campaign, top, "not_recognised"] += decided - recognised
            benefit[campaign, top] += vnd
        _set(self.initiatives, states)
        _set(self.benefit, benefit)
        awards = count_per(Core.awards, "campaign_code", "award_type", "status")
        _set(self.awards, {tuple(row[:-1]): row[-1] for row in await all_rows(session, awards)})
        reports = count_per(Core.reports, "campaign_code", "phase_code", "kind", "late")
        _set(
            self.reports,
            {
                (c, p, k, "late" if late else "on_time"): n
                for c, p, k, late, n in await all_rows(session, reports)
            },
        )
        targets = await all_rows(
            session,
            select(
                *columns(
                    Core.target_progress, "campaign_code", "phase_code", "number", "percent", "met"
                )
            ),
        )
        _set(self.target_percent, {(c, p, str(n)): pct for c, p, n, pct, _ in targets})
        _set(self.target_met, {(c, p, str(n)): int(met) for c, p, n, _, met in targets})


def _set(gauge: Gauge, values: Mapping[tuple[Any, ...], float]) -> None:
    gauge.clear()
    for labels, value in values.items():
        gauge.labels(*(str(label) for label in labels)).set(float(value))
