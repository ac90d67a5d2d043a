"""What a black-box tester found about the wording of refusals: every error pydantic can give
reads in Vietnamese (a webhook's URL was refused in English in `message_vi`)."""

import string
import typing

from fastapi.testclient import TestClient
from pydantic_core._pydantic_core import list_all_errors
from pydantic_core.core_schema import ErrorType

from shared.validation_messages import PYDANTIC_VI
from tests.unit.conftest import ADMIN


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_error_type_pydantic_has_a_vietnamese_sentence() -> None:
    """Whatever a request model is made of (a URL, a set, a decimal), its refusal reads in
    Vietnamese: the catalogue covers every type pydantic-core lists, so a field of a new kind
    cannot bring English back, and an upgrade of pydantic with new types fails here."""
    assert set(typing.get_args(ErrorType)) - set(PYDANTIC_VI) == set()


def test_each_vietnamese_sentence_is_filled_from_what_pydantic_gives() -> None:
    """A sentence names only values the error's context holds (those of pydantic's English
    sentence), so none is shown with a `{placeholder}` left in it."""
    for info in list_all_errors():
        given = _placeholders(info["message_template_python"]) | _placeholders(
            info.get("message_template_json", "")
        )
        assert _placeholders(PYDANTIC_VI[info["type"]]) <= given, info["type"]


def _subscriber_refusal(notifications: TestClient, url: str) -> dict[str, str]:
    response = notifications.post(
        "/api/v1/subscribers", json={"name": "Hệ thống nhân sự", "url": url}, headers=ADMIN
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "url"
    return dict(error)


def test_a_webhook_url_of_another_scheme_is_refused_in_vietnamese(
    notifications: TestClient,
) -> None:
    error = _subscriber_refusal(notifications, "ftp://x.vn/")
    assert error["code"] == "url_scheme"
    assert error["message_vi"] == "Địa chỉ URL phải dùng giao thức 'http' hoặc 'https'"
    assert error["message_en"] == "URL scheme should be 'http' or 'https'"


def test_a_webhook_url_too_long_or_unreadable_is_refused_in_vietnamese(
    notifications: TestClient,
) -> None:
    long = _subscriber_refusal(notifications, "https://x.vn/" + "a" * 2_100)
    assert (long["code"], long["message_vi"]) == (
        "url_too_long",
        "Địa chỉ URL quá dài: tối đa 2000 ký tự",
    )
    unreadable = _subscriber_refusal(notifications, "không phải địa chỉ")
    assert (unreadable["code"], unreadable["message_vi"]) == (
        "url_parsing",
        "Địa chỉ URL không hợp lệ",
    )
