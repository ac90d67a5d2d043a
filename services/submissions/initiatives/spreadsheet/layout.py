"""The initiatives sheet's columns: their fields, headers in Vietnamese and English, the
names officers give them, and how a file is read into rows of raw cells."""

from services.submissions.spreadsheet_reading import Records, SheetLayout, read_records
from shared.contracts.initiative_parts import INITIATIVE_PARTS
from shared.contracts.sheets import INITIATIVE_COLUMNS
from shared.contracts.vocabulary import INITIATIVE_FIELDS

# One import is one unit's (or one affiliated union's) list; the whole federation aims at 2,000
# initiatives a year.
MAX_ROWS = 5_000

FIELDS = tuple(part.name for part in INITIATIVE_PARTS)
REQUIRED_COLUMNS = tuple(part.name for part in INITIATIVE_PARTS if part.required)
HEADERS_VI = {field: names[0] for field, names in INITIATIVE_COLUMNS.items()}
HEADERS_EN = {field: names[1] for field, names in INITIATIVE_COLUMNS.items()}
# Beyond the two headers the contract gives each column (read as they are), the names officers'
# own sheets give it, compared after fold: lower case, no diacritics or punctuation ("Tên sáng
# kiến (*)" is the contract's "Tên sáng kiến").
OTHER_HEADERS = {
    "title": ("initiative", "ten giai phap", "ten de tai"),
    "unit_code": ("unit", "ma cong doan"),
    "field": ("linh vuc ap dung",),
    "problem": ("van de", "van de can giai quyet", "thuc trang van de can giai quyet"),
    "solution": ("giai phap thuc hien", "noi dung giai phap"),
    "novelty": ("tinh moi", "diem moi so voi truoc day"),
    "first_applied_on": (
        "first applied",
        "ngay ap dung lan dau",
        "ngay ap dung thu",
        "ngay ap dung dd mm yyyy",
    ),
    "expected_benefit_vnd": (
        "expected benefit",
        "gia tri lam loi",
        "gia tri lam loi vnd",
        "gia tri lam loi du kien",
        "gia tri lam loi du kien dong",
        "gia tri lam loi du kien vnd",
    ),
    "measured_benefit_vnd": (
        "measured benefit",
        "gia tri lam loi thuc te",
        "gia tri lam loi thuc te vnd",
    ),
    "other_benefits": ("hieu qua khac",),
    "confidential": ("mat",),
    "authors": ("author", "tac gia dong tac gia", "nhom tac gia", "tac gia ty le dong gop"),
    "received_on": (
        "date received",
        "ngay nhan ho so",
        "ngay nhan sang kien",
        "ngay nhan dd mm yyyy",
    ),
}

# The vocabulary's names without commas: Excel's list validation splits its choices on commas
# ("An toàn, vệ sinh lao động" would be two). Cells are matched after folding punctuation.
FIELD_LABELS_VI = {code: names[0].replace(",", "") for code, names in INITIATIVE_FIELDS.items()}

AUTHOR_FORMAT = "MÃ:Họ và tên:Tỷ lệ%"
AUTHORS_EXAMPLE = "PVGAS-0012: Nguyễn Văn An: 70%; PVGAS-0047: Trần Thị Bích Ngọc: 30%"


LAYOUT = SheetLayout(
    required=REQUIRED_COLUMNS,
    columns=INITIATIVE_COLUMNS,
    other_names=OTHER_HEADERS,
    max_rows=MAX_ROWS,
    row_noun_vi="sáng kiến",
    row_noun_en="initiatives",
)


def read_sheet(content: bytes, filename: str) -> Records:
    """The non-blank rows of an uploaded initiatives file, each field's raw cell, not its text:
    dates and amounts may come as typed Excel cells and the authors cell needs its line breaks."""
    return read_records(content, filename, LAYOUT)
