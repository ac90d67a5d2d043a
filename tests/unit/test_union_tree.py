"""The union tree keeps its shape (issue 10): one federation at the root, each unit under a
parent of the level above its own, codes unique. The rule is one function; the API and the
spreadsheet import both refuse with a 4xx naming the field (the import: the row too), in
Vietnamese and English. Through the submissions API on a real database (tests/unit/conftest.py:
the demo tree), each test on units of its own."""

import sqlite3
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from services.submissions.demo import UNITS
from services.submissions.units.service import parent_levels, wrong_parent_level
from services.submissions.units.spreadsheet import ParsedSheet, parse_units
from services.submissions.units.tables import Unit
from shared.campaign.progress import POPULATION_LEVELS, SCORED_LEVELS
from shared.contracts.vocabulary import UNIT_LEVELS, UnitLevel
from tests.unit.conftest import ADMIN, OFFICER_BSR, OFFICER_PVGAS

# --- the rule ------------------------------------------------------------------------------


def test_every_level_of_the_vocabulary_has_its_place_and_the_type_is_the_vocabulary() -> None:
    assert [level.value for level in UnitLevel] == list(UNIT_LEVELS)
    for level in UNIT_LEVELS:
        assert set(parent_levels(level)) <= set(UNIT_LEVELS)
    assert [UnitLevel(level).label_vi for level in UNIT_LEVELS] == [
        vi for vi, _ in UNIT_LEVELS.values()
    ]


def test_the_levels_a_target_counts_are_levels_of_the_vocabulary() -> None:
    # Công đoàn các cấp: affiliated and grassroots unions, not the federation, nor a section.
    assert {UnitLevel.affiliated, UnitLevel.grassroots} == SCORED_LEVELS
    for levels in POPULATION_LEVELS.values():
        assert all(isinstance(level, UnitLevel) for level in levels)


def test_each_level_sits_under_the_level_above_it_and_the_federation_under_none() -> None:
    assert parent_levels("federation") == ()
    assert parent_levels("affiliated") == ("federation",)
    assert parent_levels("grassroots") == ("affiliated",)
    assert parent_levels("sub") == ("grassroots",)
    # A union group (tổ công đoàn) under a section, or directly under a grassroots union.
    assert parent_levels("group") == ("grassroots", "sub")


def test_every_level_is_strictly_below_its_parents_so_the_tree_cannot_fold_back() -> None:
    order = list(UNIT_LEVELS)
    for level in UNIT_LEVELS:
        assert all(order.index(parent) < order.index(level) for parent in parent_levels(level))


def test_an_affiliated_union_under_a_grassroots_union_is_wrong_in_both_languages() -> None:
    assert wrong_parent_level("affiliated", "CDDKVN", "federation") is None
    assert wrong_parent_level("group", "BSR-NMLD-VH", "sub") is None
    assert wrong_parent_level("sub", "BSR-NMLD-VH", "sub") == (
        "Cấp trên của Công đoàn bộ phận phải là Công đoàn cơ sở; BSR-NMLD-VH là Công đoàn bộ phận",
        "The parent of a union section must be a grassroots union; BSR-NMLD-VH is a union section",
    )
    assert wrong_parent_level("affiliated", "PVGAS-KCM", "grassroots") == (
        "Cấp trên của Công đoàn trực thuộc phải là Công đoàn ngành; PVGAS-KCM là Công đoàn cơ sở",
        "The parent of an affiliated union must be the federation; PVGAS-KCM is a grassroots union",
    )
    # Skipping a level is as wrong as going up one.
    vi, en = wrong_parent_level("grassroots", "CDDKVN", "federation") or ("", "")
    assert "Công đoàn trực thuộc" in vi and "an affiliated union" in en
    vi, en = wrong_parent_level("federation", "PVGAS", "affiliated") or ("", "")
    assert "không có đơn vị cấp trên" in vi and "has no parent" in en


# --- the API -------------------------------------------------------------------------------


def unit_body(code: str, name: str, parent: str, level: str, **more: str) -> dict[str, Any]:
    """What `POST /api/v1/units` takes: the unit `code` named `name`, at `level` below
    `parent`."""
    return {"code": code, "name": name, "parent_code": parent, "level": level, **more}


