"""The clients: stories of officers, councils and an admin, each a sequence of HTTP calls,
and the ledger of what every call was told.

A call is retried on what does not answer it (connection refused or reset, a time-out, a
5xx) with the same body and the same Idempotency-Key, as a careful client would, until it
gets an answer or its deadline passes. Its outcome is what the client may rely on:
`acked` (a 2xx: the client was told it happened), `refused` (a 4xx to a request that had
never been lost on the way: it did not happen), `unknown` (no answer in time, or a 4xx after
an attempt whose fate was never known: a retry of a withdrawal that had happened is a 409).
"""

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx

from services.submissions.demo import token
from shared.auth import Role
from tests.chaos.stack import ADMIN

REVIEWERS = tuple(f"CHAOS-HD-{n}" for n in range(1, 7))
SCORES = ("novelty", "applicability", "effectiveness", "scope")


class Outcome(StrEnum):
    ACKED = "acked"
    REFUSED = "refused"
    UNKNOWN = "unknown"


@dataclass
class Call:
    kind: str
    outcome: Outcome
    status: int | None
    body: Any
    attempts: int
    detail: dict[str, Any] = field(default_factory=dict)
    lost_on_the_way: bool = False  # an attempt was sent and its answer never came

    @property
    def acked(self) -> bool:
        return self.outcome is Outcome.ACKED

    @property
    def refused(self) -> bool:
        return self.outcome is Outcome.REFUSED


class Gate:
    """Spreads the faults over the load: fault j starts once the clients have issued
    thresholds[j] calls, and no call past thresholds[j + 1] is issued before fault j is over,
    so every fault happens while clients are calling, however fast either side runs."""

    def __init__(self, total: int, faults: int) -> None:
        self.total = total
        self.thresholds = [round((j + 1) * total / (faults + 1)) for j in range(faults)]
        self.issued = 0
        self.faults_done = 0
        self._changed = asyncio.Condition()

    async def enter(self) -> None:
        async with self._changed:
            number = self.issued
            self.issued += 1
            self._changed.notify_all()
            required = sum(1 for t in self.thresholds if t <= number) - 1
            await self._changed.wait_for(lambda: self.faults_done >= required)

    async def skip(self, calls: int) -> None:
        """Calls a story planned and will not make (it ended early): counted as issued, so
        the thresholds the faults wait for are still reached."""
        for _ in range(calls):
            await self.enter()

    async def reached(self, fault: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.issued >= self.thresholds[fault])

    async def fault_over(self) -> None:
        async with self._changed:
            self.faults_done += 1
            self._changed.notify_all()


@dataclass
class Client:
    http: httpx.AsyncClient
    gate: Gate
    run_id: str
    deadline: float  # seconds a call keeps retrying
    services: dict[str, str] = field(default_factory=dict)  # base URL → service name
    calls: int = 0
    # Requests awaiting their answer, by service: a kill is aimed at a moment when a service
    # has one, so that some answers are lost after (or before) their commit.
    in_flight: Counter[str] = field(default_factory=Counter)

    async def call(
        self,
        kind: str,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Any = None,
        **detail: Any,
    ) -> Call:
        await self.gate.enter()
        self.calls += 1
        key = f"chaos-{self.run_id}-{self.calls}-{random.getrandbits(32):08x}"
        service = next((n for base, n in self.services.items() if url.startswith(base)), "")
        started, attempts, lost, pause = time.monotonic(), 0, False, 0.3
        status: int | None = None
        while True:
            attempts += 1
            self.in_flight[service] += 1
            try:
                response = await self.http.request(
                    method, url, json=body, headers={**headers, "Idempotency-Key": key}
                )
            except (httpx.ConnectError, httpx.ConnectTimeout):
                pass  # never reached a server: nothing happened
            except httpx.TransportError:
                lost = True  # sent, and the answer lost: it may have happened
            else:
                status = response.status_code
                payload = _json(response)
                if status < 300:
                    return Call(kind, Outcome.ACKED, status, payload, attempts, detail, lost)
                if status < 500:
                    outcome = Outcome.UNKNOWN if lost else Outcome.REFUSED
                    return Call(kind, outcome, status, payload, attempts, detail, lost)
                lost = True  # a 5xx does not say whether it committed
            finally:
                self.in_flight[service] -= 1
            if time.monotonic() - started > self.deadline:
                return Call(kind, Outcome.UNKNOWN, status, None, attempts, detail, lost)
            await asyncio.sleep(pause)
            pause = min(pause * 1.6, 3.0)

    async def get(self, url: str, headers: dict[str, str] = ADMIN) -> Any:
        """A read, outside the count of calls: None on anything but a 200."""
        try:
            response = await self.http.get(url, headers=headers)
        except httpx.TransportError:
            return None
        return _json(response) if response.status_code == 200 else None


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


