"""The campaign file: a year's plan as frozen pydantic models.

Everything the services need to run a year is here: who issued the plan, its theme, the
movements units register for, the phases (đợt) and their reviews, the targets (chỉ tiêu) with
an indicator saying how each is measured, the initiative council's criteria and rule, and the
award rules. The models refuse unknown keys (`extra="forbid"`) so that a misspelt key is an
error rather than a silently ignored setting, and they check what ties parts of the file
together (unique codes, phase dates, references between sections).

Errors carry a precise location: checks that need several fields raise a `ValidationError`
built from `InitErrorDetails` with the location of the value at fault (pydantic prefixes the
location of the enclosing model), so `phases[1].starts_on` is reported, not just `phases`.
Every error type has a Vietnamese message in `MESSAGES_VI`.
"""

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from shared.contracts.bounds import CAMPAIGN_CODE_MAX, CAMPAIGN_TITLE_MAX, CODE_MAX, NAME_MAX

# --- messages --------------------------------------------------------------------------------

# English and Vietnamese of every check this module makes, formatted with the error's context.
_MESSAGES: dict[str, tuple[str, str]] = {
    "duplicate_code": (
        "Code '{code}' is already used by {first}",
        "Mã '{code}' đã được dùng ở {first}",
    ),
    "duplicate_number": (
        "Target number {number} is already used by {first}",
        "Số thứ tự chỉ tiêu {number} đã được dùng ở {first}",
    ),
    "unknown_reference": (
        "Unknown {what} '{code}'; known: {known}",
        "Không có {what_vi} với mã '{code}'; các mã đã khai báo: {known}",
    ),
    "ends_before_start": (
        "Ends on {ends_on}, before it starts on {starts_on}",
        "Ngày kết thúc {ends_on} trước ngày bắt đầu {starts_on}",
    ),
    "due_before_end": (
        "The report is due on {due_on}, before the phase ends on {ends_on}",
        "Hạn báo cáo {due_on} trước ngày kết thúc đợt {ends_on}",
    ),
    "phase_out_of_order": (
        "Phases must be listed in date order: this one starts on {starts_on}, before "
        "{previous} (starts on {previous_starts_on})",
        "Các đợt phải được liệt kê theo thứ tự thời gian: đợt này bắt đầu ngày {starts_on}, "
        "trước đợt {previous} (bắt đầu ngày {previous_starts_on})",
    ),
    "phases_overlap": (
        "Starts on {starts_on}, while the previous phase {previous} runs until {previous_ends_on}",
        "Bắt đầu ngày {starts_on} trong khi đợt trước ({previous}) kéo dài đến {previous_ends_on}",
    ),
    "phase_outside_period": (
        "{day} is outside the campaign's period {period_starts_on} to {period_ends_on}",
        "Ngày {day} nằm ngoài thời gian của kế hoạch ({period_starts_on} đến {period_ends_on})",
    ),
    "weights_not_1": (
        "Criteria weights must sum to 1, got {total}",
        "Tổng trọng số các tiêu chí phải bằng 1, hiện là {total}",
    ),
    "points_not_100": (
        "Target points must sum to 100, got {total}",
        "Tổng điểm các chỉ tiêu phải bằng 100, hiện là {total}",
    ),
    "points_missing_target": (
        "Target {number} has no points",
        "Chỉ tiêu số {number} chưa được gán điểm",
    ),
    "scale_empty": (
        "The scale's max ({max}) must be greater than its min ({min})",
        "Điểm tối đa ({max}) phải lớn hơn điểm tối thiểu ({min})",
    ),
    "score_outside_scale": (
        "{score} is outside the scale {min} to {max}",
        "Điểm {score} nằm ngoài thang điểm {min} đến {max}",
    ),
    "figure_required": (
        "Evidence 'report_filed' needs 'figure' and 'figure_label': the report's figure it reads",
        "Minh chứng 'report_filed' cần 'figure' và 'figure_label': số liệu nào trong báo cáo",
    ),
    "only_for_reports": (
        "Only evidence 'report_filed' reads a report's figure",
        "Chỉ minh chứng 'report_filed' mới đọc số liệu trong báo cáo",
    ),
    "only_for_registrations": (
        "Only evidence 'registration_approved' can be limited to movements",
        "Chỉ minh chứng 'registration_approved' mới giới hạn theo phong trào",
    ),
    "granted_by_required": (
        "An award of level '{level}' needs 'granted_by': the body that grants it",
        "Hình thức khen thưởng cấp '{level}' cần 'granted_by': cơ quan ra quyết định",
    ),
    "granted_by_not_allowed": (
        "An award of level 'affiliated_union' is granted by each affiliated union: omit "
        "'granted_by'",
        "Hình thức khen thưởng cấp 'affiliated_union' do từng công đoàn trực thuộc ra quyết "
        "định: bỏ 'granted_by'",
    ),
    "recipient_not_allowed": (
        "Award '{award}' is not given to '{recipient}'; it is given to: {allowed}",
        "Hình thức '{award}' không dành cho '{recipient}'; chỉ dành cho: {allowed}",
    ),
    "population_mismatch": (
        "Recipient '{recipient}' needs population {expected}",
        "Đối tượng '{recipient}' cần phạm vi {expected}",
    ),
    "basis_mismatch": (
        "Recipient '{recipient}' is selected by basis '{expected}'",
        "Đối tượng '{recipient}' được xét theo căn cứ '{expected}'",
    ),
    "no_selection": (
        "A rule must select somehow: give 'min_score', 'top' or both",
        "Quy định phải có cách xét chọn: 'min_score', 'top' hoặc cả hai",
    ),
    "top_above_quota": (
        "'top' ({top}) is larger than 'quota' ({quota})",
        "'top' ({top}) lớn hơn 'quota' ({quota})",
    ),
}

