"""Campaign phases, registrations, reports, complaints, units and initiatives' lifecycles,
through the submissions API on a real database. What leaves the service is read from the
outbox, where events wait for the relay."""

import io
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import CAMPAIGN
from shared.contracts.campaigns import PhaseClosed
from shared.contracts.initiatives import InitiativeAmended, InitiativeSubmitted
from shared.contracts.registrations import RegistrationApproved, RegistrationReturned
from shared.contracts.reports import ReportSubmitted
from tests.unit.conftest import (
    ADMIN,
    MEMBER_AN,
    MEMBER_BINH,
    OFFICER_BSR,
    OFFICER_PVGAS,
    campaign_day,
    complaint_body,
    first_error,
    report_body,
)
from tests.unit.submissions_helpers import initiative, outbox_events

FUTURE = (
    CAMPAIGN.read_text("utf-8")
    .replace('code: "2022"', 'code: "2030"')
    .replace("2022-", "2030-")
    .replace("2023-", "2031-")
)


def import_csv(
    client: TestClient, what: str, name: str, sheet: bytes, keep_valid_rows: bool = False
) -> httpx.Response:
    """`sheet` uploaded by PVGAS's officer to `/api/v1/{what}/import` as the CSV file `name`;
    `keep_valid_rows` asks for the good rows to be imported while the bad are listed."""
    response: httpx.Response = client.post(
        f"/api/v1/{what}/import",
        files={"file": (name, sheet, "text/csv")},
        data={"keep_valid_rows": "true"} if keep_valid_rows else None,
        headers=OFFICER_PVGAS,
    )
    return response


def file_report(client: TestClient, **changes: Any) -> httpx.Response:
    """BSR's officer files `report_body(**changes)` (its phase 1 results, due 10/07/2022)."""
    response: httpx.Response = client.post(
        "/api/v1/reports", json=report_body(**changes), headers=OFFICER_BSR
    )
    return response


@pytest.fixture
def future_campaign(submissions: TestClient) -> str:
    response = submissions.post(
        "/api/v1/campaigns",
        content=FUTURE.encode(),
        headers={**ADMIN, "content-type": "application/yaml"},
    )
    assert response.status_code == 201, response.text
    return "2030"


def test_only_a_federation_admin_publishes_a_campaign(submissions: TestClient) -> None:
    response = submissions.post(
        "/api/v1/campaigns",
        content=FUTURE.encode(),
        headers={**OFFICER_PVGAS, "content-type": "application/yaml"},
    )
    assert response.status_code == 403


