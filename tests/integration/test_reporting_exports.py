"""The sơ kết / tổng kết exports, from reporting running as a process on the real broker and
PostgreSQL: the events of a small union tree are published, projected, and the workbook and
CSVs downloaded carry exactly their figures, with the Vietnamese headers and Excel formats.

The topics are shared with the session's other tests: this module's campaign and units carry
a marker of their own, and every request names its unit, so nothing else is counted."""

import asyncio
import csv
import io
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4, uuid5

import httpx
import openpyxl
import pytest
from sqlalchemy import text

from services.submissions.demo import token
from shared.auth import Role
from shared.campaign.loader import load_campaign
from shared.contracts import (
    CampaignPublished,
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    EventData,
    InitiativeAuthor,
    InitiativeRecognised,
    RegistrationApproved,
    StandingPublished,
    UnitRecorded,
)
from shared.db import create_engine
from shared.messaging.cloudevents import new_envelope, to_record
from tests.support.infrastructure import REPO
from tests.support.kafka_probe import produce
from tests.support.polling import eventually
from tests.support.services import ServiceProcess, running_service
from tests.unit.event_examples import decision, granted, registration, report, submitted

PLAN = load_campaign(REPO / "campaigns" / "2022.yaml")
ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
SHEETS = [
    "Chỉ tiêu",
    "Đơn vị chưa đạt",
    "Xếp hạng",
    "Sáng kiến theo đơn vị",
    "Theo lĩnh vực",
    "Theo tháng",
    "Đăng ký theo phong trào",
    "Báo cáo",
    "Khiếu nại quá hạn",
    "Khen thưởng",
    "Danh sách khen thưởng",
]
REPORT_FIGURES = {
    "activities-implemented": 100.0,
    "action-programme-22-concretised": 100.0,
    "assigned-targets-met": 100.0,
    "congress-resolution-met-and-congress-prepared": 100.0,
}


@dataclass(frozen=True)
class Tree:
    """This module's campaign and units: the federation, three affiliated unions (A, B, C)
    and a grassroots union under A."""

    campaign: str
    fed: str
    a: str
    b: str
    c: str
    a1: str

    def id(self, name: str) -> UUID:
        """Ids of this run's own: the broker may hold earlier runs' events."""
        return uuid5(UUID(int=0), f"{self.campaign}/{name}")

    @classmethod
    def fresh(cls) -> "Tree":
        marker = f"x{uuid4().hex[:8]}"
        up = marker.upper()
        return cls(marker, up, f"{up}-A", f"{up}-B", f"{up}-C", f"{up}-A1")


@dataclass(frozen=True)
class Running:
    service: ServiceProcess
    tree: Tree


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=3, tzinfo=UTC)  # 10:00 in Vietnam


