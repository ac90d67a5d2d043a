"""What a black-box tester found about the wording of refusals: every error pydantic can give
reads in Vietnamese (a webhook's URL was refused in English in `message_vi`), and a body
refused for an amount past what a bigint holds still names every field at fault, the amount
by its own maximum in đồng (it named that one field alone, by the 64-bit range)."""

import string
import typing

from fastapi.testclient import TestClient
from pydantic_core._pydantic_core import list_all_errors
from pydantic_core.core_schema import ErrorType

from shared.validation_messages import PYDANTIC_VI
from tests.unit.conftest import ADMIN, MEMBER_AN, initiative_body


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


# --- an amount past a bigint, among other mistakes ------------------------------------------

_AMOUNT_VI = "Phải nhỏ hơn hoặc bằng 1.000.000.000.000.000 ₫"
_AMOUNT_EN = "Input should be less than or equal to 1,000,000,000,000,000 ₫"


def _initiative_refusal(submissions: TestClient, benefit: int) -> dict[str, dict[str, str]]:
    body = initiative_body(expected_benefit_vnd=benefit, title="BB8", first_applied_on="31/02/2022")
    response = submissions.post("/api/v1/initiatives", json=body, headers=MEMBER_AN)
    assert response.status_code == 422, response.text
    return {error["field"]: error for error in response.json()["errors"]}


def test_an_amount_past_a_bigint_is_refused_by_its_maximum_in_dong_with_the_other_fields(
    submissions: TestClient,
) -> None:
    """What the tester sent: a 20-digit amount (past what the guard lets reach a bigint), a
    title too short and a day that does not exist. All three are named, and the amount by the
    most an amount may be, in đồng as an officer writes it, not by -9223372036854775808..."""
    refused = _initiative_refusal(submissions, 99_999_999_999_999_999_999)
    assert set(refused) == {"expected_benefit_vnd", "title", "first_applied_on"}
    amount = refused["expected_benefit_vnd"]
    # The code stays the guard's (clients and tests key on it); the words are the field's.
    assert amount["code"] == "number_out_of_range"
    assert (amount["message_vi"], amount["message_en"]) == (_AMOUNT_VI, _AMOUNT_EN)
    assert refused["title"]["code"] == "string_too_short"
    assert refused["first_applied_on"]["message_vi"].startswith("Ngày không hợp lệ")


def test_an_amount_past_its_maximum_but_within_a_bigint_reads_the_same(
    submissions: TestClient,
) -> None:
    refused = _initiative_refusal(submissions, 10**16)
    assert set(refused) == {"expected_benefit_vnd", "title", "first_applied_on"}
    amount = refused["expected_benefit_vnd"]
    assert amount["code"] == "less_than_equal"
    assert (amount["message_vi"], amount["message_en"]) == (_AMOUNT_VI, _AMOUNT_EN)


def test_a_number_past_a_bigint_where_the_field_sets_no_bound_reads_as_the_reader_writes_it(
    notifications: TestClient,
) -> None:
    """A key the model ignores has no maximum of its own: the guard's range is said, its
    digits grouped as the reader groups them."""
    response = notifications.put(
        "/api/v1/contacts/PVGAS-0012",
        json={"full_name": "Nguyễn Văn An", "priority": 2**64},
        headers=ADMIN,
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("priority", "number_out_of_range")
    assert "9.223.372.036.854.775.807" in error["message_vi"]
    assert "9,223,372,036,854,775,807" in error["message_en"]


def test_a_forbidden_character_is_named_with_the_other_fields_at_fault(
    submissions: TestClient,
) -> None:
    """The same for any problem of the guard's: the route's own refusals are listed beside it."""
    body = initiative_body(title="Cải tiến\u0000 máy nén", field="astrology")
    response = submissions.post("/api/v1/initiatives", json=body, headers=MEMBER_AN)
    assert response.status_code == 422, response.text
    found = {error["field"]: error["code"] for error in response.json()["errors"]}
    assert found == {"title": "forbidden_character", "field": "enum"}
