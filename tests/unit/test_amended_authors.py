"""Who an amendment may name as the authors: a member, as when they submit, only a list that
keeps them (a black-box round handed a member's initiative to another person by PATCH: it was
then theirs without their asking, and its submitter got 404 on it); an officer, acting for
members, any list."""

from fastapi.testclient import TestClient

from tests.unit.conftest import MEMBER_AN, OFFICER_PVGAS, submitted_by_an

AN = {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 60}
KHAC = {"member_id": "PVGAS-0099", "full_name": "Lê Văn Khác", "share_percent": 100}


def test_a_member_may_not_hand_their_initiative_to_someone_else(submissions: TestClient) -> None:
    initiative = submitted_by_an(submissions)
    url = f"/api/v1/initiatives/{initiative}"
    answer = submissions.patch(url, json={"authors": [KHAC]}, headers=MEMBER_AN)
    assert answer.status_code == 403, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("authors", "not_an_author")
    assert error["message_vi"] != error["message_en"]
    stored = submissions.get(url, headers=MEMBER_AN).json()
    assert [a["member_id"] for a in stored["authors"]] == ["PVGAS-0012"]


def test_a_member_may_add_a_co_author(submissions: TestClient) -> None:
    initiative = submitted_by_an(submissions)
    co_author = KHAC | {"share_percent": 40}
    answer = submissions.patch(
        f"/api/v1/initiatives/{initiative}", json={"authors": [AN, co_author]}, headers=MEMBER_AN
    )
    assert answer.status_code == 200, answer.text
    assert [a["member_id"] for a in answer.json()["authors"]] == ["PVGAS-0012", "PVGAS-0099"]


def test_an_officer_may_name_other_authors(submissions: TestClient) -> None:
    initiative = submitted_by_an(submissions)
    answer = submissions.patch(
        f"/api/v1/initiatives/{initiative}", json={"authors": [KHAC]}, headers=OFFICER_PVGAS
    )
    assert answer.status_code == 200, answer.text
    assert [a["member_id"] for a in answer.json()["authors"]] == ["PVGAS-0099"]