def events(t: Tree) -> list[EventData]:
    units = [
        UnitRecorded(
            code=t.fed,
            name="Công đoàn Dầu khí (thử)",
            parent_code=None,
            level="federation",
            path=f"{t.fed}/",
        ),
        *(
            UnitRecorded(
                code=code,
                name=name,
                parent_code=t.fed,
                level="affiliated",
                path=f"{t.fed}/{code}/",
            )
            for code, name in (
                (t.a, "Công đoàn Tổng công ty Khí"),
                (t.b, "Công đoàn Lọc hóa dầu Bình Sơn"),
                (t.c, "Công đoàn Phân bón Cà Mau"),
            )
        ),
        UnitRecorded(
            code=t.a1,
            name="Công đoàn cơ sở Công ty Khí Cà Mau",
            parent_code=t.a,
            level="grassroots",
            path=f"{t.fed}/{t.a}/{t.a1}/",
        ),
    ]
    here = {"campaign_code": t.campaign}
    registrations = [
        registration(
            RegistrationApproved,
            at("2022-02-20"),
            **here,
            registration_id=uuid4(),
            unit_code=unit,
            movement_codes=movements,
            actor="CDDKVN-0001",
        )
        for unit, movements in (
            (t.a, ("01-trieu-sang-kien", "lao-dong-gioi-sang-tao")),
            (t.a1, ("01-trieu-sang-kien",)),
        )
    ]
    initiatives = [
        submitted(
            **here,
            initiative_id=t.id(f"initiative-{n}"),
            phase_code=phase,
            unit_code=unit,
            title=f"Sáng kiến số {n}",
            field=field,
            authors=(
                InitiativeAuthor(member_id=f"M{n}", full_name="Phạm Minh Đức", share_percent=100),
            ),
            expected_benefit_vnd=benefit,
            submitted_by=f"M{n}",
            submitted_at=at(day),
            received_on=None,  # counted on the day it was submitted
        )
        for n, unit, phase, field, benefit, day in (
            (1, t.a1, "dot-1", "technical", 1_200_000_000, "2022-03-15"),
            (2, t.a1, "dot-2", "management", 300_000_000, "2022-08-20"),
            (3, t.b, "dot-2", "technical", 45_500_000, "2022-08-25"),
        )
    ]
    recognised = decision(
        InitiativeRecognised,
        **here,
        initiative_id=t.id("initiative-1"),
        unit_code=t.a1,
        title="Sáng kiến số 1",
        author_ids=("M1",),
        decided_at=at("2022-05-01"),
        weighted_score=8.7,
    )
    reports = [
        report(at(day)).model_copy(
            update={
                **here,
                "report_id": uuid4(),
                "phase_code": "dot-2",
                "unit_code": unit,
                "kind": kind,
                "figures": REPORT_FIGURES if kind == "result" else {},
                "due_on": date(2023, 1, 10),
                "late": late,
                "submitted_by": "officer",
            }
        )
        for unit, kind, day, late in (
            (t.a, "plan", "2022-07-05", False),
            (t.a, "result", "2023-01-05", False),
            (t.a1, "result", "2023-01-06", False),
            (t.b, "result", "2023-01-15", True),
        )
    ]
    overdue = ComplaintCaseOpened(
        case_id=t.id("case-1"),
        campaign_code=t.campaign,
        unit_code=t.b,
        received_on=date(2022, 3, 1),
        due_on=date(2022, 3, 31),
        recorded_by="officer",
    )
    in_time = {
        "case_id": t.id("case-2"),
        "campaign_code": t.campaign,
        "unit_code": t.a,
        "received_on": date(2022, 5, 1),
        "due_on": date(2022, 5, 31),
        "recorded_by": "officer",
    }
    awards = [
        granted(
            status,
            at("2023-01-20"),
            **here,
            award_id=uuid4(),
            phase_code="dot-2",
            award_type=kind,
            award_name=name,
            recipient_kind=recipient_kind,
            recipient_id=recipient,
            recipient_name=recipient_name,
            unit_code=unit,
            reasons=("điểm thi đua 95",),
        )
        for kind, name, recipient_kind, recipient, recipient_name, unit, status in (
            (
                "co-thi-dua-cd-dkvn",
                "Cờ thi đua của Công đoàn Dầu khí Việt Nam",
                "unit",
                t.a,
                "Công đoàn Tổng công ty Khí",
                t.a,
                "confirmed",
            ),
            (
                "bang-khen-cd-dkvn",
                "Bằng khen của Công đoàn Dầu khí Việt Nam",
                "member",
                "M1",
                "Nguyễn Thị Hồng Nhung",
                t.a1,
                "confirmed",
            ),
            (
                "bang-khen-cd-dkvn",
                "Bằng khen của Công đoàn Dầu khí Việt Nam",
                "unit",
                t.b,
                "Công đoàn Lọc hóa dầu Bình Sơn",
                t.b,
                "proposed",
            ),
        )
    ]
    plan = PLAN.model_copy(update={"code": t.campaign}).model_dump(mode="json")
    return [
        CampaignPublished(
            campaign_code=t.campaign, title=PLAN.title, definition=plan, published_by="t"
        ),
        *units,
        *registrations,
        *initiatives,
        recognised,
        *reports,
        overdue,
        ComplaintCaseOpened(**in_time),
        ComplaintCaseResolved(**in_time, resolved_on=date(2022, 5, 20)),
        *awards,
    ]


async def publish(kafka: str, items: list[EventData]) -> None:
    by_topic: dict[str, list[Any]] = defaultdict(list)
    for event in items:
        record = to_record(new_envelope(event, source="/tests/exports", subject=event.topic))
        by_topic[record.topic].append((record.key, record.value, record.headers))
    for topic, messages in by_topic.items():
        await produce(kafka, topic, messages)


