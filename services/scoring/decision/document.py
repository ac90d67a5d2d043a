"""The commendation decision and the certificates as DOCX bytes: the office opens them in
Word, checks them, and prints the one signed.

`decision_docx`: Quyết định khen thưởng in the layout of Decree 30/2020/NĐ-CP (header table,
number and place-date, title and subject, the deciding body, "Căn cứ", "QUYẾT ĐỊNH:", Điều 1
with the recipients by award, Điều 2 the award money, Điều 3 who executes it, then "Nơi nhận"
beside the signer's block). `certificate_docx`: one recipient's Bằng khen / Giấy khen / Cờ
thi đua page, landscape, tied to the decision by its number and date."""

import io
from itertools import groupby

from docx.document import Document as DocxDocument
from docx.table import _Cell

from services.scoring.decision.content import (
    KIND_VI,
    Commendation,
    Issuer,
    Signing,
    department,
    in_order,
    legal_bases,
    number_and_symbol,
    recipients_phrase,
    review,
)
from services.scoring.decision.layout import (
    CENTER,
    JUSTIFY,
    RED,
    borderless,
    first,
    grid,
    new_document,
    styled,
    vietnamese_date,
    write,
)
from services.scoring.decision.template import DecisionTemplate
from shared.campaign.model import Campaign
from shared.contracts.vocabulary import RecipientKind
from shared.formatting import format_date

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
INDENT_MM = 12.7  # the first line of a body paragraph, as Word's default tab


def decision_docx(
    campaign: Campaign,
    phase_code: str,
    commendations: list[Commendation],
    issuer: Issuer,
    signing: Signing,
    template: DecisionTemplate,
) -> bytes:
    if not commendations:
        raise ValueError("a decision commends someone: no confirmed award was given")
    phase = campaign.phase(phase_code)
    about = review(phase, template)
    document = new_document()
    _header(document, issuer, signing, template)
    write(document, template.title, bold=True, align=CENTER)
    write(document, template.subject.format(review=about), bold=True, align=CENTER, after_pt=12)
    write(
        document,
        template.authority.format(issuer=issuer.name.upper()),
        bold=True,
        align=CENTER,
        after_pt=6,
    )
    for line in legal_bases(campaign, issuer, signing, template):
        write(document, line, italic=True, align=JUSTIFY, first_line_mm=INDENT_MM, after_pt=3)
    write(document, template.decides, bold=True, align=CENTER, after_pt=6)

    ordered = in_order(commendations)
    articles = template.articles
    _article(
        document, 1, articles.award.format(recipients=recipients_phrase(ordered), review=about)
    )
    for index, (_, group) in enumerate(groupby(ordered, key=lambda c: c.order), start=1):
        listed = list(group)
        head = listed[0]
        line = articles.group.format(
            award=head.award_name,
            count=f"{len(listed):02d}",
            kind=KIND_VI.get(head.recipient_kind, head.recipient_kind),
            rule=head.rule_name,
        )
        write(document, f"{index}. {line}", bold=True, first_line_mm=INDENT_MM, after_pt=3)
        _recipients(document, listed, template)
    _article(document, 2, articles.money.format(issuer=issuer.name))
    _article(document, 3, articles.execution.format(issuer=issuer.name))
    write(document, after_pt=6)
    _signature(document, issuer, department(campaign, template), template)
    return _bytes(document)


