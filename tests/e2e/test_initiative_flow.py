"""One initiative, end to end, through four real service processes, Kafka and PostgreSQL.

The module is one story in steps: initiatives submitted, decided, walked through every state;
then phase 1 closed with its awards; then reporting's figures over all of them, and reporting
and scoring rebuilt from what every step published. Its tests run in the order written
(`in_file_order`), on a broker of its own, so no other module's events are in what the
rebuilds replay and no other module's services share its topics."""

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, note, settings

from services.submissions.demo import token
from shared.auth import Role
from shared.contracts import (
    InitiativeAuthor,
    InitiativeCouncilAssigned,
    InitiativeRecognised,
    InitiativeReviewed,
    InitiativeSubmitted,
    topics,
)
from shared.messaging.cloudevents import new_envelope, to_record
from tests.e2e import interleavings, one_life
from tests.e2e.conftest import ADMIN, add_grassroots_unit, initiative_body
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap
from tests.support.kafka_probe import headers_of, produce, read_topic
from tests.support.polling import eventually, settled
from tests.support.services import ServiceProcess

System = dict[str, ServiceProcess]

pytestmark = pytest.mark.in_file_order(
    "steps of one story: phase 1 closes after the submissions, the figures and rebuilds follow"
)


@pytest.fixture(scope="module")
def kafka() -> Iterator[str]:
    """A broker of its own: the rebuilds replay its topics from the beginning and must find
    this module's events only, and its phase 1 close reaches no other module's services."""
    with kafka_bootstrap() as address:
        yield address


def unique_unit() -> str:
    return f"E2E-{uuid4().hex[:8].upper()}"


async def get_json(url: str, **params: Any) -> Any:
    async with httpx.AsyncClient(timeout=5, headers=ADMIN) as client:
        response = await client.get(url, params=params)
        response.raise_for_status()
        return response.json()


async def unit_count(system: System, unit: str) -> int:
    rows = await get_json(f"{system['reporting'].url}/api/v1/initiative-counts", unit_code=unit)
    return int(rows[0]["submitted"]) if rows else 0


async def metric(service: ServiceProcess, name: str) -> float:
    async with httpx.AsyncClient(timeout=5) as client:
        text = (await client.get(f"{service.url}/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and not line.startswith("#")
    )


async def test_a_submitted_initiative_reaches_scoring_reporting_and_the_authors_inbox(
    system: System, kafka: str
) -> None:
    unit, member = unique_unit(), f"M-{uuid4().hex[:6]}"
    accepted_before = await metric(system["submissions"], "submissions_initiatives_submitted_total")
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    await add_grassroots_unit(system["submissions"].url, unit, "Công đoàn thử nghiệm", "PVCFC")
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{system['submissions'].url}/api/v1/initiatives",
            json=initiative_body(unit, member),
            headers={"traceparent": traceparent, **token(f"{unit}-CB", unit, Role.UNIT_OFFICER)},
        )
    assert response.status_code == 201, response.text
    initiative_id = response.json()["id"]
    assert response.headers["x-correlation-id"] == "0af7651916cd43dd8448eb211c80319c"
    accepted = await metric(system["submissions"], "submissions_initiatives_submitted_total")
    assert accepted == accepted_before + 1

    await eventually(lambda: unit_count(system, unit), lambda n: n == 1)
    pending = await eventually(
        lambda: get_json(f"{system['scoring'].url}/api/v1/reviews/pending", unit_code=unit),
        lambda items: len(items) == 1,
    )
    assert pending[0]["initiative_id"] == initiative_id
    inbox = await eventually(
        lambda: get_json(f"{system['notifications'].url}/api/v1/inbox/{member}"),
        lambda messages: len(messages) == 1,
    )
    assert "Giảm tiêu hao nhiên liệu lò hơi nhà máy đạm" in inbox[0]["subject"]
    assert "2.500.000.000 ₫" in inbox[0]["body"]

    # On the wire: a CloudEvent an outside system can route, carrying the request's trace.
    records = await read_topic(
        kafka,
        topics.INITIATIVES,
        until=lambda rs: any(r.key == initiative_id.encode() for r in rs),
    )
    headers = headers_of(next(r for r in records if r.key == initiative_id.encode()))
    assert headers["ce_type"] == InitiativeSubmitted.event_type
    assert headers["ce_source"] == "/thidua/submissions"
    assert headers["traceparent"].split("-")[1] == "0af7651916cd43dd8448eb211c80319c"