_PROJECTED = (
    "SELECT count(*) FROM campaigns WHERE code = :c",
    "SELECT count(*) FROM units WHERE path LIKE :p",
    "SELECT count(*) FROM registrations WHERE campaign_code = :c",
    "SELECT count(*) FROM initiatives WHERE campaign_code = :c AND field <> ''",
    "SELECT count(*) FROM initiatives WHERE campaign_code = :c AND recognised",
    "SELECT count(*) FROM reports WHERE campaign_code = :c",
    "SELECT count(resolved_on) FROM complaints WHERE campaign_code = :c",
    "SELECT count(*) FROM complaints WHERE campaign_code = :c",
    "SELECT count(*) FROM awards WHERE campaign_code = :c",
)


async def projected(database_url: str, t: Tree) -> list[int]:
    """How much of this module's events reporting has applied, straight from its tables."""
    engine = create_engine(database_url)
    marked = {"c": t.campaign, "p": f"{t.fed}/%"}
    try:
        async with engine.connect() as connection:
            return [
                (await connection.execute(text(query), marked)).scalar_one() for query in _PROJECTED
            ]
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def running(
    kafka: str, postgres: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Running]:
    tree = Tree.fresh()
    async with running_service(
        "reporting",
        postgres,
        kafka,
        Path(tmp_path_factory.mktemp("exports")),
        KAFKA_GROUP_ID=f"reporting-exports-{tree.campaign}",
    ) as service:
        await publish(kafka, events(tree))
        await eventually(
            lambda: projected(service.database_url, tree),
            lambda counts: counts == [1, 5, 2, 3, 1, 4, 1, 2, 3],
            timeout=60,
        )
        yield Running(service, tree)


async def download(
    running: Running, path: str, headers: dict[str, str] | None = None, **params: str
) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as client:
        return await client.get(
            f"{running.service.url}/api/v1/exports/{running.tree.campaign}/{path}",
            params=params,
            headers=headers or {},
        )


def sheet_rows(sheet: Any) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """The header row (row 2, under the title) and the data rows of a sheet."""
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[1]), [tuple(r) for r in rows[2:]]


def by_header(sheet: Any) -> list[dict[str, Any]]:
    header, rows = sheet_rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


async def workbook(running: Running, **params: str) -> Any:
    response = await download(running, "dot-2.xlsx", ADMIN, **params)
    assert response.status_code == 200, response.text
    return openpyxl.load_workbook(io.BytesIO(response.content))


def columns(header: str) -> list[str]:
    """A sheet's column headers, written as a table's header row ("A | B | C")."""
    return header.split(" | ")


