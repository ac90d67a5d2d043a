"""One initiative, end to end, through four real service processes, Kafka and PostgreSQL:
initiatives submitted, decided, walked through every state; a phase closed with its awards;
reporting's figures over them, and reporting and scoring rebuilt from what was published.

Each test makes what it needs itself (tests.e2e.builders): its own units and members, and a
campaign of its own where it closes a phase, so phase 1 of 2022, which the others submit to,
stays open, and each test passes alone or in any order. They share the module's running
services and its broker of their own, so no other module's events are in what the rebuilds
replay and no other module's services share its topics."""

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
from tests.e2e.builders import (
    ClosedPhase,
    call,
    closed_phase,
    get_json,
    get_json_if_known,
    new_member,
    standings_reached_reporting,
)
from tests.e2e.conftest import ADMIN, add_grassroots_unit, initiative_body
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap
from tests.support.kafka_probe import headers_of, produce, read_topic
from tests.support.polling import eventually, settled
from tests.support.services import ServiceProcess, metric
from tests.unit.event_examples import submitted

System = dict[str, ServiceProcess]


@pytest.fixture(scope="module")
def kafka() -> Iterator[str]:
    """A broker of its own: the rebuilds replay its topics from the beginning and must find
    this module's events only, and its phase 1 close reaches no other module's services."""
    with kafka_bootstrap() as address:
        yield address


def unique_unit() -> str:
    return f"E2E-{uuid4().hex[:8].upper()}"


async def unit_count(system: System, unit: str) -> int:
    rows = await get_json(f"{system['reporting'].url}/api/v1/initiative-counts", unit_code=unit)
    return int(rows[0]["submitted"]) if rows else 0


async def test_a_submitted_initiative_reaches_scoring_reporting_and_the_authors_inbox(
    system: System, kafka: str
) -> None:
    unit, member = unique_unit(), new_member()
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
    """A new initiative of `unit`'s, `member`'s alone, as a record to produce straight to Kafka."""
    author = InitiativeAuthor(member_id=member, full_name="Vũ Quốc Huy", share_percent=100)
    data = submitted(
        initiative_id=uuid4(),
        unit_code=unit,
        title="Sáng kiến gửi trực tiếp lên Kafka",
        field="management",
        authors=(author,),
        submitted_by=member,
        submitted_at=datetime.now(UTC),
    )
    return to_record(new_envelope(data, source="/thidua/tests", subject=unit))


async def test_the_subtree_of_a_unit_that_does_not_exist_is_empty(system: System) -> None:
    # On PostgreSQL: the NUL byte that once stood for "no such unit" was refused (a 500).
    async with httpx.AsyncClient(timeout=10) as client:
        listed = await client.get(
            f"{system['submissions'].url}/api/v1/units", params={"under": "KHONG-CO"}, headers=ADMIN
        )
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == [] and listed.json()["total"] == 0


