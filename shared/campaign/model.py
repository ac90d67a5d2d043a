"""The campaign file: a year's plan as frozen pydantic models.

Everything the services need to run a year is here: who issued the plan, its theme, the
movements units register for, the phases (đợt) and their reviews, the targets (chỉ tiêu) with
an indicator saying how each is measured, the initiative council's criteria and rule, and the
award rules. The models refuse unknown keys (`extra="forbid"`) so that a misspelt key is an
error rather than a silently ignored setting, and they check what ties parts of the file
together (unique codes, phase dates, references between sections).

Errors carry a precise location: checks that need several fields raise a `ValidationError`
with the location of the value at fault (shared.campaign.checks), and every error type has a
Vietnamese message in `MESSAGES_VI` (shared.campaign.messages).

The file is Vietnamese; what is shown to people by name (movements, phases and their reviews,
targets, criteria, award types and rules) may carry an English `name_en` beside its `name`,
for readers who chose English (`fields.name_in`; without it they read the Vietnamese).

This module holds `Campaign`, the whole file, and the checks that tie its sections together.
The sections have modules of their own (plan, targets, initiative_review, awards), as do the
building blocks (fields), the enums (enums) and the messages (messages); this module
re-exports their public names, so `from shared.campaign.model import ...` reaches them all.
"""

from datetime import date
from decimal import Decimal
from typing import Literal, TypeVar

from pydantic import Field

from shared.campaign.awards import AwardRule, Awards, AwardType, EmulationScore
from shared.campaign.checks import Location, Problems, check_reference, check_unique
from shared.campaign.enums import (
    AwardLevel,
    CountedEvent,
    Eligibility,
    Evidence,
    MovementKind,
    Population,
    Recipient,
    ReportKind,
    ReviewKind,
    ScoreBasis,
)
from shared.campaign.fields import (
    CampaignCode,
    Code,
    FileModel,
    Name,
    Named,
    Text,
    Title,
    name_in,
)
from shared.campaign.initiative_review import CouncilRule, Criterion, InitiativeReview, Scale
from shared.campaign.messages import MESSAGES_VI
from shared.campaign.plan import (
    Movement,
    MovementReview,
    Organisation,
    Period,
    Phase,
    PlanDocument,
    Reporting,
    Review,
    Signatory,
)
from shared.campaign.targets import (
    INDICATOR_KINDS,
    Count,
    Indicator,
    NoneOverdue,
    ShareOfUnits,
    Target,
)

__all__ = [
    "INDICATOR_KINDS",
    "MESSAGES_VI",
    "AwardLevel",
    "AwardRule",
    "AwardType",
    "Awards",
    "Campaign",
    "CampaignCode",
    "Code",
    "CouncilRule",
    "Count",
    "CountedEvent",
    "Criterion",
    "Eligibility",
    "EmulationScore",
    "Evidence",
    "Indicator",
    "InitiativeReview",
    "Movement",
    "MovementKind",
    "MovementReview",
    "Name",
    "Named",
    "NoneOverdue",
    "Organisation",
    "Period",
    "Phase",
    "PlanDocument",
    "Population",
    "Recipient",
    "ReportKind",
    "Reporting",
    "Review",
    "ReviewKind",
    "Scale",
    "ScoreBasis",
    "ShareOfUnits",
    "Signatory",
    "Target",
    "Text",
    "Title",
    "name_in",
]