def event_for(unit: str, member: str = "M-DUP") -> Any:
    return to_record(
        new_envelope(
            InitiativeSubmitted(
                initiative_id=uuid4(),
                campaign_code="2022",
                phase_code="dot-1",
                unit_code=unit,
                title="Sáng kiến gửi trực tiếp lên Kafka",
                field="management",
                authors=(
                    InitiativeAuthor(member_id=member, full_name="Vũ Quốc Huy", share_percent=100),
                ),
                submitted_by=member,
                submitted_at=datetime.now(UTC),
            ),
            source="/thidua/tests",
            subject=unit,
        )
    )


async def test_the_same_event_delivered_twice_is_applied_once_by_every_consumer(
    system: System, kafka: str
) -> None:
    unit, member = unique_unit(), f"M-{uuid4().hex[:6]}"
    duplicate, sentinel = event_for(unit, member), event_for(unit, member)
    before = await metric(system["reporting"], "reporting_events_duplicate_total")
    await produce(
        kafka,
        topics.INITIATIVES,
        [(r.key, r.value, r.headers) for r in (duplicate, duplicate, sentinel)],
    )
    # The sentinel comes after both copies on the same partition (same key): once it
    # is counted, both copies have been consumed.
    await eventually(lambda: unit_count(system, unit), lambda n: n >= 2)
    await asyncio.sleep(0.5)
    assert await unit_count(system, unit) == 2
    inbox = await eventually(
        lambda: get_json(f"{system['notifications'].url}/api/v1/inbox/{member}"),
        lambda messages: len(messages) >= 2,
    )
    assert len(inbox) == 2
    pending = await get_json(f"{system['scoring'].url}/api/v1/reviews/pending", unit_code=unit)
    assert len(pending) == 2
    assert await metric(system["reporting"], "reporting_events_duplicate_total") == before + 1


async def test_a_malformed_message_goes_to_the_dead_letter_topic_and_consumption_goes_on(
    system: System, kafka: str
) -> None:
    unit = unique_unit()
    good = event_for(unit)
    broken_key = f"broken-{uuid4().hex[:8]}".encode()
    not_utf8_key = f"not-utf8-{uuid4().hex[:8]}".encode()
    not_utf8_headers = [(n, b"\xff\xfe" if n == "ce_id" else v) for n, v in good.headers]
    await produce(
        kafka,
        topics.INITIATIVES,
        [
            (broken_key, b"{this is not json", good.headers),
            (not_utf8_key, good.value, not_utf8_headers),
            (good.key, good.value, good.headers),
        ],
    )
    await eventually(lambda: unit_count(system, unit), lambda n: n == 1)
    for consumer in ("reporting", "scoring", "notifications"):
        parked = await read_topic(
            kafka, f"thidua.{consumer}.dlq", until=lambda rs: any(r.key == broken_key for r in rs)
        )
        headers = headers_of(next(r for r in parked if r.key == broken_key))
        assert headers["dlq_reason"].startswith("value is not JSON")
        assert headers["dlq_original_topic"] == topics.INITIATIVES
        parked = await read_topic(
            kafka, f"thidua.{consumer}.dlq", until=lambda rs: any(r.key == not_utf8_key for r in rs)
        )
        reason = headers_of(next(r for r in parked if r.key == not_utf8_key))["dlq_reason"]
        assert reason.startswith("ce_id is not a UUID")


def poisoned(unit: str, **fields: Any) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """A well-formed CloudEvent whose data carries `fields` as a producer outside our
    contracts' checks could write them (the contracts and the tables refuse them)."""
    record = event_for(unit)
    data = json.loads(record.value) | fields
    key = f"poison-{uuid4().hex[:8]}".encode()
    return key, json.dumps(data, ensure_ascii=False).encode(), list(record.headers)