async def test_the_same_event_delivered_twice_is_applied_once_by_every_consumer(
    system: System, kafka: str
) -> None:
    unit, member = unique_unit(), new_member()
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
    null_key = f"null-header-{uuid4().hex[:8]}".encode()
    null_headers = [(n, None if n == "ce_id" else v) for n, v in good.headers]
    await produce(
        kafka,
        topics.INITIATIVES,
        [
            (broken_key, b"{this is not json", good.headers),
            (not_utf8_key, good.value, not_utf8_headers),
            (null_key, good.value, null_headers),
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
        parked = await read_topic(
            kafka, f"thidua.{consumer}.dlq", until=lambda rs: any(r.key == null_key for r in rs)
        )
        reason = headers_of(next(r for r in parked if r.key == null_key))["dlq_reason"]
        assert reason == "missing header ce_id"


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
    unit, member = unique_unit(), new_member()
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
    # A backlog waits while reporting is down, so that when it starts again it applies it in
    # slices and the kill lands inside one. Sent while it ran, the records were applied as
    # they arrived, one by one, and all 8,000 could be in before the kill.
    unit, total = unique_unit(), 8000
    reporting = system["reporting"]
    records = [event_for(unit) for _ in range(total)]
    await asyncio.to_thread(reporting.kill)
    try:
        await produce(kafka, topics.INITIATIVES, [(r.key, r.value, r.headers) for r in records])
    finally:
        await asyncio.to_thread(reporting.start)

    # Kill it hard while it is part-way through: effects committed, offsets maybe not.
    applied_at_kill = await eventually(
        lambda: unit_count(system, unit), lambda n: n > 0, timeout=90, interval=0.02
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
    unit, member = unique_unit(), new_member()
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


async def test_closing_a_phase_proposes_awards_by_rule_which_an_admin_confirms_and_revokes(
    system: System, kafka: str
) -> None:
    scoring = system["scoring"].url
    closed = await closed_phase(system, parent="PVCFC", authors=1)
    [member] = closed.members
    awards = await get_json(f"{scoring}/api/v1/awards", campaign_code=closed.campaign)
    [award] = [a for a in awards if a["grant"]["recipient_id"] == member]
    assert award["status"] == "proposed"
    assert award["grant"]["award_name"] == "Bằng khen của Công đoàn Dầu khí Việt Nam"
    assert award["grant"]["reasons"]
    confirmed = await call("POST", f"{scoring}/api/v1/awards/{award['id']}/confirm", ADMIN)
    assert confirmed["status"] == "confirmed"
    revoked = await call(
        "POST",
        f"{scoring}/api/v1/awards/{award['id']}/revoke",
        ADMIN,
        json={"reason": "Trùng thành tích"},
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


@pytest.fixture
async def closed(system: System) -> ClosedPhase:
    """The test's own campaign, its phase 1 closed: two initiatives recognised below BSR, an
    award proposed for each author."""
    closed = await closed_phase(system, parent="BSR", authors=2)
    await standings_reached_reporting(system, closed.campaign)
    return closed


async def test_reporting_sums_up_the_campaign_for_the_federation_and_each_subtree(
    system: System, closed: ClosedPhase
) -> None:
    reporting, campaign = system["reporting"].url, closed.campaign
    award = f"{system['scoring'].url}/api/v1/awards/{closed.awards[closed.members[0]]['id']}"
    await call("POST", f"{award}/confirm", ADMIN)
    await call("POST", f"{award}/revoke", ADMIN, json={"reason": "Trùng thành tích"})

    def complete(figures: dict[str, Any] | None) -> bool:
        return bool(
            figures is not None  # None: the campaign has not reached reporting yet (404)
            and figures["initiatives"]["recognised"] >= 2
            and figures["registrations"]["approved_units"] >= 1
            and figures["awards"]["by_status"].get("revoked", 0) >= 1
        )

    federation = await eventually(
        lambda: get_json_if_known(f"{reporting}/api/v1/summary/{campaign}"), complete
    )
    assert federation["unit"]["code"] == "CDDKVN"
    assert federation["initiatives"]["submitted"] >= federation["initiatives"]["recognised"]
    assert federation["initiatives"]["benefit_display"].endswith("₫")
    phases = [
        await get_json(f"{reporting}/api/v1/summary/{campaign}", phase=code)
        for code in ("dot-1", "dot-2")
    ]
    for figure in ("submitted", "recognised", "benefit_vnd"):
        assert sum(p["initiatives"][figure] for p in phases) == federation["initiatives"][figure]
    by_unit = {u["code"]: u for u in federation["initiatives"]["by_unit"]}
    assert by_unit["BSR"].get("recognised", 0) >= 1  # the fixture's initiatives, below BSR
    async with httpx.AsyncClient(timeout=5) as client:
        officer = token("PVCFC-CB01", "PVCFC", Role.UNIT_OFFICER)
        own = await client.get(f"{reporting}/api/v1/summary/{campaign}", headers=officer)
        assert own.status_code == 200 and own.json()["unit"]["code"] == "PVCFC"
        other = await client.get(f"{reporting}/api/v1/summary/{campaign}?unit=BSR", headers=officer)
        assert other.status_code == 403


async def test_reporting_shows_the_same_progress_on_the_targets_as_scoring(
    system: System, closed: ClosedPhase
) -> None:
    """Two services, one rule book (shared.campaign.progress): reporting measures from its
    read models what scoring measures from its facts."""
    reporting, scoring, campaign = system["reporting"].url, system["scoring"].url, closed.campaign

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
        ours = await get_json(f"{reporting}/api/v1/progress/{campaign}/dot-1", lagging_limit=200)
        theirs = await get_json(f"{scoring}/api/v1/progress/{campaign}/dot-1")
        return essentials(ours["targets"]), essentials(theirs["targets"])

    ours, _ = await eventually(both, lambda pair: pair[0] == pair[1], timeout=60)
    assert len(ours) == 7
    assert ours[6][1] >= 2, "target 7 counts the fixture's two initiatives"

    per_unit = await get_json(
        f"{reporting}/api/v1/initiative-counts", campaign_code=campaign, limit=1000
    )
    everything = sum(row["submitted"] for row in per_unit)
    assert everything == len(closed.members)
    trend = await get_json(f"{reporting}/api/v1/trend/{campaign}")
    assert trend["goal"] == 2000 and [p["code"] for p in trend["phases"]] == ["dot-1", "dot-2"]
    assert trend["days"][-1]["cumulative_submitted"] == everything
    fields = await get_json(f"{reporting}/api/v1/fields/{campaign}")
    assert sum(f["submitted"] for f in fields) == everything
    summary = await get_json(f"{reporting}/api/v1/summary/{campaign}")

    # Phase 1 is closed: its league is scoring's published standings, one event per unit,
    # which may still be arriving.
    league = await eventually(
        lambda: get_json(f"{reporting}/api/v1/league/{campaign}/dot-1", limit=500),
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

    board = await get_json(f"{reporting}/api/v1/honour-board/{campaign}")
    assert board["initiatives"], "the council recognised the fixture's initiatives"
    benefits = [i["expected_benefit_vnd"] for i in board["initiatives"]]
    assert benefits == sorted(benefits, reverse=True)
    async with httpx.AsyncClient(timeout=5) as client:
        # A level's league is public, so its part under one unit is too: the same rows.
        league_url = f"{reporting}/api/v1/league/{campaign}/dot-1"
        level: dict[str, str | int] = {"level": "grassroots", "limit": 200}
        everyone = await client.get(league_url, params=level)
        narrowed = await client.get(league_url, params={**level, "unit": "BSR"})
        assert everyone.status_code == narrowed.status_code == 200, narrowed.text
        assert everyone.json()["total"] == len(everyone.json()["rows"])  # all on one page
        subtree = await client.get(
            f"{system['submissions'].url}/api/v1/units",
            params={"under": "BSR", "limit": 200},
            headers=token("HD-NGOAI", "CDDKVN", Role.REVIEWER),
        )
        codes = {u["code"] for u in subtree.json()["items"]}
        shown = [r["unit_code"] for r in narrowed.json()["rows"]]
        assert shown and shown == [
            r["unit_code"] for r in everyone.json()["rows"] if r["unit_code"] in codes
        ]
        nowhere = await client.get(league_url, params={"unit": "KHONG-CO"})
        assert nowhere.status_code == 404 and nowhere.json()["errors"][0]["field"] == "unit"
        unknown = await client.get(f"{reporting}/api/v1/progress/{campaign}/dot-9")
        assert unknown.status_code == 404 and "dot-9" in unknown.text


async def test_reporting_exports_business_figures_for_operations(
    system: System, closed: ClosedPhase
) -> None:
    reporting, campaign = system["reporting"].url, closed.campaign

    async def scrape() -> str:
        async with httpx.AsyncClient(timeout=5) as client:
            return (await client.get(f"{reporting}/metrics")).text

    # The gauges are set by the refresher every few seconds, from read models that phase 1's
    # close (its awards) reaches a little after its targets: wait for both.
    def awards(text: str) -> list[str]:
        return [
            line
            for line in text.splitlines()
            if line.startswith("reporting_awards{") and f'campaign="{campaign}"' in line
        ]

    text = await eventually(
        scrape, lambda t: f'reporting_target_met{{campaign="{campaign}"' in t and bool(awards(t))
    )
    lines = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("reporting_") and not line.startswith("#")
    }
    assert (
        lines[f'reporting_initiatives{{campaign="{campaign}",state="recognised",unit="BSR"}}'] >= 1
    )
    assert f'reporting_target_percent{{campaign="{campaign}",phase="dot-1",target="7"}}' in lines
    assert awards(text)
    assert any(key.startswith("reporting_consumer_lag_seconds{") for key in lines)


async def test_reporting_rebuilt_with_one_command_shows_the_same_figures(
    system: System, closed: ClosedPhase
) -> None:
    """Stopped, emptied and replayed from the topics: the same summary, targets and league."""
    reporting, campaign = system["reporting"], closed.campaign

    async def figures() -> tuple[Any, ...]:
        summary = await get_json(f"{reporting.url}/api/v1/summary/{campaign}")
        progress = await get_json(f"{reporting.url}/api/v1/progress/{campaign}/dot-1")
        league = await get_json(f"{reporting.url}/api/v1/league/{campaign}/dot-1", limit=500)
        counts = await get_json(
            f"{reporting.url}/api/v1/initiative-counts", campaign_code=campaign, limit=1000
        )
        targets = [{k: v for k, v in t.items() if k != "computed_at"} for t in progress["targets"]]
        return summary, targets, league, counts

    # Two reads a refresh apart agree (reporting recomputes its figures every 5 s): what the
    # fixture's close published has been counted.
    before = await settled(figures, pause=6.0, reads=20)
    assert before[3], "the fixture's initiatives are counted before the rebuild"
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


# A second scoring replays the topics and publishes again what it recomputes (standings, while
# its replay is uneven), which this module's reporting reads too.
async def test_scoring_rebuilt_from_the_topics_and_restarted_midway_has_the_same_state(
    system: System, kafka: str, postgres: str, tmp_path: Path, closed: ClosedPhase
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
                awards = await get_json(f"{url}/api/v1/awards", campaign_code=closed.campaign)
                progress = await get_json(f"{url}/api/v1/progress/{closed.campaign}/dot-1")
            except httpx.HTTPStatusError:  # the campaign has not been read back yet
                return set(), None
            return {a["id"] for a in awards}, progress

        expected = await state(original)
        assert {a["id"] for a in closed.awards.values()} <= expected[0], "phase 1 closed"
        # Restarted hard in the middle of its replay, it carries on where it had committed.
        await asyncio.sleep(1.5)
        await asyncio.to_thread(rebuilt.kill)
        await asyncio.to_thread(rebuilt.start)
        await eventually(lambda: state(rebuilt.url), lambda got: got == expected, timeout=90)
    finally:
        await asyncio.to_thread(rebuilt.stop)
        await databases.drop_all()
