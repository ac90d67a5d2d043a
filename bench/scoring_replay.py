"""A year of events through scoring, against raw Kafka consumption of the same events.

    python -m bench.scoring_replay [--initiatives 20000] [--grassroots 300]

In one run, on one broker: the events of a federation's year (units, the campaign,
registrations, reports, initiatives submitted and recognised) are produced once; then
  (a) baseline: a raw aiokafka consumer reads them all;
  (b) scoring (a real process on real PostgreSQL, a new consumer group) applies them all,
      then a `phase closed` arrives and it ranks units and proposes awards.
Prints events per second for both, their ratio, and the time scoring takes to close the phase.
"""

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict
from uuid import uuid4

from sqlmodel import func, select

from bench.raw_kafka import raw_consume
from bench.results import save
from services.scoring.tables import Award, messaging
from shared.campaign.loader import load_campaign
from shared.contracts import (
    CampaignPublished,
    EventData,
    InitiativeAuthor,
    InitiativeRecognised,
    InitiativeSubmitted,
    PhaseClosed,
    RegistrationApproved,
    ReportSubmitted,
    UnitRecorded,
)
from shared.db import create_engine, session_factory
from shared.messaging.cloudevents import KafkaRecord, new_envelope, to_record
from tests.support.databases import DatabaseFactory
from tests.support.infrastructure import kafka_bootstrap, postgres_admin_url
from tests.support.kafka_probe import produce
from tests.support.polling import eventually
from tests.support.services import ServiceProcess

ROOT = Path(__file__).resolve().parents[1]


class _Phase(TypedDict):
    campaign_code: str
    phase_code: str


# Every event of the year falls in the 2022 plan's first phase: the one the bench then closes.
# A TypedDict, so that mypy checks the fields it is unpacked into.
PHASE: _Phase = {"campaign_code": "2022", "phase_code": "dot-1"}


def year_of_events(initiatives: int, grassroots: int) -> list[EventData]:
    plan = load_campaign(ROOT / "campaigns" / "2022.yaml")
    at = datetime(2022, 3, 1, tzinfo=UTC)
    events: list[EventData] = [
        CampaignPublished(
            campaign_code="2022",
            title=plan.title,
            published_by="bench",
            definition=plan.model_dump(mode="json"),
        ),
        UnitRecorded(
            code="CDDKVN",
            name="Công đoàn Dầu khí Việt Nam",
            parent_code=None,
            level="federation",
            path="CDDKVN/",
        ),
    ]
    affiliated = [f"A{n:02d}" for n in range(30)]
    units = [(code, "CDDKVN", "affiliated") for code in affiliated] + [
        (f"{affiliated[n % 30]}-G{n:03d}", affiliated[n % 30], "grassroots")
        for n in range(grassroots)
    ]
    paths = {"CDDKVN": "CDDKVN/"}
    for code, parent, level in units:
        paths[code] = f"{paths[parent]}{code}/"
        events.append(
            UnitRecorded(
                code=code,
                name=f"Công đoàn {code}",
                parent_code=parent,
                level=level,
                path=paths[code],
                cluster=f"cum-{hash(parent) % 5}",
            )
        )
        events.append(
            RegistrationApproved(
                registration_id=uuid4(),
                **PHASE,
                unit_code=code,
                movement_codes=("lao-dong-gioi-sang-tao", "01-trieu-sang-kien"),
                actor="bench",
                at=at,
            )
        )
        events.append(
            ReportSubmitted(
                report_id=uuid4(),
                **PHASE,
                unit_code=code,
                kind="result",
                figures={"activities-implemented": 100},
                due_on=None,
                submitted_at=at,
                late=False,
                submitted_by="bench",
            )
        )
    for n in range(initiatives):
        unit = units[n % len(units)][0]
        initiative, member = uuid4(), f"{unit}-M{n % 40:02d}"
        events.append(
            InitiativeSubmitted(
                initiative_id=initiative,
                **PHASE,
                unit_code=unit,
                title=f"Sáng kiến {n}",
                field="technical",
                authors=(InitiativeAuthor(member_id=member, full_name=member, share_percent=100),),
                expected_benefit_vnd=100_000_000,
                submitted_by=member,
                submitted_at=at + timedelta(minutes=n),
            )
        )
        if n % 3 == 0:
            events.append(
                InitiativeRecognised(
                    initiative_id=initiative,
                    **PHASE,
                    unit_code=unit,
                    title=f"Sáng kiến {n}",
                    author_ids=(member,),
                    decided_at=at + timedelta(minutes=n + 1),
                    weighted_score=6 + (n % 40) / 10,
                    votes_for=3,
                    council_size=3,
                )
            )
    return events


