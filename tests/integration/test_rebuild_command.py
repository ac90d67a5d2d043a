"""`rebuild` on the real broker and PostgreSQL: reporting, stopped, gets back from its topics
the read models it had, whatever was done to them; a running service is left alone; a later
`serve` carries on where the rebuild stopped."""

import asyncio
import dataclasses
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import select, text

from services.reporting.bootstrap import define
from services.reporting.config import ReportingSettings
from services.reporting.tables import (
    RefreshState,
    StandingRow,
    TargetProgressRow,
    UnitView,
    messaging,
    metadata,
)
from services.submissions.demo import token
from shared.auth import Role
from shared.cli import RebuildRefused, rebuild
from shared.contracts import EventData, InitiativeAuthor, InitiativeSubmitted, UnitRecorded
from shared.db import create_engine
from shared.messaging.cloudevents import new_envelope, to_record
from shared.service_app import ServiceDefinition
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import REPO
from tests.support.kafka_probe import produce
from tests.support.polling import eventually, settled
from tests.support.services import ServiceProcess

ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)


def unit_recorded(code: str) -> UnitRecorded:
    return UnitRecorded(
        code=code,
        name=f"Công đoàn {code}",
        parent_code="CDDKVN",
        level="affiliated",
        path=f"CDDKVN/{code}/",
    )


def submitted(campaign: str, unit: str, benefit: int) -> InitiativeSubmitted:
    return InitiativeSubmitted(
        initiative_id=uuid4(),
        campaign_code=campaign,
        phase_code="dot-1",
        unit_code=unit,
        title=f"Sáng kiến {benefit}",
        field="technical",
        authors=(InitiativeAuthor(member_id="M1", full_name="Phạm Minh Đức", share_percent=100),),
        expected_benefit_vnd=benefit,
        submitted_by="M1",
        submitted_at=datetime.now(UTC),
    )


# Computed from the read models by the refresher, not applied from events.
MATERIALISED = (
    TargetProgressRow.__tablename__,
    StandingRow.__tablename__,
    RefreshState.__tablename__,
)


async def publish(kafka: str, *events: EventData) -> None:
    for event in events:
        record = to_record(new_envelope(event, source="/tests/rebuild", subject=event.topic))
        await produce(kafka, record.topic, [(record.key, record.value, record.headers)])


async def submitted_count(service: ServiceProcess, campaign: str, unit: str) -> int:
    async with httpx.AsyncClient(timeout=5, headers=ADMIN) as client:
        response = await client.get(
            f"{service.url}/api/v1/initiative-counts",
            params={"campaign_code": campaign, "unit_code": unit},
        )
    response.raise_for_status()
    rows = response.json()
    return int(rows[0]["submitted"]) if rows else 0


async def metric(service: ServiceProcess, name: str) -> float:
    async with httpx.AsyncClient(timeout=5) as client:
        lines = (await client.get(f"{service.url}/metrics")).text.splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith(f"{name}{{"))


async def snapshot(database_url: str, marker: str) -> dict[str, Any]:
    """The read-model rows this test's events made (they all carry `marker`), table by table,
    and the ids of every event processed.

    Other rows come from what earlier tests left on the shared topics; they are rebuilt too.
    The materialised progress is left out: the running service's refresher computes it from
    the read models whenever it gets round to it (on a busy machine, after the snapshot was
    taken), and a rebuild does not."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables: dict[str, Any] = {}
            for table in metadata.sorted_tables:
                if table in (messaging.outbox, messaging.processed_events) or table.name in (
                    MATERIALISED
                ):
                    continue
                rows = (await connection.execute(table.select())).mappings().all()
                tables[table.name] = sorted(
                    (dict(row) for row in rows if marker in repr(dict(row))), key=repr
                )
            processed = set(await connection.scalars(select(messaging.processed_events.c.event_id)))
    finally:
        await engine.dispose()
    return {"tables": tables, "processed": processed}


async def corrupt(database_url: str, unit: str) -> None:
    """What a buggy projection or a hand-made fix could leave behind."""
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE initiatives SET title = 'hỏng', expected_benefit_vnd = 1"),
            )
            await connection.execute(
                UnitView.__table__.insert().values(  # type: ignore[attr-defined]
                    code=f"{unit}-X", name="bogus", level="sub", path=f"CDDKVN/{unit}-X/"
                )
            )
    finally:
        await engine.dispose()


def rebuildable(service: ServiceProcess, group: str) -> ServiceDefinition:
    """Reporting as the test's process runs it, with the test's database, broker and group."""
    settings = ReportingSettings(
        database_url=service.database_url,
        kafka_bootstrap_servers=service.kafka,
        http_port=service.port,
        kafka_group_id=group,
    )
    return dataclasses.replace(define(settings), rebuildable=True)


async def test_rebuild_restores_the_read_models_from_the_topics(
    kafka: str, databases: DatabaseFactory, tmp_path: Path
) -> None:
    # Every row this test's events make carries the marker ("Q" is in no UUID or date).
    marker = f"Q{uuid4().hex[:8].upper()}"
    campaign, unit = marker, f"{marker}-U"
    group = f"reporting-rebuild-{marker.lower()}"
    service = ServiceProcess(
        "reporting",
        await databases.create("rebuild"),
        kafka,
        tmp_path,
        extra_env={"KAFKA_GROUP_ID": group},
    )
    await asyncio.to_thread(service.migrate)
    await asyncio.to_thread(service.start)
    try:
        await publish(
            kafka, unit_recorded(unit), *(submitted(campaign, unit, b) for b in (100, 200, 300))
        )
        await eventually(lambda: submitted_count(service, campaign, unit), lambda n: n == 3)

        # Everything on the shared topics applied, not only this test's events: the rebuild
        # replays all of it.
        await settled(lambda: snapshot(service.database_url, marker))
        with pytest.raises(RebuildRefused, match="active member") as refused:
            await rebuild(rebuildable(service, group))
        assert refused.value.exit_code == 1
    finally:
        service.stop()

    before = await snapshot(service.database_url, marker)
    assert len(before["tables"]["initiatives"]) == 3
    await corrupt(service.database_url, unit)
    assert await snapshot(service.database_url, marker) != before

    summary = await rebuild(rebuildable(service, group))

    assert await snapshot(service.database_url, marker) == before
    assert summary.events_applied == len(before["processed"])
    assert summary.group_id == group
    assert summary.line().startswith(f"reporting: rebuilt from {summary.topics} topics, ")

    # Serving again starts where the rebuild stopped: nothing replayed twice, new events on.
    await asyncio.to_thread(service.start)
    try:
        await publish(kafka, submitted(campaign, unit, 400))
        await eventually(lambda: submitted_count(service, campaign, unit), lambda n: n == 4)
        assert await metric(service, "reporting_events_processed_total") == 1
        assert await metric(service, "reporting_events_duplicate_total") == 0
    finally:
        service.stop()


def test_a_service_that_is_not_a_projection_refuses_to_rebuild(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "services.scoring", "rebuild"],
        cwd=REPO,
        env={**os.environ, "SCORING_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/s.db"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "scoring: rebuild refused: " in done.stderr
    assert "not a pure projection" in done.stderr