def certificate_docx(
    campaign: Campaign,
    phase_code: str,
    award: Commendation,
    issuer: Issuer,
    signing: Signing,
    template: DecisionTemplate,
) -> bytes:
    text = template.certificate
    document = new_document(landscape=True)
    write(document, template.national_name, size=14, bold=True, align=CENTER)
    write(document, template.motto, size=14, bold=True, underline=True, align=CENTER, after_pt=18)
    authority = template.authority.format(issuer=issuer.name.upper())
    write(document, authority, size=16, bold=True, align=CENTER, after_pt=6)
    write(document, text.gives, size=16, bold=True, align=CENTER, after_pt=6)
    heading = text.heading(award.award_name)
    write(document, heading, size=40, bold=True, align=CENTER, after_pt=12, color=RED)
    write(document, award.recipient_name, size=22, bold=True, align=CENTER, after_pt=6)
    if award.recipient_kind != RecipientKind.unit:
        write(document, award.unit_name, size=16, align=CENTER, after_pt=6)
    achievement = text.achievement.format(review=review(campaign.phase(phase_code), template))
    write(document, achievement, size=16, italic=True, align=CENTER, after_pt=18)

    table = borderless(document, 1, (110, 142))
    left, right = table.rows[0].cells
    decision = text.decision.format(
        number=number_and_symbol(issuer, signing, template), signed_on=format_date(signing.on)
    )
    first(left, decision, size=12)
    write(left, text.reference.format(award_id=award.award_id), size=10, italic=True)
    first(right, vietnamese_date(issuer.place, signing.on), italic=True, align=CENTER)
    _signer(right, issuer, template)
    return _bytes(document)


def _header(
    document: DocxDocument, issuer: Issuer, signing: Signing, template: DecisionTemplate
) -> None:
    """Issuer and number on the left; national name, motto, place and date on the right."""
    table = borderless(document, 1, (70, 95))
    left, right = table.rows[0].cells
    if issuer.parent:
        first(left, issuer.parent.upper(), size=13, align=CENTER)
        write(left, issuer.name.upper(), size=13, bold=True, align=CENTER, after_pt=6)
    else:
        first(left, issuer.name.upper(), size=13, bold=True, align=CENTER, after_pt=6)
    write(left, f"Số: {number_and_symbol(issuer, signing, template)}", size=13, align=CENTER)
    first(right, template.national_name, size=13, bold=True, align=CENTER)
    write(right, template.motto, size=14, bold=True, underline=True, align=CENTER, after_pt=6)
    place_date = vietnamese_date(issuer.place, signing.on)
    write(right, place_date, size=14, italic=True, align=CENTER)
    write(document, after_pt=12)


def _article(document: DocxDocument, number: int, text: str) -> None:
    paragraph = write(document, f"Điều {number}. ", bold=True, align=JUSTIFY, after_pt=6)
    styled(paragraph, text, align=JUSTIFY, first_line_mm=INDENT_MM, after_pt=6)


def _recipients(
    document: DocxDocument, listed: list[Commendation], template: DecisionTemplate
) -> None:
    columns = template.columns
    people = listed[0].recipient_kind != RecipientKind.unit
    header = [columns.number, columns.individual if people else columns.collective]
    header += [columns.unit] if people else []
    header.append(columns.achievement)
    rows = []
    for position, c in enumerate(listed, start=1):
        achievement = "; ".join(r.rstrip(".") for r in c.reasons) + "." if c.reasons else ""
        row = [str(position), c.recipient_name, *([c.unit_name] if people else []), achievement]
        rows.append(row)
    # Millimetres of the 165 between the margins: the achievement takes what is left.
    widths = [12, 48, 45, 60] if people else [12, 63, 90]
    grid(document, header, rows, widths)
    write(document, after_pt=6)


def _signature(
    document: DocxDocument, issuer: Issuer, department: str, template: DecisionTemplate
) -> None:
    """'Nơi nhận' on the left (bold italic 12, items 11), the signer on the right."""
    table = borderless(document, 1, (80, 85))
    left, right = table.rows[0].cells
    first(left, template.recipients_to, size=12, bold=True, italic=True)
    for item in template.recipients:
        write(left, f"- {item.format(issuer=issuer.name, department=department)}", size=11)
    _signer(right, issuer, template)


def _signer(cell: _Cell, issuer: Issuer, template: DecisionTemplate) -> None:
    """On whose behalf, the position, room for the signature and the seal, the name."""
    first(cell, issuer.on_behalf_of, bold=True, align=CENTER)
    write(cell, issuer.position, bold=True, align=CENTER)
    for _ in range(template.signer.signature_lines):
        write(cell)
    write(cell, issuer.signer, bold=True, align=CENTER)


def _bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
