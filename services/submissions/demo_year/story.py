"""The demo year as data: what happens on which day of 2022, decided from a seed before anything
is sent, so the same seed and size always tell the same story (and a test can read it).

The calendar: plan 46/KH-CĐDK is published on 16/02/2022 and phase 1 opened; units register in
the following weeks (three are returned and resubmitted, two affiliated unions never register);
initiatives arrive every working day, more before the mid-year review and in autumn, and each
affiliated union's officer keys in its units' paper files twice a month with the day each came
in; councils sit twice a month on what came in two to five weeks earlier (a few returned to
their authors, most of them completed and resubmitted, some not recognised); result reports
come in around the deadline of 10/07 (some late); phase 1 closes on 15/07 with its sơ kết, a
week later its award proposals are confirmed but one, rejected; phase 2's plans are keyed in,
complaint cases come and go (one left overdue); in November the affiliated unions send their
ten-month results, and the story stops "as of" a day (default 15/11/2022).
"""

import csv
import dataclasses
import functools
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from random import Random
from typing import Any, Literal

from services.submissions.demo_year import words
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.campaign.progress import (
    UnitFigures,
    emulation_points,
    overdue_within,
    unit_standings,
)

SIZES = {"full": 2400, "small": 100}
AS_OF = date(2022, 11, 15)
PUBLISHED_ON = date(2022, 2, 16)  # the plan's own date
PHASE_1_END = date(2022, 6, 30)
PHASE_1_CLOSED_ON = date(2022, 7, 15)  # the sơ kết, after the reports' deadline of 10/07
AWARDS_DECIDED_ON = date(2022, 7, 22)
RESULTS_DUE = date(2022, 7, 10)

# How busy each affiliated union is (its share of the year's initiatives): the producing
# companies most, the offices least. Unequal on purpose: the league table has a clear top.
WEIGHTS = {
    "VSP": 15, "PVGAS": 12, "BSR": 11, "PTSC": 10, "PVD": 8, "PVPOWER": 8, "PVEP": 7,
    "PVFCCO": 7, "PVCFC": 6, "PVOIL": 6, "PVTRANS": 4, "PVC": 4, "VPI": 4, "BDPOC": 3,
    "PETROSETCO": 3, "PVI": 2, "CQTD": 2, "PVU": 2,
}  # fmt: skip
NEVER_REGISTERING = ("PETROSETCO", "PVU")
REGISTRATION_RETURNED = ("PVOIL", "PVC", "PVFCCO-DPM")
LATE_RESULTS = ("PVC", "PVI", "CQTD")
# Their ten-month reports say the targets assigned for 2022 are not met (target 4 lags).
TARGETS_BEHIND = ("PVTRANS", "PVC")
OVERDUE_COMPLAINT_UNIT = "PVTRANS"
MOVEMENTS = (
    "lao-dong-gioi-sang-tao",
    "01-trieu-sang-kien",
    "xanh-sach-dep-an-toan-ve-sinh-lao-dong",
    "gioi-viec-nuoc-dam-viec-nha",
    "du-an-cong-trinh-trong-diem",
    "van-hoa-cong-so",
)
# Initiatives received per month, relative: Tết in February, a push before the mid-year
# review, another in autumn.
MONTH_WEIGHTS = {1: 6, 2: 4, 3: 9, 4: 10, 5: 12, 6: 14, 7: 8, 8: 9, 9: 10, 10: 13, 11: 12, 12: 8}
HOLIDAYS = frozenset(
    [date(2022, 1, 1), date(2022, 4, 11), date(2022, 9, 1), date(2022, 9, 2)]
    + [date(2022, 1, 29) + timedelta(days=n) for n in range(9)]  # Tết Nhâm Dần
    + [date(2022, 4, 30) + timedelta(days=n) for n in range(4)]
)
FIELDS = (
    ("technical", 38),
    ("management", 16),
    ("occupational_safety", 14),
    ("environment", 9),
    ("digital_transformation", 17),
    ("other", 6),
)
REVIEWERS = tuple(f"CDDKVN-01{n:02d}" for n in range(1, 13))
RESULT_FIGURES = (
    "activities-implemented",
    "action-programme-22-concretised",
    "assigned-targets-met",
    "congress-resolution-met-and-congress-prepared",
)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str
    level: str
    affiliated: str  # the affiliated union it belongs to (itself, for one)


