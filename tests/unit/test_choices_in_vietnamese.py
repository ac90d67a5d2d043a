"""A value outside a closed vocabulary (an enum, a Literal) is refused naming the accepted
values in each language's way: pydantic's English list ("'a', 'b' or 'c'") ended with "or"
in the Vietnamese message too."""

from typing import Literal

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from shared.contracts.vocabulary import DeliveryStatus
from shared.http.errors import refusal_from
from shared.validation_messages import vietnamese_choices
from tests.unit.conftest import ADMIN


def test_an_unknown_status_is_refused_listing_the_statuses_with_hoac(
    notifications: TestClient,
) -> None:
    refused = notifications.get("/api/v1/deliveries?status=bogus", headers=ADMIN)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("status", "enum")
    vi, en = error["message_vi"], error["message_en"]
    assert vi.startswith("Giá trị không hợp lệ; chấp nhận: ")
    assert " hoặc " in vi and " or " not in vi, vi
    assert " or " in en and "hoặc" not in en, en
    assert all(f"'{status}'" in vi for status in DeliveryStatus), vi


class _Form(BaseModel):
    kind: Literal["x", "y or z", 3]


def test_a_literal_is_listed_the_same_way_and_an_or_inside_a_value_stays() -> None:
    with pytest.raises(ValidationError) as raised:
        _Form.model_validate({"kind": "w"})
    [error] = refusal_from(raised.value).errors
    assert error["code"] == "literal_error"
    assert error["message_vi"] == "Giá trị không hợp lệ; chấp nhận: 'x', 'y or z' hoặc 3"
    assert error["message_en"] == "Input should be 'x', 'y or z' or 3"


@pytest.mark.parametrize(
    ("expected", "vietnamese"),
    [
        ("'pending', 'sent' or 'uncertain'", "'pending', 'sent' hoặc 'uncertain'"),
        ("1 or 2", "1 hoặc 2"),
        ("'only'", "'only'"),
        ("'a or b' or 'c'", "'a or b' hoặc 'c'"),
        ("'a' or 'b or c'", "'a' hoặc 'b or c'"),
        ("'p' or \"q' or 'r\"", "'p' hoặc \"q' or 'r\""),
        # No literals (an enum member's repr): the last " or " all the same.
        ("<C.red: 'red'> or <C.blue: 'blue'>", "<C.red: 'red'> hoặc <C.blue: 'blue'>"),
    ],
)
def test_the_last_or_between_values_becomes_hoac(expected: str, vietnamese: str) -> None:
    assert vietnamese_choices(expected) == vietnamese
