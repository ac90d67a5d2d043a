"""The campaign file's targets (chỉ tiêu) and the indicators that say how each is measured."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from shared.campaign.checks import Problems
from shared.campaign.enums import CountedEvent, Evidence, Population
from shared.campaign.fields import Code, FileModel, Name, Text
from shared.contracts.bounds import INT32_MAX

RESOLUTION_DAYS_MAX = 366
"""A complaint case's time limit, at most a year: the Law on Complaints allows 30 to 90 days.
Unbounded, 999,999,999 days was published and every case's due date then overflowed (500)."""


class ShareOfUnits(FileModel):
    """The share of the population's units that did something, with `evidence` saying what
    counts. Met when the share reaches `goal_percent`."""

    kind: Literal["share_of_units"]
    evidence: Evidence
    figure: Code | None = Field(
        default=None,
        description="For `report_filed`: the figure of the result report that must be "
        "positive (the key of `figures` in `report submitted`).",
    )
    figure_label: Text | None = Field(
        default=None, description="The figure's question on the report form, in Vietnamese."
    )
    figure_label_en: Text | None = Field(
        default=None, description="The same question in English, for readers who chose it."
    )
    movements: tuple[Code, ...] = Field(
        default=(),
        description="For `registration_approved`: registrations in these movements count; "
        "empty: any movement.",
    )
    goal_percent: Decimal = Field(gt=0, le=100)

    def _check(self, problems: Problems) -> None:
        if self.evidence is Evidence.report_filed:
            for field in ("figure", "figure_label"):
                if getattr(self, field) is None:
                    problems.add((field,), "figure_required", None)
            if self.movements:
                problems.add(("movements",), "only_for_registrations", self.movements)
        else:
            for field in ("figure", "figure_label", "figure_label_en"):
                if getattr(self, field) is not None:
                    problems.add((field,), "only_for_reports", getattr(self, field))


class Count(FileModel):
    """How many `counts` events happened across the population. Met at `goal`."""

    kind: Literal["count"]
    counts: CountedEvent
    # Reporting stores the goal as the target's total, an `integer` (target_progress.total):
    # 2^63 - 1 was published and reporting's refresh then failed on every run.
    goal: int = Field(gt=0, le=INT32_MAX)
    exceed: bool = Field(
        default=False,
        description="The plan asks to go beyond the goal (vượt mức): progress is not capped "
        "at 100%, and reaching the goal exactly is shown as met, not exceeded.",
    )


class NoneOverdue(FileModel):
    """No unit of the population lets a complaint or denunciation case (đơn thư khiếu nại, tố
    cáo) go past its due date. A case is due `resolution_days` after it is received."""

    kind: Literal["none_overdue"]
    resolution_days: int = Field(
        gt=0,
        le=RESOLUTION_DAYS_MAX,
        description="Days from receipt a case must be resolved in, 1 to 366.",
    )


Indicator = Annotated[ShareOfUnits | Count | NoneOverdue, Field(discriminator="kind")]
INDICATOR_KINDS: frozenset[str] = frozenset({"share_of_units", "count", "none_overdue"})
"""The tags of `Indicator`; pydantic puts the tag in an error's location, the loader drops it."""


class Target(FileModel):
    """One chỉ tiêu phấn đấu (section III of the 2022 plan)."""

    # Stored in an `integer` column (reporting's target_progress.number), like the goal.
    number: int = Field(ge=1, le=INT32_MAX, description="Its number in the plan.")
    name: Name = Field(description="A short Vietnamese name for dashboards.")
    name_en: Name | None = Field(
        default=None, description="Its name in English, for readers who chose English."
    )
    text: Text = Field(description="The plan's wording, verbatim.")
    population: Population = Field(description="What the target is measured over.")
    indicator: Indicator