@dataclass(frozen=True)
class Author:
    member_id: str
    full_name: str
    share_percent: int


@dataclass(frozen=True)
class Scorecard:
    scores: dict[str, float]
    vote_for: bool


@dataclass
class Initiative:
    key: str  # the player's name for it until the API gives it an id
    unit: Unit
    phase: str
    title: str
    field: str
    problem: str
    solution: str
    novelty: str
    authors: list[Author]
    received_on: date
    first_applied_on: date
    expected_benefit_vnd: int | None
    other_benefits: str | None
    confidential: bool
    quality: float  # what its council will think of it, 0-10
    sitting: date | None = None  # when a council decides (or returns) it; None: not by AS_OF
    returned: str | None = None  # the council's reason, at `sitting`
    resubmitted_on: date | None = None  # completed by its authors after the return
    second_sitting: date | None = None  # round 2's decision
    withdrawn_on: date | None = None
    seated_only: int | None = None  # a council seated by AS_OF that has given this many scores
    cards: list[Scorecard] = dataclasses.field(default_factory=list)

    def row(self) -> dict[str, str]:
        """Its line in the officer's import sheet."""
        return {
            "title": self.title,
            "unit_code": self.unit.code,
            "field": self.field,
            "problem": self.problem,
            "solution": self.solution,
            "novelty": self.novelty,
            "first_applied_on": self.first_applied_on.isoformat(),
            "expected_benefit_vnd": str(self.expected_benefit_vnd or ""),
            "other_benefits": self.other_benefits or "",
            "confidential": "Có" if self.confidential else "Không",
            "authors": "; ".join(
                f"{a.member_id}: {a.full_name}: {a.share_percent}%" for a in self.authors
            ),
            "received_on": self.received_on.isoformat(),
        }


Kind = Literal[
    "publish",
    "register",
    "return_registration",
    "resubmit_registration",
    "approve_registrations",
    "import",
    "withdraw",
    "sit",
    "seat",
    "resubmit",
    "report",
    "complaint",
    "resolve",
    "close_phase_1",
    "decide_awards",
]


@dataclass(frozen=True)
class Act:
    kind: Kind
    units: tuple[str, ...] = ()
    initiatives: tuple[str, ...] = ()
    report: "Report | None" = None
    complaint: "Complaint | None" = None


@dataclass(frozen=True)
class Report:
    unit: str
    phase: str
    kind: Literal["plan", "result"]
    filed_on: date
    figures: dict[str, float]
    summary: str

    def filing(self) -> dict[str, Any]:
        """The body its unit's officer files it with, as the portal sends `POST /api/v1/reports`:
        the API's field names, the filing day in ISO 8601."""
        return {
            "phase_code": self.phase,
            "unit_code": self.unit,
            "kind": self.kind,
            "figures": self.figures,
            "summary": self.summary,
            "filed_on": self.filed_on.isoformat(),
        }


@dataclass(frozen=True)
class Complaint:
    key: str
    unit: str
    summary: str
    received_on: date
    resolved_on: date | None

    def receipt(self) -> dict[str, str]:
        """The body its unit's officer records it with."""
        return {
            "unit_code": self.unit,
            "summary": self.summary,
            "received_on": self.received_on.isoformat(),
        }


@dataclass
class Step:
    day: date
    acts: list[Act] = dataclasses.field(default_factory=list)


@dataclass
class Year:
    """The demo's whole year, made from a seed before anything is sent: the union tree, the
    initiatives, complaints and reports, and the days on which each act is played."""

    seed: int
    size: str
    as_of: date
    units: dict[str, Unit]
    initiatives: dict[str, Initiative]
    complaints: list[Complaint]
    steps: list[Step]
    reports: list[Report] = dataclasses.field(default_factory=list)

    def registering(self) -> list[str]:
        """The unions that register for phase 1: every affiliated and grassroots one but two."""
        return [
            c
            for c, u in self.units.items()
            if u.level in ("affiliated", "grassroots") and c not in NEVER
        ]

    def decided(self) -> list[Initiative]:
        return [i for i in self.initiatives.values() if i.sitting and not i.returned]


NEVER = frozenset(NEVER_REGISTERING)