# Vietnamese for pydantic's own error types, and for ours (above). The loader formats these
# with the error's context; English comes from pydantic's message.
MESSAGES_VI: Mapping[str, str] = {
    "missing": "Thiếu trường bắt buộc",
    "extra_forbidden": "Trường không được phép (có thể viết sai tên trường)",
    "string_type": 'Phải là chuỗi ký tự (đặt trong dấu nháy nếu là số, ví dụ "2022")',
    "string_too_short": "Quá ngắn: tối thiểu {min_length} ký tự",
    "string_too_long": "Quá dài: tối đa {max_length} ký tự",
    "string_pattern_mismatch": (
        "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ 'dot-1')"
    ),
    "too_short": "Cần ít nhất {min_length} phần tử",
    "too_long": "Nhiều nhất {max_length} phần tử",
    "int_type": "Phải là số nguyên",
    "int_parsing": "Phải là số nguyên",
    "int_from_float": "Phải là số nguyên",
    "bool_type": "Phải là true hoặc false",
    "bool_parsing": "Phải là true hoặc false",
    "decimal_type": "Phải là số",
    "decimal_parsing": "Phải là số",
    "fraction_parsing": 'Phải là phân số, ví dụ "2/3"',
    "fraction_type": 'Phải là phân số, ví dụ "2/3"',
    "greater_than": "Phải lớn hơn {gt}",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}",
    "less_than": "Phải nhỏ hơn {lt}",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}",
    "date_type": "Ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "date_from_datetime_inexact": "Chỉ ghi ngày, không ghi giờ (định dạng YYYY-MM-DD)",
    "model_type": "Phải là một bảng khóa: giá trị (mapping)",
    "model_attributes_type": "Phải là một bảng khóa: giá trị (mapping)",
    "dict_type": "Phải là một bảng khóa: giá trị (mapping)",
    "list_type": "Phải là một danh sách",
    "tuple_type": "Phải là một danh sách",
    "enum": "Giá trị không hợp lệ; chấp nhận: {expected}",
    "literal_error": "Giá trị không hợp lệ; chấp nhận: {expected}",
    "union_tag_invalid": "Loại '{tag}' không hợp lệ; chấp nhận: {expected_tags}",
    "union_tag_not_found": "Thiếu trường '{discriminator}' cho biết loại",
    "value_error": "Giá trị không hợp lệ",
} | {code: vietnamese for code, (_, vietnamese) in _MESSAGES.items()}