async def test_poison_records_are_dead_lettered_by_every_consumer_and_a_canary_goes_through(
    system: System, kafka: str
) -> None:
    unit, member = unique_unit(), f"M-{uuid4().hex[:6]}"
    long_title = poisoned(unit, title="Sáng kiến " + "rất dài " * 90_000)  # 900 KB of UTF-8
    huge_benefit = poisoned(unit, expected_benefit_vnd=2**63 - 1)
    canary = event_for(unit, member)
    assert len(long_title[1]) > 900_000
    await produce(
        kafka,
        topics.INITIATIVES,
        [long_title, huge_benefit, (canary.key, canary.value, canary.headers)],
    )

    # Each consumer applies the canary published after them, within seconds.
    await eventually(lambda: unit_count(system, unit), lambda n: n == 1, timeout=20)
    await eventually(
        lambda: get_json(f"{system['scoring'].url}/api/v1/reviews/pending", unit_code=unit),
        lambda pending: len(pending) == 1,
        timeout=20,
    )
    await eventually(
        lambda: get_json(f"{system['notifications'].url}/api/v1/inbox/{member}"),
        lambda inbox: len(inbox) == 1,
        timeout=20,
    )
    for consumer in ("reporting", "scoring", "notifications"):
        dead = await read_topic(
            kafka,
            f"thidua.{consumer}.dlq",
            until=lambda rs: {long_title[0], huge_benefit[0]} <= {r.key for r in rs},
        )
        for key, field in ((long_title[0], "title"), (huge_benefit[0], "expected_benefit_vnd")):
            headers = headers_of(next(r for r in dead if r.key == key))
            assert field in headers["dlq_reason"], (consumer, headers["dlq_reason"])
            assert headers["dlq_error_class"], consumer
            assert headers["dlq_original_topic"] == topics.INITIATIVES


async def test_a_consumer_killed_mid_stream_loses_nothing_and_applies_nothing_twice(
    system: System, kafka: str
) -> None:
    # Enough that a kill lands mid-stream although the consumer applies whole batches at a
    # time (300 were all applied in the first batches once it did).
    unit, total = unique_unit(), 3000
    reporting = system["reporting"]
    records = [event_for(unit) for _ in range(total)]
    await produce(kafka, topics.INITIATIVES, [(r.key, r.value, r.headers) for r in records])

    # Kill it hard while it is part-way through: effects committed, offsets maybe not.
    applied_at_kill = await eventually(
        lambda: unit_count(system, unit), lambda n: n > 0, interval=0.02
    )
    await asyncio.to_thread(reporting.kill)
    # Started again before anything is asserted, so a failure here leaves the module's other
    # tests a running reporting.
    await asyncio.to_thread(reporting.start)
    assert applied_at_kill < total, "the consumer finished before it could be killed"
    await eventually(lambda: unit_count(system, unit), lambda n: n >= total, timeout=120)
    await asyncio.sleep(1.0)
    assert await unit_count(system, unit) == total