def read_units(path: Path) -> dict[str, Unit]:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    parents = {r["code"]: r["parent_code"] for r in rows}

    def affiliated(code: str) -> str:
        while parents.get(code) and parents[code] != "CDDKVN":
            code = parents[code]
        return code

    return {
        r["code"]: Unit(r["code"], r["name"], r["parent_code"], r["level"], affiliated(r["code"]))
        for r in rows
    }


def working_days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in HOLIDAYS:
            yield day
        day += timedelta(days=1)


def step_days(as_of: date) -> list[date]:
    """The days the story moves to: the registration weeks, then the 15th and the last day of
    each month (when officers key in and councils sit), the close and the awards, and as_of."""
    days = {PUBLISHED_ON, date(2022, 2, 23), date(2022, 3, 2), date(2022, 3, 9)}
    for month in range(2, 13):
        days.add(date(2022, month, 15))
        last = date(2022, month + 1, 1) - timedelta(days=1) if month < 12 else date(2022, 12, 31)
        days.add(last)
    days |= {PHASE_1_CLOSED_ON, AWARDS_DECIDED_ON, as_of}
    return sorted(d for d in days if PUBLISHED_ON <= d <= as_of)


def plan_year(
    units_file: Path, *, size: str = "full", seed: int = 2022, as_of: date = AS_OF
) -> Year:
    if not date(2022, 8, 1) <= as_of <= date(2022, 12, 31):
        raise ValueError("the demo year stops between 01/08/2022 and 31/12/2022")
    count = SIZES[size]
    rng = Random(f"{seed}/{size}")
    units = read_units(units_file)
    initiatives = _initiatives(rng, units, count, as_of)
    steps = {day: Step(day) for day in step_days(as_of)}
    days = sorted(steps)

    def on_or_after(day: date) -> Step:
        return steps[next(d for d in days if d >= day)]

    _registrations(rng, units, steps)
    _councils(rng, initiatives, days, as_of)
    for initiative in initiatives.values():
        # Keyed in at the first step on or after the day it came in (phase 2's first weeks
        # once phase 2 is open, after the close).
        keyed = on_or_after(max(initiative.received_on, PUBLISHED_ON + timedelta(days=12)))
        if initiative.phase == "dot-2" and keyed.day < PHASE_1_CLOSED_ON:
            keyed = steps[PHASE_1_CLOSED_ON]
        _add(keyed, "import", initiative.key)
        if initiative.withdrawn_on:
            withdrawal = on_or_after(max(initiative.withdrawn_on, keyed.day))
            if initiative.phase == "dot-1" and withdrawal.day >= PHASE_1_CLOSED_ON:
                withdrawal = keyed  # a first submission is withdrawn while its phase is open
            _add(withdrawal, "withdraw", initiative.key)
        if initiative.sitting:
            _add(steps[initiative.sitting], "sit", initiative.key)
        if initiative.resubmitted_on:
            _add(steps[initiative.resubmitted_on], "resubmit", initiative.key)
        if initiative.second_sitting:
            _add(steps[initiative.second_sitting], "sit", initiative.key)
        if initiative.seated_only is not None:
            _add(steps[as_of], "seat", initiative.key)
    reports = _reports(rng, units, as_of)
    for report in reports:
        # A paper report is keyed in at the first step after it was filed, while its phase
        # takes entries (phase 1's before the close, the close's own day included).
        day = report.filed_on
        if report.phase == "dot-2":
            day = max(day, PHASE_1_CLOSED_ON)
        on_or_after(day).acts.append(Act("report", report=report))
    complaints = _complaints(rng, units, as_of)
    for complaint in complaints:
        on_or_after(complaint.received_on).acts.append(Act("complaint", complaint=complaint))
        if complaint.resolved_on:
            on_or_after(complaint.resolved_on).acts.append(Act("resolve", complaint=complaint))
    steps[PHASE_1_CLOSED_ON].acts.append(Act("close_phase_1"))
    steps[AWARDS_DECIDED_ON].acts.append(Act("decide_awards"))
    steps[PUBLISHED_ON].acts.insert(0, Act("publish"))
    year = Year(seed, size, as_of, units, initiatives, complaints, [steps[d] for d in days])
    year.reports = reports
    for phase in ("dot-1", "dot-2"):
        _one_leader(year, phase)
    return year


