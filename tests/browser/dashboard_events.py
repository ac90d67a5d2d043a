"""A year of the 2022 campaign as events, for the dashboard's browser test.

Real contracts, in the order the services would publish them: the plan, the demo union tree,
approved registrations, phase 1's result reports, 2,200 initiatives (1,150 in phase 1, so the
2,000 goal is passed in phase 2), the councils' recognitions and a few awards. Random but
seeded, so every run shows the same figures.
"""

import csv
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TypedDict
from uuid import UUID

from shared.campaign.loader import load_campaign
from shared.contracts import (
    AwardGranted,
    CampaignPublished,
    EventData,
    InitiativeAuthor,
    InitiativeRecognised,
    InitiativeSubmitted,
    RegistrationApproved,
    ReportSubmitted,
    UnitRecorded,
)
from shared.formatting import VIETNAM_TIME
from tests.support.infrastructure import REPO

PLAN = load_campaign(REPO / "campaigns" / "2022.yaml")
UNITS_FILE = REPO / "deploy" / "demo" / "units-2022.csv"
UNREGISTERED = {"PVU", "PETROSETCO", "PVI"}  # affiliated unions without a registration
UNREPORTED = {"PVU", "PETROSETCO", "VPI"}  # nor phase 1's result report
FIELDS = {
    "technical": 40,
    "management": 18,
    "occupational_safety": 14,
    "digital_transformation": 13,
    "environment": 10,
    "other": 5,
}
# The honour board's: recognised, and of more benefit than any other (title, unit, field, VND).
NOTABLE = (
    ("Thu hồi khí đồng hành tại giàn nén trung tâm", "PVGAS", "technical", 12_500_000_000),
    ("Tối ưu chế độ vận hành phân xưởng RFCC", "BSR", "technical", 9_800_000_000),
    ("Số hóa cấp phát vật tư trên giàn khoan", "PVD", "digital_transformation", 6_400_000_000),
    ("Cải tiến hệ thống xử lý nước thải nhà máy đạm", "PVCFC", "environment", 5_250_000_000),
    ("Thiết bị cảnh báo khí H2S cầm tay", "VSP", "occupational_safety", 4_100_000_000),
    ("Kiểm tra, bảo dưỡng đường ống theo rủi ro", "PVGAS", "management", 3_750_000_000),
    (
        "Phần mềm quản lý đoàn viên và phong trào thi đua",
        "PVOIL",
        "digital_transformation",
        2_900_000_000,
    ),
    ("Giảm tiêu hao hơi nước tại nhà máy điện Cà Mau", "PVPOWER", "technical", 2_600_000_000),
)
AUTHORS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Quốc Dũng", "Hoàng Thu Hà")


def units() -> list[UnitRecorded]:
    with UNITS_FILE.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    parent = {r["code"]: r["parent_code"] for r in rows}

    def path(code: str) -> str:
        return (path(parent[code]) if parent[code] else "") + f"{code}/"

    return [
        UnitRecorded(
            code=r["code"],
            name=r["name"],
            parent_code=r["parent_code"] or None,
            level=r["level"],
            cluster=r["cluster"] or None,
            path=path(r["code"]),
        )
        for r in rows
    ]


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), VIETNAM_TIME)