async def test_a_council_recognises_an_initiative_and_its_author_hears_of_it(
    system: System, kafka: str
) -> None:
    unit, member = unique_unit(), f"M-{uuid4().hex[:6]}"
    reviewers = [f"HD-{uuid4().hex[:4]}-{n}" for n in range(3)]
    await add_grassroots_unit(system["submissions"].url, unit, "Công đoàn thử hội đồng", "BSR")
    async with httpx.AsyncClient(timeout=10) as client:
        submitted = await client.post(
            f"{system['submissions'].url}/api/v1/initiatives",
            json=initiative_body(unit, member),
            headers=token(f"{unit}-CB", unit, Role.UNIT_OFFICER),
        )
        initiative_id = submitted.json()["id"]
        scoring = system["scoring"].url
        await eventually(
            lambda: get_json(f"{scoring}/api/v1/reviews/pending", unit_code=unit),
            lambda items: len(items) == 1,
        )
        assigned = await client.post(
            f"{scoring}/api/v1/reviews/assign",
            json={
                "initiative_ids": [initiative_id],
                "reviewer_ids": reviewers,
                "per_initiative": 3,
            },
            headers=ADMIN,
        )
        assert assigned.status_code == 200, assigned.text
        scores = {"novelty": 8, "applicability": 7, "effectiveness": 9, "scope": 6}
        outsider = await client.post(
            f"{scoring}/api/v1/reviews/{initiative_id}/scores",
            json={"scores": scores, "vote_for": True},
            headers=token("HD-NGOAI", "CDDKVN", Role.REVIEWER),
        )
        assert outsider.status_code == 403
        for reviewer in reviewers:
            scored = await client.post(
                f"{scoring}/api/v1/reviews/{initiative_id}/scores",
                json={"scores": scores, "vote_for": reviewer != reviewers[0]},
                headers=token(reviewer, "CDDKVN", Role.REVIEWER),
            )
            assert scored.status_code == 200, scored.text
    assert scored.json()["status"] == "recognised"  # 2 of 3 votes and 7.95 ≥ 6.0
    records = await read_topic(
        kafka,
        topics.REVIEWS,
        until=lambda rs: sum(r.key == initiative_id.encode() for r in rs) >= 5,
    )
    types = [headers_of(r)["ce_type"] for r in records if r.key == initiative_id.encode()]
    # The council seated, each score announced (who, not what), then the decision, on one
    # partition, in order.
    assert types == [
        InitiativeCouncilAssigned.event_type,
        *[InitiativeReviewed.event_type] * 3,
        InitiativeRecognised.event_type,
    ]
    inbox = await eventually(
        lambda: get_json(f"{system['notifications'].url}/api/v1/inbox/{member}"),
        lambda messages: any(m["trigger"] == "initiative_recognised" for m in messages),
    )
    assert any("Giảm tiêu hao nhiên liệu" in m["subject"] for m in inbox)


async def test_an_initiative_walked_through_every_state_reads_the_same_everywhere(
    system: System, kafka: str
) -> None:
    await one_life.walk_every_state(system, kafka)


async def test_a_withdrawn_initiative_is_withdrawn_everywhere_and_no_council_can_sit(
    system: System,
) -> None:
    await one_life.withdraw_before_any_council(system)


@settings(
    max_examples=int(os.environ.get("THIDUA_INTERLEAVING_EXAMPLES", "3")),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a try costs seconds: not shrunk
    suppress_health_check=[HealthCheck.too_slow],
)
@given(plan=interleavings.plans)
def test_any_interleaving_of_amend_withdraw_assign_score_and_return_leaves_every_service_agreeing(
    system: System, kafka: str, plan: interleavings.Plan
) -> None:
    note(f"plan: {plan}")
    asyncio.run(interleavings.run_plan(system, kafka, plan))