# Labels of the things a reference can point at, for `unknown_reference`.
_WHAT_VI = {
    "organisation": "tổ chức",
    "movement": "phong trào",
    "phase": "đợt thi đua",
    "award type": "hình thức khen thưởng",
    "target": "chỉ tiêu",
}

Location = tuple[str | int, ...]


class _Problems:
    """Collects the problems of one model so that all of them are reported at once."""

    def __init__(self, title: str) -> None:
        self._title = title
        self._errors: list[InitErrorDetails] = []

    def add(self, location: Location, error: str, value: Any, **context: Any) -> None:
        """Record `error` (a key of `_MESSAGES`) for `value` found at `location`."""
        if error == "unknown_reference":
            context["what_vi"] = _WHAT_VI[context["what"]]
        english, _ = _MESSAGES[error]
        self._errors.append(
            InitErrorDetails(
                type=PydanticCustomError(error, english, context), loc=location, input=value
            )
        )

    def raise_if_any(self) -> None:
        if self._errors:
            raise ValidationError.from_exception_data(self._title, self._errors)


def _where(collection: str, index: int, field: str) -> str:
    return f"{collection}[{index}].{field}"


def _check_unique(
    problems: _Problems, collection: str, values: Iterable[Any], field: str = "code"
) -> None:
    first_index: dict[Any, int] = {}
    for index, value in enumerate(values):
        if value in first_index:
            code, context = (
                ("duplicate_number", {"number": value})
                if field == "number"
                else ("duplicate_code", {"code": value})
            )
            problems.add(
                (collection, index, field),
                code,
                value,
                first=_where(collection, first_index[value], field),
                **context,
            )
        else:
            first_index[value] = index


def _check_reference(
    problems: _Problems, location: Location, code: str, known: Iterable[str], what: str
) -> None:
    known = list(known)
    if code not in known:
        problems.add(
            location, "unknown_reference", code, what=what, code=code, known=", ".join(known)
        )


# --- building blocks -------------------------------------------------------------------------


def _nfc(text: str) -> str:
    # Vietnamese typed on some systems arrives decomposed (a letter plus combining marks); the
    # plan's text is NFC, and equal names must compare equal.
    return unicodedata.normalize("NFC", text)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_nfc)]
"""Vietnamese text, with diacritics; surrounding whitespace (a YAML block's last newline)
is dropped."""


def _at_most(max_length: int) -> AfterValidator:
    """Checked after NFC, the form stored (the services' columns hold `max_length`)."""

    def check(text: str) -> str:
        if len(text) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        return text

    return AfterValidator(check)


# The limit before NFC states it (JSON Schema, the error people read); after NFC, it holds for
# what is stored (NFC of a few rare characters is longer than they are).
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX),
    AfterValidator(_nfc),
    _at_most(NAME_MAX),
]
"""Text the services store in a column of NAME_MAX (a phase's, a target's, an award's name)."""

Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=CAMPAIGN_TITLE_MAX),
    AfterValidator(_nfc),
    _at_most(CAMPAIGN_TITLE_MAX),
]

_CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Code = Annotated[str, StringConstraints(pattern=_CODE_PATTERN, max_length=CODE_MAX)]
"""A stable identifier: lowercase ASCII letters, digits and hyphens, e.g. `dot-1`. Codes are
what events and databases store, so they never change once a campaign is published."""

CampaignCode = Annotated[
    str, StringConstraints(pattern=_CODE_PATTERN, max_length=CAMPAIGN_CODE_MAX)
]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MovementKind(StrEnum):
    """What the plan calls it."""

    phong_trao = "phong_trao"  # phong trào thi đua: an emulation movement
    cuoc_van_dong = "cuoc_van_dong"  # cuộc vận động: a campaign of conduct
    chuong_trinh = "chuong_trinh"  # chương trình: a programme


