"""The page and type of Decree 30/2020/NĐ-CP (Phụ lục I), with python-docx.

Times New Roman throughout; A4; margins top and bottom 20 mm, left 30 mm, right 15 mm (the
decree allows 20–25, 20–25, 30–35, 15–20). The header is a borderless two-column table:
the issuing body on the left, the national name and motto on the right, as every Vietnamese
administrative document has it."""

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from shared.xlsx import docx_text

FONT = "Times New Roman"
BODY_PT = 14  # the decree: 13 to 14
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
RED = RGBColor(0xC0, 0x00, 0x00)  # a certificate's heading, as printed certificates have it

CENTER, LEFT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)


def new_document(*, landscape: bool = False) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    width, height = A4
    if landscape:  # a certificate
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    for side, size in MARGINS.items():
        setattr(section, f"{side}_margin", size)
    normal = document.styles["Normal"]
    font = normal.font
    font.name, font.size = FONT, Pt(BODY_PT)
    # Word picks the East Asian font slot for some Vietnamese letters unless it is set too.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    paragraph_format = normal.paragraph_format
    paragraph_format.space_before, paragraph_format.space_after = Pt(0), Pt(0)
    return document


def write(container: DocxDocument | _Cell, text: str = "", **style: Any) -> Paragraph:
    """A new paragraph of one run, styled as `styled` says."""
    paragraph: Paragraph = container.add_paragraph()
    return styled(paragraph, text, **style)


def first(cell: _Cell, text: str, **style: Any) -> Paragraph:
    """Into a cell's first paragraph (a new cell has one, empty), else a new one below."""
    paragraph: Paragraph = cell.paragraphs[0]
    if paragraph.text or paragraph.runs:
        return write(cell, text, **style)
    return styled(paragraph, text, **style)


def styled(
    paragraph: Paragraph,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: Any = LEFT,
    first_line_mm: float = 0,
    after_pt: float = 0,
    color: RGBColor | None = None,
) -> Paragraph:
    """One run per paragraph: the decree sets type per element (national name, motto, …)."""
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after_pt)
    if first_line_mm:
        paragraph.paragraph_format.first_line_indent = Mm(first_line_mm)
    run = paragraph.add_run(docx_text(text))  # names are stored text (shared.xlsx)
    run.font.name, run.font.size = FONT, Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    if color is not None:
        run.font.color.rgb = color
    return paragraph


def borderless(document: DocxDocument, rows: int, widths_mm: Iterable[float]) -> Table:
    """A layout table (header, signature block): no borders, fixed column widths."""
    widths = list(widths_mm)
    table: Table = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    _no_borders(table)
    return table


def grid(
    document: DocxDocument, header: list[str], rows: list[list[str]], widths_mm: Sequence[float]
) -> Table:
    """A list of recipients: a bordered table, its header row bold and repeated per page."""
    table: Table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.paragraphs[0].alignment = CENTER
        _fill(cell, text, bold=True)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = header_row.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    header_row.append(repeat)
    for values in rows:
        cells = table.add_row().cells  # type: ignore[no-untyped-call]  # unannotated upstream
        for cell, text in zip(cells, values, strict=True):
            _fill(cell, text)
        cells[0].paragraphs[0].alignment = CENTER
    for row in table.rows:  # Word reads a column's width from its cells
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def vietnamese_date(place: str, day: date) -> str:
    """'Hà Nội, ngày 05 tháng 7 năm 2022': the decree writes a day below 10 and the months
    1 and 2 with a leading zero, so that nothing can be added in front of them."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def count(n: int) -> str:
    """'03': how decisions write small counts of recipients."""
    return f"{n:02d}"


def _fill(cell: _Cell, text: str, *, bold: bool = False) -> None:
    run = cell.paragraphs[0].add_run(docx_text(text))
    run.font.name, run.font.size, run.bold = FONT, Pt(13), bold


def _no_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = properties.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"}))
    properties.append(borders)
