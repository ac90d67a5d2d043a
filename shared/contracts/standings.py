"""Contracts of the standings topic, produced by scoring: the ranking at a phase's close.

Scoring ranks the units once, when a phase closes, and publishes every unit's standing; the
phase-closed message, reporting's league table, dashboard and exports show these ranks. One
event per unit (a national tree has ten thousand: one event for all would pass Kafka's 1 MB
record limit), keyed by `<campaign>/<phase>/<unit>` so that a unit's revisions stay in order.

A standing is published again, with the next `revision`, only when late data (an event that
happened before the close, delivered after it) changed it.
"""

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import (
    PERCENT_MAX,
    TARGETS_MAX,
    CampaignCode,
    Code,
    Count,
    Name,
    Ordinal,
    Reason,
    UnitPath,
    VndTotal,
    Word,
)


class StandingPublished(EventData, name="standing.published.v1", topic=topics.STANDINGS):
    """One unit's standing at a phase's close: its rank among the units of its level (most
    emulation points, then most initiatives recognised; equal ones share a rank) and the
    figures of its subtree, year to date."""

    campaign_code: CampaignCode
    phase_code: Code
    unit_code: Code
    unit_name: Name
    level: Literal["affiliated", "grassroots", "sub", "group"] = Field(
        description="The unit's level (vocabulary.UnitLevel); the federation has no standing."
    )
    path: UnitPath = Field(description="'CDDKVN/PVGAS/PVGAS-KCM/': a subtree is a prefix.")
    rank: Ordinal = Field(
        description="Among the units of its level, from 1; equal figures share it."
    )
    rank_of: Ordinal = Field(description="Units of its level ranked at this close.")
    points: int = Field(
        ge=0, le=PERCENT_MAX, description="Emulation points, 0-100: the targets met, by the file."
    )
    targets_met: tuple[Ordinal, ...] = Field(
        max_length=TARGETS_MAX, description="Numbers of the targets it meets."
    )
    targets_missed: dict[Word, Reason] = Field(
        max_length=TARGETS_MAX, description="Target number -> why it is not met, in Vietnamese."
    )
    targets_missed_en: dict[Word, Reason] = Field(
        default_factory=dict,
        max_length=TARGETS_MAX,
        description="The same reasons in English (added in 1.2: empty from an older producer, "
        "whose Vietnamese reasons alone say why).",
    )
    initiatives_submitted: Count = Field(description="In its subtree, to date.")
    initiatives_recognised: Count
    benefit_vnd: VndTotal = Field(
        description="Expected benefit of its subtree's initiatives: a sum, so up to 10^30 - 1 "
        "(one initiative's is at most 10^15)."
    )
    overdue_cases: Count = Field(description="Complaint cases of its subtree overdue.")
    closed_at: datetime = Field(description="When the phase closed: the figures are as of it.")
    revision: Ordinal = Field(description="1 at the close; +1 each time late data changed it.")
    computed_at: datetime
