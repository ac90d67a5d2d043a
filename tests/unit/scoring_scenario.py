"""The 2022 plan's year-end scenario for scoring's rules: 15 affiliated unions in 5 clusters and
5 grassroots unions, the events that build it (units, registrations, reports, initiatives and
their outcomes, complaints), and the awards proposed at its close read by rule."""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict
from uuid import NAMESPACE_URL, uuid5

from services.scoring.domain.awards import (
    AwardProposal,
)
from shared.contracts import (
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    EventData,
    InitiativeAuthor,
    InitiativeRecognised,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    RegistrationApproved,
    ReportSubmitted,
    UnitRecorded,
)

CAMPAIGN_FILE = Path(__file__).resolve().parents[2] / "campaigns" / "2022.yaml"
TODAY = date(2023, 1, 15)  # the year-end close, after the phase-2 reports were due
CLUSTERS = {"khi-dien": "Khí - Điện", "loc-hoa-dau": "Lọc hóa dầu", "dich-vu": "Dịch vụ"}
FIGURES = (
    "activities-implemented",
    "action-programme-22-concretised",
    "assigned-targets-met",
    "congress-resolution-met-and-congress-prepared",
)


# --- events ----------------------------------------------------------------------------------


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def units(rows: Sequence[tuple[str, str, str | None, str, str | None]]) -> list[UnitRecorded]:
    paths: dict[str | None, str] = {None: ""}
    events = []
    for code, name, parent, level, cluster in rows:
        paths[code] = f"{paths[parent]}{code}/"
        events.append(
            UnitRecorded(
                code=code,
                name=name,
                parent_code=parent,
                level=level,
                cluster=cluster,
                path=paths[code],
            )
        )
    return events


class _Where(TypedDict):
    campaign_code: str
    phase_code: str
    unit_code: str


def of_2022(unit: str, phase: str) -> _Where:
    """Where an event of the 2022 plan stands: its campaign, phase and unit (a TypedDict, so
    that mypy checks the fields it is unpacked into)."""
    return {"campaign_code": "2022", "phase_code": phase, "unit_code": unit}


def registration(unit: str, phase: str = "dot-1", *movements: str) -> RegistrationApproved:
    codes = movements or ("lao-dong-gioi-sang-tao", "01-trieu-sang-kien")
    return RegistrationApproved(
        registration_id=uuid5(NAMESPACE_URL, f"registration/{unit}/{phase}"),
        **of_2022(unit, phase),
        movement_codes=codes,
        actor=f"{unit}-CB01",
        at=at(date(2022, 2, 20)),
    )


def report(
    unit: str,
    figures: dict[str, float],
    *,
    phase: str = "dot-2",
    kind: str = "result",
    on: date = date(2023, 1, 5),
    late: bool = False,
) -> ReportSubmitted:
    return ReportSubmitted(
        report_id=uuid5(NAMESPACE_URL, f"report/{unit}/{phase}/{kind}"),
        **of_2022(unit, phase),
        kind=kind,
        figures=figures,
        due_on=date(2023, 1, 10),
        submitted_at=at(on),
        late=late,
        submitted_by=f"{unit}-CB01",
    )


def initiative(
    key: str,
    unit: str,
    *,
    phase: str = "dot-2",
    title: str | None = None,
    authors: Iterable[tuple[str, str, int]] = (),
    benefit: int | None = None,
) -> InitiativeSubmitted:
    return InitiativeSubmitted(
        initiative_id=uuid5(NAMESPACE_URL, f"initiative/{key}"),
        **of_2022(unit, phase),
        title=title or f"Sáng kiến {key}",
        field="technical",
        authors=tuple(
            InitiativeAuthor(member_id=m, full_name=n, share_percent=s) for m, n, s in authors
        ),
        confidential=not authors,
        expected_benefit_vnd=benefit,
        submitted_by=f"{unit}-CB01",
        submitted_at=at(date(2022, 3, 1) if phase == "dot-1" else date(2022, 9, 1)),
    )


# What a later event about an initiative repeats of its submission.
SAME_INITIATIVE = {"initiative_id", "campaign_code", "phase_code", "unit_code"}


def recognised(submitted: InitiativeSubmitted, score: float) -> InitiativeRecognised:
    return InitiativeRecognised(
        **submitted.model_dump(include=SAME_INITIATIVE),
        title=submitted.title,
        author_ids=tuple(a.member_id for a in submitted.authors),
        decided_at=submitted.submitted_at + timedelta(days=30),
        weighted_score=score,
        votes_for=5,
        council_size=5,
    )


