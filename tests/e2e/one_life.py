"""One initiative's life through four real services, Kafka and PostgreSQL (run by
test_initiative_flow, on its system, while phase 1 is open): at every step
submissions' API, scoring's, reporting's read model, the authors' inbox and the topics say
the same thing (shared.contracts.lifecycle)."""

from typing import Any
from uuid import uuid4

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from services.submissions.demo import token
from shared.auth import Role
from shared.contracts import topics
from tests.e2e.conftest import ADMIN, add_grassroots_unit
from tests.support.kafka_probe import headers_of, read_topic
from tests.support.polling import eventually
from tests.support.services import ServiceProcess

System = dict[str, ServiceProcess]
SCORES = {"novelty": 8, "applicability": 7, "effectiveness": 9, "scope": 6}
PREFIX = "vn.congdoandaukhi.thidua."


class Walk:
    """One initiative and the four places its state can be read."""

    def __init__(self, system: System, client: httpx.AsyncClient) -> None:
        self.system, self.client = system, client
        self.unit = f"LIFE-{uuid4().hex[:6].upper()}"
        self.member = f"M-{uuid4().hex[:6]}"
        self.reviewers = [f"HD-{uuid4().hex[:4]}-{n}" for n in range(3)]
        self.officer = token(f"{self.unit}-CB", self.unit, Role.UNIT_OFFICER)
        self.author = token(self.member, self.unit, Role.MEMBER)
        self.id = ""

    async def start(self, **body: Any) -> None:
        submissions = self.system["submissions"].url
        await add_grassroots_unit(submissions, self.unit, "Công đoàn một vòng đời", "BSR")
        submitted = await self.client.post(
            f"{self.system['submissions'].url}/api/v1/initiatives",
            json={
                "title": "Tự động hoá kiểm tra van an toàn",
                "unit_code": self.unit,
                "field": "occupational_safety",
                "problem": "Van an toàn được kiểm tra thủ công mỗi ca.",
                "solution": "Cảm biến áp suất báo về phòng điều khiển.",
                "authors": [
                    {"member_id": self.member, "full_name": "Lê Văn Tâm", "share_percent": 100}
                ],
                "expected_benefit_vnd": 300_000_000,
            }
            | body,
            headers=self.author,
        )
        assert submitted.status_code == 201, submitted.text
        self.id = submitted.json()["id"]

    async def submissions_state(self) -> tuple[str, int]:
        shown = await self.client.get(
            f"{self.system['submissions'].url}/api/v1/initiatives/{self.id}", headers=self.author
        )
        return shown.json()["status"], shown.json()["round"]

    async def scoring_state(self) -> tuple[str, int] | None:
        shown = await self.client.get(
            f"{self.system['scoring'].url}/api/v1/reviews/{self.id}", headers=ADMIN
        )
        return (shown.json()["status"], shown.json()["round"]) if shown.is_success else None

    async def reporting_state(self) -> tuple[str, int] | None:
        engine = create_async_engine(self.system["reporting"].database_url)
        try:
            async with engine.connect() as connection:
                row = (
                    await connection.execute(
                        text("SELECT status, round FROM initiatives WHERE initiative_id = :id"),
                        {"id": self.id},
                    )
                ).first()
        finally:
            await engine.dispose()
        return (row[0], row[1]) if row else None

    async def triggers(self) -> list[str]:
        inbox = await self.client.get(
            f"{self.system['notifications'].url}/api/v1/inbox/{self.member}", headers=ADMIN
        )
        return [m["trigger"] for m in inbox.json()]

    async def everywhere(self, status: str, round_: int, trigger: str | None = None) -> None:
        """Every service reaches the state; the authors' inbox has heard of it."""
        expected = (status, round_)
        await eventually(self.submissions_state, lambda s: s == expected)
        await eventually(self.scoring_state, lambda s: s == expected)
        await eventually(self.reporting_state, lambda s: s == expected)
        if trigger is not None:
            await eventually(self.triggers, lambda seen: trigger in seen)

    async def amend(self, **changes: Any) -> httpx.Response:
        return await self.client.patch(
            f"{self.system['submissions'].url}/api/v1/initiatives/{self.id}",
            json=changes,
            headers=self.author,
        )

    async def withdraw(self) -> httpx.Response:
        return await self.client.post(
            f"{self.system['submissions'].url}/api/v1/initiatives/{self.id}/withdraw",
            headers=self.author,
        )

    async def assign(self) -> httpx.Response:
        return await self.client.post(
            f"{self.system['scoring'].url}/api/v1/reviews/assign",
            json={"initiative_ids": [self.id], "reviewer_ids": self.reviewers},
            headers=ADMIN,
        )

    async def score_all(self) -> httpx.Response:
        for reviewer in self.reviewers:
            scored = await self.client.post(
                f"{self.system['scoring'].url}/api/v1/reviews/{self.id}/scores",
                json={"scores": SCORES, "vote_for": True},
                headers=token(reviewer, "CDDKVN", Role.REVIEWER),
            )
            assert scored.status_code == 200, scored.text
        return scored


