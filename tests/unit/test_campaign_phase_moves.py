"""Opening moves a phase only from planned, closing only from open: any other move is refused
as a conflict, in both languages, naming the phase."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.clock import FixedClock
from shared.formatting import VIETNAM_TIME
from tests.unit.conftest import ADMIN, seeded_submissions, submissions_app

# Seeded on this day: 2022 published and its phase 1 open, phase 2 still planned.
TODAY = datetime(2022, 7, 20, 9, tzinfo=VIETNAM_TIME)


@pytest.fixture
def submissions(tmp_path: Path) -> Iterator[TestClient]:
    seeded = seeded_submissions(tmp_path / "seed", FixedClock(TODAY))
    with submissions_app(tmp_path / "db", FixedClock(TODAY), seeded) as client:
        yield client


@pytest.mark.parametrize(
    ("phase", "act", "code", "message_vi", "message_en"),
    [
        (
            "dot-1",
            "open",
            "phase_not_planned",
            "Đợt dot-1 đã được mở trước đây",
            "Phase dot-1 was already opened",
        ),
        (
            "dot-2",
            "close",
            "phase_not_open",
            "Đợt dot-2 không ở trạng thái đang mở",
            "Phase dot-2 is not open",
        ),
    ],
)
def test_a_phase_moves_only_from_the_status_the_act_starts_from(
    submissions: TestClient, phase: str, act: str, code: str, message_vi: str, message_en: str
) -> None:
    refused = submissions.post(
        f"/api/v1/campaigns/2022/phases/{phase}/{act}", json={}, headers=ADMIN
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["errors"][0] == {
        "field": "status",
        "code": code,
        "message_vi": message_vi,
        "message_en": message_en,
    }