def acts_in_order(step: Step) -> list[Act]:
    """A step's acts as its day goes. Councils sit on what has been keyed in (the same
    day's files included); on the day of the sơ kết, phase 1's last results and sittings come
    before the close, phase 2's plans and files after it, once phase 2 is open."""
    merged: dict[Kind, list[str]] = {}
    single: list[Act] = []
    for act in step.acts:
        if act.kind in ("import", "withdraw", "sit", "resubmit", "seat"):
            merged.setdefault(act.kind, []).extend(act.initiatives)
        else:
            single.append(act)
    batches = {kind: Act(kind, initiatives=tuple(keys)) for kind, keys in merged.items()}

    def of(*kinds: Kind, phase: str | None = None) -> list[Act]:
        found = [a for a in single if a.kind in kinds]
        found += [batches[k] for k in kinds if k in batches]
        if phase is not None:
            found = [a for a in found if a.report is None or a.report.phase == phase]
        return found

    start = of("publish", "register", "return_registration", "resubmit_registration")
    start += of("approve_registrations") + of("complaint") + of("resolve")
    end = of("resubmit") + of("seat") + of("decide_awards")
    if any(a.kind == "close_phase_1" for a in single):
        return (
            start
            + of("report", phase="dot-1")
            + of("sit")
            + of("close_phase_1")
            + of("report", phase="dot-2")
            + of("import")
            + of("withdraw")
            + end
        )
    return start + of("report") + of("import") + of("withdraw") + of("sit") + end


def _add(step: Step, kind: Kind, key: str) -> None:
    step.acts.append(Act(kind, initiatives=(key,)))


def _initiatives(
    rng: Random, units: dict[str, Unit], count: int, as_of: date
) -> dict[str, Initiative]:
    calendar = list(working_days(date(2022, 1, 1), as_of))
    by_month = Counter(d.month for d in calendar)
    day_weights = [MONTH_WEIGHTS[d.month] / by_month[d.month] for d in calendar]
    below = {a: [u for u in units.values() if u.affiliated == a and u.code != a] for a in WEIGHTS}
    people: dict[str, list[tuple[str, str]]] = {}  # affiliated -> its authors (id, name)
    titles: set[str] = set()
    made: dict[str, Initiative] = {}
    received = sorted(rng.choices(calendar, weights=day_weights, k=count))
    for number, day in enumerate(received, start=1):
        affiliated = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        children = below[affiliated]
        unit = units[affiliated] if not children or rng.random() < 0.3 else rng.choice(children)
        kind = rng.choices([f for f, _ in FIELDS], weights=[w for _, w in FIELDS])[0]
        title = ""
        while not title or title in titles:
            values = words.blanks(rng, affiliated)
            title = rng.choice(words.TITLES[kind]).format(**values)
            if title in titles and rng.random() < 0.5:  # the same idea again, a new stage of it
                title += f" (giai đoạn {rng.randint(2, 3)})"
        titles.add(title)
        monetary = kind in ("technical", "environment", "digital_transformation") or (
            rng.random() < 0.5
        )
        benefit = None
        if monetary:
            # Log-normal around 400 million đồng: tens of millions to tens of billions.
            amount = math.exp(rng.gauss(math.log(4e8), 1.3))
            benefit = int(min(max(amount, 2e7), 6e10) // 1_000_000 * 1_000_000)
        phase = "dot-1" if day <= PHASE_1_END else "dot-2"
        start = date(2022, 1, 1) if phase == "dot-1" else date(2022, 7, 1)
        applied = start + timedelta(days=rng.randint(0, max(0, (day - start).days)))
        # A few excellent ones each month, so phase 1 has its awards in every size.
        quality = 9.2 if number % 23 == 0 else min(9.6, max(3.5, rng.gauss(7.3, 1.0)))
        made[f"I{number:04d}"] = Initiative(
            key=f"I{number:04d}",
            unit=unit,
            phase=phase,
            title=title,
            field=kind,
            problem=rng.choice(words.PROBLEMS[kind]).format(**values),
            solution=rng.choice(words.SOLUTIONS[kind]).format(**values),
            novelty="Lần đầu áp dụng tại đơn vị.",
            authors=_authors(rng, people.setdefault(affiliated, []), affiliated),
            received_on=day,
            first_applied_on=min(applied, day),
            expected_benefit_vnd=benefit,
            other_benefits=None if monetary else rng.choice(words.OTHER_BENEFITS),
            confidential=number % 47 == 11,
            quality=quality,
        )
    return made


def _authors(rng: Random, people: list[tuple[str, str]], affiliated: str) -> list[Author]:
    """One to four authors (an author and up to three co-authors), often people who have
    authored before; the first author holds the largest share."""
    count = rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0]
    chosen: list[tuple[str, str]] = []
    while len(chosen) < count:
        if people and rng.random() < 0.35:
            person = rng.choice(people)
        else:
            person = (f"{affiliated}-{len(people) + 1001:04d}", words.person_name(rng))
            people.append(person)
        if person not in chosen:
            chosen.append(person)
    if count == 1:
        shares = [100]
    else:
        first = rng.choice([40, 50, 60, 70])
        rest = [1 + rng.random() for _ in range(count - 1)]
        shares = [first] + [max(1, round((100 - first) * r / sum(rest))) for r in rest]
        shares[0] += 100 - sum(shares)
    return [Author(i, n, s) for (i, n), s in zip(chosen, shares, strict=True)]