async def publish(bootstrap: str, records: list[KafkaRecord]) -> None:
    for topic in dict.fromkeys(r.topic for r in records):
        await produce(
            bootstrap, topic, [(r.key, r.value, r.headers) for r in records if r.topic == topic]
        )


async def processed(database_url: str) -> tuple[int, int]:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            events = (
                await session.scalar(select(func.count()).select_from(messaging.processed_events))
                or 0
            )
            awards = await session.scalar(select(func.count()).select_from(Award)) or 0
            return int(events), int(awards)
    finally:
        await engine.dispose()


async def main(initiatives: int, grassroots: int) -> dict[str, Any]:
    events = year_of_events(initiatives, grassroots)
    records = [
        to_record(new_envelope(e, source="/bench", subject=str(n))) for n, e in enumerate(events)
    ]
    with (
        kafka_bootstrap() as bootstrap,
        postgres_admin_url() as admin,
        tempfile.TemporaryDirectory() as logs,
    ):
        await publish(bootstrap, records)
        raw = await raw_consume(
            bootstrap, sorted({r.topic for r in records}), len(records), commit=False
        )
        databases = DatabaseFactory(admin)
        scoring = ServiceProcess(
            "scoring",
            await databases.create("bench"),
            bootstrap,
            Path(logs),
            extra_env={"KAFKA_GROUP_ID": f"b-{uuid4().hex[:6]}"},
        )
        try:
            await asyncio.to_thread(scoring.migrate)
            await asyncio.to_thread(scoring.start)
            started = time.perf_counter()
            await eventually(
                lambda: processed(scoring.database_url),
                lambda p: p[0] >= len(records),
                timeout=3600,
                interval=0.5,
            )
            applied = len(records) / (time.perf_counter() - started)
            close = PhaseClosed(
                **PHASE,
                ends_on=datetime(2022, 6, 30).date(),
                closed_by="bench",
                closed_at=datetime.now(UTC),
                forced=False,
            )
            started = time.perf_counter()
            await publish(
                bootstrap, [to_record(new_envelope(close, source="/bench", subject="2022"))]
            )
            await eventually(
                lambda: processed(scoring.database_url), lambda p: p[0] > len(records), timeout=3600
            )
            close_seconds = time.perf_counter() - started
            awards = (await processed(scoring.database_url))[1]
        finally:
            await asyncio.to_thread(scoring.stop)
            await databases.drop_all()
    return {
        "events": len(records),
        "initiatives": initiatives,
        "units": grassroots + 31,
        "raw_consume_per_second": raw,
        "scoring_per_second": applied,
        "ratio_scoring_to_raw": applied / raw,
        "close_phase_seconds": close_seconds,
        "awards_proposed": awards,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--initiatives", type=int, default=20_000)
    parser.add_argument("--grassroots", type=int, default=300)
    arguments = parser.parse_args()
    result = asyncio.run(main(arguments.initiatives, arguments.grassroots))
    print(
        f"{result['events']} events ({result['initiatives']} initiatives, {result['units']} "
        "units); 2 cores shared by Kafka, PostgreSQL, scoring and this process"
    )
    print(
        f"  raw aiokafka consume      {result['raw_consume_per_second']:>9.0f} events/s (baseline)"
    )
    print(f"  scoring applies           {result['scoring_per_second']:>9.0f} events/s")
    print(f"  ratio scoring / raw       {result['ratio_scoring_to_raw']:>9.3f}")
    print(
        f"  phase close (rank, award) {result['close_phase_seconds']:>9.1f} s, "
        f"{result['awards_proposed']} awards proposed"
    )
    save("scoring_replay", result)