@dataclass
class Urls:
    submissions: str
    scoring: str


class Story:
    """One actor's sequence of calls; `planned` of them at most, the calls it made kept."""

    planned = 1

    def __init__(self, number: int) -> None:
        self.number = number
        self.calls: list[Call] = []

    async def run(self, client: Client, urls: Urls) -> None:
        raise NotImplementedError

    async def send(self, client: Client, *request: Any, **detail: Any) -> Call:
        """`client.call(*request, **detail)` (kind, method, URL, headers, body), kept among
        this story's calls."""
        call = await client.call(*request, **detail)
        self.calls.append(call)
        return call

    def of(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]


def officer(unit: str) -> dict[str, str]:
    return token(f"{unit}-CB01", unit, Role.UNIT_OFFICER)


class InitiativeStory(Story):
    """An officer submits a member's initiative and amends it; then it is withdrawn, or a
    council is seated and its three members score it, or it is left waiting."""

    def __init__(self, number: int, rng: random.Random, unit: str, run_id: str) -> None:
        super().__init__(number)
        self.unit = unit
        # One author per story, unique to the run: every row and message of this initiative
        # is found by it, whatever ids the server gave.
        self.member = f"CHM-{run_id}-{number:06d}"
        self.amendments = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
        self.ending = rng.choices(("withdraw", "review", "none"), weights=(15, 45, 40))[0]
        self.votes = [rng.random() < 0.8 for _ in range(3)]
        self.marks = [rng.randint(4, 10) for _ in range(3)]
        self.benefit = rng.randint(1, 500) * 10_000_000
        self.planned = 1 + self.amendments + {"withdraw": 1, "review": 4, "none": 0}[self.ending]
        self.initiative_id: str | None = None

    def title(self, version: int) -> str:
        return f"Sáng kiến thử chịu lỗi số {self.number} (bản {version})"

    async def run(self, client: Client, urls: Urls) -> None:
        done = await self._run(client, urls)
        await client.gate.skip(self.planned - done)

    async def _run(self, client: Client, urls: Urls) -> int:
        submitted = await self.send(
            client,
            "initiative",
            "POST",
            f"{urls.submissions}/api/v1/initiatives",
            officer(self.unit),
            {
                "title": self.title(0),
                "unit_code": self.unit,
                "field": "technical",
                "problem": "Tiêu hao năng lượng cao hơn định mức ở khâu vận hành.",
                "solution": "Điều chỉnh chế độ vận hành theo tải thực tế, có giám sát.",
                "authors": [
                    {
                        "member_id": self.member,
                        "full_name": "Nguyễn Văn An",
                        "share_percent": 100,
                    }
                ],
                "first_applied_on": "2022-03-01",
                "expected_benefit_vnd": self.benefit,
                "received_on": "2022-05-20",
            },
            member=self.member,
        )
        if not submitted.acked:
            return 1
        self.initiative_id = str(submitted.body["id"])
        path = f"{urls.submissions}/api/v1/initiatives/{self.initiative_id}"
        for version in range(1, self.amendments + 1):
            await self.send(
                client,
                "amend",
                "PATCH",
                path,
                officer(self.unit),
                {"title": self.title(version), "expected_benefit_vnd": self.benefit + version},
                title=self.title(version),
            )
        done = 1 + self.amendments
        if self.ending == "withdraw":
            await self.send(client, "withdraw", "POST", f"{path}/withdraw", officer(self.unit))
            return done + 1
        if self.ending == "review":
            return done + await self._review(client, urls)
        return done

    async def _review(self, client: Client, urls: Urls) -> int:
        review = f"{urls.scoring}/api/v1/reviews/{self.initiative_id}"
        # A council is seated on what scoring has heard of: wait for the event to reach it
        # (faults may hold it up for a while).
        waited = time.monotonic()
        while await client.get(review) is None:
            if time.monotonic() - waited > client.deadline:
                return 0
            await asyncio.sleep(1.0)
        pool = list(REVIEWERS)
        random.Random(self.number).shuffle(pool)
        assigned = await self.send(
            client,
            "assign",
            "POST",
            f"{urls.scoring}/api/v1/reviews/assign",
            ADMIN,
            {"initiative_ids": [self.initiative_id], "reviewer_ids": pool[:3]},
        )
        if assigned.refused:
            return 1
        council: list[str] = []
        if assigned.acked and isinstance(assigned.body, list) and assigned.body:
            council = list(assigned.body[0]["council"])
        while not council and time.monotonic() - waited < 2 * client.deadline:
            seated = await client.get(review)
            council = list(seated["council"]) if isinstance(seated, dict) else []
            if not council and isinstance(seated, dict):
                break  # scoring answers and no council sits: the assignment did not happen
            await asyncio.sleep(0 if council else 1.0)
        if not council:
            return 1
        for reviewer, vote, mark in zip(council, self.votes, self.marks, strict=False):
            await self.send(
                client,
                "score",
                "POST",
                f"{review}/scores",
                token(reviewer, "CDDKVN", Role.REVIEWER),
                {"scores": dict.fromkeys(SCORES, mark), "vote_for": vote},
                reviewer=reviewer,
            )
        return 1 + min(len(council), 3)