def withdrawn(submitted: InitiativeSubmitted) -> InitiativeWithdrawn:
    return InitiativeWithdrawn(
        **submitted.model_dump(include=SAME_INITIATIVE),
        withdrawn_by=submitted.submitted_by,
        withdrawn_at=submitted.submitted_at + timedelta(days=2),
    )


def complaint(unit: str, received: date, resolved: date | None = None) -> list[EventData]:
    case = uuid5(NAMESPACE_URL, f"case/{unit}/{received}")
    common = {
        "case_id": case,
        "campaign_code": "2022",
        "unit_code": unit,
        "received_on": received,
        "due_on": received + timedelta(days=30),
        "recorded_by": f"{unit}-CB01",
    }
    opened: list[EventData] = [ComplaintCaseOpened(**common)]
    return (
        opened
        if resolved is None
        else [*opened, ComplaintCaseResolved(**common, resolved_on=resolved)]
    )


# --- the scenario: 15 affiliated unions in 5 clusters, 5 grassroots unions, year-end close ---

# code | name | parent | level | cluster, as the units topic records them.
TREE_TABLE = """
CDDKVN|Công đoàn Dầu khí Việt Nam||federation|
PVEP|Công đoàn Tổng công ty Thăm dò Khai thác Dầu khí|CDDKVN|affiliated|tham-do
VSP|Công đoàn Liên doanh Việt - Nga Vietsovpetro|CDDKVN|affiliated|tham-do
BDPOC|Công đoàn Công ty Điều hành Dầu khí Biển Đông|CDDKVN|affiliated|tham-do
PVGAS|Công đoàn Tổng công ty Khí Việt Nam|CDDKVN|affiliated|khi-dien
PVPOWER|Công đoàn Tổng công ty Điện lực Dầu khí Việt Nam|CDDKVN|affiliated|khi-dien
BSR|Công đoàn Công ty CP Lọc hóa dầu Bình Sơn|CDDKVN|affiliated|loc-hoa-dau
PVFCCO|Công đoàn Tổng công ty Phân bón và Hóa chất Dầu khí|CDDKVN|affiliated|loc-hoa-dau
PVCFC|Công đoàn Công ty CP Phân bón Dầu khí Cà Mau|CDDKVN|affiliated|loc-hoa-dau
PVD|Công đoàn Tổng công ty CP Khoan và Dịch vụ khoan Dầu khí|CDDKVN|affiliated|dich-vu
PTSC|Công đoàn Tổng công ty CP Dịch vụ Kỹ thuật Dầu khí Việt Nam|CDDKVN|affiliated|dich-vu
PVTRANS|Công đoàn Tổng công ty CP Vận tải Dầu khí|CDDKVN|affiliated|dich-vu
PVC|Công đoàn Tổng công ty CP Xây lắp Dầu khí Việt Nam|CDDKVN|affiliated|dich-vu
PVI|Công đoàn Công ty CP PVI|CDDKVN|affiliated|dich-vu
PVOIL|Công đoàn Tổng công ty Dầu Việt Nam|CDDKVN|affiliated|thuong-mai
PETROSETCO|Công đoàn Tổng công ty CP Dịch vụ Tổng hợp Dầu khí|CDDKVN|affiliated|thuong-mai
PVGAS-KCM|Công đoàn Công ty Khí Cà Mau|PVGAS|grassroots|khi-dien
PVGAS-KDN|Công đoàn Công ty Khí Đông Nam Bộ|PVGAS|grassroots|khi-dien
PVGAS-KVT|Công đoàn Công ty Chế biến Khí Vũng Tàu|PVGAS|grassroots|khi-dien
BSR-NMLD|Công đoàn Nhà máy Lọc dầu Dung Quất|BSR|grassroots|loc-hoa-dau
VSP-XNKT|Công đoàn Xí nghiệp Khai thác Dầu khí|VSP|grassroots|tham-do
"""
TREE = [
    (code, name, parent or None, level, cluster or None)
    for code, name, parent, level, cluster in (
        line.split("|") for line in TREE_TABLE.strip().splitlines()
    )
]
# 20 unions below the federation weigh the same: each one's share of the 2,000 is 100.
SUBMITTED = {
    "PVEP": 120,
    "VSP": 105,
    "BDPOC": 110,
    "PVGAS": 100,
    "PVPOWER": 130,
    "BSR": 100,
    "PVFCCO": 115,
    "PVCFC": 105,
    "PVD": 140,
    "PTSC": 110,
    "PVTRANS": 100,
    "PVC": 100,
    "PVI": 100,
    "PVOIL": 38,
    "PETROSETCO": 104,
    "PVGAS-KCM": 110,
    "PVGAS-KDN": 130,
    "PVGAS-KVT": 101,
    "BSR-NMLD": 120,
    "VSP-XNKT": 105,
}
RECOGNISED = {
    "PVGAS": 10,
    "PVGAS-KCM": 20,
    "PVGAS-KDN": 10,
    "BSR": 10,
    "BSR-NMLD": 20,
    "PVD": 25,
    "PVEP": 20,
    "PVPOWER": 12,
    "BDPOC": 10,
    "PVFCCO": 8,
    "PVCFC": 8,
    "PVOIL": 1,
    "PVC": 1,
}
AN = ("PVGAS-0012", "Nguyễn Văn An", 60)
BINH = ("PVGAS-0044", "Trần Thị Bình", 40)


