"""A confidential initiative's other benefits (lợi ích khác) are part of its content, as the
README and test_confidential_content's CONTENT say: withheld with its problem, solution and
novelty from a reviewer off its council, in the initiative and in the list. They were shown
(a black-box authorization round read 'other_benefits' beside content_withheld: true)."""

from fastapi.testclient import TestClient

from services.submissions.demo import token
from shared.auth import Role
from tests.unit.conftest import MEMBER_AN
from tests.unit.submissions_helpers import secret

OFF_COUNCIL = token("HD-NGOAI", "CDDKVN", Role.REVIEWER)
OTHER_BENEFITS = "Giảm rủi ro cháy nổ nhờ quy trình bí mật"


def test_a_reviewer_off_its_council_does_not_read_its_other_benefits(
    submissions: TestClient,
) -> None:
    initiative_id = secret(submissions, other_benefits=OTHER_BENEFITS)

    shown = submissions.get(f"/api/v1/initiatives/{initiative_id}", headers=OFF_COUNCIL).json()
    listed = submissions.get("/api/v1/initiatives", params={"limit": 500}, headers=OFF_COUNCIL)
    row = next(i for i in listed.json()["items"] if i["id"] == initiative_id)

    for withheld in (shown, row):
        assert withheld["content_withheld"] is True
        assert withheld["other_benefits"] is None
        assert OTHER_BENEFITS not in str(withheld)
    # Its author still reads them.
    own = submissions.get(f"/api/v1/initiatives/{initiative_id}", headers=MEMBER_AN).json()
    assert own["other_benefits"] == OTHER_BENEFITS


def test_an_ordinary_initiatives_other_benefits_are_read_by_any_reviewer(
    submissions: TestClient,
) -> None:
    initiative_id = secret(submissions, confidential=False, other_benefits=OTHER_BENEFITS)
    shown = submissions.get(f"/api/v1/initiatives/{initiative_id}", headers=OFF_COUNCIL).json()
    assert shown["other_benefits"] == OTHER_BENEFITS