def record(client: TestClient, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    response: httpx.Response = client.post("/api/v1/units", json=body, headers=headers)
    return response


def refusal(response: httpx.Response, status: int, field: str, code: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert error["message_vi"] and error["message_en"]
    assert error["message_vi"] != error["message_en"]
    return error  # type: ignore[no-any-return]


def absent(client: TestClient, code: str) -> bool:
    return bool(client.get(f"/api/v1/units/{code}", headers=ADMIN).status_code == 404)


def test_an_unknown_unit_is_not_found_with_its_code_named(submissions: TestClient) -> None:
    response = submissions.get("/api/v1/units/KHONG-CO", headers=ADMIN)
    error = refusal(response, 404, "code", "unknown_unit")
    assert error["message_vi"] == "Không có đơn vị mã KHONG-CO"
    assert error["message_en"] == "No unit with code KHONG-CO"


def test_a_second_federation_is_refused(submissions: TestClient) -> None:
    response = record(
        submissions,
        {"code": "CDDK-HAI", "name": "Công đoàn ngành thứ hai", "level": "federation"},
        ADMIN,
    )

    error = refusal(response, 422, "level", "second_federation")
    assert "CDDKVN" in error["message_vi"] and "CDDKVN" in error["message_en"]
    assert absent(submissions, "CDDK-HAI")


def test_the_federation_itself_can_still_be_recorded_again(submissions: TestClient) -> None:
    root = submissions.get("/api/v1/units/CDDKVN", headers=ADMIN).json()
    body = {k: root[k] for k in ("code", "name", "parent_code", "level", "cluster")}

    assert record(submissions, body, ADMIN).status_code == 201


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        pytest.param(
            {"code": "CDDK-CON", "name": "Công đoàn ngành con", "parent_code": "PVGAS"}
            | {"level": "federation"},
            "parent_code",
            "federation_has_parent",
            id="the federation under a parent",
        ),
        pytest.param(
            unit_body("CDDKVN-CS", "Công đoàn cơ sở bỏ cấp", "CDDKVN", "grassroots"),
            "parent_code",
            "parent_level",
            id="a grassroots union straight under the federation",
        ),
        pytest.param(
            {"code": "MO-COI", "name": "Công đoàn mồ côi", "level": "grassroots"},
            "parent_code",
            "required",
            id="a unit below the federation without a parent",
        ),
    ],
)
def test_a_unit_out_of_its_place_is_refused_naming_the_field(
    submissions: TestClient, body: dict[str, Any], field: str, code: str
) -> None:
    refusal(record(submissions, body, ADMIN), 422, field, code)
    assert absent(submissions, body["code"])


def test_an_officer_cannot_put_an_affiliated_union_under_a_grassroots_union(
    submissions: TestClient,
) -> None:
    response = record(
        submissions,
        unit_body("PVGAS-KCM-TT", "Công đoàn trực thuộc sai cấp", "PVGAS-KCM", "affiliated"),
        OFFICER_PVGAS,
    )

    error = refusal(response, 422, "parent_code", "parent_level")
    assert error["message_en"] == (
        "The parent of an affiliated union must be the federation; PVGAS-KCM is a grassroots union"
    )
    assert absent(submissions, "PVGAS-KCM-TT")


def test_an_empty_parent_code_is_a_422_naming_it(submissions: TestClient) -> None:
    for level in ("grassroots", "federation"):
        response = record(
            submissions,
            {"code": "TRONG", "name": "Công đoàn cấp trên trống", "parent_code": ""}
            | {"level": level},
            ADMIN,
        )

        error = refusal(response, 422, "parent_code", "parent_code_empty")
        assert error["message_vi"].startswith("Mã đơn vị cấp trên để trống")
    assert absent(submissions, "TRONG")


def test_a_level_change_that_leaves_units_under_their_own_level_is_refused(
    submissions: TestClient,
) -> None:
    # PVOIL to a grassroots union under PVGAS: its place is right, but its grassroots unions
    # (PVOIL-HN, …) would then sit under a grassroots union.
    response = record(
        submissions,
        unit_body(
            "PVOIL",
            "Công đoàn Tổng công ty Dầu Việt Nam",
            "PVGAS",
            "grassroots",
            cluster="thuong-mai",
        ),
        ADMIN,
    )

    error = refusal(response, 422, "level", "child_level")
    assert "PVOIL-HN" in error["message_vi"] and "PVOIL-HN" in error["message_en"]
    pvoil = submissions.get("/api/v1/units/PVOIL", headers=ADMIN).json()
    assert (pvoil["parent_code"], pvoil["level"]) == ("CDDKVN", "affiliated")


