"""No input gets a 5xx (issue 13): what no field of any service can take is refused with a 4xx
in the error shape, naming the field, in Vietnamese and English; a body that is no JSON object
too. A fuzzer found 500s for a NUL in any string (PostgreSQL refuses it in text), an integer
beyond 64 bits in a query or a body, and malformed bodies.

The four services through their HTTP APIs, as `create_app` builds them, on SQLite (Kafka down):
the guard (shared.http.input_guard) refuses before any database is asked, so SQLite shows it
as well as PostgreSQL would. What an unhandled error answers is shown on an app with a route
that fails on purpose."""

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from services.reporting.bootstrap import define as define_reporting
from shared.http.input_guard import INT64_MAX, INT64_MIN, json_problems
from shared.http.unavailable import database_unavailable
from shared.service_app import create_app
from tests.support.properties import slow_examples
from tests.unit.conftest import (
    ADMIN,
    MEMBER_AN,
    copy_database,
    initiative_body,
    reporting_settings,
)

TWO_TO_64 = 2**64
NUL = "\u0000"


def refused(response: httpx.Response, status: int, field: str, code: str) -> dict[str, str]:
    """The response is `status`, in the one error shape, and one of its errors names `field`
    with `code` in both languages."""
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    for error in errors:
        assert set(error) == {"field", "code", "message_vi", "message_en"}, error
        assert error["message_vi"] and error["message_en"], error
    named: list[dict[str, str]] = [e for e in errors if (e["field"], e["code"]) == (field, code)]
    assert named, errors
    return named[0]


def submit(submissions: TestClient, headers: dict[str, str] = MEMBER_AN, **changes: Any) -> Any:
    """`POST /api/v1/initiatives` of a valid body but for `changes`, as `headers` say."""
    return submissions.post("/api/v1/initiatives", json=initiative_body(**changes), headers=headers)


def post_raw(
    client: TestClient, url: str, content: bytes, content_type: str | None
) -> httpx.Response:
    headers = MEMBER_AN | ({"content-type": content_type} if content_type else {})
    response: httpx.Response = client.post(url, content=content, headers=headers)
    return response


# --- submissions ---------------------------------------------------------------------------


def test_a_nul_anywhere_in_an_initiative_is_refused_naming_its_json_path(
    submissions: TestClient,
) -> None:
    author = {"member_id": "PVGAS-0012", "full_name": f"Nguyễn{NUL}An", "share_percent": 100}
    response = submit(submissions, authors=[author])
    error = refused(response, 422, "authors.0.full_name", "forbidden_character")
    assert "U+0000" in error["message_vi"] and "U+0000" in error["message_en"]
    # Every bad value is named, not only the first.
    response = submit(submissions, title=f"Tiêu đề{NUL}", problem="Dòng\x07chuông")
    refused(response, 422, "title", "forbidden_character")
    refused(response, 422, "problem", "forbidden_character")


def test_tab_newline_and_vietnamese_text_pass_the_guard(submissions: TestClient) -> None:
    body = initiative_body(problem="Máy nén dừng đột xuất.\n\tNhiều lần mỗi quý.\r\nĐã ghi nhận.")
    response = submissions.post("/api/v1/initiatives", json=body, headers=MEMBER_AN)
    assert response.status_code == 201, response.text


def test_a_lone_surrogate_is_refused_as_it_cannot_be_stored_as_utf8(
    submissions: TestClient,
) -> None:
    text = json.dumps(initiative_body(), ensure_ascii=False).replace('"Cải', '"\\ud800Cải', 1)
    response = post_raw(submissions, "/api/v1/initiatives", text.encode(), "application/json")
    refused(response, 422, "title", "forbidden_character")


@pytest.mark.parametrize("benefit", [TWO_TO_64, -TWO_TO_64 * 10**10])
def test_an_integer_beyond_64_bits_in_the_body_is_refused_naming_it(
    submissions: TestClient, benefit: int
) -> None:
    response = submit(submissions, expected_benefit_vnd=benefit)
    refused(response, 422, "expected_benefit_vnd", "number_out_of_range")


def test_the_64_bit_bounds_themselves_are_no_problem_to_the_guard() -> None:
    # What the route makes of them is its own rule's (REFUSED_IN_THE_URL: a negative offset).
    assert list(json_problems({"a": [INT64_MAX, INT64_MIN, 1.5, True, None]})) == []