async def walk_every_state(system: System, kafka: str) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        walk = Walk(system, client)
        await walk.start()
        await walk.everywhere("submitted", 1, "initiative_received")

        assert (await walk.amend(expected_benefit_vnd=350_000_000)).status_code == 200
        await walk.everywhere("submitted", 1, "initiative_amended")

        assert (await walk.assign()).status_code == 200
        await walk.everywhere("under_review", 1, "initiative_under_review")
        refused = await walk.amend(expected_benefit_vnd=90_000_000_000)
        assert refused.status_code == 409
        error = refused.json()["errors"][0]
        assert error["field"] == "status" and "Đang xét" in error["message_vi"]
        assert "Under review" in error["message_en"]
        assert (await walk.withdraw()).status_code == 409

        returned = await client.post(
            f"{system['scoring'].url}/api/v1/reviews/{walk.id}/return",
            json={"reason": "Bổ sung số liệu đo áp suất trước và sau khi áp dụng"},
            headers=ADMIN,
        )
        assert returned.status_code == 200, returned.text
        await walk.everywhere("returned", 1, "initiative_returned")
        shown = await client.get(
            f"{system['submissions'].url}/api/v1/initiatives/{walk.id}", headers=walk.author
        )
        assert "số liệu đo áp suất" in shown.json()["return_reason"]

        # Completing it as asked resubmits it: the next round, back to the council.
        resubmitted = await walk.amend(solution="Cảm biến áp suất, số liệu đo kèm theo.")
        assert resubmitted.status_code == 200, resubmitted.text
        await walk.everywhere("resubmitted", 2)
        assert (await walk.assign()).status_code == 200
        await walk.everywhere("under_review", 2)
        decided = await walk.score_all()
        assert decided.json()["status"] == "recognised"
        await walk.everywhere("recognised", 2, "initiative_recognised")
        assert (await walk.amend(expected_benefit_vnd=90_000_000_000)).status_code == 409

    # Each owner's events about it, in order on its one partition.
    assert await _types_on(kafka, topics.INITIATIVES, walk.id, 3) == [
        "initiative.submitted.v1",
        "initiative.amended.v1",
        "initiative.amended.v1",
    ]
    assert await _types_on(kafka, topics.REVIEWS, walk.id, 7) == [
        "initiative.council_assigned.v1",
        "initiative.returned.v1",
        "initiative.council_assigned.v1",
        "initiative.reviewed.v1",
        "initiative.reviewed.v1",
        "initiative.reviewed.v1",
        "initiative.recognised.v1",
    ]


async def withdraw_before_any_council(
    system: System,
) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        walk = Walk(system, client)
        await walk.start()
        await walk.everywhere("submitted", 1)
        assert (await walk.withdraw()).status_code == 200
        await walk.everywhere("withdrawn", 1)
        assert (await walk.assign()).status_code == 404
        assert (await walk.amend(title="Sửa sau khi đã rút")).status_code == 409


async def _types_on(kafka: str, topic: str, initiative_id: str, count: int) -> list[str]:
    key = initiative_id.encode()
    records = await read_topic(
        kafka, topic, until=lambda rs: sum(r.key == key for r in rs) >= count
    )
    return [headers_of(r)["ce_type"].removeprefix(PREFIX) for r in records if r.key == key]