async def test_the_workbook_has_a_sheet_per_section_with_the_published_figures(
    running: Running,
) -> None:
    t = running.tree
    response = await download(running, "dot-2.xlsx", ADMIN, unit=t.fed)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="tong-ket-{t.campaign}-dot-2.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3"
        assert str(sheet["A1"].value).startswith("Tổng kết phong trào thi đua năm 2022 — ")

    targets = book["Chỉ tiêu"]
    header, rows = sheet_rows(targets)
    assert header == columns(
        "STT | Chỉ tiêu | Kết quả | Trên tổng số | Tỷ lệ | Mục tiêu | Đạt mục tiêu | Vượt mức"
        " | Tóm tắt | Số đơn vị chưa đạt"
    )
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    first = rows[0]  # A registered, B and C not
    assert first[2:4] == (1, 3)
    assert first[4] == pytest.approx(0.333)
    assert first[5:8] == (1.0, "Không", None)  # only target 7 asks to exceed
    assert first[8] == "1/3 công đoàn trực thuộc (33,3%; mục tiêu 100%)"
    assert first[9] == 2
    assert targets["E3"].number_format == "0.0%"
    assert targets["F3"].number_format == "0.0%"
    assert rows[4][2:5] == (2, 3, pytest.approx(0.667))  # target 5: B's case is overdue
    assert rows[5][2:5] == (3, 4, 0.75)  # target 6: all but C reported
    assert rows[6][2:10] == (3, 2000, 0.002, 1.0, "Không", "Không", rows[6][8], 4)

    lagging = [(r[0], r[2], r[5]) for r in sheet_rows(book["Đơn vị chưa đạt"])[1]]
    assert len(lagging) == 2 + 1 + 1 + 1 + 1 + 1 + 4
    assert (1, t.b, "chưa có đăng ký thi đua được duyệt") in lagging
    assert (1, t.c, "chưa có đăng ký thi đua được duyệt") in lagging
    assert (2, t.c, "chưa nộp báo cáo kết quả Đợt 2") in lagging
    assert (5, t.b, "1 đơn thư khiếu nại, tố cáo quá hạn") in lagging
    assert sorted(code for n, code, _ in lagging if n == 7) == sorted([t.a, t.a1, t.b, t.c])

    league = book["Xếp hạng"]
    header, rows = sheet_rows(league)
    assert header == columns(
        "Hạng | Mã đơn vị | Tên đơn vị | Cấp | Điểm thi đua | Số chỉ tiêu đạt | Chỉ tiêu chưa đạt"
        " | Sáng kiến đã nộp | Sáng kiến được công nhận | Giá trị làm lợi (đồng)"
    )
    assert [r[:2] + r[3:] for r in rows] == [
        (1, t.a, "Công đoàn trực thuộc", 85, 6, "7", 2, 1, 1_500_000_000),
        (2, t.b, "Công đoàn trực thuộc", 55, 4, "1, 5, 7", 1, 0, 45_500_000),
        (3, t.c, "Công đoàn trực thuộc", 15, 1, "1, 2, 3, 4, 6, 7", 0, 0, 0),
        (1, t.a1, "Công đoàn cơ sở", 85, 6, "7", 2, 1, 1_500_000_000),
    ]
    assert league["I3"].number_format == "#,##0"
    assert league.column_dimensions["C"].width >= len("Công đoàn Lọc hóa dầu Bình Sơn")

    per_unit = {r["Mã đơn vị"]: r for r in by_header(book["Sáng kiến theo đơn vị"])}
    assert list(per_unit) == [t.fed, t.a, t.a1, t.b, t.c]
    assert per_unit[t.fed]["Đã nộp"] == 0
    assert per_unit[t.fed]["Đã nộp (gồm cấp dưới)"] == 3
    assert per_unit[t.fed]["Giá trị làm lợi gồm cấp dưới (đồng)"] == 1_545_500_000
    assert per_unit[t.a]["Được công nhận (gồm cấp dưới)"] == 1
    assert per_unit[t.a1]["Giá trị làm lợi (đồng)"] == 1_500_000_000
    assert per_unit[t.a1]["Đơn vị cấp trên"] == t.a

    assert sheet_rows(book["Theo lĩnh vực"]) == (
        ["Lĩnh vực", "Sáng kiến đã nộp", "Được công nhận", "Giá trị làm lợi (đồng)"],
        [("Kỹ thuật", 2, 1, 1_245_500_000), ("Quản lý", 1, 0, 300_000_000)],
    )
    assert book["Theo lĩnh vực"]["D3"].number_format == "#,##0"
    assert sheet_rows(book["Theo tháng"])[1] == [
        ("03/2022", 1, 1, 1_200_000_000, 1),
        ("08/2022", 2, 0, 345_500_000, 3),
    ]

    movements = {r["Mã phong trào"]: r for r in by_header(book["Đăng ký theo phong trào"])}
    assert list(movements) == [m.code for m in PLAN.movements]
    assert movements["01-trieu-sang-kien"]["Số đơn vị đăng ký được duyệt"] == 2
    assert movements["lao-dong-gioi-sang-tao"]["Số đơn vị đăng ký được duyệt"] == 1
    assert movements["01-trieu-sang-kien"]["Tên phong trào, cuộc vận động"] == next(
        m.name for m in PLAN.movements if m.code == "01-trieu-sang-kien"
    )

    reports = book["Báo cáo"]
    assert sheet_rows(reports)[0] == columns(
        "Mã đơn vị | Tên đơn vị | Cấp | Báo cáo kế hoạch | Ngày nộp báo cáo kế hoạch"
        " | Báo cáo kết quả | Ngày nộp báo cáo kết quả"
    )
    filed = {r["Mã đơn vị"]: r for r in by_header(reports)}
    assert list(filed) == [t.a, t.a1, t.b, t.c]
    assert filed[t.a]["Báo cáo kế hoạch"] == "Đúng hạn"
    assert filed[t.a]["Ngày nộp báo cáo kết quả"] == datetime(2023, 1, 5)
    assert (filed[t.b]["Báo cáo kết quả"], filed[t.c]["Báo cáo kết quả"]) == ("Trễ hạn", "Chưa nộp")
    assert reports["G3"].number_format == "dd/mm/yyyy"

    assert sheet_rows(book["Khiếu nại quá hạn"])[1] == [
        (
            str(t.id("case-1")),
            t.b,
            "Công đoàn Lọc hóa dầu Bình Sơn",
            datetime(2022, 3, 1),
            datetime(2022, 3, 31),
            None,
            275,
        ),
    ]

    assert sheet_rows(book["Khen thưởng"]) == (
        [
            "Hình thức khen thưởng",
            "Cấp khen thưởng",
            "Tập thể",
            "Cá nhân",
            "Tổng số đã quyết định",
            "Đang đề nghị",
        ],
        [
            ("Bằng khen của Công đoàn Dầu khí Việt Nam", "Công đoàn Dầu khí Việt Nam", 0, 1, 1, 1),
            ("Cờ thi đua của Công đoàn Dầu khí Việt Nam", "Công đoàn Dầu khí Việt Nam", 1, 0, 1, 0),
        ],
    )
    assert [
        (r["Đối tượng"], r["Tên tập thể/cá nhân"], r["Ngày quyết định"])
        for r in by_header(book["Danh sách khen thưởng"])
    ] == [
        ("Cá nhân", "Nguyễn Thị Hồng Nhung", datetime(2023, 1, 20)),
        ("Tập thể", "Công đoàn Tổng công ty Khí", datetime(2023, 1, 20)),
    ]