def _councils(
    rng: Random, initiatives: dict[str, Initiative], days: list[date], as_of: date
) -> None:
    """When each initiative's council sits, what it decides and what each member thinks."""
    sittings = [
        d
        for d in days
        if d.day in (15, 30, 31) or d == PHASE_1_CLOSED_ON or (d.month == 2 and d.day == 28)
    ]
    sittings = sorted(set(sittings) | {as_of})
    for initiative in initiatives.values():
        lag = timedelta(days=rng.randint(14, 35))
        due = initiative.received_on + lag
        if initiative.phase == "dot-1":
            due = min(due, PHASE_1_CLOSED_ON)  # phase 1 is decided before its sơ kết
        sitting = next((d for d in sittings if d >= due and d >= date(2022, 3, 15)), None)
        serial = int(initiative.key[1:])
        if serial % 150 == 75:
            # Withdrawn by its authors before any council sat.
            withdrawn = initiative.received_on + timedelta(days=rng.randint(10, 20))
            if withdrawn <= as_of and (sitting is None or withdrawn < sitting):
                initiative.withdrawn_on = withdrawn
                continue
        if sitting is None:
            # Not decided by as_of: waiting, or with a council seated that has begun scoring.
            seated = initiative.received_on + timedelta(days=10) <= as_of
            if seated:
                initiative.seated_only = rng.choice([0, 0, 1, 2])
                initiative.cards = _cards(rng, initiative.quality)[: initiative.seated_only]
            continue
        initiative.sitting = sitting
        returnable = sitting < as_of and (initiative.phase == "dot-2" or sitting < date(2022, 6, 1))
        if returnable and serial % 20 == 3:  # one in twenty: in every size, some
            initiative.returned = rng.choice(words.RETURN_REASONS)
            later = [d for d in days if sitting + timedelta(days=10) <= d]
            if later and serial % 60 != 43:  # most are completed and resubmitted
                initiative.resubmitted_on = later[0]
                second = [d for d in sittings if d > later[0]]
                if second:
                    initiative.second_sitting = second[0]
                    initiative.cards = _cards(rng, min(9.6, initiative.quality + 0.8))
            continue
        initiative.cards = _cards(rng, initiative.quality)


def _cards(rng: Random, quality: float) -> list[Scorecard]:
    """Three members' scorecards around the initiative's quality, in half points."""
    cards = []
    for _ in range(3):
        own = quality + rng.gauss(0, 0.4)
        scores = {
            criterion: min(10.0, max(0.0, round(2 * (own + rng.gauss(0, 0.5))) / 2))
            for criterion in ("novelty", "applicability", "effectiveness", "scope")
        }
        weighted = (
            0.30 * scores["novelty"]
            + 0.25 * scores["applicability"]
            + 0.35 * scores["effectiveness"]
            + 0.10 * scores["scope"]
        )
        cards.append(Scorecard(scores, vote_for=weighted >= 6.0))
    return cards


