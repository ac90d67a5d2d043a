"""The campaign file's awards: the forms of recognition, the emulation score, the rules."""

from decimal import Decimal

from pydantic import Field

from shared.campaign.checks import Problems, check_reference, check_unique
from shared.campaign.enums import AwardLevel, Eligibility, Population, Recipient, ScoreBasis
from shared.campaign.fields import Code, FileModel, Name
from shared.contracts.bounds import INT32_MAX


class AwardType(FileModel):
    """A form of recognition (hình thức khen thưởng)."""

    code: Code = Field(description="e.g. `bang-khen-cd-dkvn`.")
    name: Name = Field(description="e.g. 'Bằng khen của Công đoàn Dầu khí Việt Nam'.")
    name_en: Name | None = Field(
        default=None,
        description="e.g. 'Certificate of Merit of the Vietnam Petroleum Trade Union'.",
    )
    level: AwardLevel
    granted_by: Code | None = Field(
        default=None, description="The organisation that decides it; none for affiliated unions."
    )
    recipients: tuple[Recipient, ...] = Field(min_length=1)

    def _check(self, problems: Problems) -> None:
        if self.level is AwardLevel.affiliated_union:
            if self.granted_by is not None:
                problems.add(("granted_by",), "granted_by_not_allowed", self.granted_by)
        elif self.granted_by is None:
            problems.add(("granted_by",), "granted_by_required", None, level=self.level.value)


class EmulationScore(FileModel):
    """How a unit's emulation score (0 to 100) is made: the points of each target it met."""

    target_points: dict[int, int] = Field(
        description="Target number -> points; every target has points; they sum to 100."
    )


class AwardRule(FileModel):
    """Who receives an award at a phase's close. Candidates meeting `eligibility` are ranked
    by `basis`; those at or above `min_score` are selected, at most `top` of them, and at most
    `quota` per granting body (per affiliated union for its own Giấy khen)."""

    code: Code = Field(description="e.g. `co-thi-dua-don-vi-dan-dau`.")
    name: Name = Field(description="What the rule commends, in Vietnamese.")
    name_en: Name | None = Field(default=None, description="What it commends, in English.")
    award: Code = Field(description="Code of an award type.")
    recipient: Recipient
    population: Population = Field(
        description="Who competes: a population of unions for collectives, `members` for people."
    )
    granted_at: Code = Field(description="Code of the phase whose close grants it.")
    movement: Code | None = Field(
        default=None,
        description="Only achievements in this movement count (e.g. an initiatives programme).",
    )
    basis: ScoreBasis = Field(description="What candidates are ranked and thresholded on.")
    min_score: Decimal | None = Field(
        default=None, ge=0, description="Threshold, on the basis's scale (0-100 for units)."
    )
    top: int | None = Field(
        default=None, gt=0, le=INT32_MAX, description="Only the best N, by rank."
    )
    quota: int | None = Field(
        default=None, gt=0, le=INT32_MAX, description="At most N per granting body."
    )
    eligibility: tuple[Eligibility, ...] = Field(
        default=(), description="Conditions every candidate must meet."
    )

    def _check(self, problems: Problems) -> None:
        individual = self.recipient is Recipient.individual
        if individual != (self.population is Population.members):
            expected = "members" if individual else "a population of unions"
            problems.add(
                ("population",),
                "population_mismatch",
                self.population.value,
                recipient=self.recipient.value,
                expected=expected,
            )
        expected_basis = ScoreBasis.initiative_score if individual else ScoreBasis.emulation_score
        if self.basis is not expected_basis:
            problems.add(
                ("basis",),
                "basis_mismatch",
                self.basis.value,
                recipient=self.recipient.value,
                expected=expected_basis.value,
            )
        if self.min_score is None and self.top is None:
            problems.add(("min_score",), "no_selection", None)
        if self.top is not None and self.quota is not None and self.top > self.quota:
            problems.add(("top",), "top_above_quota", self.top, top=self.top, quota=self.quota)


class Awards(FileModel):
    types: tuple[AwardType, ...] = Field(min_length=1)
    emulation_score: EmulationScore
    rules: tuple[AwardRule, ...] = ()

    def _check(self, problems: Problems) -> None:
        check_unique(problems, "types", (t.code for t in self.types))
        check_unique(problems, "rules", (r.code for r in self.rules))
        types = {t.code: t for t in self.types}
        for index, rule in enumerate(self.rules):
            award = types.get(rule.award)
            if award is None:
                check_reference(
                    problems, ("rules", index, "award"), rule.award, types, "award type"
                )
            elif rule.recipient not in award.recipients:
                problems.add(
                    ("rules", index, "recipient"),
                    "recipient_not_allowed",
                    rule.recipient.value,
                    award=award.code,
                    recipient=rule.recipient.value,
                    allowed=", ".join(r.value for r in award.recipients),
                )
        total = sum(self.emulation_score.target_points.values())
        if total != 100:
            problems.add(
                ("emulation_score", "target_points"),
                "points_not_100",
                self.emulation_score.target_points,
                total=total,
            )
