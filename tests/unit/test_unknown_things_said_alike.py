"""A campaign that does not exist is refused alike by every service that is asked about one:
the same status, field, code and sentence in both languages (`shared.refusals`), where four
services had written it four ways ("Không có…", "Chưa có…", "Chưa nhận kế hoạch…")."""

from fastapi.testclient import TestClient

from tests.unit.conftest import ADMIN

ASKED = {
    "submissions": "/api/v1/campaigns/1999",
    "scoring": "/api/v1/progress/1999/dot-1",
    "reporting": "/api/v1/league/1999/dot-1",
}


def test_an_unknown_campaign_is_one_refusal_in_every_service(
    submissions: TestClient, scoring: TestClient, reporting: TestClient
) -> None:
    apps = {"submissions": submissions, "scoring": scoring, "reporting": reporting}
    answers = {name: apps[name].get(path, headers=ADMIN) for name, path in ASKED.items()}

    assert {name: answer.status_code for name, answer in answers.items()} == dict.fromkeys(
        ASKED, 404
    )
    expected = {
        "field": "campaign_code",
        "code": "unknown_campaign",
        "message_vi": "Chưa có kế hoạch thi đua 1999",
        "message_en": "No campaign 1999 has been published",
    }
    for name, answer in answers.items():
        assert answer.json()["errors"] == [expected], name
