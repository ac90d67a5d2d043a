"""The commendation decision and the certificates, opened with python-docx: what they say
(national name and motto, number, place and date, each "Căn cứ", every confirmed recipient
with award and reasons and no one else, "Nơi nhận", the signer), the layout of Decree
30/2020/NĐ-CP (Times New Roman, A4, margins), and scoring's routes serving them."""

import io
from datetime import UTC, date, datetime, time
from urllib.parse import unquote
from uuid import uuid4

import httpx
import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Pt
from fastapi.testclient import TestClient

from services.scoring.decision import content
from services.scoring.decision.document import DOCX_TYPE, certificate_docx, decision_docx
from services.scoring.decision.layout import vietnamese_date
from services.scoring.decision.template import load_template
from services.scoring.tables import Award, CampaignCopy, FactEvent
from services.submissions.demo import CAMPAIGN, token
from shared.auth import Role
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.clock import FixedClock
from shared.contracts import UnitRecorded
from shared.formatting import VIETNAM_TIME
from shared.unit_tree import path_codes
from tests.unit.award_helpers import add, award
from tests.unit.conftest import ADMIN, store_rows

UNITS = {
    "PVGAS": ("Công đoàn Tổng công ty Khí Việt Nam", "CDDKVN/PVGAS/"),
    "PVGAS-KCM": ("Công đoàn Công ty Khí Cà Mau", "CDDKVN/PVGAS/PVGAS-KCM/"),
    "BSR": ("Công đoàn Công ty Lọc hóa dầu Bình Sơn", "CDDKVN/BSR/"),
}
NAMES = {code: name for code, (name, _) in UNITS.items()}
SIGNED = content.Signing(on=date(2023, 1, 5), number=7)


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return load_campaign(CAMPAIGN)


@pytest.fixture(scope="module")
def year_end(campaign: Campaign) -> list[Award]:
    """Dot 2's awards in every state, and one an affiliated union grants."""
    return [
        award(campaign, "co-thi-dua-don-vi-dan-dau", "PVGAS", NAMES["PVGAS"], "PVGAS"),
        award(
            campaign,
            "bang-khen-tap-the",
            "BSR",
            NAMES["BSR"],
            "BSR",
            reasons=("Xếp hạng 2/12 với 88 điểm", "Đạt 6/7 chỉ tiêu thi đua"),
        ),
        award(
            campaign,
            "bang-khen-ca-nhan",
            "PVGAS-0012",
            "Nguyễn Văn An",
            "PVGAS-KCM",
            reasons=("Sáng kiến “Tự động hóa báo cáo vận hành ca” đạt 9,20 điểm",),
        ),
        award(campaign, "bang-khen-ca-nhan", "BSR-0301", "Trần Thị Bình", "BSR", "proposed"),
        award(campaign, "bang-khen-ca-nhan", "BSR-0302", "Lê Văn Cường", "BSR", "rejected"),
        award(campaign, "bang-khen-ca-nhan", "BSR-0303", "Phạm Thu Dung", "BSR", "revoked"),
        award(campaign, "bang-khen-ca-nhan", "BSR-0304", "Hoàng Minh Em", "BSR", "withdrawn"),
        award(campaign, "giay-khen-ca-nhan", "PVGAS-0013", "Đỗ Văn Giang", "PVGAS-KCM"),
    ]


def build_decision(campaign: Campaign, awards: list[Award], signing: content.Signing) -> bytes:
    template = load_template()
    chosen = content.confirmed_of_issuer(awards, campaign)
    listed = [content.commendation(a, campaign, NAMES) for a in chosen]
    issuer = content.federation(campaign, template)
    return decision_docx(campaign, "dot-2", listed, issuer, signing, template)


@pytest.fixture(scope="module")
def decision(campaign: Campaign, year_end: list[Award]) -> DocxDocument:
    return Document(io.BytesIO(build_decision(campaign, year_end, SIGNED)))