# What a URL's query or path carries that its parameter cannot take, on every service: a NUL
# (PostgreSQL refuses it in text) or an integer beyond 64 bits.
REFUSED_IN_THE_URL = [
    # What the fuzzer sent: SQLite and PostgreSQL both fail on an OFFSET beyond 64 bits.
    (
        "submissions",
        "/api/v1/initiatives?offset=99999999999999999999",
        "offset",
        "number_out_of_range",
    ),
    ("submissions", f"/api/v1/units?limit={TWO_TO_64}", "limit", "number_out_of_range"),
    # At the bound the guard says nothing; the route's own rule (ge=0) refuses the negative.
    ("submissions", f"/api/v1/initiatives?offset={INT64_MIN}", "offset", "greater_than_equal"),
    ("submissions", "/api/v1/initiatives?unit_code=%00", "unit_code", "forbidden_character"),
    ("submissions", "/api/v1/units/PVGAS%00", "code", "forbidden_character"),
    ("scoring", f"/api/v1/reviews/pending?offset={TWO_TO_64}", "offset", "number_out_of_range"),
    ("scoring", "/api/v1/progress/2022/dot%001", "phase_code", "forbidden_character"),
    ("notifications", f"/api/v1/inbox?offset={TWO_TO_64}", "offset", "number_out_of_range"),
    ("reporting", f"/api/v1/initiative-counts?offset={TWO_TO_64}", "offset", "number_out_of_range"),
    ("reporting", "/api/v1/initiative-counts?unit_code=%00", "unit_code", "forbidden_character"),
    ("reporting", "/api/v1/trend/20%0022", "campaign_code", "forbidden_character"),
    ("reporting", "/api/v1/honour-board/2022?limit=1e30", "limit", "number_out_of_range"),
]


@pytest.mark.parametrize(("service", "url", "field", "code"), REFUSED_IN_THE_URL)
def test_what_a_parameter_cannot_take_in_the_url_is_refused_naming_it(
    request: pytest.FixtureRequest, service: str, url: str, field: str, code: str
) -> None:
    client: TestClient = request.getfixturevalue(service)  # that service's app alone
    refused(client.get(url, headers=ADMIN), 422, field, code)


def test_a_control_character_in_a_declared_header_is_refused_naming_it(
    submissions: TestClient,
) -> None:
    # The idempotency key is stored with the answer; an HTTP server may let \x01 through.
    response = submit(submissions, MEMBER_AN | {"Idempotency-Key": "key\x01"})
    refused(response, 422, "idempotency-key", "forbidden_character")


def test_a_nul_in_a_form_field_is_refused_naming_the_field(
    submissions: TestClient,
) -> None:
    response = submissions.post(
        "/api/v1/units/import",
        files={"file": ("don-vi.xlsx", b"not a spreadsheet", "application/octet-stream")},
        data={"note": f"ghi chú{NUL}"},
        headers=ADMIN,
    )
    refused(response, 422, "note", "forbidden_character")


def test_a_body_that_is_not_a_json_object_is_a_4xx_in_the_shape(
    submissions: TestClient,
) -> None:
    url = "/api/v1/initiatives"
    error = refused(
        post_raw(submissions, url, b'{"title": "x",', "application/json"),
        422,
        "(body)",
        "json_invalid",
    )
    assert "JSON" in error["message_vi"]
    refused(
        post_raw(submissions, url, b"[1, 2]", "application/json"),
        422,
        "(body)",
        "model_attributes_type",
    )
    refused(
        post_raw(submissions, url, b'"text"', "application/json"),
        422,
        "(body)",
        "model_attributes_type",
    )
    refused(post_raw(submissions, url, b"", "application/json"), 422, "(body)", "missing")
    body = json.dumps(initiative_body()).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        response = post_raw(submissions, url, body, content_type)
        refused(response, 415, "content-type", "unsupported_media_type")
    # Not UTF-8, nested deeper than Python's parser goes, NaN (not JSON): a 4xx, not a 500.
    refused(
        post_raw(submissions, url, b'{"title": "\xff"}', "application/json"),
        400,
        "(body)",
        "bad_request",
    )
    deep = b"[" * 100_000 + b"]" * 100_000
    refused(post_raw(submissions, url, deep, "application/json"), 400, "(body)", "bad_request")
    nan = json.dumps(initiative_body()).replace("350000000", "NaN").encode()
    refused(
        post_raw(submissions, url, nan, "application/json"),
        422,
        "expected_benefit_vnd",
        "number_not_finite",
    )


def test_no_route_and_no_method_answer_in_the_shape(submissions: TestClient) -> None:
    refused(submissions.get("/api/v1/no-such-thing"), 404, "(path)", "not_found")
    response = submissions.delete("/api/v1/initiatives", headers=ADMIN)
    refused(response, 405, "(method)", "method_not_allowed")
    assert response.headers["allow"]  # FastAPI's header is kept


# --- scoring, notifications, reporting -----------------------------------------------------


JSON = {"content-type": "application/json"}


def as_admin(client: TestClient, method: str, url: str) -> Callable[..., httpx.Response]:
    """`method url` on `client` as the federation's admin, with the request's `json=`,
    `content=`, and `headers=` beside the admin's."""

    def send(headers: dict[str, str] | None = None, **request: Any) -> httpx.Response:
        answer: httpx.Response = client.request(
            method, url, headers=ADMIN | (headers or {}), **request
        )
        return answer

    return send