async def test_a_csv_per_table_with_the_same_headers_and_figures(running: Running) -> None:
    t = running.tree
    book = await workbook(running, unit=t.fed)
    response = await download(running, "dot-2/xep-hang.csv", ADMIN, unit=t.fed)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="tong-ket-{t.campaign}-dot-2-xep-hang.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == sheet_rows(book["Xếp hạng"])[0]
    assert rows[0] == [
        "1",
        t.a,
        "Công đoàn Tổng công ty Khí",
        "Công đoàn trực thuộc",
        "85",
        "6",
        "7",
        "2",
        "1",
        "1500000000",
    ]

    response = await download(running, "dot-2/chi-tieu.csv", ADMIN, unit=t.fed)
    targets = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [list(targets[0])] == [sheet_rows(book["Chỉ tiêu"])[0]]
    assert (targets[0]["Kết quả"], targets[0]["Tỷ lệ"], targets[0]["Mục tiêu"]) == (
        "1",
        "33,3%",
        "100%",
    )
    assert targets[6]["Tỷ lệ"] == "0,2%"

    response = await download(running, "dot-2/bao-cao.csv", ADMIN, unit=t.fed)
    reports = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert reports[0]["Ngày nộp báo cáo kết quả"] == "05/01/2023"

    response = await download(running, "dot-1/theo-linh-vuc.csv", ADMIN, unit=t.fed)
    assert response.headers["content-disposition"] == (
        f'attachment; filename="so-ket-{t.campaign}-dot-1-theo-linh-vuc.csv"'
    )
    in_phase_1 = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert in_phase_1[1:] == [["Kỹ thuật", "1", "1", "1200000000"]]  # the year to dot-1's end


def standing(t: Tree, unit: str, rank: int, points: int) -> StandingPublished:
    """Unit `unit`'s standing at the close of phase 1, as scoring would publish it."""
    return StandingPublished(
        campaign_code=t.campaign,
        phase_code="dot-1",
        unit_code=unit,
        unit_name=f"Công đoàn {unit}",
        level="affiliated",
        path=f"{t.fed}/{unit}/",
        rank=rank,
        rank_of=3,
        points=points,
        targets_met=(5,),
        targets_missed={"1": "chưa có đăng ký thi đua được duyệt"},
        initiatives_submitted=rank,
        initiatives_recognised=0,
        benefit_vnd=0,
        overdue_cases=0,
        closed_at=at("2022-07-08"),
        revision=1,
        computed_at=at("2022-07-08"),
    )


