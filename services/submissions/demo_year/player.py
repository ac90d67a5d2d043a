"""Plays a planned year (`story.Year`) through the services' public HTTP APIs, on the campaign's
calendar: before each step it writes the step's day into the stack's clock file, so every
service stamps what it does then (a council's decision, the close) with that day.

Nothing is written into a read model: registrations, reports, initiatives, councils and
awards go in as officers, reviewers and admins would put them, and the events they cause
build every other service's view. Officers key in each step's paper files in bulk (the
import, with the day each came in); a council's members score concurrently.

A step's acts that share nothing run at once (`stages`): while the councils sit in scoring,
the officers key in the new files in submissions and the reports come in, so the two
services work side by side instead of in turn. What depends on something (a council on
files keyed in that day, a resolution on its complaint, the close on phase 1's reports and
sittings) still waits for it. A semaphore per service bounds the requests in flight to it.
"""

import asyncio
import csv
import io
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import httpx

from services.submissions.demo import CAMPAIGN, token
from services.submissions.demo_year import story, words
from services.submissions.demo_year.story import Act, Initiative, Year
from shared.auth import Role
from shared.clock import write_day
from shared.contracts.bounds import PAGE_MAX
from shared.contracts.lifecycle import InitiativeStatus
from shared.contracts.vocabulary import PhaseStatus
from shared.formatting import format_date, format_number

ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
COUNCIL_PATIENCE = 60.0  # seconds to wait for scoring to learn of what was just keyed in


class PlayError(RuntimeError):
    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status  # the answer's HTTP status, when an answer refused the act


def officer(unit_code: str) -> dict[str, str]:
    """The officer who acts for an affiliated union and everything below it."""
    return token(f"{unit_code}-CB01", unit_code, Role.UNIT_OFFICER)


def reviewer(subject: str) -> dict[str, str]:
    return token(subject, "CDDKVN", Role.REVIEWER)


# Acts played one after another in one lane, whatever they touch: a unit's registration is
# drafted, returned, sent again and approved in turn; a complaint is resolved once it is
# opened; files are withdrawn once keyed in.
LANES: dict[str, str] = {
    "register": "registrations",
    "return_registration": "registrations",
    "resubmit_registration": "registrations",
    "approve_registrations": "registrations",
    "complaint": "cases",
    "resolve": "cases",
    "import": "keying",
    "withdraw": "keying",
}
# Acts that wait for all before them and that all after them wait for: the plan's
# publication, and the close (phase 1's reports and sittings before it, phase 2's after).
BARRIERS = frozenset({"publish", "close_phase_1"})
# The lane whose acts (each its own report) go in at once: no two are the same report.
AT_ONCE = "report"


def stages(acts: Sequence[Act]) -> list[list[list[Act]]]:
    """A step's acts (`story.acts_in_order`) as stages played one after another, each a set
    of lanes played at once, each lane's acts in their order. An act touching initiatives
    that an earlier act of the stage touches joins that act's lane, after it; one touching
    those of two lanes starts a new stage. What the stage's import keys in is not touched
    that way: an act on it (a council sitting on files keyed in that day) waits for their
    ids instead (`Player._known`), which its union's file gives first."""
    played: list[list[list[Act]]] = []
    lanes: dict[str, list[Act]] = {}
    touched: dict[str, set[str]] = {}

    def close_stage() -> None:
        # The reports go in first, all at once, a stage of their own: reporting then applies
        # them well before the step's last files and decisions, as when they were played
        # one by one ahead of them (the end of the year waits on the initiatives only).
        if AT_ONCE in lanes and len(lanes) > 1:
            played.append([lanes.pop(AT_ONCE)])
        if lanes:
            played.append(list(lanes.values()))
        lanes.clear()
        touched.clear()

    for act in acts:
        if act.kind in BARRIERS:
            close_stage()
            played.append([[act]])
            continue
        lane = LANES.get(act.kind, act.kind)
        keys = set(act.initiatives) if act.kind != "import" else set()
        sharing = {name for name, seen in touched.items() if seen & keys} - {lane}
        if len(sharing) > 1:
            close_stage()
        elif sharing:
            lane = sharing.pop()
        lanes.setdefault(lane, []).append(act)
        touched.setdefault(lane, set()).update(keys)
    close_stage()
    return played