def _registrations(rng: Random, units: dict[str, Unit], steps: dict[date, Step]) -> None:
    """Every union registers for phase 1 in the weeks after the plan, except two affiliated
    unions; three registrations are returned for completion and come back a week later."""
    registering = [
        u.code
        for u in units.values()
        if u.level in ("affiliated", "grassroots") and u.code not in NEVER
    ]  # as Year.registering()
    early, late = registering[::2], registering[1::2]
    first, second, third, fourth = (
        steps[date(2022, 2, 23)],
        steps[date(2022, 3, 2)],
        steps[date(2022, 3, 9)],
        steps[date(2022, 3, 15)],
    )
    first.acts.append(Act("register", units=tuple(early)))
    second.acts.append(Act("register", units=tuple(late)))
    returned = tuple(c for c in REGISTRATION_RETURNED if c in early)
    second.acts.append(Act("return_registration", units=returned))
    second.acts.append(
        Act("approve_registrations", units=tuple(c for c in early if c not in returned))
    )
    third.acts.append(Act("resubmit_registration", units=returned))
    third.acts.append(Act("approve_registrations", units=tuple(late)))
    fourth.acts.append(Act("approve_registrations", units=returned))
    late_returned = tuple(c for c in REGISTRATION_RETURNED if c in late)
    if late_returned:  # returned the week they came in, back the week after
        third.acts.append(Act("return_registration", units=late_returned))
        fourth.acts.append(Act("resubmit_registration", units=late_returned))
        steps[date(2022, 3, 31)].acts.append(Act("approve_registrations", units=late_returned))
    del rng  # the registrations follow the tree, not chance


def _reports(rng: Random, units: dict[str, Unit], as_of: date) -> list[Report]:
    affiliated = [u.code for u in units.values() if u.level == "affiliated"]
    grassroots = [u.code for u in units.values() if u.level == "grassroots"]
    reports = []
    for code in affiliated + grassroots:
        if code in grassroots and rng.random() < 0.2:
            continue  # a fifth of the grassroots unions never send phase 1's results
        if code in LATE_RESULTS:
            filed = RESULTS_DUE + timedelta(days=rng.randint(1, 4))
        else:
            filed = date(2022, 6, 20) + timedelta(days=rng.randint(0, 20))
        figures = {name: float(rng.choice([90, 95, 100, 100])) for name in RESULT_FIGURES}
        reports.append(
            Report(
                code,
                "dot-1",
                "result",
                filed,
                figures,
                "Báo cáo sơ kết phong trào thi đua đợt 1 năm 2022",
            )
        )
    for code in affiliated:
        # Phase 2's plans, keyed in once it opens; due on its first day, so some are late.
        filed = date(2022, 6, 24) + timedelta(days=rng.randint(0, 14))
        reports.append(
            Report(code, "dot-2", "plan", filed, {}, "Kế hoạch thi đua đợt 2 năm 2022 của đơn vị")
        )
    if as_of >= date(2022, 11, 10):
        for code in affiliated + grassroots[::3]:
            figures = {name: float(rng.choice([80, 85, 90, 95])) for name in RESULT_FIGURES}
            if code in TARGETS_BEHIND:
                figures["assigned-targets-met"] = 0.0
            filed = date(2022, 11, 1) + timedelta(days=rng.randint(0, 8))
            reports.append(
                Report(
                    code,
                    "dot-2",
                    "result",
                    filed,
                    figures,
                    "Báo cáo kết quả thi đua 10 tháng năm 2022",
                )
            )
    return reports


def _complaints(rng: Random, units: dict[str, Unit], as_of: date) -> list[Complaint]:
    """Cases that come and are resolved in time, and one that drags on (target 5 lags)."""
    codes = [u.code for u in units.values() if u.level in ("affiliated", "grassroots")]
    cases = []
    for n in range(10):
        received = date(2022, 2, 20) + timedelta(days=rng.randint(0, 200))
        resolved = received + timedelta(days=rng.randint(5, 25))
        if resolved > as_of - timedelta(days=3):
            continue
        cases.append(
            Complaint(
                f"C{n:02d}", rng.choice(codes), rng.choice(words.COMPLAINTS), received, resolved
            )
        )
    cases.append(
        Complaint("C99", OVERDUE_COMPLAINT_UNIT, words.COMPLAINTS[2], date(2022, 9, 19), None)
    )
    return cases


CAMPAIGN_FILE = Path(__file__).resolve().parents[3] / "campaigns" / "2022.yaml"


@functools.cache
def _campaign() -> Campaign:
    return load_campaign(CAMPAIGN_FILE)