def test_a_code_recorded_meanwhile_by_another_request_is_a_409_not_a_500(
    submissions: TestClient,
) -> None:
    database = submissions.app.state.settings.database_url.split("///", 1)[1]  # type: ignore[attr-defined]

    def another_request_first(session: Session, *_: object) -> None:
        # Between this request's look-up of the code and its insert, another one commits it.
        if any(isinstance(o, Unit) and o.code == "PVGAS-DUA" for o in session.new):
            with sqlite3.connect(database) as other:
                other.execute(
                    "INSERT INTO units (code, name, parent_code, level, path, updated_at) "
                    "VALUES ('PVGAS-DUA', 'Công đoàn ghi trước', 'PVGAS', 'grassroots', "
                    "'CDDKVN/PVGAS/PVGAS-DUA/', ?)",
                    (datetime.now(UTC).isoformat(" "),),
                )

    event.listen(Session, "before_flush", another_request_first)
    try:
        response = record(
            submissions,
            unit_body("PVGAS-DUA", "Công đoàn ghi sau", "PVGAS", "grassroots"),
            ADMIN,
        )
    finally:
        event.remove(Session, "before_flush", another_request_first)

    error = refusal(response, 409, "code", "code_taken")
    assert "PVGAS-DUA" in error["message_vi"] and "PVGAS-DUA" in error["message_en"]
    kept = submissions.get("/api/v1/units/PVGAS-DUA", headers=ADMIN).json()
    assert kept["name"] == "Công đoàn ghi trước"


def test_an_officer_cannot_move_another_unions_unit_into_their_subtree(
    submissions: TestClient,
) -> None:
    # BSR's officer, naming a parent of their own, would take PVGAS-KVT (and its subtree).
    body = unit_body("PVGAS-KVT", "Công đoàn Công ty Chế biến Khí Vũng Tàu", "BSR", "grassroots")
    refusal(record(submissions, body, OFFICER_BSR), 403, "code", "forbidden_unit")
    unit = submissions.get("/api/v1/units/PVGAS-KVT", headers=ADMIN).json()
    assert unit["path"] == "CDDKVN/PVGAS/PVGAS-KVT/"


def test_units_in_their_place_are_still_recorded(submissions: TestClient) -> None:
    body = {"code": "PVGAS-KDN-VH", "name": "Công đoàn bộ phận Vận hành"}
    created = record(
        submissions, body | {"parent_code": "PVGAS-KDN", "level": "sub"}, OFFICER_PVGAS
    )
    group = {"code": "PVGAS-KDN-VH-A", "name": "Tổ công đoàn Ca A"}
    under_sub = record(
        submissions, group | {"parent_code": "PVGAS-KDN-VH", "level": "group"}, OFFICER_PVGAS
    )

    assert created.status_code == under_sub.status_code == 201, under_sub.text
    assert under_sub.json()["path"] == "CDDKVN/PVGAS/PVGAS-KDN/PVGAS-KDN-VH/PVGAS-KDN-VH-A/"


# --- the spreadsheet import ----------------------------------------------------------------

HEADER = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Cấp\n"


def import_sheet(client: TestClient, rows: str, headers: dict[str, str]) -> httpx.Response:
    sheet = (HEADER + rows).encode()
    response: httpx.Response = client.post(
        "/api/v1/units/import", files={"file": ("don-vi.csv", sheet, "text/csv")}, headers=headers
    )
    return response


def row_refusals(response: httpx.Response) -> list[tuple[int, str, str]]:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert all(e["message_vi"] and e["message_en"] for e in errors)
    return [(e["row"], e["field"], e["code"]) for e in errors]


def test_an_imported_second_federation_is_refused_on_its_row(submissions: TestClient) -> None:
    response = import_sheet(
        submissions,
        "PVGAS-MOI2,Công đoàn cơ sở mới,PVGAS,Công đoàn cơ sở\n"
        "CDDK-HAI,Công đoàn ngành thứ hai,,Công đoàn ngành\n",
        ADMIN,
    )

    assert row_refusals(response) == [(3, "level", "second_federation")]
    assert "CDDKVN" in response.json()["errors"][0]["message_en"]
    assert absent(submissions, "CDDK-HAI") and absent(submissions, "PVGAS-MOI2")


