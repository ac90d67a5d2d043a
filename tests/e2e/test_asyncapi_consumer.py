"""A consumer written by someone else, from docs/asyncapi.yaml alone: messages made from the
document (its examples with fresh ids, as recorded and with only their required fields) and
produced by a plain aiokafka producer exactly as it describes them (topic, key, headers) are
applied by every service that receives them, and none is dead-lettered; after an initiative's
real life on top, kcat, a stock client, reads every topic and finds every record valid against
the document's schemas."""

import json
import re
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.e2e.one_life import Walk
from tests.support.asyncapi_document import AsyncApiDocument, Message
from tests.support.infrastructure import kafka_bootstrap
from tests.support.kcat import audit_broker
from tests.support.polling import eventually
from tests.support.services import ServiceProcess

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def kafka() -> Iterator[str]:
    """A broker of its own: the document's examples (campaign 2022's phase 1 closed, its
    awards) stay off the topics the other modules' services read."""
    with kafka_bootstrap() as address:
        yield address


@dataclass(frozen=True)
class Sent:
    message: str
    topic: str
    ce_id: str


class FreshIds:
    """Every UUID of the examples replaced by a new one, the same one wherever it recurs (an
    award's id in the proposals awaiting a decision), so the examples still refer to each other
    and to nothing an earlier run left."""

    def __init__(self) -> None:
        self.new: dict[str, str] = {}

    def __call__(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {name: self(item) for name, item in value.items()}
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, str) and UUID.match(value):
            return self.new.setdefault(value, str(uuid4()))
        return value


def required_only(document: AsyncApiDocument, message: Message, payload: Any) -> Any:
    """The payload with only the fields its schema requires: what a producer that leaves out
    every optional field sends."""
    schema_name = message.definition["payload"]["$ref"].rsplit("/", 1)[-1]
    required = document.raw["components"]["schemas"][schema_name].get("required", [])
    return {name: value for name, value in payload.items() if name in required}


def from_the_document(document: AsyncApiDocument) -> list[tuple[str, str, dict[str, str], Any]]:
    """(message, topic, headers, payload) made from every event message's example, twice: as
    recorded, and with only its required fields (each about aggregates of its own: new ids),
    each with a new event id, time and trace; in the order the real run sent them."""
    made = []
    for variant, fresh in enumerate((FreshIds(), FreshIds())):
        for message in document.event_messages.values():
            example = message.example
            headers = fresh(example["headers"]) | {
                "ce_id": str(uuid4()),
                "ce_time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "traceparent": f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01",
            }
            payload = fresh(example["payload"])
            if variant:
                payload = required_only(document, message, payload)
            topics = document.topics
            topic = next(t for t in topics if message.name in topics[t]["messages"])
            made.append(
                (variant, example["headers"]["ce_time"], message.name, topic, headers, payload)
            )
    return [(name, topic, headers, payload) for *_, name, topic, headers, payload in sorted(made)]


@pytest.fixture(scope="module")
async def sent(kafka: str, system: dict[str, ServiceProcess]) -> list[Sent]:
    document = AsyncApiDocument()
    producer = AIOKafkaProducer(bootstrap_servers=kafka, acks="all", enable_idempotence=True)
    await producer.start()
    result = []
    try:
        for name, topic, headers, payload in from_the_document(document):
            for error in (
                document.errors(document_message(document, name), "headers", headers),
                document.errors(document_message(document, name), "payload", payload),
            ):
                assert error is None, error
            await producer.send_and_wait(
                topic,
                key=headers["ce_subject"].encode(),
                value=json.dumps(payload, ensure_ascii=False).encode(),
                headers=[(header, value.encode()) for header, value in headers.items()],
            )
            result.append(Sent(name, topic, headers["ce_id"]))
    finally:
        await producer.stop()
    return result


def document_message(document: AsyncApiDocument, name: str) -> Any:
    return next(m for m in document.event_messages.values() if m.name == name)


async def processed(service: ServiceProcess) -> set[str]:
    engine = create_async_engine(service.database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT event_id FROM processed_events"))
            return {str(row[0]) for row in rows}
    finally:
        await engine.dispose()


async def not_applied(service: ServiceProcess, expected: dict[str, str]) -> list[str]:
    """The messages (by name) of `expected` (event id: message) the service has not applied."""
    applied = await processed(service)
    return sorted(name for ce_id, name in expected.items() if ce_id not in applied)


@pytest.mark.timeout(240)
async def test_messages_made_from_the_document_alone_are_applied_by_every_service(
    kafka: str, system: dict[str, ServiceProcess], sent: list[Sent]
) -> None:
    document = AsyncApiDocument()
    receivers = document.receivers()
    assert set(receivers) == set(system)
    assert {s.message for s in sent} == {m.name for m in document.event_messages.values()}
    for group, names in receivers.items():
        expected = {s.ce_id: s.message for s in sent if s.message in names}
        assert expected, group
        missing = partial(not_applied, system[group], expected)
        await eventually(missing, lambda names: not names, timeout=90)
    dead_letters = [
        audit for audit in audit_broker(kafka, document) if audit.topic.endswith(".dlq")
    ]
    assert len(dead_letters) == len(receivers)
    assert {audit.topic: audit.records for audit in dead_letters} == {
        audit.topic: 0 for audit in dead_letters
    }


@pytest.mark.timeout(240)
async def test_kcat_finds_every_record_of_every_topic_valid_against_the_document(
    kafka: str, system: dict[str, ServiceProcess], sent: list[Sent]
) -> None:
    document = AsyncApiDocument()
    async with httpx.AsyncClient(timeout=30) as client:
        walk = Walk(system, client)
        await walk.start()
        await walk.everywhere("submitted", 1)
        assert (await walk.assign()).status_code == 200
        assert (await walk.score_all()).status_code == 200
        await walk.everywhere("recognised", 1)

    audits = audit_broker(kafka, document)
    assert {a.topic: a.invalid for a in audits} == {a.topic: [] for a in audits}
    assert {a.topic for a in audits} == set(document.topics)
    seen = sum((a.types for a in audits), start=Counter())
    assert set(document.event_messages) <= set(seen)
    # Beyond the document's own examples: what the services themselves published (the seeded
    # campaign and units, the walk's initiative and its review, scoring's awards and standings
    # at the phase-1 close the examples carried).
    assert sum(a.records for a in audits) > len(sent) + 10