class RegistrationStory(Story):
    """A unit's officer drafts its registration for phase 1 and submits it; the federation
    approves it."""

    planned = 3

    def __init__(self, number: int, unit: str) -> None:
        super().__init__(number)
        self.unit = unit

    async def run(self, client: Client, urls: Urls) -> None:
        base = f"{urls.submissions}/api/v1/registrations"
        drafted = await self.send(
            client,
            "register",
            "POST",
            base,
            officer(self.unit),
            {
                "phase_code": "dot-1",
                "unit_code": self.unit,
                "movement_codes": ["lao-dong-gioi-sang-tao", "01-trieu-sang-kien"],
                "commitments": [
                    {
                        "movement_code": "01-trieu-sang-kien",
                        "text": f"Mỗi tổ có ít nhất một sáng kiến ({self.unit})",
                    }
                ],
            },
        )
        if not drafted.acked:
            await client.gate.skip(2)
            return
        registration = f"{base}/{drafted.body['id']}"
        submitted = await self.send(
            client, "register-submit", "POST", f"{registration}/submit", officer(self.unit)
        )
        if submitted.refused:
            await client.gate.skip(1)
            return
        await self.send(client, "register-approve", "POST", f"{registration}/approve", ADMIN)


class FilingStory(Story):
    """A unit's officer files one thing (`call_kind`) by one POST to submissions' `path`."""

    call_kind = ""
    path = ""

    def __init__(self, number: int, unit: str) -> None:
        super().__init__(number)
        self.unit = unit

    def body(self) -> dict[str, Any]:
        raise NotImplementedError

    def detail(self) -> dict[str, str]:
        """What the call is found by, beside its answer."""
        return {}

    async def run(self, client: Client, urls: Urls) -> None:
        url = f"{urls.submissions}{self.path}"
        await self.send(
            client, self.call_kind, "POST", url, officer(self.unit), self.body(), **self.detail()
        )