def test_scoring_refuses_a_nul_and_a_64_bit_overflow_naming_the_field(
    scoring: TestClient,
) -> None:
    assign = as_admin(scoring, "POST", "/api/v1/reviews/assign")
    body = {"initiative_ids": ["00000000-0000-0000-0000-000000000001"], "reviewer_ids": ["HD"]}
    response = assign(json=body | {"reviewer_ids": [f"HD{NUL}1"]})
    refused(response, 422, "reviewer_ids.0", "forbidden_character")
    response = assign(json=body | {"per_initiative": TWO_TO_64})
    refused(response, 422, "per_initiative", "number_out_of_range")
    refused(assign(content=b"[]", headers=JSON), 422, "(body)", "model_attributes_type")
    refused(assign(content=b"{", headers=JSON), 422, "(body)", "json_invalid")


def test_notifications_refuses_a_nul_and_a_64_bit_overflow_naming_the_field(
    notifications: TestClient,
) -> None:
    contact = as_admin(notifications, "PUT", "/api/v1/contacts/PVGAS-0012")
    refused(contact(json={"full_name": f"An{NUL}"}), 422, "full_name", "forbidden_character")
    response = notifications.put(
        "/api/v1/contacts/PVGAS%00", json={"full_name": "Nguyễn Văn An"}, headers=ADMIN
    )
    refused(response, 422, "person_id", "forbidden_character")
    # Even where the model ignores the key: a number no field here can hold is no input.
    response = contact(json={"full_name": "Nguyễn Văn An", "priority": TWO_TO_64})
    refused(response, 422, "priority", "number_out_of_range")
    response = contact(content=b"full_name=An", headers={"content-type": "text/plain"})
    refused(response, 415, "content-type", "unsupported_media_type")


# --- the guard's walk of a body ------------------------------------------------------------


def test_the_walk_names_keys_and_values_and_survives_deep_nesting() -> None:
    found = list(json_problems({"figures": {f"a{NUL}": 1, "b": [0, 2**70]}, "x": "\x1b[31m"}))
    assert [(p["field"], p["code"]) for p in found] == [
        ("figures.a\\x00", "forbidden_character"),
        ("figures.b.1", "number_out_of_range"),
        ("x", "forbidden_character"),
    ]
    assert [p["field"] for p in json_problems(NUL)] == ["(body)"]
    deep: Any = "ok"
    for _ in range(50_000):
        deep = [deep]
    assert list(json_problems(deep)) == []


# --- a real bug still answers 500, in the shape -------------------------------------------


@pytest.fixture(scope="module")
def failing(
    reporting_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    broken = APIRouter()

    @broken.get("/broken")
    async def raise_a_bug() -> None:
        raise KeyError("a bug")

    @broken.get("/disk-full")
    async def disk_full() -> None:
        # An OSError that is not the database's: a bug or the host's, not a 503.
        raise OSError(28, "No space left on device")

    folder = copy_database(reporting_template, tmp_path_factory.mktemp("failing"))
    service = define_reporting(reporting_settings(folder))
    app = create_app(dataclasses.replace(service, routers=[*service.routers, broken]))
    with TestClient(app) as client:
        yield client


def test_an_unhandled_error_is_a_500_in_the_shape_with_the_correlation_id(
    failing: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    for path in ("/broken", "/disk-full"):
        response = failing.get(path)
        error = refused(response, 500, "(server)", "internal_error")
        correlation_id = response.headers["x-correlation-id"]
        assert response.json()["correlation_id"] == correlation_id
        assert correlation_id in error["message_vi"] and correlation_id in error["message_en"]
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert [r.exc_info[1].__class__ for r in logged if r.exc_info] == [KeyError, OSError]
    assert not database_unavailable(OSError(28, "No space left on device"))


# --- fuzzing the initiative route ----------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@slow_examples(60)
@given(
    changes=st.dictionaries(
        st.sampled_from([*initiative_body(), "authors.0", "first_applied_on", "confidential"]),
        JSON_VALUES,
        max_size=4,
    ),
    top=st.sampled_from(["object", "array", "value"]),
)
def test_no_initiative_body_is_answered_with_a_5xx(
    submissions: TestClient, changes: dict[str, Any], top: str
) -> None:
    body: Any = initiative_body()
    for key, value in changes.items():
        if key == "authors.0":
            body["authors"] = [value]
        else:
            body[key] = value
    if top == "array":
        body = [body]
    elif top == "value":
        body = changes.get("title", 0)
    response = submissions.post("/api/v1/initiatives", json=body, headers=MEMBER_AN)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        for error in response.json()["errors"]:
            assert set(error) == {"field", "code", "message_vi", "message_en"}, error