def _id(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def _taking_part(
    units: list[UnitRecorded], absent: set[str], rng: random.Random, missing: float
) -> Iterator[UnitRecorded]:
    """The units that take part: all but `absent`, a grassroots union missing at random."""
    for unit in units:
        if unit.code not in absent and not (unit.level == "grassroots" and rng.random() < missing):
            yield unit


class _Where(TypedDict):
    campaign_code: str
    phase_code: str
    unit_code: str


def _in_phase_one(unit_code: str) -> _Where:
    """Where a unit's registration, report or award in phase 1 stands."""
    return {"campaign_code": PLAN.code, "phase_code": "dot-1", "unit_code": unit_code}


def year_of_events(rng: random.Random) -> Iterator[EventData]:
    definition = PLAN.model_dump(mode="json")
    yield CampaignPublished(
        campaign_code=PLAN.code, title=PLAN.title, definition=definition, published_by="admin"
    )
    tree = units()
    yield from tree
    scored = [u for u in tree if u.level in ("affiliated", "grassroots")]
    for unit in _taking_part(scored, UNREGISTERED, rng, missing=0.1):
        yield RegistrationApproved(
            registration_id=_id(rng),
            **_in_phase_one(unit.code),
            movement_codes=("lao-dong-gioi-sang-tao", "01-trieu-sang-kien"),
            actor="admin",
            at=_at(date(2022, 3, 1) + timedelta(days=rng.randrange(40))),
        )
    for unit in _taking_part(scored, UNREPORTED, rng, missing=0.25):
        yield ReportSubmitted(
            report_id=_id(rng),
            **_in_phase_one(unit.code),
            kind="result",
            figures={
                "activities-implemented": 100,
                "action-programme-22-concretised": 100,
                "assigned-targets-met": 0 if unit.code == "PVOIL" else 95,
                "congress-resolution-met-and-congress-prepared": 100,
            },
            due_on=date(2022, 7, 10),
            submitted_at=_at(date(2022, 7, 1) + timedelta(days=rng.randrange(14))),
            late=False,
            submitted_by="officer",
        )
    yield from _initiatives(rng, scored)
    for position, name in enumerate(AUTHORS[:3]):
        yield AwardGranted(
            award_id=_id(rng),
            **_in_phase_one(NOTABLE[position][1]),
            award_type="bang-khen-cd-dkvn",
            award_name="Bằng khen của Công đoàn Dầu khí Việt Nam",
            level="federation",
            recipient_kind="member",
            recipient_id=f"{NOTABLE[position][1]}-{position:04d}",
            recipient_name=name,
            reasons=("Sáng kiến xuất sắc đợt 1",),
            status="confirmed",
            at=_at(date(2022, 7, 20), 10 + position),
        )


def _initiatives(rng: random.Random, scored: list[UnitRecorded]) -> Iterator[EventData]:
    notable = {position * 29 + 300: n for position, n in enumerate(NOTABLE)}
    phases = ((PLAN.phases[0], 1150, 150), (PLAN.phases[1], 1050, 160))  # busiest near the end
    number = 0
    for phase, how_many, busiest in phases:
        length = (phase.ends_on - phase.starts_on).days
        for _ in range(how_many):
            number += 1
            day = phase.starts_on + timedelta(days=int(rng.triangular(0, length, busiest)))
            unit = rng.choice(scored).code
            field = rng.choices(list(FIELDS), weights=list(FIELDS.values()))[0]
            title = f"Sáng kiến cải tiến số {number:04d} của {unit}"
            benefit = rng.randrange(1, 180) * 5_000_000
            if number in notable:
                title, unit, field, benefit = notable[number]
            submitted = InitiativeSubmitted(
                initiative_id=_id(rng),
                campaign_code=PLAN.code,
                unit_code=unit,
                title=title,
                field=field,
                phase_code=phase.code,
                authors=(
                    InitiativeAuthor(
                        member_id=f"{unit}-0001", full_name=rng.choice(AUTHORS), share_percent=100
                    ),
                ),
                expected_benefit_vnd=benefit,
                submitted_by=f"{unit}-0001",
                submitted_at=_at(day, rng.randrange(7, 18)),
            )
            yield submitted
            if number in notable or (day < date(2022, 11, 15) and rng.random() < 0.45):
                yield InitiativeRecognised(
                    initiative_id=submitted.initiative_id,
                    campaign_code=PLAN.code,
                    phase_code=phase.code,
                    unit_code=unit,
                    title=title,
                    decided_at=_at(day + timedelta(days=30), 15),
                    weighted_score=round(rng.uniform(6, 9.5), 2),
                    votes_for=3,
                    council_size=3,
                )