def test_an_imported_affiliated_union_under_a_grassroots_union_is_refused_on_its_row(
    submissions: TestClient,
) -> None:
    response = import_sheet(
        submissions,
        "PVGAS-KVT-TT,Công đoàn trực thuộc sai cấp,PVGAS-KVT,Công đoàn trực thuộc\n",
        OFFICER_PVGAS,
    )

    assert row_refusals(response) == [(2, "parent_code", "parent_level")]
    assert response.json()["errors"][0]["message_vi"] == (
        "Cấp trên của Công đoàn trực thuộc phải là Công đoàn ngành; PVGAS-KVT là Công đoàn cơ sở"
    )
    assert absent(submissions, "PVGAS-KVT-TT")


def test_an_imported_level_change_that_strands_recorded_units_is_refused_on_its_row(
    submissions: TestClient,
) -> None:
    response = import_sheet(
        submissions, "PVOIL,Công đoàn Tổng công ty Dầu Việt Nam,PVGAS,Công đoàn cơ sở\n", ADMIN
    )

    assert row_refusals(response) == [(2, "level", "child_level")]
    assert submissions.get("/api/v1/units/PVOIL", headers=ADMIN).json()["level"] == "affiliated"


def test_the_demo_tree_imports_again_unchanged(submissions: TestClient) -> None:
    response = submissions.post(
        "/api/v1/units/import",
        files={"file": (UNITS.name, UNITS.read_bytes(), "text/csv")},
        headers=ADMIN,
    )

    assert response.status_code == 200, response.text
    assert response.json()["created"] == 0 and response.json()["errors"] == []


# --- the import's parser, given the recorded tree ------------------------------------------

RECORDED_LEVELS = {
    "CDDKVN": UnitLevel.federation,
    "PVGAS": UnitLevel.affiliated,
    "PVGAS-KCM": UnitLevel.grassroots,
    "PVGAS-KCM-VH": UnitLevel.group,
}
RECORDED_PARENTS = {"CDDKVN": None, "PVGAS": "CDDKVN", "PVGAS-KCM": "PVGAS"} | {
    "PVGAS-KCM-VH": "PVGAS-KCM"
}


def parse_against_recorded(rows: str) -> ParsedSheet:
    return parse_units(
        (HEADER + rows).encode(), "u.csv", RECORDED_LEVELS, known_parents=RECORDED_PARENTS
    )


def test_the_parser_refuses_a_federation_beside_the_recorded_one() -> None:
    parsed = parse_against_recorded(
        "CDDK,Công đoàn Dầu khí,,federation\nCDDKVN,Công đoàn Dầu khí Việt Nam,,federation\n"
    )

    assert [(e.row, e.field, e.code) for e in parsed.errors] == [(2, "level", "second_federation")]
    assert [u.code for u in parsed.rows] == ["CDDKVN"]


def test_the_parser_refuses_a_new_level_over_recorded_units_that_no_longer_fit() -> None:
    # PVGAS, an affiliated union, made a grassroots one: PVGAS-KCM would sit under its level.
    parsed = parse_against_recorded(
        "PVGAS,Công đoàn Khí,PVOIL,grassroots\n"
        "PVOIL,Công đoàn Dầu,CDDKVN,affiliated\n"
        "PVGAS-MOI,Công đoàn bộ phận mới,PVGAS,sub\n"
    )

    assert [(e.row, e.field, e.code) for e in parsed.errors] == [
        (2, "level", "child_level"),
        (4, "parent_code", "parent_rejected"),
    ]
    assert parsed.errors[0].message_en == (
        "PVGAS cannot become a grassroots union: PVGAS-KCM, under it, is a grassroots union"
    )
    assert parsed.errors[0].message_vi == (
        "Không thể đổi PVGAS thành Công đoàn cơ sở: đơn vị cấp dưới PVGAS-KCM là Công đoàn cơ sở"
    )
    assert [u.code for u in parsed.rows] == ["PVOIL"]


def test_the_parser_accepts_a_new_level_the_units_under_it_still_fit() -> None:
    # PVGAS-KCM becomes a union section of PVGAS-KDN: its own group may sit under a section.
    parsed = parse_against_recorded(
        "PVGAS-KCM,Công đoàn Khí Cà Mau,PVGAS-KDN,sub\n"
        "PVGAS-KDN,Công đoàn Khí Đông Nam Bộ,PVGAS,grassroots\n"
    )

    assert parsed.errors == []