async def test_a_closed_phase_shows_the_ranks_scoring_published_at_its_close(
    running: Running, kafka: str
) -> None:
    """Scoring's standings at the close are the league of the closed phase (the dashboard's
    and the exports'), whatever reporting would compute; a level not published is live."""
    t = running.tree
    published = {t.c: (1, 60), t.b: (2, 45), t.a: (3, 30)}  # not the live order (A, B, C)

    async def league() -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=10, headers=ADMIN) as client:
            response = await client.get(
                f"{running.service.url}/api/v1/league/{t.campaign}/dot-1",
                params={"unit": t.fed, "level": "affiliated"},
            )
            response.raise_for_status()
            return dict(response.json())

    # Two of three: the level is not complete yet, and stays live.
    await publish(kafka, [standing(t, t.c, 1, 60), standing(t, t.b, 2, 45)])
    await asyncio.sleep(2)
    assert (await league())["closed"] is False
    await publish(kafka, [standing(t, t.a, 3, 30), standing(t, t.a, 3, 30)])
    final = await eventually(league, lambda answer: answer["closed"], timeout=30)
    assert [(r["unit_code"], r["rank"], r["points"]) for r in final["rows"]] == [
        (code, rank, points) for code, (rank, points) in published.items()
    ]
    response = await download(running, "dot-1/xep-hang.csv", ADMIN, unit=t.fed)
    _, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r[1], r[0], r[4]) for r in rows if r[3] == "Công đoàn trực thuộc"] == [
        (code, str(rank), str(points)) for code, (rank, points) in published.items()
    ]
    # Grassroots unions: none published, ranked live by the same rule.
    assert [r[1] for r in rows if r[3] == "Công đoàn cơ sở"] == [t.a1]


async def test_a_unit_officer_exports_their_own_subtree_only(running: Running) -> None:
    t = running.tree
    officer = token(f"{t.a}-CB01", t.a, Role.UNIT_OFFICER)
    response = await download(running, "dot-2.xlsx", officer)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == (
        f'attachment; filename="tong-ket-{t.campaign}-dot-2-{t.a.lower()}.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [r[1] for r in sheet_rows(book["Xếp hạng"])[1]] == [t.a, t.a1]
    assert [r[0] for r in sheet_rows(book["Sáng kiến theo đơn vị"])[1]] == [t.a, t.a1]
    assert sheet_rows(book["Khiếu nại quá hạn"])[1] == []

    refused = await download(running, "dot-2.xlsx", officer, unit=t.b)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "forbidden_unit"
    refused = await download(running, "dot-2/xep-hang.csv", officer, unit=t.fed)
    assert refused.status_code == 403

    reviewer = token("CDDKVN-0101", "CDDKVN", Role.REVIEWER)  # scores anyone's: sees all
    response = await download(running, "dot-2.xlsx", reviewer, unit=t.fed)
    assert response.status_code == 200
    # ... but the awards announced only: B's proposal awaits the admins' decision.
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert sheet_rows(book["Khen thưởng"]) == (
        ["Hình thức khen thưởng", "Cấp khen thưởng", "Tập thể", "Cá nhân", "Tổng số đã quyết định"],
        [
            ("Bằng khen của Công đoàn Dầu khí Việt Nam", "Công đoàn Dầu khí Việt Nam", 0, 1, 1),
            ("Cờ thi đua của Công đoàn Dầu khí Việt Nam", "Công đoàn Dầu khí Việt Nam", 1, 0, 1),
        ],
    )
    member = token("M1", t.a1, Role.MEMBER)
    assert (await download(running, "dot-2.xlsx", member, unit=t.a1)).status_code == 403


async def test_refusals_are_in_vietnamese_and_english(running: Running) -> None:
    t = running.tree
    anonymous = await download(running, "dot-2.xlsx", unit=t.fed)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    anonymous = await download(running, "dot-2/xep-hang.csv", unit=t.fed)
    assert anonymous.status_code == 401

    unknown = await download(running, "dot-2/khong-co.csv", ADMIN, unit=t.fed)
    assert unknown.status_code == 404
    [error] = unknown.json()["errors"]
    assert error["code"] == "unknown_table"
    assert error["message_vi"].startswith("Không có bảng khong-co; các bảng xuất được: chi-tieu")
    assert error["message_en"].startswith("No table khong-co; the tables are: chi-tieu")
    assert "danh-sach-khen-thuong" in error["message_vi"]

    unknown = await download(running, "dot-9.xlsx", ADMIN, unit=t.fed)
    assert unknown.status_code == 404
    [error] = unknown.json()["errors"]
    assert error["message_vi"] == f"Kế hoạch {t.campaign} không có đợt dot-9"
    assert error["message_en"] == f"Campaign {t.campaign} has no phase dot-9"
    unknown = await download(running, "dot-9/xep-hang.csv", ADMIN, unit=t.fed)
    assert unknown.status_code == 404
