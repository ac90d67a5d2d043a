"""Contracts of the standings topic, produced by scoring: the ranking at a phase's close.

Scoring ranks the units once, when a phase closes, and publishes every unit's standing; the
phase-closed message, reporting's league table, dashboard and exports show these ranks. One
event per unit (a national tree has ten thousand: one event for all would pass Kafka's 1 MB
record limit), keyed by `<campaign>/<phase>/<unit>` so that a unit's revisions stay in order.

A standing is published again, with the next `revision`, only when late data (an event that
happened before the close, delivered after it) changed it.
"""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData


class StandingPublished(EventData):
    """One unit's standing at a phase's close: its rank among the units of its level (most
    emulation points, then most initiatives recognised; equal ones share a rank) and the
    figures of its subtree, year to date."""

    event_type: ClassVar[str] = "vn.congdoandaukhi.thidua.standing.published.v1"
    topic: ClassVar[str] = topics.STANDINGS

    campaign_code: str
    phase_code: str
    unit_code: str
    unit_name: str
    level: str = Field(description="affiliated | grassroots | sub | group")
    path: str = Field(description="'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is a prefix.")
    rank: int = Field(
        ge=1, description="Among the units of its level, from 1; equal figures share it."
    )
    rank_of: int = Field(ge=1, description="Units of its level ranked at this close.")
    points: int = Field(description="Emulation points, 0-100: the targets met, by the file.")
    targets_met: tuple[int, ...] = Field(description="Numbers of the targets it meets.")
    targets_missed: dict[str, str] = Field(description="Target number -> why it is not met.")
    initiatives_submitted: int = Field(description="In its subtree, to date.")
    initiatives_recognised: int
    benefit_vnd: int = Field(description="Expected benefit of its subtree's initiatives.")
    overdue_cases: int = Field(description="Complaint cases of its subtree overdue.")
    closed_at: datetime = Field(description="When the phase closed: the figures are as of it.")
    revision: int = Field(ge=1, description="1 at the close; +1 each time late data changed it.")
    computed_at: datetime