class Player:
    def __init__(
        self,
        year: Year,
        *,
        submissions: httpx.AsyncClient,
        scoring: httpx.AsyncClient,
        reporting: httpx.AsyncClient,
        clock_file: Path,
        concurrency: int = 8,
        out: TextIO = sys.stderr,
    ) -> None:
        self.year = year
        self.submissions, self.scoring, self.reporting = submissions, scoring, reporting
        self.clock_file = clock_file
        # Requests in flight, bounded per service (by the client that reaches it).
        clients = (submissions, scoring, reporting)
        self.limits = {id(client): asyncio.Semaphore(concurrency) for client in clients}
        self.out = out
        self.ids: dict[str, str] = {}  # initiative key -> id
        # Keys an act of the stage waits for while the import keys them in -> their ids.
        self.pending: dict[str, asyncio.Future[str]] = {}
        self.registrations: dict[str, str] = {}  # unit -> registration id
        self.complaints: dict[str, str] = {}
        self.keyed = self.decided = 0
        self.started = time.monotonic()

    # --- the year --------------------------------------------------------------------------

    async def play(self) -> None:
        for step in self.year.steps:
            write_day(self.clock_file, step.day)
            for stage in stages(story.acts_in_order(step)):
                self._expect(stage)
                # The import's requests first in the queue: others may wait for its ids.
                stage.sort(key=lambda lane: lane[0].kind != "import")
                await asyncio.gather(*(self._lane(step.day, lane) for lane in stage))
                self.pending.clear()
            self._say(step.day)
        await self._settled_in_reporting()
        write_day(self.clock_file, self.year.as_of)

    def _say(self, day: date) -> None:
        total = len(self.year.initiatives)
        print(
            f"Đang nạp năm 2022: {format_date(day)} — {format_number(self.keyed)}/"
            f"{format_number(total)} sáng kiến, {format_number(self.decided)} đã có quyết định "
            "của hội đồng "
            f"({time.monotonic() - self.started:.0f} s)",
            file=self.out,
            flush=True,
        )

    def _expect(self, stage: list[list[Act]]) -> None:
        """What the stage imports that another of its lanes acts on: its ids are awaited."""
        imported = {k for lane in stage for a in lane if a.kind == "import" for k in a.initiatives}
        for lane in stage:
            if any(a.kind == "import" for a in lane):
                continue
            for key in {k for a in lane for k in a.initiatives} & imported:
                self.pending[key] = asyncio.get_running_loop().create_future()

    async def _known(self, keys: Iterable[str]) -> None:
        """Once the import has given each of these initiatives its id."""
        for key in keys:
            if key in self.pending:
                await self.pending[key]

    def _identified(self, key: str, initiative_id: str) -> None:
        self.ids[key] = initiative_id
        if key in self.pending and not self.pending[key].done():
            self.pending[key].set_result(initiative_id)

    async def _lane(self, day: date, lane: list[Act]) -> None:
        if all(act.kind == AT_ONCE for act in lane):
            await asyncio.gather(*(self._act(day, act) for act in lane))
            return
        for act in lane:
            await self._act(day, act)

    async def _act(self, day: date, act: Act) -> None:
        handlers: dict[str, Callable[[date, Act], Awaitable[None]]] = {
            "publish": self._publish,
            "register": self._register,
            "return_registration": self._return_registration,
            "resubmit_registration": self._register,
            "approve_registrations": self._approve_registrations,
            "import": self._import,
            "withdraw": self._withdraw,
            "sit": self._sit,
            "seat": self._seat,
            "resubmit": self._resubmit,
            "report": self._report,
            "complaint": self._complaint,
            "resolve": self._resolve,
            "close_phase_1": self._close_phase_1,
            "decide_awards": self._decide_awards,
        }
        await handlers[act.kind](day, act)

    # --- campaign, registrations, reports, complaints ------------------------------------------

    async def _publish(self, day: date, act: Act) -> None:
        campaign = CAMPAIGN.read_bytes()
        await self._call(
            self.submissions,
            "POST",
            "/api/v1/campaigns",
            ADMIN,
            content=campaign,
            extra={"content-type": "application/yaml"},
            ok=(201, 409),
        )
        opened = await self._call(
            self.submissions, "POST", "/api/v1/campaigns/2022/phases/dot-1/open", ADMIN
        )
        if not opened["opened_at"].startswith(day.isoformat()):
            # Opened on the machine's day: the services do not read our clock file.
            raise PlayError(
                f"phase 1 was opened at {opened['opened_at']}, not on {day}: start the services "
                f"with THIDUA_CLOCK_FILE={self.clock_file}"
            )

    def _registration(self, unit: str, with_commitments: bool) -> dict[str, Any]:
        movements = list(story.MOVEMENTS[:2]) + [
            m for n, m in enumerate(story.MOVEMENTS[2:]) if (len(unit) + n) % 3 != 0
        ]
        commitments = [
            {"movement_code": "01-trieu-sang-kien", "text": "Mỗi phòng, ban, tổ có ít nhất một "
             "sáng kiến được công nhận trong năm 2022"},
            {"movement_code": "lao-dong-gioi-sang-tao", "text": "100% đoàn viên hoàn thành "
             "nhiệm vụ, không có tai nạn lao động"},
        ]  # fmt: skip
        return {
            "phase_code": "dot-1",
            "unit_code": unit,
            "movement_codes": movements,
            "commitments": commitments if with_commitments else commitments[1:],
        }

    async def _register(self, day: date, act: Act) -> None:
        again = act.kind == "resubmit_registration"

        async def one(unit: str) -> None:
            # The first draft of a registration that will be returned lacks the commitment
            # to the initiatives programme; completed, it is sent again.
            complete = again or unit not in story.REGISTRATION_RETURNED
            drafted = await self._post_for(
                unit, "/api/v1/registrations", self._registration(unit, complete), ok=(201,)
            )
            self.registrations[unit] = drafted["id"]
            await self._post_for(unit, f"/api/v1/registrations/{drafted['id']}/submit")

        await self._each(act.units, one)

    def _approver(self, unit: str) -> dict[str, str]:
        parent = self.year.units[unit].parent
        return ADMIN if parent == "CDDKVN" else self._officer(unit)

    async def _return_registration(self, day: date, act: Act) -> None:
        def reason(unit: str) -> dict[str, str]:
            return {"reason": words.REGISTRATION_RETURN_REASONS[len(unit) % 3]}

        await self._decide_registrations(act.units, "return", reason)

    async def _approve_registrations(self, day: date, act: Act) -> None:
        await self._decide_registrations(act.units, "approve")

    async def _decide_registrations(
        self,
        units: Iterable[str],
        decision: str,
        body: Callable[[str], dict[str, str]] | None = None,
    ) -> None:
        """Each unit's registration approved or returned, by the level above the unit."""

        async def one(unit: str) -> None:
            await self._call(
                self.submissions,
                "POST",
                f"/api/v1/registrations/{self.registrations[unit]}/{decision}",
                self._approver(unit),
                json=body(unit) if body else None,
            )

        await self._each(units, one)

    async def _report(self, day: date, act: Act) -> None:
        report = act.report
        assert report is not None
        await self._post_for(report.unit, "/api/v1/reports", report.filing(), ok=(201,))

    async def _complaint(self, day: date, act: Act) -> None:
        case = act.complaint
        assert case is not None
        opened = await self._post_for(case.unit, "/api/v1/complaints", case.receipt(), ok=(201,))
        self.complaints[case.key] = opened["id"]

    async def _resolve(self, day: date, act: Act) -> None:
        case = act.complaint
        assert case is not None and case.resolved_on is not None
        await self._post_for(
            case.unit,
            f"/api/v1/complaints/{self.complaints[case.key]}/resolve",
            {"resolved_on": case.resolved_on.isoformat()},
        )

    # --- initiatives ----------------------------------------------------------------------

    async def _import(self, day: date, act: Act) -> None:
        by_union: dict[str, list[Initiative]] = defaultdict(list)
        for key in act.initiatives:
            initiative = self.year.initiatives[key]
            by_union[initiative.unit.affiliated].append(initiative)

        async def one(union: str) -> None:
            rows = by_union[union]
            sheet = io.StringIO()
            writer = csv.DictWriter(sheet, fieldnames=list(rows[0].row()))
            writer.writeheader()
            writer.writerows(initiative.row() for initiative in rows)
            acting = officer(union)
            # The key makes a retry of this very import (a lost answer) import nothing again.
            key = f"demo-year-{self.year.seed}-{self.year.size}-{day}-{union}"
            await self._call(
                self.submissions,
                "POST",
                "/api/v1/initiatives/import",
                acting,
                files={"file": (f"sang-kien-{union}-{day}.csv", sheet.getvalue().encode())},
                extra={"Idempotency-Key": key},
            )
            self.keyed += len(rows)
            if any(initiative.key in self.pending for initiative in rows):
                # Awaited by a council sitting meanwhile: the union's newest are these.
                await self._identify(rows, acting)

        # The files others wait for go in first.
        unions = sorted(by_union, key=lambda u: not any(i.key in self.pending for i in by_union[u]))
        await self._each(unions, one)
        await self._identify(
            [self.year.initiatives[k] for k in act.initiatives if k not in self.ids], ADMIN
        )

    async def _identify(self, initiatives: list[Initiative], acting: dict[str, str]) -> None:
        """The ids of initiatives just imported: the newest the acting officer (or admin)
        sees are these, each known by its title (no two alike in the year)."""
        wanted = {initiative.title: initiative.key for initiative in initiatives}
        offset = 0
        while wanted:
            newest = await self._call(
                self.submissions,
                "GET",
                "/api/v1/initiatives",
                acting,
                params={"limit": min(PAGE_MAX, len(wanted)), "offset": offset},
            )
            if not newest["items"]:
                raise PlayError(f"imported initiatives not listed: {sorted(wanted)[:3]}")
            offset += len(newest["items"])
            for item in newest["items"]:
                if item["title"] in wanted:
                    self._identified(wanted.pop(item["title"]), item["id"])

    async def _withdraw(self, day: date, act: Act) -> None:
        await self._known(act.initiatives)

        async def one(key: str) -> None:
            initiative = self.year.initiatives[key]
            await self._call(
                self.submissions,
                "POST",
                f"/api/v1/initiatives/{self.ids[key]}/withdraw",
                officer(initiative.unit.affiliated),
            )

        await self._each(act.initiatives, one)

    async def _resubmit(self, day: date, act: Act) -> None:
        """The authors complete what the council asked for; the officer amends it, which
        resubmits it for round 2."""
        await self._known(act.initiatives)

        async def one(key: str) -> None:
            initiative = self.year.initiatives[key]
            acting = officer(initiative.unit.affiliated)
            # The officer completes it once the list shows it returned. Amended sooner (the
            # council's seating and return not yet learnt from scoring), it would be an
            # edit of round 1, not a resubmission, and round 2 would never be seated.
            await self._patient(lambda: self._shows(key, acting, InitiativeStatus.returned))
            changes: dict[str, Any] = {
                "solution": initiative.solution
                + " Đã bổ sung biên bản áp dụng thử, bản vẽ và số liệu tính toán theo yêu cầu "
                "của Hội đồng."
            }
            await self._patient(
                lambda: self._call(
                    self.submissions,
                    "PATCH",
                    f"/api/v1/initiatives/{self.ids[key]}",
                    acting,
                    json=changes,
                    ok=(200,),
                )
            )

        await self._each(act.initiatives, one)

    async def _shows(self, key: str, acting: dict[str, str], status: InitiativeStatus) -> None:
        """Pass when submissions shows the initiative in `status`; a 409 (retried by
        `_patient`) until it does."""
        shown = await self._call(
            self.submissions, "GET", f"/api/v1/initiatives/{self.ids[key]}", acting
        )
        if shown["status"] != status:
            raise PlayError(f"{key} is {shown['status']}, not yet {status}", status=409)

    # --- councils -------------------------------------------------------------------------

    async def _assign(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """Seat councils on these initiatives, in bulk; each one's members."""
        ids = [self.ids[k] for k in keys]
        councils: dict[str, list[str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            # Scoring learns of an initiative (or of its resubmission) from an event: a
            # moment after it was keyed in, it may not know it yet.
            seated = await self._patient(
                lambda chunk=chunk: self._call(  # type: ignore[misc]
                    self.scoring,
                    "POST",
                    "/api/v1/reviews/assign",
                    ADMIN,
                    json={
                        "initiative_ids": chunk,
                        "reviewer_ids": list(story.REVIEWERS),
                        "per_initiative": 3,
                    },
                )
            )
            councils.update({item["initiative_id"]: item["council"] for item in seated})
        return councils

    async def _councils(self, sittings: list[tuple[str, list[str], list[story.Scorecard]]]) -> None:
        """The councils' members hand in their score sheets (`POST /reviews/scores`), in
        turns: every council's first member, then every second one, then every third. Within
        a turn each initiative is on one sheet only. Never two at once on one initiative: on
        SQLite, which `make run` uses, a row lock (`FOR UPDATE`) is no lock, and members
        scoring one initiative at the same moment would each miss the other's score."""
        for seat in range(3):
            sheets: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for initiative_id, members, cards in sittings:
                if seat < len(cards):
                    card = cards[seat]
                    sheets[members[seat]].append(
                        {
                            "initiative_id": initiative_id,
                            "scores": card.scores,
                            "vote_for": card.vote_for,
                        }
                    )

            async def hand_in(sheet: tuple[str, list[dict[str, Any]]]) -> None:
                member, lines = sheet
                for start in range(0, len(lines), 500):
                    await self._call(
                        self.scoring,
                        "POST",
                        "/api/v1/reviews/scores",
                        reviewer(member),
                        json={"items": lines[start : start + 500]},
                    )

            await self._each(list(sheets.items()), hand_in)

    async def _sit(self, day: date, act: Act) -> None:
        await self._known(act.initiatives)
        keys = list(act.initiatives)
        councils = await self._assign(keys)
        returns, sittings = [], []
        for key in keys:
            initiative = self.year.initiatives[key]
            initiative_id = self.ids[key]
            if day == initiative.sitting and initiative.returned:
                returns.append((initiative_id, initiative.returned))
            else:
                sittings.append((initiative_id, councils[initiative_id], initiative.cards))

        async def give_back(item: tuple[str, str]) -> None:
            await self._call(
                self.scoring,
                "POST",
                f"/api/v1/reviews/{item[0]}/return",
                ADMIN,
                json={"reason": item[1]},
            )

        await self._each(returns, give_back)
        await self._councils(sittings)
        self.decided += len(sittings)

    async def _seat(self, day: date, act: Act) -> None:
        """Councils seated on the last day, some of whose members have already scored."""
        await self._known(act.initiatives)
        keys = list(act.initiatives)
        councils = await self._assign(keys)
        await self._councils(
            [(self.ids[k], councils[self.ids[k]], self.year.initiatives[k].cards) for k in keys]
        )

    # --- the close and its awards ---------------------------------------------------------

    async def _close_phase_1(self, day: date, act: Act) -> None:
        """The sơ kết: once scoring has every fact of phase 1 (registrations, reports and
        initiatives come to it as events), phase 1 closes on this day and phase 2 opens."""
        phase_1 = [i for i in self.year.initiatives.values() if i.phase == "dot-1"]
        submitted = sum(1 for i in phase_1 if not i.withdrawn_on)
        registered = sum(
            1
            for c, u in self.year.units.items()
            if u.level == "affiliated" and c not in story.NEVER
        )
        await self._until(
            lambda: self._targets(self.scoring, "/api/v1/progress/2022/dot-1"),
            {1: registered, 7: submitted},
            "scoring",
        )
        await self._call(
            self.submissions,
            "POST",
            "/api/v1/campaigns/2022/phases/dot-1/close",
            ADMIN,
            json={"closed_on": day.isoformat()},
        )
        await self._call(
            self.submissions, "POST", "/api/v1/campaigns/2022/phases/dot-2/open", ADMIN
        )

    async def _decide_awards(self, day: date, act: Act) -> None:
        """The federation's admin decides phase 1's proposals: all confirmed but one, whose
        author's authorship is being checked."""
        proposals: list[dict[str, Any]] = []
        deadline = time.monotonic() + COUNCIL_PATIENCE
        while time.monotonic() < deadline:
            listed = await self._call(
                self.scoring,
                "GET",
                "/api/v1/awards",
                ADMIN,
                params={"campaign_code": "2022", "phase_code": "dot-1"},
            )
            if listed and len(listed) == len(proposals):
                break  # the close's proposals are all there (twice the same count)
            proposals = listed
            await asyncio.sleep(1)
        waiting = sorted(
            (p for p in proposals if p["status"] == "proposed"), key=lambda p: str(p["id"])
        )
        if len(waiting) < 2:
            raise PlayError(f"phase 1's close proposed {len(waiting)} awards, expected several")
        rejected = waiting[len(waiting) // 2]
        await self._call(
            self.scoring,
            "POST",
            f"/api/v1/awards/{rejected['id']}/reject",
            ADMIN,
            json={
                "reason": "Chưa phê duyệt: đang xác minh đơn phản ánh về quyền tác giả của sáng "
                "kiến làm căn cứ đề nghị khen thưởng."
            },
        )

        async def confirm(proposal: dict[str, Any]) -> None:
            await self._call(
                self.scoring, "POST", f"/api/v1/awards/{proposal['id']}/confirm", ADMIN
            )

        await self._each([p for p in waiting if p is not rejected], confirm)

    async def _settled_in_reporting(self) -> None:
        """The dashboard tells the whole story once reporting has applied every event."""
        submitted = sum(1 for i in self.year.initiatives.values() if not i.withdrawn_on)
        await self._until(
            lambda: self._targets(self.reporting, "/api/v1/progress/2022/dot-2"),
            {7: submitted},
            "reporting",
        )

    async def _targets(self, client: httpx.AsyncClient, path: str) -> dict[int, int]:
        progress = await self._call(client, "GET", path, ADMIN)
        return {t["number"]: t["achieved"] for t in progress["targets"]}

    async def _until(
        self,
        measure: Callable[[], Awaitable[dict[int, int]]],
        expected: dict[int, int],
        service: str,
    ) -> None:
        deadline = time.monotonic() + 2 * COUNCIL_PATIENCE
        seen: dict[int, int] = {}
        while time.monotonic() < deadline:
            seen = await measure()
            if all(seen.get(n) == v for n, v in expected.items()):
                return
            await asyncio.sleep(0.3)
        raise PlayError(f"{service} has not caught up: targets {seen}, expected {expected}")

    # --- HTTP -----------------------------------------------------------------------------

    async def _each(self, items: Iterable[Any], act: Callable[[Any], Awaitable[None]]) -> None:
        """`act` on every item at once (each request waits for its service's semaphore)."""
        await asyncio.gather(*(act(item) for item in items))

    async def _patient(self, call: Callable[[], Awaitable[Any]]) -> Any:
        """Retry a call that another service's event has not made possible yet (404, 409)."""
        deadline = time.monotonic() + COUNCIL_PATIENCE
        while True:
            try:
                return await call()
            except PlayError as error:
                if error.status not in (404, 409) or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(0.3)

    def _officer(self, unit: str) -> dict[str, str]:
        """The officer of the unit's affiliated union, who acts for it."""
        return officer(self.year.units[unit].affiliated)

    async def _post_for(
        self,
        unit: str,
        path: str,
        json: dict[str, Any] | None = None,
        *,
        ok: tuple[int, ...] = (200,),
    ) -> Any:
        """POST `json` to submissions' `path` as the officer who acts for `unit`."""
        return await self._call(
            self.submissions, "POST", path, self._officer(unit), json=json, ok=ok
        )

    async def _call(
        self,
        client: httpx.AsyncClient,
        method: str,
        path: str,
        headers: dict[str, str],
        *,
        ok: tuple[int, ...] = (200,),
        extra: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        async with self.limits[id(client)]:
            response = await client.request(
                method, path, headers={**headers, **(extra or {})}, **kwargs
            )
        if response.status_code not in ok:
            raise PlayError(
                f"{method} {path}: {response.status_code} {response.text[:500]}",
                response.status_code,
            )
        return response.json() if response.content else None


async def already_there(submissions: httpx.AsyncClient) -> str | None:
    """Why the year should not be played (it is loaded, or other 2022 data is), or None."""
    campaign = await submissions.get("/api/v1/campaigns/2022", headers=ADMIN)
    if campaign.status_code == 404:
        return None
    campaign.raise_for_status()
    listed = await submissions.get("/api/v1/initiatives", params={"limit": 1}, headers=ADMIN)
    listed.raise_for_status()
    total = listed.json()["total"]
    phases = {p["code"]: p["status"] for p in campaign.json()["phases"]}
    initiatives = format_number(total, language="en")
    if phases.get("dot-1") == PhaseStatus.closed and total:
        return f"the 2022 year is loaded already ({initiatives} initiatives)"
    return (
        f"campaign 2022 is there already, with {initiatives} initiatives and phase 1 "
        f"{phases.get('dot-1')}, not the demo year: empty the databases (make stop; make clean) "
        "to load it"
    )