class Campaign(FileModel):
    """A year's plan (kế hoạch phát động phong trào thi đua), as the campaign file states it."""

    schema_version: Literal[1] = Field(description="Version of this file's format.")
    code: CampaignCode = Field(description="e.g. '2022'; what events carry as campaign_code.")
    title: Title = Field(description="The plan's title.")
    plan: PlanDocument
    period: Period
    organisations: tuple[Organisation, ...] = Field(min_length=1)
    theme: Text = Field(description="Chủ đề thi đua, verbatim.")
    slogan: Text | None = Field(default=None, description="The year's motto, verbatim.")
    purposes: tuple[Text, ...] = Field(default=(), description="Mục đích, yêu cầu.")
    movements: tuple[Movement, ...] = Field(min_length=1)
    phases: tuple[Phase, ...] = Field(min_length=1)
    targets: tuple[Target, ...] = Field(min_length=1)
    initiative_review: InitiativeReview
    awards: Awards
    reporting: Reporting

    def _check(self, problems: Problems) -> None:
        self._check_codes(problems)
        self._check_phase_dates(problems)
        self.check_references(problems)
        self._check_award_scores(problems)

    def _check_codes(self, problems: Problems) -> None:
        check_unique(problems, "organisations", (o.code for o in self.organisations))
        check_unique(problems, "movements", (m.code for m in self.movements))
        check_unique(problems, "phases", (p.code for p in self.phases))
        check_unique(problems, "targets", (t.number for t in self.targets), "number")

    def _check_phase_dates(self, problems: Problems) -> None:
        period = self.period
        for index, phase in enumerate(self.phases):
            for field in ("starts_on", "ends_on"):
                day: date = getattr(phase, field)
                if not period.starts_on <= day <= period.ends_on:
                    problems.add(
                        ("phases", index, field),
                        "phase_outside_period",
                        day,
                        day=day,
                        period_starts_on=period.starts_on,
                        period_ends_on=period.ends_on,
                    )
            if index == 0:
                continue
            previous = self.phases[index - 1]
            context = {"starts_on": phase.starts_on, "previous": previous.code}
            if phase.starts_on < previous.starts_on:
                problems.add(
                    ("phases", index, "starts_on"),
                    "phase_out_of_order",
                    phase.starts_on,
                    previous_starts_on=previous.starts_on,
                    **context,
                )
            elif phase.starts_on <= previous.ends_on:
                problems.add(
                    ("phases", index, "starts_on"),
                    "phases_overlap",
                    phase.starts_on,
                    previous_ends_on=previous.ends_on,
                    **context,
                )

    def check_references(self, problems: Problems) -> None:
        organisations = [o.code for o in self.organisations]
        movements = [m.code for m in self.movements]
        phases = [p.code for p in self.phases]

        def organisation(location: Location, code: str) -> None:
            check_reference(problems, location, code, organisations, "organisation")

        organisation(("plan", "issuer"), self.plan.issuer)
        for index, org in enumerate(self.organisations):
            if org.part_of is not None:
                organisation(("organisations", index, "part_of"), org.part_of)
        for index, movement in enumerate(self.movements):
            for position, code in enumerate(movement.launched_by):
                organisation(("movements", index, "launched_by", position), code)
        location: Location
        for index, phase in enumerate(self.phases):
            for position, review in enumerate(phase.movement_reviews):
                location = ("phases", index, "movement_reviews", position, "movement")
                check_reference(problems, location, review.movement, movements, "movement")
        for index, target in enumerate(self.targets):
            if isinstance(target.indicator, ShareOfUnits):
                for position, code in enumerate(target.indicator.movements):
                    location = ("targets", index, "indicator", "movements", position)
                    check_reference(problems, location, code, movements, "movement")
        for index, award_type in enumerate(self.awards.types):
            if award_type.granted_by is not None:
                organisation(("awards", "types", index, "granted_by"), award_type.granted_by)
        for index, rule in enumerate(self.awards.rules):
            location = ("awards", "rules", index)
            check_reference(problems, (*location, "granted_at"), rule.granted_at, phases, "phase")
            if rule.movement is not None:
                check_reference(
                    problems, (*location, "movement"), rule.movement, movements, "movement"
                )
        organisation(("reporting", "to"), self.reporting.to)
        if self.reporting.via is not None:
            organisation(("reporting", "via"), self.reporting.via)

    def _check_award_scores(self, problems: Problems) -> None:
        points = self.awards.emulation_score.target_points
        numbers = [t.number for t in self.targets]
        location: Location = ("awards", "emulation_score", "target_points")
        for number in points:
            if number not in numbers:
                check_reference(
                    problems, (*location, number), str(number), map(str, numbers), "target"
                )
        for number in numbers:
            if number not in points:
                problems.add(location, "points_missing_target", points, number=number)
        emulation = Scale(min=Decimal(0), max=Decimal(100))
        for index, rule in enumerate(self.awards.rules):
            if rule.min_score is None:
                continue
            scale = (
                self.initiative_review.scale
                if rule.basis is ScoreBasis.initiative_score
                else emulation
            )
            scale.check_contains(problems, ("awards", "rules", index, "min_score"), rule.min_score)

    # --- look-ups the services use ---

    def movement(self, code: str) -> Movement:
        return _by_code(self.movements, code)

    def phase(self, code: str) -> Phase:
        return _by_code(self.phases, code)

    def phase_on(self, day: date) -> Phase | None:
        """The phase running on `day`, if any (phases may leave gaps between them)."""
        return next((p for p in self.phases if p.starts_on <= day <= p.ends_on), None)

    def target(self, number: int) -> Target:
        for target in self.targets:
            if target.number == number:
                return target
        raise KeyError(number)


_Coded = TypeVar("_Coded", Movement, Phase)


def _by_code(items: tuple[_Coded, ...], code: str) -> _Coded:
    for item in items:
        if item.code == code:
            return item
    raise KeyError(code)