def paragraphs(document: DocxDocument) -> list[str]:
    """Every paragraph's text, the tables' (header, signature, lists) included, in order."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def text_of(document: DocxDocument) -> str:
    return "\n".join(paragraphs(document))


def test_the_header_has_the_national_name_motto_issuer_number_place_and_date(
    decision: DocxDocument,
) -> None:
    header = decision.tables[0].rows[0].cells
    left = [p.text for p in header[0].paragraphs]
    right = header[1].paragraphs
    assert left[:2] == ["TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "CÔNG ĐOÀN DẦU KHÍ VIỆT NAM"]
    assert "Số: 07/QĐ-CĐDK" in left
    assert [p.text for p in right][:3] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 01 năm 2023",
    ]
    motto = right[1].runs[0]
    assert motto.bold and motto.underline
    assert right[2].runs[0].italic  # place and date: italic


def test_the_title_and_each_legal_basis_in_force_on_its_date(decision: DocxDocument) -> None:
    texts = [p.text for p in decision.paragraphs]
    assert "QUYẾT ĐỊNH" in texts and "QUYẾT ĐỊNH:" in texts
    assert (
        "Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong phong trào thi "
        "đua năm 2022" in texts
    )
    assert "BAN THƯỜNG VỤ CÔNG ĐOÀN DẦU KHÍ VIỆT NAM" in texts
    bases = [p for p in decision.paragraphs if p.text.startswith(("Căn cứ", "Xét đề nghị"))]
    lines = [p.text for p in bases]
    # Signed in January 2023: the law of 2003 (as amended) and rule 1689/QĐ-TLĐ, not the
    # law of 2022 (in force from 2024) nor 999/QĐ-TLĐ (2024).
    assert lines[0].startswith("Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003")
    assert not any("ngày 15 tháng 6 năm 2022" in line or "999/QĐ-TLĐ" in line for line in lines)
    assert "Căn cứ Điều lệ Công đoàn Việt Nam;" in lines
    assert any("1689/QĐ-TLĐ" in line for line in lines)
    assert (
        "Căn cứ Kế hoạch số 46/KH-CĐDK ngày 16/02/2022 của Công đoàn Dầu khí Việt Nam về việc "
        "phát động phong trào thi đua năm 2022 trong công nhân, lao động và các cấp công đoàn;"
    ) in lines
    assert lines[-1] == (
        "Xét đề nghị của Ban Chính sách Pháp luật và Quan hệ Lao động Công đoàn Dầu khí Việt Nam."
    )
    assert all(line.endswith(";") for line in lines[:-1])
    assert all(run.italic for p in bases for run in p.runs)


def test_the_bases_follow_the_law_in_force_on_the_signing_day(campaign: Campaign) -> None:
    template = load_template()
    issuer = content.federation(campaign, template)
    later = content.legal_bases(campaign, issuer, content.Signing(on=date(2024, 6, 1)), template)
    assert later[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert any("999/QĐ-TLĐ" in line for line in later)
    assert not any("2003" in line or "1689/QĐ-TLĐ" in line for line in later)


def test_article_1_lists_every_confirmed_recipient_with_award_and_reasons(
    decision: DocxDocument,
) -> None:
    texts = [p.text for p in decision.paragraphs]
    article = next(t for t in texts if t.startswith("Điều 1."))
    assert "02 tập thể và 01 cá nhân" in article
    groups = [t for t in texts if t[:3] in ("1. ", "2. ", "3. ")]
    assert groups == [
        "1. Tặng Cờ thi đua của Công đoàn Dầu khí Việt Nam cho 01 tập thể (Cờ thi đua cho công"
        " đoàn trực thuộc dẫn đầu phong trào thi đua năm 2022):",
        "2. Tặng Bằng khen của Công đoàn Dầu khí Việt Nam cho 01 tập thể (Bằng khen cho tập thể"
        " hoàn thành xuất sắc nhiệm vụ năm 2022):",
        "3. Tặng Bằng khen của Công đoàn Dầu khí Việt Nam cho 01 cá nhân (Bằng khen cho cá nhân"
        " có sáng kiến xuất sắc năm 2022):",
    ]
    lists = [t for t in decision.tables if t.rows[0].cells[0].text == "TT"]
    rows = [[c.text for c in row.cells] for t in lists for row in t.rows[1:]]
    assert rows == [
        ["1", "Công đoàn Tổng công ty Khí Việt Nam", "Đạt 95 điểm thi đua."],
        [
            "1",
            "Công đoàn Công ty Lọc hóa dầu Bình Sơn",
            "Xếp hạng 2/12 với 88 điểm; Đạt 6/7 chỉ tiêu thi đua.",
        ],
        [
            "1",
            "Nguyễn Văn An",
            "Công đoàn Công ty Khí Cà Mau",
            "Sáng kiến “Tự động hóa báo cáo vận hành ca” đạt 9,20 điểm.",
        ],
    ]
    assert [c.text for c in lists[2].rows[0].cells] == ["TT", "Họ và tên", "Đơn vị", "Thành tích"]


def test_no_proposal_nor_undone_award_nor_another_bodys_award_is_in_it(
    decision: DocxDocument,
) -> None:
    text = text_of(decision)
    # Proposed, rejected, revoked, withdrawn: none is an award; a Giấy khen is its union's.
    for name in ("Trần Thị Bình", "Lê Văn Cường", "Phạm Thu Dung", "Hoàng Minh Em", "Đỗ Văn Giang"):
        assert name not in text


def test_articles_2_and_3_nơi_nhận_and_the_signer(decision: DocxDocument) -> None:
    texts = [p.text for p in decision.paragraphs]
    assert any(t.startswith("Điều 2. Tiền thưởng") for t in texts)
    execution = next(t for t in texts if t.startswith("Điều 3."))
    assert execution.endswith("kể từ ngày ký./.")
    left, right = decision.tables[-1].rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert left.paragraphs[0].runs[0].bold and left.paragraphs[0].runs[0].italic
    assert "- Như Điều 3;" in [p.text for p in left.paragraphs]
    assert left.paragraphs[-1].text == "- Lưu: VT, CSQH."  # the proposing department
    signer = [p.text for p in right.paragraphs if p.text]
    # The campaign's signatory (plan 46/KH-CĐDK), as the template leaves the name to it.
    assert signer == ["TM. BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nguyễn Mạnh Kha"]


def test_the_page_and_type_follow_decree_30(decision: DocxDocument) -> None:
    section = decision.sections[0]
    # Word keeps lengths in twentieths of a point: A4 is 210 x 297 mm to within a tenth.
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width.mm - 210) < 0.1 and abs(section.page_height.mm - 297) < 0.1
    margins = {
        side: getattr(section, f"{side}_margin").mm for side in ("top", "bottom", "left", "right")
    }
    assert 20 <= round(margins["top"]) <= 25 and 20 <= round(margins["bottom"]) <= 25
    assert 30 <= round(margins["left"]) <= 35 and 15 <= round(margins["right"]) <= 20
    runs = [r for p in decision.paragraphs for r in p.runs]
    runs += [
        r
        for t in decision.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    ]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    normal = decision.styles["Normal"].font  # what a paragraph added in Word takes
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    body = [r for p in decision.paragraphs for r in p.runs if r.text.strip()]
    assert all(Pt(13) <= r.font.size <= Pt(14) for r in body)  # type: ignore[operator]
    assert all(Pt(11) <= r.font.size <= Pt(14) for r in runs)  # type: ignore[operator]


def test_a_draft_leaves_room_for_the_number(campaign: Campaign, year_end: list[Award]) -> None:
    draft = Document(io.BytesIO(build_decision(campaign, year_end, content.Signing(SIGNED.on))))
    left = [p.text for p in draft.tables[0].rows[0].cells[0].paragraphs]
    number = next(t for t in left if t.startswith("Số:"))
    assert number.endswith("/QĐ-CĐDK") and not any(ch.isdigit() for ch in number)


def test_the_date_is_written_as_the_decree_says() -> None:
    assert vietnamese_date("Hà Nội", date(2022, 7, 15)) == "Hà Nội, ngày 15 tháng 7 năm 2022"
    assert vietnamese_date("Hà Nội", date(2022, 2, 3)) == "Hà Nội, ngày 03 tháng 02 năm 2022"
    assert vietnamese_date("Hà Nội", date(2022, 12, 1)) == "Hà Nội, ngày 01 tháng 12 năm 2022"


def test_a_decision_needs_a_confirmed_award(campaign: Campaign) -> None:
    with pytest.raises(ValueError):
        build_decision(campaign, [], SIGNED)


def test_the_certificate_names_the_recipient_and_the_award(
    campaign: Campaign, year_end: list[Award]
) -> None:
    template = load_template()
    person = content.commendation(year_end[2], campaign, NAMES)
    issuer = content.federation(campaign, template)
    page = Document(
        io.BytesIO(certificate_docx(campaign, "dot-2", person, issuer, SIGNED, template))
    )
    texts = [p.text for p in page.paragraphs]
    assert texts[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    at = texts.index("BẰNG KHEN")
    assert texts[at - 2 : at + 4] == [
        "BAN THƯỜNG VỤ CÔNG ĐOÀN DẦU KHÍ VIỆT NAM",
        "TẶNG",
        "BẰNG KHEN",
        "Nguyễn Văn An",
        "Công đoàn Công ty Khí Cà Mau",
        "Đã có thành tích xuất sắc trong phong trào thi đua năm 2022",
    ]
    section = page.sections[0]
    assert section.page_width > section.page_height  # type: ignore[operator]
    left, right = page.tables[0].rows[0].cells
    assert left.paragraphs[0].text == "Quyết định số 07/QĐ-CĐDK ngày 05/01/2023"
    assert str(person.award_id) in left.paragraphs[1].text
    assert [p.text for p in right.paragraphs if p.text] == [
        "Hà Nội, ngày 05 tháng 01 năm 2023",
        "TM. BAN THƯỜNG VỤ",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Mạnh Kha",
    ]


def test_an_affiliated_unions_giấy_khen_is_in_its_name(
    campaign: Campaign, year_end: list[Award]
) -> None:
    template = load_template()
    person = content.commendation(year_end[-1], campaign, NAMES)
    issuer = content.affiliated_union(NAMES["PVGAS"], campaign, template)
    page = Document(
        io.BytesIO(certificate_docx(campaign, "dot-2", person, issuer, SIGNED, template))
    )
    texts = [p.text for p in page.paragraphs]
    assert "BAN THƯỜNG VỤ CÔNG ĐOÀN TỔNG CÔNG TY KHÍ VIỆT NAM" in texts
    assert "GIẤY KHEN" in texts and "Đỗ Văn Giang" in texts
    # Its number, place and signer are the union's: left for it to fill, not the federation's.
    assert "CĐDK" not in text_of(page) and "Nguyễn Mạnh Kha" not in text_of(page)


# --- the routes --------------------------------------------------------------------------

AN = token("PVGAS-0012", "PVGAS-KCM", Role.MEMBER)
BINH = token("BSR-0301", "BSR", Role.MEMBER)
OFFICER_KCM = token("KCM-CB01", "PVGAS-KCM", Role.UNIT_OFFICER)
TODAY = date(2022, 7, 20)


@pytest.fixture
def scoring(scoring: TestClient, campaign: Campaign) -> TestClient:
    """Scoring on a database of its own (tests/unit/conftest.py) on TODAY's clock, holding the
    2022 plan and the units; confirmations wait in the outbox (Kafka unreachable)."""
    scoring.app.state.clock = FixedClock(  # type: ignore[attr-defined]
        datetime.combine(TODAY, time(9), VIETNAM_TIME)
    )
    units = [
        FactEvent(
            event_id=uuid4(),
            event_type=UnitRecorded.event_type,
            payload=UnitRecorded(
                code=code,
                name=name,
                parent_code=path_codes(path)[-2],
                level="affiliated" if path.count("/") == 2 else "grassroots",
                path=path,
            ).model_dump(mode="json"),
            occurred_at=datetime(2022, 1, 3, tzinfo=UTC),
        )
        for code, (name, path) in UNITS.items()
    ]
    copy = CampaignCopy(code=campaign.code, definition=campaign.model_dump(mode="json"))
    store_rows(scoring, copy, *units)
    return scoring


def get(client: TestClient, path: str, headers: dict[str, str]) -> httpx.Response:
    response: httpx.Response = client.get(path, headers=headers)
    return response


DECISION = "/api/v1/awards/decision.docx?campaign_code=2022&phase_code={phase}"


def test_only_a_federation_admin_downloads_the_decision(scoring: TestClient) -> None:
    assert get(scoring, DECISION.format(phase="dot-1"), AN).status_code == 403


def test_no_decision_while_nothing_is_confirmed(scoring: TestClient, campaign: Campaign) -> None:
    add(
        scoring,
        award(campaign, "bang-khen-ca-nhan", "BSR-0301", "Trần Thị Bình", "BSR", "proposed"),
    )
    response = get(scoring, DECISION.format(phase="dot-2"), ADMIN)
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["field"] == "phase_code"
    assert "chưa có khen thưởng nào" in error["message_vi"]
    assert "no confirmed award" in error["message_en"]


def test_an_unknown_phase_is_named(scoring: TestClient) -> None:
    response = get(scoring, DECISION.format(phase="dot-9"), ADMIN)
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "phase_code"


def test_the_confirmed_awards_decision_is_dated_the_campaigns_today(
    scoring: TestClient, campaign: Campaign
) -> None:
    rule = "bang-khen-ca-nhan-sang-kien-dot-1"
    an = add(scoring, award(campaign, rule, "PVGAS-0012", "Nguyễn Văn An", "PVGAS-KCM", "proposed"))
    waiting = add(scoring, award(campaign, rule, "BSR-0302", "Lê Văn Cường", "BSR", "proposed"))
    confirmed = scoring.post(f"/api/v1/awards/{an}/confirm", headers=ADMIN)
    assert confirmed.status_code == 200, confirmed.text

    response = get(scoring, DECISION.format(phase="dot-1") + "&number=12", ADMIN)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX_TYPE
    disposition = response.headers["content-disposition"]
    assert 'filename="quyet-dinh-khen-thuong-2022-dot-1.docx"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == (
        "Quyết định khen thưởng 2022 Đợt 1.docx"
    )
    document = Document(io.BytesIO(response.content))
    text = text_of(document)
    assert "Hà Nội, ngày 20 tháng 7 năm 2022" in text and "Số: 12/QĐ-CĐDK" in text
    assert "Nguyễn Văn An" in text and "Công đoàn Công ty Khí Cà Mau" in text
    assert "Lê Văn Cường" not in text  # still a proposal
    assert waiting

    # The certificate: for the recipient and their unit's officers, not for another member.
    path = f"/api/v1/awards/{an}/certificate.docx"
    for who in (ADMIN, AN, OFFICER_KCM):
        page = get(scoring, path, who)
        assert page.status_code == 200, page.text
        assert page.headers["content-type"] == DOCX_TYPE
    assert "Nguyễn Văn An" in text_of(Document(io.BytesIO(page.content)))
    assert unquote(page.headers["content-disposition"].split("''")[1]) == (
        "Bằng khen - Nguyễn Văn An.docx"
    )
    assert get(scoring, path, BINH).status_code == 403
    # A recipient who holds only a reviewer's role (an author may sit on councils) gets theirs.
    an_as_reviewer = token("PVGAS-0012", "PVGAS-KCM", Role.REVIEWER)
    assert get(scoring, path, an_as_reviewer).status_code == 200
    assert get(scoring, path, token("HD-9", "CDDKVN", Role.REVIEWER)).status_code == 403


def test_a_proposals_certificate_is_refused(scoring: TestClient, campaign: Campaign) -> None:
    rule = "bang-khen-ca-nhan"
    proposal = add(scoring, award(campaign, rule, "BSR-0309", "Vũ Hải", "BSR", "proposed"))
    response = get(scoring, f"/api/v1/awards/{proposal}/certificate.docx", ADMIN)
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["field"] == "status"
    # The status in words, not its code; a proposal is not called an award.
    assert error["message_vi"].startswith(
        "Đề nghị khen thưởng đang ở trạng thái «Đề xuất, chờ phê duyệt»"
    )
    assert "“Proposed, awaiting a decision”" in error["message_en"]
    # Revoking what is only a proposal says so in the same words.
    revoked = scoring.post(
        f"/api/v1/awards/{proposal}/revoke", json={"reason": "Trùng thành tích"}, headers=ADMIN
    )
    assert revoked.status_code == 409, revoked.text
    [error] = revoked.json()["errors"]
    assert error["message_vi"] == (
        "Đề nghị khen thưởng đang ở trạng thái «Đề xuất, chờ phê duyệt»: chỉ đề nghị ở trạng "
        "thái «Đã phê duyệt» mới được thu hồi"
    )
    assert get(scoring, f"/api/v1/awards/{uuid4()}/certificate.docx", ADMIN).status_code == 404


def test_to_anyone_but_an_admin_a_proposal_or_a_rejection_is_not_there(
    scoring: TestClient, campaign: Campaign
) -> None:
    """Award ids are derived from the rule and the recipient, so a 403 or a 409 told anyone
    that a proposal existed, and its recipient's unit that it was pending or turned down (a
    black-box round found both)."""
    rule = "bang-khen-ca-nhan-sang-kien-dot-1"
    pending = add(
        scoring, award(campaign, rule, "PVGAS-0012", "Nguyễn Văn An", "PVGAS-KCM", "proposed")
    )
    turned_down = add(
        scoring, award(campaign, rule, "PVGAS-0013", "Trần Thị Bình", "PVGAS-KCM", "proposed")
    )
    rejected = scoring.post(
        f"/api/v1/awards/{turned_down}/reject", json={"reason": "Chưa đủ điều kiện"}, headers=ADMIN
    )
    assert rejected.status_code == 200, rejected.text
    missing = get(scoring, f"/api/v1/awards/{uuid4()}/certificate.docx", AN)
    for award_id in (pending, turned_down):
        path = f"/api/v1/awards/{award_id}/certificate.docx"
        for who in (AN, OFFICER_KCM, BINH):  # its recipient, their officer, anyone else
            answer = get(scoring, path, who)
            assert (answer.status_code, answer.json()) == (404, missing.json()), who
        assert get(scoring, path, ADMIN).status_code == 409  # the admins who decide see it


def test_a_signing_day_still_to_come_is_refused(scoring: TestClient) -> None:
    response = get(scoring, DECISION.format(phase="dot-1") + "&signed_on=2022-07-21", ADMIN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "signed_on"


def test_a_signing_day_outside_the_days_there_are_is_refused(scoring: TestClient) -> None:
    # Year 1 was taken: the decision came out dated 01/01/0001.
    response = get(scoring, DECISION.format(phase="dot-1") + "&signed_on=0001-01-01", ADMIN)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("signed_on", "greater_than_equal")


def test_a_unit_renamed_is_named_in_the_decision_as_last_recorded(
    scoring: TestClient, campaign: Campaign
) -> None:
    """The latest `unit recorded`, by when it happened, names the unit however its name sorts.
    The greatest record by content was taken: a rename to a name that sorts lower never
    reached the decision, and an earlier one that sorts higher stayed."""
    path = UNITS["PVGAS-KCM"][1]
    renamed = [
        FactEvent(
            event_id=uuid4(),
            event_type=UnitRecorded.event_type,
            payload=UnitRecorded(
                code="PVGAS-KCM", name=name, parent_code="PVGAS", level="grassroots", path=path
            ).model_dump(mode="json"),
            occurred_at=datetime(2022, 5, day, tzinfo=UTC),
        )
        # Recorded out of order: the latest (15 May) sorts lowest by name.
        for name, day in (("Công đoàn Công ty Cà Mau", 15), ("Công đoàn Công ty Zeta", 2))
    ]
    store_rows(scoring, *renamed)
    rule = "bang-khen-ca-nhan-sang-kien-dot-1"
    an = add(scoring, award(campaign, rule, "PVGAS-0012", "Nguyễn Văn An", "PVGAS-KCM", "proposed"))
    assert scoring.post(f"/api/v1/awards/{an}/confirm", headers=ADMIN).status_code == 200

    response = get(scoring, DECISION.format(phase="dot-1"), ADMIN)
    assert response.status_code == 200, response.text
    text = text_of(Document(io.BytesIO(response.content)))
    assert "Công đoàn Công ty Cà Mau" in text
    assert "Zeta" not in text and "Công đoàn Công ty Khí Cà Mau" not in text