def recognised(initiative: Initiative, by: date) -> bool:
    """Whether its council has recognised it by that day, by the campaign's rule (two thirds
    of the votes and a weighted score of 6.0), worked out as scoring works it out."""
    decided_on = initiative.second_sitting if initiative.returned else initiative.sitting
    if decided_on is None or decided_on > by or len(initiative.cards) < 3:
        return False
    rules = _campaign().initiative_review
    weights = {c.code: Fraction(str(c.weight)) for c in rules.criteria}
    cards = initiative.cards
    mean = sum(
        (sum(weights[k] * Fraction(v) for k, v in c.scores.items()) for c in cards), Fraction(0)
    ) / len(cards)
    votes = sum(1 for c in cards if c.vote_for)
    return votes >= rules.council_rule.min_share_of_votes * len(cards) and mean >= Fraction(
        rules.council_rule.min_weighted_score
    )


def league(year: Year, phase: str) -> list[tuple[str, int, int]]:
    """The affiliated unions' league the services will show for the phase (at phase 1's
    close; on as_of for phase 2): (unit, points, initiatives recognised), best first, from the
    story alone, through the same rules (`shared.campaign.progress`)."""
    campaign = _campaign()
    cut = PHASE_1_CLOSED_ON if phase == "dot-1" else year.as_of
    end = PHASE_1_END if phase == "dot-1" else year.as_of
    figures = {}
    for code, unit in year.units.items():
        own = [
            i
            for i in year.initiatives.values()
            if i.unit.code == code and i.received_on <= end and not i.withdrawn_on
        ]
        results = [
            r for r in year.reports if r.unit == code and r.phase == phase and r.kind == "result"
        ]
        overdue = sum(
            1
            for c in year.complaints
            if c.unit == code
            and overdue_within(
                c.received_on + timedelta(days=30),
                c.resolved_on,
                date(2022, 1, 1),
                min(end, cut),
                cut,
            )
        )
        figures[code] = UnitFigures(
            code=code,
            name=unit.name,
            level=unit.level,
            path="".join(f"{c}/" for c in _path(year.units, code)),
            registered_movements=frozenset(MOVEMENTS)
            if unit.level in ("affiliated", "grassroots") and code not in NEVER
            else frozenset(),
            result_figures=results[-1].figures if results else None,
            submitted=len(own),
            recognised=sum(1 for i in own if recognised(i, cut)),
            overdue_cases=overdue,
        )
    standings = unit_standings(campaign, phase, figures)
    rows = [
        (s.code, emulation_points(campaign, s), s.initiatives_recognised)
        for s in standings.values()
        if year.units[s.code].level == "affiliated"
    ]
    return sorted(rows, key=lambda r: (-r[1], -r[2], r[0]))


def _path(units: dict[str, Unit], code: str) -> list[str]:
    path = [code]
    while units[path[0]].parent:
        path.insert(0, units[path[0]].parent)
    return path


def _one_leader(year: Year, phase: str) -> None:
    """A league table with one union at its top: when two tie, the first of them by code has
    one more initiative recognised (a not-recognised one of its decided by then, judged again
    by the council's members more kindly; or one of its waiting ones, decided on the day)."""
    rows = league(year, phase)
    if len(rows) < 2 or rows[0][1:] != rows[1][1:]:
        return
    leader = rows[0][0]
    cut = PHASE_1_CLOSED_ON if phase == "dot-1" else year.as_of
    mine = [
        i
        for i in year.initiatives.values()
        if i.unit.affiliated == leader and not i.withdrawn_on and not recognised(i, cut)
    ]
    decided = [i for i in mine if i.sitting and not i.returned and i.sitting <= cut]
    waiting = [i for i in mine if i.phase == phase and not i.sitting and not i.returned]
    rng = Random(f"{year.seed}/{leader}/{phase}")
    if decided:
        chosen = decided[0]
    elif waiting and phase == "dot-2":
        chosen = waiting[0]
        chosen.sitting, chosen.seated_only = year.as_of, None
        for step in year.steps:
            step.acts = [
                a for a in step.acts if not (a.kind == "seat" and chosen.key in a.initiatives)
            ]
        _add(year.steps[-1], "sit", chosen.key)
    else:
        raise ValueError(f"{leader} cannot be put ahead in {phase}'s league")
    chosen.quality = 9.0
    chosen.cards = [Scorecard(dict.fromkeys(c.scores, 9.0), True) for c in _cards(rng, 9.0)]
    if league(year, phase)[0][1:] == league(year, phase)[1][1:]:
        _one_leader(year, phase)