def test_a_broken_campaign_file_is_refused_with_every_problem_located(
    submissions: TestClient,
) -> None:
    broken = FUTURE.replace("ends_on: 2030-06-30", "ends_on: 2030-08-30").replace(
        "goal: 2000", "goal: -1"
    )
    response = submissions.post(
        "/api/v1/campaigns",
        content=broken.encode(),
        headers={**ADMIN, "content-type": "application/yaml"},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert any(f.startswith("phases") for f in fields), fields
    assert any(f.startswith("targets") for f in fields), fields
    assert all(e["message_vi"] and e["message_en"] for e in response.json()["errors"])


def test_a_phase_closes_only_after_its_end_unless_forced_with_a_reason(
    submissions: TestClient, future_campaign: str
) -> None:
    base = f"/api/v1/campaigns/{future_campaign}/phases"
    assert submissions.post(f"{base}/dot-1/open", headers=ADMIN).status_code == 200
    second = submissions.post(f"{base}/dot-2/open", headers=ADMIN)
    assert first_error(second, 409)["code"] == "earlier_phase_open"

    with campaign_day(submissions, date(2030, 6, 30)):  # the phase's last day: too early
        early = submissions.post(f"{base}/dot-1/close", json={}, headers=ADMIN)
        assert "30/06/2030" in first_error(early, 409)["message_vi"]
        no_reason = submissions.post(f"{base}/dot-1/close", json={"force": True}, headers=ADMIN)
        assert no_reason.status_code == 422
        forced = submissions.post(
            f"{base}/dot-1/close",
            json={"force": True, "reason": "Sơ kết sớm theo chỉ đạo"},
            headers=ADMIN,
        )
    assert forced.status_code == 200 and forced.json()["status"] == "closed"
    assert forced.json()["closed_on"] == "2030-06-30"
    closed = outbox_events(submissions, PhaseClosed)
    assert closed[-1]["phase_code"] == "dot-1" and closed[-1]["forced"] is True
    assert closed[-1]["closed_on"] == "2030-06-30"  # the campaign's day, not the machine's

    # A closed phase takes no new entries.
    late = submissions.post(
        "/api/v1/registrations",
        json={
            "campaign_code": future_campaign,
            "phase_code": "dot-1",
            "unit_code": "PVGAS",
            "movement_codes": ["lao-dong-gioi-sang-tao"],
        },
        headers=OFFICER_PVGAS,
    )
    assert first_error(late, 409)["message_vi"] == "Đợt 1 đã đóng, không nhận thêm"


def test_a_registration_goes_up_is_returned_and_approved_by_the_level_above(
    submissions: TestClient,
) -> None:
    body = {
        "phase_code": "dot-1",
        "unit_code": "PVGAS-KCM",
        "movement_codes": ["lao-dong-gioi-sang-tao", "xanh-sach-dep-an-toan-ve-sinh-lao-dong"],
        "commitments": [
            {
                "movement_code": "lao-dong-gioi-sang-tao",
                "text": "Mỗi tổ đăng ký ít nhất một sáng kiến",
            }
        ],
    }
    drafted = submissions.post("/api/v1/registrations", json=body, headers=OFFICER_PVGAS)
    assert drafted.status_code == 201, drafted.text
    registration = drafted.json()["id"]
    url = f"/api/v1/registrations/{registration}"
    assert submissions.post(f"{url}/submit", headers=OFFICER_PVGAS).json()["status"] == "submitted"
    assert submissions.post(f"{url}/approve", headers=OFFICER_BSR).status_code == 403
    returned = submissions.post(
        f"{url}/return", json={"reason": "Bổ sung chỉ tiêu cụ thể"}, headers=OFFICER_PVGAS
    )
    assert returned.json()["status"] == "returned"
    assert submissions.post(f"{url}/submit", headers=OFFICER_PVGAS).status_code == 200
    approved = submissions.post(f"{url}/approve", headers=ADMIN)
    assert approved.json()["status"] == "approved"
    kinds = [e["registration_id"] for e in outbox_events(submissions, RegistrationApproved)]
    assert registration in kinds
    assert (
        outbox_events(submissions, RegistrationReturned)[-1]["reason"] == "Bổ sung chỉ tiêu cụ thể"
    )


def test_a_registration_names_only_the_campaigns_movements(submissions: TestClient) -> None:
    response = submissions.post(
        "/api/v1/registrations",
        json={"phase_code": "dot-1", "unit_code": "PVGAS", "movement_codes": ["bong-da"]},
        headers=OFFICER_PVGAS,
    )
    assert first_error(response, 422)["field"] == "movement_codes.0"


def test_a_report_after_its_deadline_is_marked_late_and_figures_are_checked(
    submissions: TestClient,
) -> None:
    bad = file_report(submissions, figures={"so-luong-bong-da": 3})
    assert first_error(bad, 422)["code"] == "unknown_figure"
    filed = file_report(submissions, filed_on="2022-07-20")  # keyed in from paper, later
    assert filed.status_code == 201, filed.text
    assert filed.json()["late"] is True  # due 10/07/2022
    event = outbox_events(submissions, ReportSubmitted)[-1]
    assert event["late"] is True and event["figures"] == {"activities-implemented": 100.0}
    assert event["filed_on"] == "2022-07-20"


def test_filing_a_report_again_replaces_its_content_and_keeps_its_id(
    submissions: TestClient,
) -> None:
    def file(percent: int, summary: str, filed_on: str) -> dict[str, Any]:
        figures = {"activities-implemented": percent}
        filed = file_report(submissions, figures=figures, summary=summary, filed_on=filed_on)
        assert filed.status_code == 201, filed.text
        return dict(filed.json())

    first = file(100, "Báo cáo sơ kết đợt 1", "2022-07-20")
    again = file(80, "Báo cáo sơ kết đợt 1, đã sửa số liệu", "2022-07-05")
    assert again["id"] == first["id"]
    assert (again["summary"], again["filed_on"], again["late"]) == (
        "Báo cáo sơ kết đợt 1, đã sửa số liệu",
        "2022-07-05",
        False,
    )
    events = outbox_events(submissions, ReportSubmitted)
    assert [e["report_id"] for e in events[-2:]] == [first["id"]] * 2
    assert events[-1]["figures"] == {"activities-implemented": 80.0}


def test_a_complaint_is_due_after_the_campaigns_resolution_days(submissions: TestClient) -> None:
    body = complaint_body("BSR", "Đơn khiếu nại về chế độ ca kíp")
    opened = submissions.post("/api/v1/complaints", json=body, headers=OFFICER_BSR)
    assert opened.status_code == 201, opened.text
    assert opened.json()["due_on"] == "2022-03-31"
    resolved = submissions.post(
        f"/api/v1/complaints/{opened.json()['id']}/resolve",
        json={"resolved_on": "2022-04-05"},
        headers=OFFICER_BSR,
    )
    assert resolved.json()["overdue"] is True
    overdue = submissions.get("/api/v1/complaints?overdue_only=true", headers=OFFICER_BSR).json()
    assert [c["id"] for c in overdue] == [opened.json()["id"]]


def test_a_units_sheet_with_bad_rows_is_refused_row_by_row_unless_asked_to_keep_good_ones(
    submissions: TestClient,
) -> None:
    sheet = (
        "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp\n"
        "PVGAS-MOI,Công đoàn Công ty Khí mới,PVGAS,Công đoàn cơ sở\n"
        "PVGAS-SAI,Công đoàn thiếu cấp trên,KHONG-CO,Công đoàn cơ sở\n"
    ).encode()
    refused = import_csv(submissions, "units", "don-vi.csv", sheet)
    assert refused.status_code == 422
    assert [e["row"] for e in refused.json()["errors"]] == [3]
    assert submissions.get("/api/v1/units/PVGAS-MOI", headers=OFFICER_PVGAS).status_code == 404
    kept = import_csv(submissions, "units", "don-vi.csv", sheet, keep_valid_rows=True)
    assert kept.status_code == 200 and kept.json()["created"] == 1
    unit = submissions.get("/api/v1/units/PVGAS-MOI", headers=OFFICER_PVGAS).json()
    assert unit["path"] == "CDDKVN/PVGAS/PVGAS-MOI/"
    elsewhere = sheet.replace(b"PVGAS-SAI,", b"BSR-MOI,").replace(b"KHONG-CO", b"BSR")
    outside = import_csv(submissions, "units", "x.csv", elsewhere)
    assert outside.status_code == 403


def test_the_same_idempotency_key_gives_the_first_answer_and_no_second_record(
    submissions: TestClient,
) -> None:
    headers = {**OFFICER_PVGAS, "Idempotency-Key": "form-42"}
    first = submissions.post("/api/v1/initiatives", json=initiative(), headers=headers)
    again = submissions.post("/api/v1/initiatives", json=initiative(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    other = submissions.post(
        "/api/v1/initiatives", json=initiative(title="Một sáng kiến khác"), headers=headers
    )
    assert first_error(other, 422)["code"] == "key_reused"


def test_a_confidential_initiative_event_names_its_authors_and_carries_no_content(
    submissions: TestClient,
) -> None:
    created = submissions.post(
        "/api/v1/initiatives",
        json=initiative(confidential=True, title="Quy trình bí mật"),
        headers=OFFICER_PVGAS,
    ).json()
    event = next(
        e
        for e in outbox_events(submissions, InitiativeSubmitted)
        if e["initiative_id"] == created["id"]
    )
    # Confidentiality hides the content, not the people: they are told and rewarded.
    assert event["confidential"] is True
    assert [a["member_id"] for a in event["authors"]] == ["PVGAS-0012"]
    assert event["title"] == "Quy trình bí mật" and event["expected_benefit_vnd"] == 120_000_000
    assert not {"problem", "solution", "novelty"} & set(event)


def test_an_author_amends_and_withdraws_before_review(submissions: TestClient) -> None:
    created = submissions.post("/api/v1/initiatives", json=initiative(), headers=MEMBER_AN).json()
    url = f"/api/v1/initiatives/{created['id']}"
    assert (
        submissions.patch(
            url, json={"expected_benefit_vnd": 200_000_000}, headers=MEMBER_BINH
        ).status_code
        == 404
    )
    amended = submissions.patch(url, json={"expected_benefit_vnd": 200_000_000}, headers=MEMBER_AN)
    assert amended.json()["expected_benefit_vnd"] == 200_000_000
    assert outbox_events(submissions, InitiativeAmended)[-1]["expected_benefit_vnd"] == 200_000_000
    assert submissions.post(f"{url}/withdraw", headers=MEMBER_AN).json()["status"] == "withdrawn"
    assert (
        submissions.patch(url, json={"title": "Đổi tên sau khi rút"}, headers=MEMBER_AN).status_code
        == 409
    )


def test_attachments_are_limited_in_type_and_size(submissions: TestClient, tmp_path: Path) -> None:
    created = submissions.post("/api/v1/initiatives", json=initiative(), headers=MEMBER_AN).json()
    url = f"/api/v1/initiatives/{created['id']}/attachments"
    pdf = b"%PDF-1.7\n" + b"0" * 1000
    ok = submissions.post(
        url, files={"file": ("mo-ta.pdf", pdf, "application/pdf")}, headers=MEMBER_AN
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["content_type"] == "application/pdf"
    download = submissions.get(f"{url}/{ok.json()['id']}", headers=OFFICER_PVGAS)
    assert download.content == pdf
    renamed = submissions.post(
        url, files={"file": ("anh.pdf", b"MZ\x90\x00binary", "application/pdf")}, headers=MEMBER_AN
    )
    assert renamed.status_code == 415
    huge = submissions.post(
        url,
        files={"file": ("lon.pdf", b"%PDF-" + b"0" * 70_000, "application/pdf")},
        headers=MEMBER_AN,
    )
    assert "MB" in first_error(huge, 413)["message_vi"]


def test_a_member_lists_only_their_own_initiatives(submissions: TestClient) -> None:
    # Two initiatives of An's unit, keyed in by its officer: one An authors, one a colleague.
    colleague = [{"member_id": "PVGAS-0101", "full_name": "Lê Minh Tuấn", "share_percent": 100}]
    for body in (initiative(), initiative(title="Sáng kiến của đồng nghiệp", authors=colleague)):
        created = submissions.post("/api/v1/initiatives", json=body, headers=OFFICER_PVGAS)
        assert created.status_code == 201, created.text
    everyone = submissions.get("/api/v1/initiatives", headers=OFFICER_PVGAS).json()
    assert everyone["total"] == 2
    mine = submissions.get("/api/v1/initiatives", headers=MEMBER_AN).json()
    assert [i["title"] for i in mine["items"]] == [initiative()["title"]]
    assert submissions.get("/api/v1/initiatives", headers=MEMBER_BINH).json()["total"] == 0


def test_the_units_template_is_a_workbook_with_vietnamese_headers(submissions: TestClient) -> None:
    response = submissions.get("/api/v1/units/import-template.xlsx", headers=OFFICER_PVGAS)
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in next(workbook.active.iter_rows(max_row=1))]
    assert "Mã đơn vị" in headers


def test_an_imported_initiative_keeps_its_real_authors_and_bad_rows_are_listed(
    submissions: TestClient,
) -> None:
    sheet = (
        "Tên sáng kiến;Mã đơn vị;Lĩnh vực;Thực trạng;Giải pháp;Ngày áp dụng;"
        "Giá trị làm lợi (đồng);Tác giả\n"
        "Giảm thất thoát khí tại trạm phân phối;PVGAS-KCM;Kỹ thuật;"
        "Thất thoát khí tại các mặt bích cũ.;Thay gioăng và kiểm tra định kỳ bằng camera nhiệt.;"
        '15/04/2022;1.500.000.000;"PVGAS-0101: Lê Minh Tuấn: 70%; PVGAS-0102: Đỗ Hà: 30%"\n'
        "Sáng kiến của đơn vị khác;BSR;Quản lý;Quy trình cũ chậm và rườm rà.;"
        "Rút gọn các bước phê duyệt.;01/03/2022;100.000.000;BSR-0301: Trần Bình\n"
    ).encode()
    refused = import_csv(submissions, "initiatives", "sang-kien.csv", sheet)
    assert refused.status_code == 422, refused.text
    assert [(e["row"], e["code"]) for e in refused.json()["errors"]] == [(3, "forbidden_unit")]

    kept = import_csv(submissions, "initiatives", "sang-kien.csv", sheet, keep_valid_rows=True)
    assert kept.status_code == 200 and kept.json()["created"] == 1
    listed = submissions.get(
        "/api/v1/initiatives?unit_code=PVGAS-KCM&limit=500", headers=OFFICER_PVGAS
    ).json()["items"]
    imported = next(i for i in listed if i["title"] == "Giảm thất thoát khí tại trạm phân phối")
    assert {(a["member_id"], a["share_percent"]) for a in imported["authors"]} == {
        ("PVGAS-0101", 70),
        ("PVGAS-0102", 30),
    }
    assert imported["submitted_by"] == "PVGAS-CB01"
    assert imported["expected_benefit_vnd"] == 1_500_000_000