class ReportStory(FilingStory):
    """A unit's officer files its plan or its results for phase 1, keyed in from paper."""

    call_kind, path = "report", "/api/v1/reports"

    def __init__(self, number: int, unit: str, kind: str) -> None:
        super().__init__(number, unit)
        self.kind = kind

    def body(self) -> dict[str, Any]:
        return {
            "phase_code": "dot-1",
            "unit_code": self.unit,
            "kind": self.kind,
            "summary": f"Báo cáo thử chịu lỗi của {self.unit} ({self.kind}).",
            "filed_on": "2022-01-05" if self.kind == "plan" else "2022-06-28",
        }

    def detail(self) -> dict[str, str]:
        return {"unit": self.unit, "report_kind": self.kind}


class ComplaintStory(FilingStory):
    call_kind, path = "complaint", "/api/v1/complaints"

    def __init__(self, number: int, unit: str, run_id: str) -> None:
        super().__init__(number, unit)
        self.mark = f"CHC-{run_id}-{number:06d}"  # in the summary: found by it in the database

    def body(self) -> dict[str, Any]:
        summary = f"Đơn thư thử chịu lỗi {self.mark}"
        return {"unit_code": self.unit, "summary": summary, "received_on": "2022-03-15"}

    def detail(self) -> dict[str, str]:
        return {"mark": self.mark}


class CloseStory(Story):
    """The federation closes phase 1 (its sơ kết), late in the load."""

    async def run(self, client: Client, urls: Urls) -> None:
        await self.send(
            client,
            "close",
            "POST",
            f"{urls.submissions}/api/v1/campaigns/2022/phases/dot-1/close",
            ADMIN,
            {"closed_on": "2022-07-15"},
        )


def plan(size: int, seed: int, run_id: str) -> tuple[list[Story], list[str]]:
    """About `size` calls in stories, and the units they act for. Phase 1 closes after about
    nine tenths of them; complaints (not tied to a phase) make up the rest."""
    rng = random.Random(seed)
    units = [f"CHAOS-{run_id.upper()}-{n:05d}" for n in range(max(4, size // 20))]
    free_units = list(units)  # each registers once
    report_slots = [(u, k) for u in units for k in ("plan", "result")]
    rng.shuffle(report_slots)
    stories: list[Story] = []
    planned = 0

    def add(story: Story) -> None:
        nonlocal planned
        stories.append(story)
        planned += story.planned

    makers: list[tuple[float, Callable[[int], Story | None]]] = [
        (0.55, lambda n: InitiativeStory(n, rng, rng.choice(units), run_id)),
        (0.12, lambda n: RegistrationStory(n, free_units.pop()) if free_units else None),
        (0.15, lambda n: ReportStory(n, *report_slots.pop()) if report_slots else None),
        (0.18, lambda n: ComplaintStory(n, rng.choice(units), run_id)),
    ]
    while planned < size * 0.9:
        maker = rng.choices([m for _, m in makers], weights=[w for w, _ in makers])[0]
        story = maker(len(stories)) or InitiativeStory(len(stories), rng, rng.choice(units), run_id)
        add(story)
    add(CloseStory(len(stories)))
    while planned < size:
        add(ComplaintStory(len(stories), rng.choice(units), run_id))
    return stories, units


async def run_stories(
    stories: list[Story], client: Client, urls: Urls, workers: int, progress: Callable[[], None]
) -> None:
    queue: asyncio.Queue[Story] = asyncio.Queue()
    for story in stories:
        queue.put_nowait(story)

    async def worker() -> None:
        while not queue.empty():
            story = queue.get_nowait()
            await story.run(client, urls)
            progress()

    await asyncio.gather(*(worker() for _ in range(workers)))
