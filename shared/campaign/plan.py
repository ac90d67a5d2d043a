"""The campaign file's plan document: who issued it, its period, movements, phases, and
where units report."""

from pydantic import Field

from shared.campaign.checks import Problems, check_ends_after_start, check_unique
from shared.campaign.enums import MovementKind, ReportKind, ReviewKind
from shared.campaign.fields import Code, FileModel, Name, Text
from shared.contracts.bounds import Day


class Organisation(FileModel):
    """A body the file refers to: the issuer, launchers of movements, the reporting channel."""

    code: Code = Field(description="e.g. `cd-dkvn`.")
    name: Name = Field(description="Full Vietnamese name.")
    abbreviation: Text | None = Field(default=None, description="e.g. 'CĐ DKVN'.")
    part_of: Code | None = Field(
        default=None, description="Code of the organisation it belongs to (a department's)."
    )


class Signatory(FileModel):
    name: Name = Field(description="Who signed the plan.")
    position: Text = Field(description="Chức vụ, e.g. 'Phó Chủ tịch'.")
    on_behalf_of: Text | None = Field(default=None, description="TM. (thay mặt) whom.")


class PlanDocument(FileModel):
    """The document that launched the campaign."""

    number: Text = Field(description="Số hiệu, e.g. '46/KH-CĐDK'.")
    issued_on: Day = Field(description="Ngày ban hành.")
    issued_at: Text | None = Field(default=None, description="Where, e.g. 'Hà Nội'.")
    issuer: Code = Field(description="Code of the issuing organisation.")
    signed_by: Signatory | None = None


class Period(FileModel):
    """The dates the campaign covers; every phase lies inside them."""

    starts_on: Day = Field(description="First day of the campaign.")
    ends_on: Day = Field(description="Last day of the campaign, inclusive.")

    def _check(self, problems: Problems) -> None:
        check_ends_after_start(problems, self.starts_on, self.ends_on)


class Movement(FileModel):
    """A movement, campaign of conduct or programme units register for (II.2.2 of 2022)."""

    code: Code = Field(description="Stable code, e.g. `lao-dong-gioi-sang-tao`.")
    kind: MovementKind
    name: Name = Field(description="Its name as the plan quotes it.")
    name_en: Name | None = Field(default=None, description="Its name in English.")
    plan_wording: Text | None = Field(
        default=None, description="How the plan introduces it, where that says more than the name."
    )
    launched_by: tuple[Code, ...] = Field(
        default=(), description="Organisations that launched it, where known; empty if not."
    )
    source: Text | None = Field(default=None, description="Section of the plan, e.g. 'II.2.2'.")


# --- phases ----------------------------------------------------------------------------------


class Review(FileModel):
    kind: ReviewKind = Field(description="sơ kết (interim) or tổng kết (final).")
    name: Name = Field(description="e.g. 'Tổng kết phong trào thi đua năm 2022'.")
    name_en: Name | None = Field(
        default=None, description="e.g. 'Final review of the 2022 emulation movement'."
    )


class MovementReview(FileModel):
    """A review of one movement held at a phase's end (e.g. sơ kết of the key projects)."""

    movement: Code = Field(description="Code of the movement reviewed.")
    kind: ReviewKind


class Phase(FileModel):
    """One đợt thi đua: units register, report and are reviewed and awarded per phase."""

    code: Code = Field(description="e.g. `dot-1`.")
    name: Name = Field(description="e.g. 'Đợt 1'.")
    name_en: Name | None = Field(default=None, description="e.g. 'Phase 1'.")
    starts_on: Day = Field(description="First day of the phase.")
    ends_on: Day = Field(description="Last day of the phase, inclusive.")
    focus: Text = Field(description="What the phase's emulation is directed at, from the plan.")
    closing_review: Review = Field(description="The review (sơ kết / tổng kết) that closes it.")
    movement_reviews: tuple[MovementReview, ...] = Field(
        default=(), description="Reviews of particular movements held at its close."
    )
    report_due_on: Day = Field(description="Units' result reports are due by this day.")

    def _check(self, problems: Problems) -> None:
        check_ends_after_start(problems, self.starts_on, self.ends_on)
        if self.report_due_on < self.ends_on:
            problems.add(
                ("report_due_on",),
                "due_before_end",
                self.report_due_on,
                due_on=self.report_due_on,
                ends_on=self.ends_on,
            )
        check_unique(
            problems, "movement_reviews", (r.movement for r in self.movement_reviews), "movement"
        )


# --- reporting ----------------------------------------------------------------------------------


class Reporting(FileModel):
    """Where units send their plans and results (the channel of section IV of 2022)."""

    to: Code = Field(description="The organisation that receives reports.")
    via: Code | None = Field(default=None, description="Its department that handles them.")
    reports: tuple[ReportKind, ...] = Field(
        min_length=1, description="What units send: their plans, their results."
    )
    plan_wording: Text | None = Field(default=None, description="The plan's sentence, verbatim.")
