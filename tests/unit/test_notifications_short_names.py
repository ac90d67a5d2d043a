"""A contact's name as notifications holds it is shown as it is, however short: a person's
token may name them in one letter (a token's name is any PersonName), and a contact met first
in a council's decision is named by their member id until their submission introduces them.
The answer's model asked for two characters at least, the form's rule for an admin typing a
name: GET and PUT /api/v1/me/contact answered 500 for such a person (the PUT after storing
the contact), and from then on GET /api/v1/contacts answered 500 for every admin."""

from fastapi.testclient import TestClient

from services.submissions.demo import token
from shared.auth import Role
from tests.unit.conftest import ADMIN

ONE_LETTER = token("Q", "PVGAS", Role.MEMBER)  # demo.token names a person by their subject


def test_a_person_named_in_one_letter_reads_and_sets_their_own_contact(
    notifications: TestClient,
) -> None:
    shown = notifications.get("/api/v1/me/contact", headers=ONE_LETTER)
    assert shown.status_code == 200, shown.text
    assert shown.json()["full_name"] == "Q"

    chosen = notifications.put(
        "/api/v1/me/contact", json={"email": "q@thidua.example"}, headers=ONE_LETTER
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["email"] == "q@thidua.example"


def test_an_admin_lists_contacts_among_which_one_is_named_in_one_letter(
    notifications: TestClient,
) -> None:
    notifications.put("/api/v1/me/contact", json={"language": "en"}, headers=ONE_LETTER)

    listed = notifications.get("/api/v1/contacts", headers=ADMIN)

    assert listed.status_code == 200, listed.text
    assert {"person_id": "Q", "full_name": "Q"}.items() <= next(
        c for c in listed.json() if c["person_id"] == "Q"
    ).items()


def test_an_admin_still_types_a_name_of_two_characters_at_least(
    notifications: TestClient,
) -> None:
    refused = notifications.put(
        "/api/v1/contacts/PVGAS-0099", json={"full_name": "Q"}, headers=ADMIN
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "full_name"
