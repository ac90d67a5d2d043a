"""A list's `?status=` takes the statuses of what it lists: any other is a 422 naming `status`
and the statuses there are, in both languages (it used to answer an empty list, as if nothing
had that status: a black-box round asked `/awards?status=bogus`); empty asks for any. So do the
other filters by a word of the vocabulary (a unit's level, a delivery's channel)."""

import pytest
from fastapi.testclient import TestClient

from services.notifications.tables import Channel
from shared.contracts.vocabulary import AwardStatus, RegistrationStatus, UnitLevel
from tests.unit.conftest import ADMIN, MEMBER_AN

LISTS = {
    "awards": ("scoring", "/api/v1/awards", AwardStatus),
    "registrations": ("submissions", "/api/v1/registrations", RegistrationStatus),
}


@pytest.mark.parametrize("listed", LISTS)
def test_an_unknown_status_is_refused_naming_the_statuses_there_are(
    listed: str, request: pytest.FixtureRequest
) -> None:
    service, path, statuses = LISTS[listed]
    client: TestClient = request.getfixturevalue(service)
    answer = client.get(path, params={"status": "bogus"}, headers=ADMIN)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("status", "unknown_status")
    for status in statuses:
        assert status in error["message_vi"] and status in error["message_en"]
    assert error["message_vi"] != error["message_en"]


@pytest.mark.parametrize("listed", LISTS)
def test_a_known_or_empty_status_lists(listed: str, request: pytest.FixtureRequest) -> None:
    service, path, statuses = LISTS[listed]
    client: TestClient = request.getfixturevalue(service)
    for status in ("", *statuses):
        assert client.get(path, params={"status": status}, headers=ADMIN).status_code == 200


def test_the_openapi_lists_the_statuses(scoring: TestClient) -> None:
    operation = scoring.get("/openapi.json", headers=ADMIN).json()["paths"]["/api/v1/awards"]
    [status] = [p for p in operation["get"]["parameters"] if p["name"] == "status"]
    assert set(status["schema"]["enum"]) == {*AwardStatus, ""}


def test_a_member_asking_for_proposals_still_sees_none(scoring: TestClient) -> None:
    answer = scoring.get("/api/v1/awards", params={"status": "proposed"}, headers=MEMBER_AN)
    assert (answer.status_code, answer.json()) == (200, [])


VOCABULARY_FILTERS = {
    "units?level=": ("submissions", "/api/v1/units", "level", UnitLevel),
    "league?level=": ("reporting", "/api/v1/league/2022/dot-1", "level", UnitLevel),
    "deliveries?channel=": ("notifications", "/api/v1/deliveries", "channel", Channel),
}


@pytest.mark.parametrize("listed", VOCABULARY_FILTERS)
def test_a_filter_by_a_word_of_the_vocabulary_refuses_another(
    listed: str, request: pytest.FixtureRequest
) -> None:
    service, path, name, words = VOCABULARY_FILTERS[listed]
    client: TestClient = request.getfixturevalue(service)
    answer = client.get(path, params={name: "bogus"}, headers=ADMIN)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert error["field"] == name and error["message_vi"] != error["message_en"]
    # A word of it is taken (reporting's fixture knows no campaign yet: 404 for the league).
    taken = client.get(path, params={name: str(next(iter(words)))}, headers=ADMIN)
    assert taken.status_code in (200, 404), taken.text
    if taken.status_code == 404:
        assert all(e["field"] != name for e in taken.json()["errors"])
