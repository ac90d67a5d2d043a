"""The registrations page offers what the API allows in each state of a registration
(shared.contracts.vocabulary.RegistrationStatus), read from one set, CHANGEABLE: a draft or a
returned one is sent from its row; a sent one is shown locked above the form."""

import re

from fastapi.testclient import TestClient

from services.portal.pages.registrations import CHANGEABLE
from shared.contracts.vocabulary import RegistrationStatus
from tests.unit.test_portal import portal as portal
from tests.unit.test_portal import save_a_draft_registration


def test_the_changeable_states_are_a_draft_and_a_returned_one() -> None:
    assert {RegistrationStatus.draft, RegistrationStatus.returned} == CHANGEABLE


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
