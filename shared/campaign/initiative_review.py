"""The campaign file's initiative review: the scale, the council's criteria and its rule."""

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from pydantic import Field

from shared.campaign.checks import Location, Problems, check_unique
from shared.campaign.fields import Code, FileModel, Name, Text
from shared.contracts.bounds import COUNCIL_MAX


class Criterion(FileModel):
    code: Code = Field(description="e.g. `novelty`.")
    name: Name = Field(description="e.g. 'Tính mới'.")
    name_en: Name | None = Field(default=None, description="e.g. 'Novelty'.")
    description: Text | None = None
    weight: Decimal = Field(gt=0, le=1, description="Share of the weighted score; sum is 1.")


class Scale(FileModel):
    """The range each criterion is scored on; the weighted score has the same range."""

    min: Decimal = Field(description="Lowest score, e.g. 0.")
    max: Decimal = Field(description="Highest score, e.g. 10.")

    def _check(self, problems: Problems) -> None:
        if self.max <= self.min:
            problems.add(("max",), "scale_empty", self.max, min=self.min, max=self.max)

    def contains(self, score: Decimal) -> bool:
        return self.min <= score <= self.max

    def check_contains(self, problems: Problems, location: Location, score: Decimal) -> None:
        """Report `score_outside_scale` at `location` unless the scale contains `score`."""
        if not self.contains(score):
            problems.add(
                location, "score_outside_scale", score, score=score, min=self.min, max=self.max
            )


class CouncilRule(FileModel):
    """When the council recognises an initiative: both conditions hold."""

    # A council seats at most COUNCIL_MAX (the contracts' bound): a larger minimum could never
    # sit, and every assignment of the campaign would be refused.
    min_members: int = Field(
        ge=1, le=COUNCIL_MAX, description="A council sits with at least this many."
    )
    min_share_of_votes: Fraction = Field(
        gt=0,
        le=1,
        description="Share of the council's members (not of those present) voting to "
        "recognise, e.g. '2/3'.",
    )
    min_weighted_score: Decimal = Field(description="The weighted score must reach this.")


class InitiativeReview(FileModel):
    scale: Scale
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    council_rule: CouncilRule

    def _check(self, problems: Problems) -> None:
        check_unique(problems, "criteria", (c.code for c in self.criteria))
        total = sum((c.weight for c in self.criteria), Decimal(0))
        if total != 1:
            problems.add(
                ("criteria",), "weights_not_1", [c.weight for c in self.criteria], total=total
            )
        self.scale.check_contains(
            problems, ("council_rule", "min_weighted_score"), self.council_rule.min_weighted_score
        )

    def weighted_score(self, scores: Mapping[str, Decimal]) -> Decimal:
        """The weighted score of one reviewer's (or the council's mean) criterion scores."""
        return sum((c.weight * scores[c.code] for c in self.criteria), Decimal(0))