class Population(StrEnum):
    """The units or people a target, or an award rule, is measured over."""

    affiliated_unions = "affiliated_unions"  # công đoàn trực thuộc CĐ DKVN
    grassroots_unions = "grassroots_unions"  # công đoàn cơ sở
    unions_all_levels = "unions_all_levels"  # công đoàn các cấp: every union in the tree
    members = "members"  # đoàn viên, người lao động


class Evidence(StrEnum):
    """What shows that a unit did what a `share_of_units` indicator asks."""

    registration_approved = "registration_approved"  # its registration (đăng ký) was approved
    report_filed = "report_filed"  # its result report states a positive `figure`


class CountedEvent(StrEnum):
    """What a `count` indicator counts, across the indicator's population."""

    initiative_submitted = "initiative_submitted"
    initiative_recognised = "initiative_recognised"


class ReviewKind(StrEnum):
    so_ket = "so_ket"  # sơ kết: an interim review
    tong_ket = "tong_ket"  # tổng kết: the final review


class ReportKind(StrEnum):
    plan = "plan"  # kế hoạch
    result = "result"  # kết quả


class AwardLevel(StrEnum):
    """Whose award it is: the level that decides it."""

    confederation = "confederation"  # Tổng Liên đoàn Lao động Việt Nam
    federation = "federation"  # Công đoàn Dầu khí Việt Nam
    affiliated_union = "affiliated_union"  # each công đoàn trực thuộc, for its own tree


class Recipient(StrEnum):
    collective = "collective"  # tập thể
    individual = "individual"  # cá nhân


class ScoreBasis(StrEnum):
    """What an award rule ranks and thresholds on."""

    # A unit's emulation score, 0 to 100: the points (awards.emulation_score) of the targets
    # it met in the phase.
    emulation_score = "emulation_score"
    # A person's best weighted council score among their recognised initiatives of the phase,
    # on the initiative review's scale.
    initiative_score = "initiative_score"


class Eligibility(StrEnum):
    """Conditions every candidate of an award rule must meet."""

    must_have_registered = "must_have_registered"  # the unit (a person's unit) registered
    must_have_filed_phase_report = "must_have_filed_phase_report"  # its result report, on time
    no_overdue_complaints = "no_overdue_complaints"  # no complaint case past its due date
    # Not already awarded for the same achievement (initiative, phase result) by this rule or
    # another: the higher award wins.
    no_duplicate_award_for_same_achievement = "no_duplicate_award_for_same_achievement"


# --- the plan document -----------------------------------------------------------------------


class Organisation(_Model):
    """A body the file refers to: the issuer, launchers of movements, the reporting channel."""

    code: Code = Field(description="e.g. `cd-dkvn`.")
    name: Name = Field(description="Full Vietnamese name.")
    abbreviation: Text | None = Field(default=None, description="e.g. 'CĐ DKVN'.")
    part_of: Code | None = Field(
        default=None, description="Code of the organisation it belongs to (a department's)."
    )


class Signatory(_Model):
    name: Name = Field(description="Who signed the plan.")
    position: Text = Field(description="Chức vụ, e.g. 'Phó Chủ tịch'.")
    on_behalf_of: Text | None = Field(default=None, description="TM. (thay mặt) whom.")


class PlanDocument(_Model):
    """The document that launched the campaign."""

    number: Text = Field(description="Số hiệu, e.g. '46/KH-CĐDK'.")
    issued_on: date = Field(description="Ngày ban hành.")
    issued_at: Text | None = Field(default=None, description="Where, e.g. 'Hà Nội'.")
    issuer: Code = Field(description="Code of the issuing organisation.")
    signed_by: Signatory | None = None