# After every step that submits: it closes phase 1, after which phase 1 takes no entries.
async def test_closing_a_phase_proposes_awards_by_rule_which_an_admin_confirms_and_revokes(
    system: System, kafka: str
) -> None:
    unit, member = unique_unit(), f"M-{uuid4().hex[:6]}"
    reviewers = [f"HD-{uuid4().hex[:4]}-{n}" for n in range(3)]
    officer = token(f"{unit}-CB", unit, Role.UNIT_OFFICER)
    submissions, scoring = system["submissions"].url, system["scoring"].url
    async with httpx.AsyncClient(timeout=10) as client:

        async def ok(response: Any) -> Any:
            reply = await response
            assert reply.status_code in (200, 201), reply.text
            return reply.json()

        await add_grassroots_unit(submissions, unit, "Công đoàn thử khen thưởng", "PVCFC")
        registration = await ok(
            client.post(
                f"{submissions}/api/v1/registrations",
                headers=officer,
                json={
                    "phase_code": "dot-1",
                    "unit_code": unit,
                    "movement_codes": ["01-trieu-sang-kien"],
                },
            )
        )
        await ok(
            client.post(
                f"{submissions}/api/v1/registrations/{registration['id']}/submit", headers=officer
            )
        )
        await ok(
            client.post(
                f"{submissions}/api/v1/registrations/{registration['id']}/approve", headers=ADMIN
            )
        )
        initiative = await ok(
            client.post(
                f"{submissions}/api/v1/initiatives",
                headers=officer,
                json=initiative_body(unit, member),
            )
        )
        await eventually(
            lambda: get_json(f"{scoring}/api/v1/reviews/pending", unit_code=unit),
            lambda items: len(items) == 1,
        )
        await ok(
            client.post(
                f"{scoring}/api/v1/reviews/assign",
                headers=ADMIN,
                json={"initiative_ids": [initiative["id"]], "reviewer_ids": reviewers},
            )
        )
        for reviewer in reviewers:
            await ok(
                client.post(
                    f"{scoring}/api/v1/reviews/{initiative['id']}/scores",
                    headers=token(reviewer, "CDDKVN", Role.REVIEWER),
                    json={
                        "scores": {
                            "novelty": 9,
                            "applicability": 9,
                            "effectiveness": 9,
                            "scope": 9,
                        },
                        "vote_for": True,
                    },
                )
            )
        # Scoring has the registration before the phase closes.
        progress = await eventually(
            lambda: get_json(f"{scoring}/api/v1/progress/2022/dot-1"),
            lambda p: p["targets"][6]["achieved"] >= 1,  # target 7 counts initiatives
        )
        assert len(progress["targets"]) == 7
        # On the machine's clock 2022 is over: the sơ kết's day is said.
        await ok(
            client.post(
                f"{submissions}/api/v1/campaigns/2022/phases/dot-1/close",
                headers=ADMIN,
                json={"closed_on": "2022-07-15"},
            )
        )

        def for_member(awards: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [a for a in awards if a["grant"]["recipient_id"] == member]

        [award] = for_member(
            await eventually(
                lambda: get_json(f"{scoring}/api/v1/awards", phase_code="dot-1"),
                lambda awards: len(for_member(awards)) == 1,
            )
        )
        assert award["status"] == "proposed"
        assert award["grant"]["award_name"] == "Bằng khen của Công đoàn Dầu khí Việt Nam"
        assert award["grant"]["reasons"]
        confirmed = await ok(
            client.post(f"{scoring}/api/v1/awards/{award['id']}/confirm", headers=ADMIN)
        )
        assert confirmed["status"] == "confirmed"
        revoked = await ok(
            client.post(
                f"{scoring}/api/v1/awards/{award['id']}/revoke",
                headers=ADMIN,
                json={"reason": "Trùng thành tích"},
            )
        )
        assert revoked["status"] == "revoked"
    records = await read_topic(
        kafka,
        topics.AWARDS,
        until=lambda rs: sum(r.key == award["id"].encode() for r in rs) >= 3,
    )
    kinds = [
        headers_of(r)["ce_type"].rsplit(".", 2)[-2]
        for r in records
        if r.key == award["id"].encode()
    ]
    assert kinds == ["granted", "granted", "revoked"]
    inbox = await eventually(
        lambda: get_json(f"{system['notifications'].url}/api/v1/inbox/{member}"),
        lambda messages: {"award_granted", "award_revoked"} <= {m["trigger"] for m in messages},
    )
    assert any("Trùng thành tích" in m["body"] for m in inbox)


async def test_reporting_sums_up_the_campaign_for_the_federation_and_each_subtree(
    system: System,
) -> None:
    reporting = system["reporting"].url

    def complete(figures: dict[str, Any]) -> bool:
        return bool(
            figures["initiatives"]["recognised"] >= 2
            and figures["registrations"]["approved_units"] >= 1
            and figures["awards"]["by_status"].get("revoked", 0) >= 1
        )

    federation = await eventually(lambda: get_json(f"{reporting}/api/v1/summary/2022"), complete)
    assert federation["unit"]["code"] == "CDDKVN"
    assert federation["initiatives"]["submitted"] >= federation["initiatives"]["recognised"]
    assert federation["initiatives"]["benefit_display"].endswith("₫")
    phases = [
        await get_json(f"{reporting}/api/v1/summary/2022", phase=code)
        for code in ("dot-1", "dot-2")
    ]
    for figure in ("submitted", "recognised", "benefit_vnd"):
        assert sum(p["initiatives"][figure] for p in phases) == federation["initiatives"][figure]
    by_unit = {u["code"]: u for u in federation["initiatives"]["by_unit"]}
    assert by_unit["BSR"].get("recognised", 0) >= 1  # the council's test initiative, below BSR
    async with httpx.AsyncClient(timeout=5) as client:
        officer = token("PVCFC-CB01", "PVCFC", Role.UNIT_OFFICER)
        own = await client.get(f"{reporting}/api/v1/summary/2022", headers=officer)
        assert own.status_code == 200 and own.json()["unit"]["code"] == "PVCFC"
        other = await client.get(f"{reporting}/api/v1/summary/2022?unit=BSR", headers=officer)
        assert other.status_code == 403


async def test_reporting_shows_the_same_progress_on_the_targets_as_scoring(
    system: System,
) -> None:
    """Two services, one rule book (shared.campaign.progress): reporting measures from its
    read models what scoring measures from its facts."""
    reporting, scoring = system["reporting"].url, system["scoring"].url

    def essentials(targets: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (
                t["number"],
                t["achieved"],
                t["total"],
                t["met"],
                sorted(u["code"] for u in t["lagging"])[:20],
            )
            for t in targets
        ]

    async def both() -> tuple[Any, Any]:
        ours = await get_json(f"{reporting}/api/v1/progress/2022/dot-1", lagging_limit=200)
        theirs = await get_json(f"{scoring}/api/v1/progress/2022/dot-1")
        return essentials(ours["targets"]), essentials(theirs["targets"])

    ours, _ = await eventually(both, lambda pair: pair[0] == pair[1], timeout=60)
    assert len(ours) == 7
    assert ours[6][1] >= 2, "target 7 counts the initiatives submitted in the earlier tests"

    # Every initiative counts here, also those of units the tree does not hold (earlier tests
    # made some up); the summary and the targets count the tree's.
    per_unit = await get_json(f"{reporting}/api/v1/initiative-counts", limit=1000)
    everything = sum(row["submitted"] for row in per_unit)
    trend = await get_json(f"{reporting}/api/v1/trend/2022")
    assert trend["goal"] == 2000 and [p["code"] for p in trend["phases"]] == ["dot-1", "dot-2"]
    assert trend["days"][-1]["cumulative_submitted"] == everything
    fields = await get_json(f"{reporting}/api/v1/fields/2022")
    assert sum(f["submitted"] for f in fields) == everything
    summary = await get_json(f"{reporting}/api/v1/summary/2022")

    # Phase 1 is closed: its league is scoring's published standings, one event per unit,
    # which may still be arriving.
    league = await eventually(
        lambda: get_json(f"{reporting}/api/v1/league/2022/dot-1", limit=500),
        lambda table: any(
            row["unit_code"] == "BSR" and row["recognised"] >= 1 for row in table["rows"]
        ),
    )
    assert league["total"] == len(league["rows"]) > 0
    ranks = [row["rank"] for row in league["rows"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert sum(row["submitted"] for row in league["rows"]) <= summary["initiatives"]["submitted"]
    bsr = next(row for row in league["rows"] if row["unit_code"] == "BSR")
    assert bsr["recognised"] >= 1

    board = await get_json(f"{reporting}/api/v1/honour-board/2022")
    assert board["initiatives"], "the council recognised initiatives earlier"
    benefits = [i["expected_benefit_vnd"] for i in board["initiatives"]]
    assert benefits == sorted(benefits, reverse=True)
    async with httpx.AsyncClient(timeout=5) as client:
        anonymous = await client.get(f"{reporting}/api/v1/league/2022/dot-1?unit=BSR")
        assert anonymous.status_code == 401
        officer = token("PVCFC-CB01", "PVCFC", Role.UNIT_OFFICER)
        other = await client.get(
            f"{reporting}/api/v1/league/2022/dot-1?unit=BSR&level=grassroots", headers=officer
        )
        assert other.status_code == 403
        unknown = await client.get(f"{reporting}/api/v1/progress/2022/dot-9")
        assert unknown.status_code == 404 and "dot-9" in unknown.text


async def test_reporting_exports_business_figures_for_operations(system: System) -> None:
    reporting = system["reporting"].url

    async def scrape() -> str:
        async with httpx.AsyncClient(timeout=5) as client:
            return (await client.get(f"{reporting}/metrics")).text

    # The gauges are set by the refresher every few seconds, from read models that phase 1's
    # close (its awards) reaches a little after its targets: wait for both.
    text = await eventually(
        scrape,
        lambda t: 'reporting_target_met{campaign="2022"' in t and "\nreporting_awards{" in t,
    )
    lines = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("reporting_") and not line.startswith("#")
    }
    assert lines['reporting_initiatives{campaign="2022",state="recognised",unit="BSR"}'] >= 1
    assert 'reporting_target_percent{campaign="2022",phase="dot-1",target="7"}' in lines
    assert any(key.startswith("reporting_awards{") for key in lines)
    assert any(key.startswith("reporting_consumer_lag_seconds{") for key in lines)


async def test_reporting_rebuilt_with_one_command_shows_the_same_figures(system: System) -> None:
    """Stopped, emptied and replayed from the topics: the same summary, targets and league."""
    reporting = system["reporting"]

    async def figures() -> tuple[Any, ...]:
        summary = await get_json(f"{reporting.url}/api/v1/summary/2022")
        progress = await get_json(f"{reporting.url}/api/v1/progress/2022/dot-1")
        league = await get_json(f"{reporting.url}/api/v1/league/2022/dot-1", limit=500)
        counts = await get_json(f"{reporting.url}/api/v1/initiative-counts", limit=1000)
        targets = [{k: v for k, v in t.items() if k != "computed_at"} for t in progress["targets"]]
        return summary, targets, league, counts

    before = await settled(figures)
    await asyncio.to_thread(reporting.stop)
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "services.reporting", "rebuild"],
        env=reporting.env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    assert "rebuilt from" in done.stdout.strip().splitlines()[-1]
    await asyncio.to_thread(reporting.start)
    assert await eventually(figures, lambda now: now == before, timeout=60) == before


# Last: a second scoring replays the topics and publishes again what it recomputes (standings,
# while its replay is uneven), which this module's reporting reads too.
async def test_scoring_rebuilt_from_the_topics_and_restarted_midway_has_the_same_state(
    system: System, kafka: str, postgres: str, tmp_path: Path
) -> None:
    databases = DatabaseFactory(postgres)
    rebuilt = ServiceProcess(
        "scoring",
        await databases.create("rebuilt"),
        kafka,
        tmp_path,
        extra_env={"KAFKA_GROUP_ID": f"scoring-rebuild-{uuid4().hex[:6]}"},
    )
    original = system["scoring"].url
    try:
        await asyncio.to_thread(rebuilt.migrate)
        await asyncio.to_thread(rebuilt.start)

        async def state(url: str) -> tuple[set[str], Any]:
            try:
                awards = await get_json(f"{url}/api/v1/awards")
                progress = await get_json(f"{url}/api/v1/progress/2022/dot-1")
            except httpx.HTTPStatusError:  # the campaign has not been read back yet
                return set(), None
            return {a["id"] for a in awards}, progress

        expected = await state(original)
        assert expected[0], "the earlier test closed phase 1 with awards"
        # Restarted hard in the middle of its replay, it carries on where it had committed.
        await asyncio.sleep(1.5)
        await asyncio.to_thread(rebuilt.kill)
        await asyncio.to_thread(rebuilt.start)
        await eventually(lambda: state(rebuilt.url), lambda got: got == expected, timeout=90)
    finally:
        await asyncio.to_thread(rebuilt.stop)
        await databases.drop_all()
