"""The parts of an initiative a person fills in, declared once: each part's name (as the API
and the table spell it, and the `initiative submitted` event where it carries the part),
whether it is required, how a form labels it and how the spreadsheet heads its column, in
Vietnamese and English.

The submissions API's schema describes its fields with these labels, the spreadsheet's layout
takes its columns, required columns and headers from here, and the portal's form and pages
take their labels from here; tests hold the table and the schema to the same names. Bounds
(lengths, amounts) are in `shared.contracts.bounds`; the field of work (lĩnh vực) codes and
names are `InitiativeField` in `shared.contracts.vocabulary`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class InitiativePart:
    name: str
    required: bool
    label: tuple[str, str]  # (vi, en): a form's label, the API's description
    column: tuple[str, str]  # (vi, en): the spreadsheet's header, shorter where a column is narrow
    in_form: bool = True  # False: the portal's form leaves it to the API's default
    # Its content: what a confidential initiative withholds from who may not read it (with its
    # attachments), and what no event carries.
    content: bool = False

    @property
    def label_vi(self) -> str:
        return self.label[0]


def _part(
    name: str,
    label: tuple[str, str],
    column: tuple[str, str] | None = None,
    *,
    required: bool = False,
    in_form: bool = True,
    content: bool = False,
) -> InitiativePart:
    return InitiativePart(name, required, label, column or label, in_form, content)


# In the order of the spreadsheet's columns and of the form.
INITIATIVE_PARTS: tuple[InitiativePart, ...] = (
    _part("title", ("Tên sáng kiến", "Title"), required=True),
    _part("unit_code", ("Đơn vị", "Unit"), ("Mã đơn vị", "Unit code"), required=True),
    _part("field", ("Lĩnh vực", "Field"), required=True),
    _part(
        "problem",
        ("Thực trạng, vấn đề cần giải quyết", "The problem"),
        ("Thực trạng", "Problem"),
        required=True,
        content=True,
    ),
    _part(
        "solution",
        ("Giải pháp thực hiện", "The solution"),
        ("Giải pháp", "Solution"),
        required=True,
        content=True,
    ),
    _part(
        "novelty",
        ("Điểm mới so với trước đây", "What is new compared with before"),
        ("Điểm mới", "Novelty"),
        content=True,
    ),
    _part(
        "first_applied_on",
        ("Ngày áp dụng lần đầu", "First applied on"),
        ("Ngày áp dụng", "First applied on"),
    ),
    _part(
        "expected_benefit_vnd",
        ("Giá trị làm lợi dự kiến (đồng)", "Expected benefit (VND)"),
        ("Giá trị làm lợi (đồng)", "Expected benefit (VND)"),
    ),
    _part("measured_benefit_vnd", ("Giá trị làm lợi thực tế (đồng)", "Measured benefit (VND)")),
    _part(
        "other_benefits",
        ("Lợi ích khác (không tính thành tiền)", "Other benefits (not in money)"),
        ("Lợi ích khác", "Other benefits"),
        content=True,
    ),
    _part("confidential", ("Bảo mật", "Confidential")),
    _part("authors", ("Tác giả, đồng tác giả", "Authors"), ("Tác giả", "Authors"), required=True),
    # The day the unit received it: an officer keying in paper files gives it in the spreadsheet;
    # a form submits on the campaign's today.
    _part("received_on", ("Ngày nhận", "Received on"), in_form=False),
)

PARTS_BY_NAME: Mapping[str, InitiativePart] = MappingProxyType(
    {part.name: part for part in INITIATIVE_PARTS}
)
CONTENT_PARTS: frozenset[str] = frozenset(p.name for p in INITIATIVE_PARTS if p.content)
"""The parts that are its content (with its attachments, which are files, not parts): a
confidential initiative withholds them from who may not read it, and no event carries them."""


def describe(name: str, more: str = "") -> str:
    """The API's description of a field: its Vietnamese label, as the form shows it, and what
    more an integrator needs to know."""
    label = PARTS_BY_NAME[name].label_vi
    return f"{label}: {more}" if more else f"{label}."
