"""The portal writes a number as its reader does, through shared.formatting (via the
translator's `num`), never with a filter of its own: 1,5 KB in Vietnamese, 1.5 KB in English."""

from fastapi.testclient import TestClient

from tests.unit.conftest import MEMBER_AN, initiative_body
from tests.unit.test_portal import portal as portal
from tests.unit.test_portal import sign_in


def test_an_attachments_size_is_written_as_the_reader_writes_a_number(
    portal: TestClient, submissions: TestClient
) -> None:
    created = submissions.post("/api/v1/initiatives", json=initiative_body(), headers=MEMBER_AN)
    assert created.status_code == 201, created.text
    initiative = created.json()["id"]
    attached = submissions.post(
        f"/api/v1/initiatives/{initiative}/attachments",
        files={"file": ("mo-ta.pdf", b"%PDF-" + b"x" * (1536 - 5), "application/pdf")},
        headers=MEMBER_AN,
    )
    assert attached.status_code == 201, attached.text
    sign_in(portal, "member-pvgas")  # An, its author
    assert "(1,5 KB, " in portal.get(f"/portal/sang-kien/{initiative}").text
    assert "(1.5 KB, " in portal.get(f"/portal/sang-kien/{initiative}?lang=en").text