def named(key: str, unit: str, title: str, member: str, name: str, phase: str = "dot-2") -> Any:
    return initiative(key, unit, phase=phase, title=title, authors=[(member, name, 100)])


NAMED = [  # (initiative, score): authors of recognised initiatives, counted in the figures above
    (
        initiative(
            "may-nen",
            "PVGAS-KCM",
            title="Tối ưu vận hành máy nén khí",
            authors=[AN, BINH],
            benefit=1_200_000_000,
        ),
        9.1,
    ),
    (named("xuc-tac", "BSR", "Tái sinh xúc tác RFCC", "BSR-0301", "Lê Văn Cường"), 8.7),
    (named("gian", "PVC", "Lắp dựng khối thượng tầng", "PVC-0101", "Phạm Thị Dung"), 9.5),
    (named("bon-be", "PVOIL", "Quản lý bồn bể", "PVOIL-0007", "Hoàng Văn Em"), 7.4),
    (named("khoan", "PVD", "Giàn khoan tự nâng", "PVD-0020", "Võ Thị Giang", "dot-1"), 8.0),
]


def scenario() -> list[EventData]:
    events: list[EventData] = [*units(TREE)]
    named_units = [i.unit_code for i, _ in NAMED]
    for event, score in NAMED:
        events += [event, recognised(event, score)]
    for unit, count in SUBMITTED.items():
        to_recognise = RECOGNISED.get(unit, 0) - named_units.count(unit)
        for n in range(count - named_units.count(unit)):
            submitted = initiative(f"{unit}-{n}", unit, phase="dot-1" if n % 2 else "dot-2")
            events.append(submitted)
            if n < to_recognise:
                events.append(recognised(submitted, 7.0))
    for n in range(7):  # withdrawn: submitted, even recognised, never counted
        submitted = initiative(f"PVD-withdrawn-{n}", "PVD")
        events += [withdrawn(submitted), submitted, recognised(submitted, 9.9)]
    for code in [row[0] for row in TREE[1:]]:
        if code not in ("PVC", "PVI"):  # PVC and PVI never registered; PVD did in phase 2
            events.append(registration(code, "dot-2" if code == "PVD" else "dot-1"))
        full = dict.fromkeys(FIGURES, 100.0)
        if code == "PVI":  # nor did PVI report
            continue
        if code == "PVTRANS":  # filed twice: the later report, without target 4, stands
            events.append(report(code, full, on=date(2023, 1, 8)))
            full = {**full, "assigned-targets-met": 0.0}
            events.append(report(code, full, on=date(2023, 1, 9)))
        elif code == "PVGAS-KVT":  # only the congress figure
            events.append(report(code, {FIGURES[3]: 100.0}))
        elif code == "PETROSETCO":
            events.append(report(code, full, on=date(2023, 1, 12), late=True))
        else:
            events.append(report(code, full))
            events.append(report(code, {}, kind="plan", on=date(2022, 7, 15)))
    events += complaint("PTSC", date(2022, 8, 1), resolved=date(2022, 9, 20))  # resolved late
    events += complaint("VSP-XNKT", date(2022, 11, 1))  # unresolved since 1 December
    events += complaint("PVGAS", date(2022, 10, 1), resolved=date(2022, 10, 20))  # in time
    events += complaint("BSR", date(2022, 12, 20))  # open, but due only on 19 January
    return events


def by_rule(proposals: list[AwardProposal], rule: str) -> list[str]:
    return [p.recipient_id for p in proposals if p.rule_code == rule]
