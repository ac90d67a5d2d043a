"""What a unit may still change and send of its registration is one set beside the vocabulary
(shared.contracts.vocabulary.REGISTRATION_CHANGEABLE), which the API holds it to and the
registrations page offers by: a draft or a returned one is sent from its row; a sent one is
shown locked above the form, and the API refuses to send it again."""

import re

from fastapi.testclient import TestClient

from shared.contracts.vocabulary import REGISTRATION_CHANGEABLE, RegistrationStatus
from tests.unit.conftest import ADMIN, OFFICER_PVGAS
from tests.unit.portal_helpers import save_a_draft_registration


def test_the_changeable_states_are_a_draft_and_a_returned_one() -> None:
    assert {RegistrationStatus.draft, RegistrationStatus.returned} == REGISTRATION_CHANGEABLE


def test_the_api_sends_a_registration_in_a_changeable_state_only(
    submissions: TestClient,
) -> None:
    body = {
        "phase_code": "dot-1",
        "unit_code": "PVGAS-KCM",
        "movement_codes": ["lao-dong-gioi-sang-tao"],
    }
    drafted = submissions.post("/api/v1/registrations", json=body, headers=OFFICER_PVGAS)
    assert drafted.status_code == 201, drafted.text
    url = f"/api/v1/registrations/{drafted.json()['id']}"

    def send() -> int:
        """The API's answer to sending it, in the state it is in."""
        answer = submissions.post(f"{url}/submit", headers=OFFICER_PVGAS)
        assert answer.status_code != 200 or answer.json()["status"] == "submitted", answer.text
        return int(answer.status_code)

    tried = {RegistrationStatus.draft: send()}
    tried[RegistrationStatus.submitted] = send()
    back = submissions.post(f"{url}/return", json={"reason": "Bổ sung"}, headers=OFFICER_PVGAS)
    assert back.json()["status"] == RegistrationStatus.returned
    tried[RegistrationStatus.returned] = send()
    assert submissions.post(f"{url}/approve", headers=ADMIN).json()["status"] == "approved"
    tried[RegistrationStatus.approved] = send()
    assert tried == {
        status: 200 if status in REGISTRATION_CHANGEABLE else 409 for status in RegistrationStatus
    }


def test_a_draft_is_sent_from_its_row_and_then_shown_locked(portal: TestClient) -> None:
    token, chosen = save_a_draft_registration(portal)
    shown = portal.get("/portal/dang-ky", params=chosen).text
    assert "đang ở trạng thái" not in shown  # a draft is not locked
    draft = re.search(r'action="/portal/dang-ky/([^/"]+)/gui"', shown)
    assert draft, "a draft is offered to be sent"
    sent = portal.post(f"/portal/dang-ky/{draft.group(1)}/gui", data={"_csrf": token})
    assert sent.status_code == 200
    shown = portal.get("/portal/dang-ky", params=chosen).text
    assert "đang ở trạng thái “Đã gửi”" in shown
    assert f'action="/portal/dang-ky/{draft.group(1)}/gui"' not in shown
