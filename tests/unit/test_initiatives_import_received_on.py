"""An officer keying in a pile of paper files imports them with the day each came in (the
"Ngày nhận" column), checked as a single submission's `received_on` is: within the open
phase, not after the campaign's today."""

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.submissions.demo import token
from services.submissions.initiatives.spreadsheet import parse_initiatives
from shared.auth import Role
from shared.clock import FixedClock
from shared.formatting import VIETNAM_TIME
from tests.unit.conftest import seeded_submissions, submissions_app

TODAY = datetime(2022, 4, 20, 9, tzinfo=VIETNAM_TIME)
OFFICER = token("PVGAS-CB01", "PVGAS", Role.UNIT_OFFICER)
HEADER = "Tên sáng kiến;Mã đơn vị;Lĩnh vực;Thực trạng;Giải pháp;Tác giả;Ngày nhận\n"


def row(title: str, received: str) -> str:
    return (
        f"{title};PVGAS-KCM;Kỹ thuật;Thất thoát khí tại các mặt bích cũ.;"
        f"Thay gioăng và kiểm tra định kỳ bằng camera nhiệt.;PVGAS-0101: Lê Minh Tuấn;{received}\n"
    )


@pytest.fixture(scope="session")
def received_on_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Seeded on TODAY: phase 1 opened on TODAY.
    return seeded_submissions(tmp_path_factory.mktemp("received-on"), FixedClock(TODAY))


@pytest.fixture
def submissions(received_on_template: Path, tmp_path: Path) -> Iterator[TestClient]:
    """Submissions on TODAY's clock, on a copy of the database seeded then."""
    with submissions_app(tmp_path / "db", FixedClock(TODAY), received_on_template) as client:
        yield client


def test_the_received_on_column_is_read_in_either_language() -> None:
    english = (
        "Title,Unit code,Field,Problem,Solution,Authors,Received on\n"
        "Giảm thất thoát khí,PVGAS,Kỹ thuật,Thất thoát khí lớn.,Thay gioăng mới.,"
        "PVGAS-0101: Lê Minh Tuấn,2022-03-18\n"
    ).encode()
    vietnamese = (HEADER + row("Giảm thất thoát khí", "18/03/2022")).encode()
    for data, name in ((english, "a.csv"), (vietnamese, "b.csv")):
        parsed = parse_initiatives(data, name)
        assert parsed.errors == []
        assert parsed.rows[0].initiative.received_on == date(2022, 3, 18)


def test_imported_initiatives_keep_the_day_each_came_in_and_bad_days_are_refused_by_row(
    submissions: TestClient,
) -> None:
    sheet = (
        HEADER
        + row("Camera nhiệt cho mặt bích trạm Phú Mỹ", "15/03/2022")
        + row("Camera nhiệt cho mặt bích trạm Dinh Cố", "25/04/2022")  # after today
        + row("Camera nhiệt cho mặt bích trạm Vũng Tàu", "20/12/2021")  # before the phase
        + row("Camera nhiệt cho mặt bích trạm Cà Mau", "")  # none given: today
    ).encode()
    response = submissions.post(
        "/api/v1/initiatives/import",
        files={"file": ("sang-kien.csv", sheet, "text/csv")},
        data={"keep_valid_rows": "true"},
        headers=OFFICER,
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    errors = [(e["row"], e["field"], e["code"]) for e in response.json()["errors"]]
    assert errors == [(3, "received_on", "date_in_future"), (4, "received_on", "outside_phase")]
    listed = submissions.get(
        "/api/v1/initiatives", params={"unit_code": "PVGAS-KCM", "limit": 500}, headers=OFFICER
    ).json()["items"]
    received = {i["title"]: i["received_on"] for i in listed}
    assert received["Camera nhiệt cho mặt bích trạm Phú Mỹ"] == "2022-03-15"
    assert received["Camera nhiệt cho mặt bích trạm Cà Mau"] == "2022-04-20"
