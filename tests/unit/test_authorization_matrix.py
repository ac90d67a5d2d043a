"""Every endpoint of every service, called as every kind of caller, answers as the one table
of rules says (shared/auth/permissions.py; issue 14, point 3), and the README shows that table.

Two passes. The first calls every endpoint with placeholder parameters as an admin, an officer,
a member, a reviewer, without a token and with bad tokens: whoever the table lets in is never
refused, whoever it keeps out by role is refused with 403, a caller without a token gets 401
unless the endpoint is open. The second gives the endpoints whose answer depends on whose thing
it is (an officer's subtree, a member's own, a reviewer's council) real things to ask for: a
confidential initiative of PVGAS-KCM by member An, with a council of three, and the like; then
an officer in and out of the subtree, the author and another member, a reviewer on and off the
council each get the answer their cell says. A confidential initiative shows its content only
to the table's readers, and its people to everyone who sees it.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from services.notifications.tables import InboxMessage, UnitCopy
from services.reporting.tables import CampaignView, UnitView
from services.scoring.tables import Award, CampaignCopy
from services.submissions.demo import CAMPAIGN, token
from shared.auth import Role
from shared.auth.permissions import ENDPOINTS, ROLES, Allow, Endpoint, markdown, with_table
from shared.campaign.loader import load_campaign
from shared.contracts.initiative_parts import CONTENT_PARTS
from tests.support.callers import bad_tokens
from tests.support.routes import operations
from tests.unit.conftest import (
    ADMIN,
    MEMBER_AN,
    MEMBER_BINH,
    OFFICER_BSR,
    OFFICER_PVGAS,
    complaint_body,
    initiative_body,
    store_rows,
)
from tests.unit.council_helpers import assign, awaiting_council
from tests.unit.submissions_helpers import seat_council, secret

REPO = Path(__file__).resolve().parents[2]
ON_COUNCIL = token("HD-TRONG", "CDDKVN", Role.REVIEWER)
OFF_COUNCIL = token("HD-NGOAI", "CDDKVN", Role.REVIEWER)
ROLE_TOKENS = {
    "federation_admin": ADMIN,
    "unit_officer": OFFICER_PVGAS,
    "member": MEMBER_AN,
    "reviewer": ON_COUNCIL,
}
CONTENT = CONTENT_PARTS


def _key(endpoint: Endpoint) -> tuple[str, str, str]:
    return endpoint.service, endpoint.method, endpoint.path


def _placeholder(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def _call(
    client: TestClient, method: str, path: str, headers: dict[str, str], **sent: Any
) -> httpx.Response:
    answer: httpx.Response = client.request(
        method, path, headers=headers, follow_redirects=False, **sent
    )
    return answer


def _refused(answer: httpx.Response) -> bool:
    return answer.status_code in (403, 404)


def test_the_table_lists_every_endpoint_of_every_service_once(
    every_service: dict[str, TestClient],
) -> None:
    listed = [_key(e) for e in ENDPOINTS]
    assert len(listed) == len(set(listed))
    for name, client in every_service.items():
        served = {(m.upper(), p) for m, p in operations(client, name)}
        table = {(m, p) for service, m, p in listed if service == name}
        assert served == table, (name, served ^ table)


def test_the_readme_shows_the_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert with_table(readme) == readme, "python -m shared.auth.permissions --write README.md"
    assert "| `POST /api/v1/campaigns` | ✓ | — | — | — | — |  |" in markdown()


def test_every_endpoint_answers_each_role_and_no_token_as_the_table_says(
    every_service: dict[str, TestClient],
) -> None:
    for endpoint in ENDPOINTS:
        client = every_service[endpoint.service]
        path = _placeholder(endpoint.path)
        where = f"{endpoint.method} {endpoint.path}"
        anonymous = _call(client, endpoint.method, path, {})
        if endpoint.anonymous:
            assert anonymous.status_code not in (401, 403), where
        else:
            assert anonymous.status_code == 401, (where, anonymous.status_code)
        if endpoint.path != "/metrics":  # the operations token's (test_http_hardening)
            for kind, headers in bad_tokens().items():
                assert _call(client, endpoint.method, path, headers).status_code == 401, (
                    where,
                    kind,
                )
        for role in ROLES:
            cell = endpoint.allows(role)
            answer = _call(client, endpoint.method, path, ROLE_TOKENS[role])
            assert answer.status_code != 401, (where, role)
            if cell is Allow.ALL:
                assert answer.status_code != 403, (where, role, answer.text)
            elif cell is Allow.NONE and _key(endpoint) not in NOT_PROBED:
                # Refused by role, before the body (none is sent) or anything else is read; the
                # probed ones by their subtree check, if the role does not decide alone.
                assert answer.status_code == 403, (where, role, answer.status_code)
                if _key(endpoint) not in PROBES:
                    assert answer.json()["errors"][0]["code"] == "forbidden_role", (where, role)
                # Nor is anything read of what they send: a body that is not JSON, a control
                # character in the query, are still refused for who they are.
                unreadable = _call(
                    client,
                    endpoint.method,
                    f"{path}?x=%01",
                    {**ROLE_TOKENS[role], "content-type": "application/json"},
                    content=b"{",
                )
                assert unreadable.status_code == 403, (where, role, unreadable.text)
            elif cell is not Allow.NONE:
                assert _key(endpoint) in PROBES.keys() | NOT_PROBED, (
                    f"{where}: '{cell}' for {role} depends on whose thing it is: add a probe"
                )


# --- the second pass: real things to ask for ----------------------------------------------


@dataclass
class Scenario:
    services: dict[str, TestClient]
    initiative: str  # confidential, PVGAS-KCM, by member An, council HD-TRONG, HD-2, HD-3
    attachment: str
    review: UUID  # scoring's: council HD-TRONG, HD-2, HD-3
    message: UUID  # in An's inbox
    registrations: dict[str, str]  # in PVGAS's subtree: drafted, to approve, to return
    complaint: str  # received by PVGAS-KCM
    award: UUID  # confirmed, then revoked: member An's, granted through PVGAS
    unit_serial: Iterator[int]


# Who calls: the table's cell for their role, and whether they are the one the thing is of.
CALLERS: dict[str, tuple[str, dict[str, str]]] = {
    "admin": ("federation_admin", ADMIN),
    "officer of PVGAS": ("unit_officer", OFFICER_PVGAS),
    "officer of BSR": ("unit_officer", OFFICER_BSR),
    "member An (the author)": ("member", MEMBER_AN),
    "member Bình (another)": ("member", MEMBER_BINH),
    "reviewer on its council": ("reviewer", ON_COUNCIL),
    "reviewer off its council": ("reviewer", OFF_COUNCIL),
}
INSIDE = {"officer of PVGAS", "member An (the author)"}  # PVGAS-KCM is in their subtree
UNIT = {"officer of PVGAS"}  # the award probed belongs to PVGAS itself
OWNER = {"member An (the author)"}
COUNCIL = {"reviewer on its council"}


def may(cell: Allow, caller: str) -> bool:
    return (
        cell is Allow.ALL
        or (cell is Allow.SUBTREE and caller in INSIDE)
        or (cell is Allow.UNIT and caller in UNIT)
        or (cell is Allow.OWN and caller in OWNER)
        or (cell is Allow.COUNCIL and caller in COUNCIL)
    )


Probe = Callable[[Scenario, dict[str, str]], httpx.Response]


def _initiative_get(s: Scenario, h: dict[str, str]) -> httpx.Response:
    return _call(s.services["submissions"], "GET", f"/api/v1/initiatives/{s.initiative}", h)


def _initiative_patch(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/initiatives/{s.initiative}"
    return _call(s.services["submissions"], "PATCH", url, h, json={"title": "Đổi tên sáng kiến"})


def _withdraw(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/initiatives/{s.initiative}/withdraw"
    return _call(s.services["submissions"], "POST", url, h, json={})


def _attachments(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/initiatives/{s.initiative}/attachments"
    return _call(s.services["submissions"], "GET", url, h)


def _attachment(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/initiatives/{s.initiative}/attachments/{s.attachment}"
    return _call(s.services["submissions"], "GET", url, h)


def _submit_as_an(s: Scenario, h: dict[str, str]) -> httpx.Response:
    body = initiative_body(title=f"Sáng kiến kiểm tra quyền {next(s.unit_serial)}")
    return _call(s.services["submissions"], "POST", "/api/v1/initiatives", h, json=body)


def _listed(s: Scenario, h: dict[str, str]) -> httpx.Response:
    """The list, answered 404 unless it holds the initiative: a list filters, it does not
    refuse, so "may see it" is "it is in the list"."""
    client = s.services["submissions"]
    answer = _call(
        client, "GET", "/api/v1/initiatives", h, params={"unit_code": "PVGAS-KCM", "limit": 500}
    )
    if answer.status_code != 200:
        return answer
    found = any(item["id"] == s.initiative for item in answer.json()["items"])
    return answer if found else httpx.Response(404, json={"errors": []})


def _under_pvgas_kcm(path: str, parameter: str) -> Probe:
    def probe(s: Scenario, h: dict[str, str]) -> httpx.Response:
        params = {"campaign_code": "2022", parameter: "PVGAS-KCM"}
        return _call(s.services["submissions"], "GET", path, h, params=params)

    return probe


def _new_unit(s: Scenario, h: dict[str, str]) -> httpx.Response:
    code = f"PVGAS-KCM-T{next(s.unit_serial)}"
    body = {"code": code, "name": f"Tổ công đoàn {code}", "parent_code": "PVGAS-KCM"}
    return _call(
        s.services["submissions"], "POST", "/api/v1/units", h, json=body | {"level": "sub"}
    )


def _review(s: Scenario, h: dict[str, str]) -> httpx.Response:
    return _call(s.services["scoring"], "GET", f"/api/v1/reviews/{s.review}", h)


def _score(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/reviews/{s.review}/scores"
    return _call(s.services["scoring"], "POST", url, h, json={"scores": {}, "vote_for": True})


def _score_sheet(s: Scenario, h: dict[str, str]) -> httpx.Response:
    line = {"initiative_id": str(s.review), "scores": {}, "vote_for": True}
    url = "/api/v1/reviews/scores"
    return _call(s.services["scoring"], "POST", url, h, json={"items": [line]})


def _inbox_of_an(s: Scenario, h: dict[str, str]) -> httpx.Response:
    return _call(s.services["notifications"], "GET", "/api/v1/inbox/PVGAS-0012", h)


def _summary_of_pvgas_kcm(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = "/api/v1/summary/2022"
    return _call(s.services["reporting"], "GET", url, h, params={"unit": "PVGAS-KCM"})


def _attach(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/initiatives/{s.initiative}/attachments"
    files = {"file": ("them.pdf", b"%PDF-1.7\n" + b"1" * 100, "application/pdf")}
    return _call(s.services["submissions"], "POST", url, h, files=files)


def _file_report(s: Scenario, h: dict[str, str]) -> httpx.Response:
    body = {
        "phase_code": "dot-1",
        "unit_code": "PVGAS-KCM",
        "kind": "plan",
        "summary": "Kế hoạch thi đua của Công đoàn Khí Cà Mau năm 2022.",
        "filed_on": "2022-03-01",
    }
    return _call(s.services["submissions"], "POST", "/api/v1/reports", h, json=body)


def _record_complaint(s: Scenario, h: dict[str, str]) -> httpx.Response:
    body = complaint_body("PVGAS-KCM", "Đơn thư về chế độ ca kíp.")
    return _call(s.services["submissions"], "POST", "/api/v1/complaints", h, json=body)


def _export(table: str | None) -> Probe:
    def probe(s: Scenario, h: dict[str, str]) -> httpx.Response:
        url = "/api/v1/exports/2022/dot-1" + (f"/{table}.csv" if table else ".xlsx")
        return _call(s.services["reporting"], "GET", url, h, params={"unit": "PVGAS-KCM"})

    return probe


def _read_message(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/inbox/messages/{s.message}/read"
    return _call(s.services["notifications"], "POST", url, h)


def _registration_body(unit: str = "PVGAS-KCM") -> dict[str, Any]:
    # One registration a unit and phase: a second POST amends the draft.
    return {"phase_code": "dot-1", "unit_code": unit, "movement_codes": ["lao-dong-gioi-sang-tao"]}


def _draft_registration(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = "/api/v1/registrations"
    return _call(s.services["submissions"], "POST", url, h, json=_registration_body())


def _registration_act(act: str, which: str, body: dict[str, Any] | None = None) -> Probe:
    def probe(s: Scenario, h: dict[str, str]) -> httpx.Response:
        url = f"/api/v1/registrations/{s.registrations[which]}/{act}"
        return _call(s.services["submissions"], "POST", url, h, json=body or {})

    return probe


def _resolve_complaint(s: Scenario, h: dict[str, str]) -> httpx.Response:
    url = f"/api/v1/complaints/{s.complaint}/resolve"
    return _call(s.services["submissions"], "POST", url, h, json={"resolved_on": "2022-03-05"})


def _import_unit(s: Scenario, h: dict[str, str]) -> httpx.Response:
    code = f"PVGAS-KCM-N{next(s.unit_serial)}"
    sheet = f"code,name,parent_code,level\n{code},Tổ công đoàn {code},PVGAS-KCM,sub\n"
    files = {"file": ("don-vi.csv", sheet.encode(), "text/csv")}
    return _call(s.services["submissions"], "POST", "/api/v1/units/import", h, files=files)


def _import_initiative(s: Scenario, h: dict[str, str]) -> httpx.Response:
    """An import refuses row by row (422 listing each row's reason): a sheet whose only row is
    refused as out of the caller's reach answers as a refusal (403) here."""
    sheet = (
        "Tên sáng kiến;Mã đơn vị;Lĩnh vực;Thực trạng;Giải pháp;Ngày áp dụng;"
        "Giá trị làm lợi (đồng);Tác giả\n"
        f"Giảm thất thoát khí số {next(s.unit_serial)};PVGAS-KCM;Kỹ thuật;"
        "Thất thoát khí tại các mặt bích cũ.;Thay gioăng và kiểm tra bằng camera nhiệt.;"
        "15/04/2022;1.500.000.000;PVGAS-0012: Nguyễn Văn An\n"
    ).encode()
    files = {"file": ("sang-kien.csv", sheet, "text/csv")}
    answer = _call(s.services["submissions"], "POST", "/api/v1/initiatives/import", h, files=files)
    errors = answer.json().get("errors", []) if answer.status_code == 422 else []
    if errors and all(str(e["code"]).startswith("forbidden") for e in errors):
        return httpx.Response(403, json=answer.json())
    return answer


def _certificate(s: Scenario, h: dict[str, str]) -> httpx.Response:
    # Revoked (announced, so there to all; a proposal is not: 404 but to admins): whoever may
    # read it is told 409 (no certificate of a revoked award), whoever may not 403.
    url = f"/api/v1/awards/{s.award}/certificate.docx"
    return _call(s.services["scoring"], "GET", url, h)


PROBES: dict[tuple[str, str, str], Probe] = {
    ("submissions", "GET", "/api/v1/initiatives/{initiative_id}"): _initiative_get,
    ("submissions", "PATCH", "/api/v1/initiatives/{initiative_id}"): _initiative_patch,
    ("submissions", "POST", "/api/v1/initiatives/{initiative_id}/withdraw"): _withdraw,
    ("submissions", "GET", "/api/v1/initiatives/{initiative_id}/attachments"): _attachments,
    (
        "submissions",
        "GET",
        "/api/v1/initiatives/{initiative_id}/attachments/{attachment_id}",
    ): _attachment,
    ("submissions", "POST", "/api/v1/initiatives"): _submit_as_an,
    ("submissions", "GET", "/api/v1/initiatives"): _listed,
    ("submissions", "GET", "/api/v1/registrations"): _under_pvgas_kcm(
        "/api/v1/registrations", "under"
    ),
    ("submissions", "GET", "/api/v1/reports"): _under_pvgas_kcm("/api/v1/reports", "unit_code"),
    ("submissions", "GET", "/api/v1/complaints"): _under_pvgas_kcm(
        "/api/v1/complaints", "unit_code"
    ),
    ("submissions", "POST", "/api/v1/units"): _new_unit,
    ("scoring", "GET", "/api/v1/reviews/{initiative_id}"): _review,
    ("scoring", "POST", "/api/v1/reviews/{initiative_id}/scores"): _score,
    ("scoring", "POST", "/api/v1/reviews/scores"): _score_sheet,
    ("notifications", "GET", "/api/v1/inbox/{recipient_id}"): _inbox_of_an,
    ("reporting", "GET", "/api/v1/summary/{campaign_code}"): _summary_of_pvgas_kcm,
    ("submissions", "POST", "/api/v1/initiatives/{initiative_id}/attachments"): _attach,
    ("submissions", "POST", "/api/v1/reports"): _file_report,
    ("submissions", "POST", "/api/v1/complaints"): _record_complaint,
    ("reporting", "GET", "/api/v1/exports/{campaign_code}/{phase_code}.xlsx"): _export(None),
    (
        "reporting",
        "GET",
        "/api/v1/exports/{campaign_code}/{phase_code}/{table}.csv",
    ): _export("xep-hang"),
    ("notifications", "POST", "/api/v1/inbox/messages/{message_id}/read"): _read_message,
    ("submissions", "POST", "/api/v1/registrations"): _draft_registration,
    (
        "submissions",
        "POST",
        "/api/v1/registrations/{registration_id}/submit",
    ): _registration_act("submit", "drafted"),
    (
        "submissions",
        "POST",
        "/api/v1/registrations/{registration_id}/approve",
    ): _registration_act("approve", "to approve"),
    (
        "submissions",
        "POST",
        "/api/v1/registrations/{registration_id}/return",
    ): _registration_act("return", "to return", {"reason": "Bổ sung chỉ tiêu cụ thể"}),
    ("submissions", "POST", "/api/v1/complaints/{case_id}/resolve"): _resolve_complaint,
    ("submissions", "POST", "/api/v1/units/import"): _import_unit,
    ("submissions", "POST", "/api/v1/initiatives/import"): _import_initiative,
    ("scoring", "GET", "/api/v1/awards/{award_id}/certificate.docx"): _certificate,
}

# Endpoints whose answer depends on whose thing it is and which have no probe: none left; a
# new one of that kind must get a probe (or be named here, with the reason).
NOT_PROBED: set[tuple[str, str, str]] = set()


TREE = (  # code, parent, level, path: enough of the union tree for the probes
    ("CDDKVN", None, "federation", "CDDKVN/"),
    ("PVGAS", "CDDKVN", "affiliated", "CDDKVN/PVGAS/"),
    ("PVGAS-KCM", "PVGAS", "grassroots", "CDDKVN/PVGAS/PVGAS-KCM/"),
    ("BSR", "CDDKVN", "affiliated", "CDDKVN/BSR/"),
)


def _store_tree(client: TestClient, table: Any) -> None:
    """The union tree as a service's copy holds it (applied from `unit recorded` in service)."""
    store_rows(
        client,
        *(
            table(code=code, name=code, parent_code=parent, level=level, path=path)
            for code, parent, level, path in TREE
        ),
    )


def _store_award(scoring: TestClient) -> UUID:
    """A revoked award to member An, of unit PVGAS (only what the access rule reads)."""
    award = Award(
        id=uuid4(),
        campaign_code="2022",
        phase_code="dot-1",
        status="revoked",
        grant={
            "recipient_kind": "member",
            "recipient_id": "PVGAS-0012",
            "unit_code": "PVGAS",
            "level": "federation",
            "award_name": "Bằng khen",
        },
    )
    store_rows(scoring, award)
    return award.id


def _store_message(client: TestClient, recipient: str) -> UUID:
    """A message in the recipient's inbox, as a consumed event leaves it."""
    message = InboxMessage(
        id=uuid4(),
        event_id=uuid4(),
        trigger="initiative_recognised",
        recipient_id=recipient,
        subject="Sáng kiến được công nhận",
        body="Sáng kiến của bạn đã được công nhận.",
        created_at=datetime.now(UTC),
    )
    store_rows(client, message)
    return message.id


@pytest.fixture
def scenario(every_service: dict[str, TestClient]) -> Scenario:
    submissions = every_service["submissions"]
    initiative = secret(submissions)
    pdf = b"%PDF-1.7\n" + b"0" * 200
    attached = submissions.post(
        f"/api/v1/initiatives/{initiative}/attachments",
        files={"file": ("mo-ta.pdf", pdf, "application/pdf")},
        headers=MEMBER_AN,
    )
    assert attached.status_code == 201, attached.text
    seat_council(submissions, initiative, "HD-TRONG", "HD-2", "HD-3")
    scoring = every_service["scoring"]
    # The 2022 plan, as scoring keeps it (a council sits with three).
    campaign = load_campaign(CAMPAIGN)
    copy = CampaignCopy(code=campaign.code, definition=campaign.model_dump(mode="json"))

    store_rows(scoring, copy)
    review = awaiting_council(scoring)
    seated = assign(scoring, review, ["HD-TRONG", "HD-2", "HD-3"])
    assert seated.status_code == 200, seated.text
    contact = {"full_name": "Nguyễn Văn An", "unit_code": "PVGAS-KCM", "email": "an@example.vn"}
    put = every_service["notifications"].put(
        "/api/v1/contacts/PVGAS-0012", json=contact, headers=ADMIN
    )
    assert put.status_code == 200, put.text
    _store_tree(every_service["reporting"], UnitView)
    store_rows(
        every_service["reporting"],
        CampaignView(
            code=campaign.code,
            definition=campaign.model_dump(mode="json"),
            published_at=datetime.now(UTC),
        ),
    )
    _store_tree(every_service["notifications"], UnitCopy)
    message = _store_message(every_service["notifications"], "PVGAS-0012")
    registrations: dict[str, str] = {}
    for which, unit in (
        ("drafted", "PVGAS-KCM"),
        ("to approve", "PVGAS-KVT"),
        ("to return", "PVGAS-KDN"),
    ):
        drafted = submissions.post(
            "/api/v1/registrations", json=_registration_body(unit), headers=OFFICER_PVGAS
        )
        assert drafted.status_code == 201, drafted.text
        registrations[which] = drafted.json()["id"]
        if which != "drafted":
            url = f"/api/v1/registrations/{registrations[which]}/submit"
            assert submissions.post(url, headers=OFFICER_PVGAS).status_code == 200
    complaint = submissions.post(
        "/api/v1/complaints", json=complaint_body("PVGAS-KCM", "Đơn thư về ca kíp."), headers=ADMIN
    )
    assert complaint.status_code == 201, complaint.text
    return Scenario(
        every_service,
        initiative,
        attached.json()["id"],
        review,
        message,
        registrations,
        complaint.json()["id"],
        _store_award(scoring),
        iter(range(1, 10_000)),
    )


def test_each_caller_gets_what_their_cell_says_of_a_thing_in_or_out_of_their_reach(
    scenario: Scenario,
) -> None:
    table = {_key(e): e for e in ENDPOINTS}
    wrong: list[str] = []
    for key, probe in PROBES.items():
        endpoint = table[key]
        # Refused callers first: an allowed one may change the thing (withdraw it).
        order = sorted(CALLERS, key=lambda c: may(endpoint.allows(CALLERS[c][0]), c))
        for caller in order:
            role, headers = CALLERS[caller]
            allowed = may(endpoint.allows(role), caller)
            answer = probe(scenario, headers)
            if answer.status_code == 401 or allowed == _refused(answer):
                wrong.append(
                    f"{key[1]} {key[2]} as {caller}: {'allowed' if allowed else 'refused'} "
                    f"by the table, answered {answer.status_code} {answer.text[:120]}"
                )
    assert not wrong, "\n".join(wrong)


def test_a_confidential_initiative_shows_its_content_to_its_readers_and_its_people_to_all(
    scenario: Scenario,
) -> None:
    readers = {"admin", "officer of PVGAS", "member An (the author)", "reviewer on its council"}
    for caller in (
        "admin",
        "officer of PVGAS",
        "member An (the author)",
        "reviewer on its council",
        "reviewer off its council",
    ):
        shown = _initiative_get(scenario, CALLERS[caller][1])
        assert shown.status_code == 200, (caller, shown.text)
        body = shown.json()
        assert body["authors"][0]["full_name"] == "Nguyễn Văn An", caller  # people: everyone
        assert body["title"], caller
        content = {name: body.get(name) for name in CONTENT}
        if caller in readers:
            assert content["problem"] and content["solution"], caller
        else:
            assert not any(content.values()), (caller, content)
        attachment = _attachment(scenario, CALLERS[caller][1])
        assert (attachment.status_code == 200) == (caller in readers), (caller, attachment.text)