class Period(_Model):
    """The dates the campaign covers; every phase lies inside them."""

    starts_on: date = Field(description="First day of the campaign.")
    ends_on: date = Field(description="Last day of the campaign, inclusive.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        problems = _Problems("Period")
        if self.ends_on < self.starts_on:
            problems.add(
                ("ends_on",),
                "ends_before_start",
                self.ends_on,
                starts_on=self.starts_on,
                ends_on=self.ends_on,
            )
        problems.raise_if_any()
        return self


class Movement(_Model):
    """A movement, campaign of conduct or programme units register for (II.2.2 of 2022)."""

    code: Code = Field(description="Stable code, e.g. `lao-dong-gioi-sang-tao`.")
    kind: MovementKind
    name: Name = Field(description="Its name as the plan quotes it.")
    plan_wording: Text | None = Field(
        default=None, description="How the plan introduces it, where that says more than the name."
    )
    launched_by: tuple[Code, ...] = Field(
        default=(), description="Organisations that launched it, where known; empty if not."
    )
    source: Text | None = Field(default=None, description="Section of the plan, e.g. 'II.2.2'.")


# --- phases ----------------------------------------------------------------------------------


class Review(_Model):
    kind: ReviewKind = Field(description="sơ kết (interim) or tổng kết (final).")
    name: Name = Field(description="e.g. 'Tổng kết phong trào thi đua năm 2022'.")


class MovementReview(_Model):
    """A review of one movement held at a phase's end (e.g. sơ kết of the key projects)."""

    movement: Code = Field(description="Code of the movement reviewed.")
    kind: ReviewKind


class Phase(_Model):
    """One đợt thi đua: units register, report and are reviewed and awarded per phase."""

    code: Code = Field(description="e.g. `dot-1`.")
    name: Name = Field(description="e.g. 'Đợt 1'.")
    starts_on: date = Field(description="First day of the phase.")
    ends_on: date = Field(description="Last day of the phase, inclusive.")
    focus: Text = Field(description="What the phase's emulation is directed at, from the plan.")
    closing_review: Review = Field(description="The review (sơ kết / tổng kết) that closes it.")
    movement_reviews: tuple[MovementReview, ...] = Field(
        default=(), description="Reviews of particular movements held at its close."
    )
    report_due_on: date = Field(description="Units' result reports are due by this day.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        problems = _Problems("Phase")
        if self.ends_on < self.starts_on:
            problems.add(
                ("ends_on",),
                "ends_before_start",
                self.ends_on,
                starts_on=self.starts_on,
                ends_on=self.ends_on,
            )
        if self.report_due_on < self.ends_on:
            problems.add(
                ("report_due_on",),
                "due_before_end",
                self.report_due_on,
                due_on=self.report_due_on,
                ends_on=self.ends_on,
            )
        _check_unique(
            problems, "movement_reviews", (r.movement for r in self.movement_reviews), "movement"
        )
        problems.raise_if_any()
        return self


# --- targets and their indicators ------------------------------------------------------------


class ShareOfUnits(_Model):
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
    movements: tuple[Code, ...] = Field(
        default=(),
        description="For `registration_approved`: registrations in these movements count; "
        "empty: any movement.",
    )
    goal_percent: Decimal = Field(gt=0, le=100)

    @model_validator(mode="after")
    def _evidence_fields(self) -> Self:
        problems = _Problems("ShareOfUnits")
        if self.evidence is Evidence.report_filed:
            for field in ("figure", "figure_label"):
                if getattr(self, field) is None:
                    problems.add((field,), "figure_required", None)
            if self.movements:
                problems.add(("movements",), "only_for_registrations", self.movements)
        else:
            for field in ("figure", "figure_label"):
                if getattr(self, field) is not None:
                    problems.add((field,), "only_for_reports", getattr(self, field))
        problems.raise_if_any()
        return self


class Count(_Model):
    """How many `counts` events happened across the population. Met at `goal`."""

    kind: Literal["count"]
    counts: CountedEvent
    goal: int = Field(gt=0)
    exceed: bool = Field(
        default=False,
        description="The plan asks to go beyond the goal (vượt mức): progress is not capped "
        "at 100%, and reaching the goal exactly is shown as met, not exceeded.",
    )


class NoneOverdue(_Model):
    """No unit of the population lets a complaint or denunciation case (đơn thư khiếu nại, tố
    cáo) go past its due date. A case is due `resolution_days` after it is received."""

    kind: Literal["none_overdue"]
    resolution_days: int = Field(gt=0)


Indicator = Annotated[ShareOfUnits | Count | NoneOverdue, Field(discriminator="kind")]
INDICATOR_KINDS: frozenset[str] = frozenset({"share_of_units", "count", "none_overdue"})
"""The tags of `Indicator`; pydantic puts the tag in an error's location, the loader drops it."""


class Target(_Model):
    """One chỉ tiêu phấn đấu (section III of the 2022 plan)."""

    number: int = Field(ge=1, description="Its number in the plan.")
    name: Name = Field(description="A short Vietnamese name for dashboards.")
    text: Text = Field(description="The plan's wording, verbatim.")
    population: Population = Field(description="What the target is measured over.")
    indicator: Indicator


# --- initiative review -----------------------------------------------------------------------


class Criterion(_Model):
    code: Code = Field(description="e.g. `novelty`.")
    name: Name = Field(description="e.g. 'Tính mới'.")
    description: Text | None = None
    weight: Decimal = Field(gt=0, le=1, description="Share of the weighted score; sum is 1.")


class Scale(_Model):
    """The range each criterion is scored on; the weighted score has the same range."""

    min: Decimal = Field(description="Lowest score, e.g. 0.")
    max: Decimal = Field(description="Highest score, e.g. 10.")

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        problems = _Problems("Scale")
        if self.max <= self.min:
            problems.add(("max",), "scale_empty", self.max, min=self.min, max=self.max)
        problems.raise_if_any()
        return self

    def contains(self, score: Decimal) -> bool:
        return self.min <= score <= self.max


class CouncilRule(_Model):
    """When the council recognises an initiative: both conditions hold."""

    min_members: int = Field(ge=1, description="A council sits with at least this many.")
    min_share_of_votes: Fraction = Field(
        gt=0,
        le=1,
        description="Share of the council's members (not of those present) voting to "
        "recognise, e.g. '2/3'.",
    )
    min_weighted_score: Decimal = Field(description="The weighted score must reach this.")


class InitiativeReview(_Model):
    scale: Scale
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    council_rule: CouncilRule

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = _Problems("InitiativeReview")
        _check_unique(problems, "criteria", (c.code for c in self.criteria))
        total = sum((c.weight for c in self.criteria), Decimal(0))
        if total != 1:
            problems.add(
                ("criteria",), "weights_not_1", [c.weight for c in self.criteria], total=total
            )
        score = self.council_rule.min_weighted_score
        if not self.scale.contains(score):
            problems.add(
                ("council_rule", "min_weighted_score"),
                "score_outside_scale",
                score,
                score=score,
                min=self.scale.min,
                max=self.scale.max,
            )
        problems.raise_if_any()
        return self

    def weighted_score(self, scores: Mapping[str, Decimal]) -> Decimal:
        """The weighted score of one reviewer's (or the council's mean) criterion scores."""
        return sum((c.weight * scores[c.code] for c in self.criteria), Decimal(0))


# --- awards ----------------------------------------------------------------------------------


class AwardType(_Model):
    """A form of recognition (hình thức khen thưởng)."""

    code: Code = Field(description="e.g. `bang-khen-cd-dkvn`.")
    name: Name = Field(description="e.g. 'Bằng khen của Công đoàn Dầu khí Việt Nam'.")
    level: AwardLevel
    granted_by: Code | None = Field(
        default=None, description="The organisation that decides it; none for affiliated unions."
    )
    recipients: tuple[Recipient, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _granted_by_matches_level(self) -> Self:
        problems = _Problems("AwardType")
        if self.level is AwardLevel.affiliated_union:
            if self.granted_by is not None:
                problems.add(("granted_by",), "granted_by_not_allowed", self.granted_by)
        elif self.granted_by is None:
            problems.add(("granted_by",), "granted_by_required", None, level=self.level.value)
        problems.raise_if_any()
        return self


class EmulationScore(_Model):
    """How a unit's emulation score (0 to 100) is made: the points of each target it met."""

    target_points: dict[int, int] = Field(
        description="Target number -> points; every target has points; they sum to 100."
    )


class AwardRule(_Model):
    """Who receives an award at a phase's close. Candidates meeting `eligibility` are ranked
    by `basis`; those at or above `min_score` are selected, at most `top` of them, and at most
    `quota` per granting body (per affiliated union for its own Giấy khen)."""

    code: Code = Field(description="e.g. `co-thi-dua-don-vi-dan-dau`.")
    name: Name = Field(description="What the rule commends, in Vietnamese.")
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
    top: int | None = Field(default=None, gt=0, description="Only the best N, by rank.")
    quota: int | None = Field(default=None, gt=0, description="At most N per granting body.")
    eligibility: tuple[Eligibility, ...] = Field(
        default=(), description="Conditions every candidate must meet."
    )

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        problems = _Problems("AwardRule")
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
        problems.raise_if_any()
        return self


class Awards(_Model):
    types: tuple[AwardType, ...] = Field(min_length=1)
    emulation_score: EmulationScore
    rules: tuple[AwardRule, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = _Problems("Awards")
        _check_unique(problems, "types", (t.code for t in self.types))
        _check_unique(problems, "rules", (r.code for r in self.rules))
        types = {t.code: t for t in self.types}
        for index, rule in enumerate(self.rules):
            award = types.get(rule.award)
            if award is None:
                _check_reference(
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
        problems.raise_if_any()
        return self


class Reporting(_Model):
    """Where units send their plans and results (the channel of section IV of 2022)."""

    to: Code = Field(description="The organisation that receives reports.")
    via: Code | None = Field(default=None, description="Its department that handles them.")
    reports: tuple[ReportKind, ...] = Field(
        min_length=1, description="What units send: their plans, their results."
    )
    plan_wording: Text | None = Field(default=None, description="The plan's sentence, verbatim.")


# --- the campaign ----------------------------------------------------------------------------


class Campaign(_Model):
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

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = _Problems("Campaign")
        self._check_codes(problems)
        self._check_phase_dates(problems)
        self._check_references(problems)
        self._check_award_scores(problems)
        problems.raise_if_any()
        return self

    def _check_codes(self, problems: _Problems) -> None:
        _check_unique(problems, "organisations", (o.code for o in self.organisations))
        _check_unique(problems, "movements", (m.code for m in self.movements))
        _check_unique(problems, "phases", (p.code for p in self.phases))
        _check_unique(problems, "targets", (t.number for t in self.targets), "number")

    def _check_phase_dates(self, problems: _Problems) -> None:
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

    def _check_references(self, problems: _Problems) -> None:
        organisations = [o.code for o in self.organisations]
        movements = [m.code for m in self.movements]
        phases = [p.code for p in self.phases]

        def organisation(location: Location, code: str) -> None:
            _check_reference(problems, location, code, organisations, "organisation")

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
                _check_reference(problems, location, review.movement, movements, "movement")
        for index, target in enumerate(self.targets):
            if isinstance(target.indicator, ShareOfUnits):
                for position, code in enumerate(target.indicator.movements):
                    location = ("targets", index, "indicator", "movements", position)
                    _check_reference(problems, location, code, movements, "movement")
        for index, award_type in enumerate(self.awards.types):
            if award_type.granted_by is not None:
                organisation(("awards", "types", index, "granted_by"), award_type.granted_by)
        for index, rule in enumerate(self.awards.rules):
            location = ("awards", "rules", index)
            _check_reference(problems, (*location, "granted_at"), rule.granted_at, phases, "phase")
            if rule.movement is not None:
                _check_reference(
                    problems, (*location, "movement"), rule.movement, movements, "movement"
                )
        organisation(("reporting", "to"), self.reporting.to)
        if self.reporting.via is not None:
            organisation(("reporting", "via"), self.reporting.via)

    def _check_award_scores(self, problems: _Problems) -> None:
        points = self.awards.emulation_score.target_points
        numbers = [t.number for t in self.targets]
        location: Location = ("awards", "emulation_score", "target_points")
        for number in points:
            if number not in numbers:
                _check_reference(
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
            if not scale.contains(rule.min_score):
                problems.add(
                    ("awards", "rules", index, "min_score"),
                    "score_outside_scale",
                    rule.min_score,
                    score=rule.min_score,
                    min=scale.min,
                    max=scale.max,
                )

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
