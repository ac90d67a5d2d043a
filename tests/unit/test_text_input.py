"""Text in, text out (issue 14, point 4): names and titles are one line without control or
bidirectional-override characters, long texts keep their line breaks, everything is stored in
NFC, spreadsheet cells lose what no one can see, and an export never fails on a stored control
character. On the submissions app; the export writer on its own."""

import io
import unicodedata
import uuid
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient

from services.reporting.exports.sheets import Column, Table, to_xlsx
from services.scoring.decision.layout import new_document, write
from services.submissions.spreadsheet_reading import cell_text
from tests.unit.conftest import OFFICER_PVGAS, initiative_body


def initiative(**changes: Any) -> dict[str, Any]:
    """A valid body, its title unique (a title is submitted once per unit and phase)."""
    title = f"Cải tiến quy trình bảo dưỡng máy nén khí {uuid.uuid4().hex[:6]}"
    return initiative_body(title=title) | changes


def _the_error(answer: Any) -> tuple[str, str]:
    assert answer.status_code == 422, answer.text
    error = answer.json()["errors"][0]
    assert error["message_vi"] and error["message_en"]
    return error["field"], error["code"]


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u2069", "POP DIRECTIONAL ISOLATE"),
        ("\x0b", "LINE TABULATION"),
        ("\x1b", "ESCAPE"),
        ("\uffff", "NONCHARACTER U+FFFF"),  # no XML holds it: exports and decisions failed
        ("\ufffe", "NONCHARACTER U+FFFE"),
    ],
)
def test_control_and_bidi_override_characters_are_refused_naming_the_field(
    submissions: TestClient, character: str, name: str
) -> None:
    sent = initiative(title=f"Sáng kiến{character} tiết kiệm điện năng")
    field, code = _the_error(
        submissions.post("/api/v1/initiatives", json=sent, headers=OFFICER_PVGAS)
    )
    assert (field, code) == ("title", "forbidden_character"), name
    author = {"member_id": "PVGAS-0012", "full_name": f"An{character}", "share_percent": 100}
    sent = initiative(authors=[author])
    field, _ = _the_error(submissions.post("/api/v1/initiatives", json=sent, headers=OFFICER_PVGAS))
    assert field == "authors.0.full_name"


def test_a_line_break_is_refused_in_a_name_or_title_and_kept_in_a_long_text(
    submissions: TestClient,
) -> None:
    for text in ("Dòng một\nDòng hai", "Cột\tmột", "Dòng\r\nhai"):
        answer = submissions.post(
            "/api/v1/initiatives", json=initiative(title=text), headers=OFFICER_PVGAS
        )
        assert _the_error(answer) == ("title", "line_break")
    author = {"member_id": "PVGAS-0012", "full_name": "Nguyễn\nVăn An", "share_percent": 100}
    answer = submissions.post(
        "/api/v1/initiatives", json=initiative(authors=[author]), headers=OFFICER_PVGAS
    )
    assert _the_error(answer) == ("authors.0.full_name", "line_break")
    solution = "Bước 1: đo rung động.\n\tBước 2: bảo dưỡng theo tình trạng."
    created = submissions.post(
        "/api/v1/initiatives", json=initiative(solution=solution), headers=OFFICER_PVGAS
    )
    assert created.status_code == 201, created.text
    assert created.json()["solution"] == solution


@pytest.mark.parametrize("code", ["PVGAS%0A", "PV%0DGAS", "PVGAS%09", "PV%E2%80%A8GAS"])
def test_a_line_break_in_a_path_parameter_is_refused_naming_it(
    submissions: TestClient, code: str
) -> None:
    """A path parameter names one thing: a line break in one (a unit's code here) is the
    guard's refusal, on every route, not a lookup of a code no one can have, nor stored (a
    contact's id took 'Q\nQ' before)."""
    answer = submissions.get(f"/api/v1/units/{code}", headers=OFFICER_PVGAS)
    assert _the_error(answer) == ("code", "line_break")


def test_decomposed_vietnamese_is_stored_in_nfc(submissions: TestClient) -> None:
    title = f"Nâng cao hiệu suất lò hơi số {uuid.uuid4().hex[:4]}"
    author = "Nguyễn Thị Hường"
    decomposed = unicodedata.normalize("NFD", title)
    assert decomposed != title
    body = initiative(
        title=decomposed,
        authors=[
            {
                "member_id": "PVGAS-0012",
                "full_name": unicodedata.normalize("NFD", author),
                "share_percent": 100,
            }
        ],
    )
    created = submissions.post("/api/v1/initiatives", json=body, headers=OFFICER_PVGAS)
    assert created.status_code == 201, created.text
    stored = submissions.get(
        f"/api/v1/initiatives/{created.json()['id']}", headers=OFFICER_PVGAS
    ).json()
    assert stored["title"] == title
    assert stored["authors"][0]["full_name"] == author


def test_a_spreadsheet_cell_loses_the_characters_no_one_can_see() -> None:
    assert cell_text("Công đoàn\x0b Khí\u202e Cà Mau\x01") == "Công đoàn Khí Cà Mau"
    assert cell_text(unicodedata.normalize("NFD", "Nguyễn")) == "Nguyễn"


def test_an_export_writes_a_stored_control_character_away_instead_of_failing() -> None:
    table = Table(
        "Đơn vị",
        [Column("Tên đơn vị"), Column("Số sáng kiến", "int")],
        [["Công đoàn\x0b Khí Cà Mau\x00\uffff", 3], ['=HYPERLINK("x")\x1f\ufffe', 1]],
    )
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx([table], "Tổng kết 2022 \x0b PVGAS")))
    sheet = workbook["Đơn vị"]
    assert sheet["A1"].value == "Tổng kết 2022  PVGAS — Đơn vị"
    assert sheet["A3"].value == "Công đoàn Khí Cà Mau"
    assert sheet["A4"].value == '=HYPERLINK("x")'
    assert sheet["A4"].data_type == "s"  # still text, never a formula


def test_a_decision_or_certificate_writes_a_stored_control_character_away() -> None:
    # python-docx refuses a paragraph holding U+000B (ValueError: a 500 for the decision).
    document = new_document()
    # U+FFFE and U+FFFF as well (lxml's ValueError; a second fuzz round found a unit so named).
    paragraph = write(document, "Công đoàn Khí\x0b Cà Mau\x00\ufffe\uffff")
    assert paragraph.text == "Công đoàn Khí Cà Mau"
