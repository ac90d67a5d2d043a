"""docs/asyncapi.yaml: generated from the code, complete, and its examples valid against it."""

import importlib
import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from shared.contracts.asyncapi.__main__ import main
from shared.contracts.asyncapi.document import build_document
from shared.contracts.asyncapi.draft07 import to_draft_07
from shared.contracts.asyncapi.examples import EXAMPLES_FILE, RecordedEvent, load_examples
from shared.contracts.asyncapi.headers import check_described
from shared.contracts.asyncapi.record import choose
from shared.contracts.asyncapi.render import render_page
from shared.contracts.catalogue import CONTRACTS
from shared.contracts.topics import CONSUMERS, declared_topics
from tests.support.asyncapi_document import AsyncApiDocument


@pytest.fixture(scope="module")
def document() -> AsyncApiDocument:
    return AsyncApiDocument()


def test_the_committed_document_is_a_fresh_generation() -> None:
    assert main(["--check"]) == 0, "run `make asyncapi` and commit docs/asyncapi.yaml"


def test_two_generations_are_equal() -> None:
    assert build_document() == build_document()


def test_every_contract_is_a_message_of_its_topic(document: AsyncApiDocument) -> None:
    for contract in CONTRACTS:
        message = document.event_messages[contract.event_type]
        assert message.name == contract.__name__
        assert message.name in document.topics[contract.topic]["messages"]
        payload = document.raw["components"]["schemas"][message.name]
        assert list(payload["properties"]) == list(contract.model_fields)
        assert payload["required"] == [
            name for name, field in contract.model_fields.items() if field.is_required()
        ]


def test_every_declared_topic_is_a_channel_with_its_partitions(
    document: AsyncApiDocument,
) -> None:
    assert set(document.topics) == {spec.name for spec in declared_topics()}
    for spec in declared_topics():
        kafka = document.topics[spec.name]["bindings"]["kafka"]
        assert (kafka["topic"], kafka["partitions"]) == (spec.name, spec.partitions)
        assert kafka["topicConfiguration"]["retention.ms"] == spec.retention_ms


def test_each_service_receives_what_its_bootstrap_subscribes(document: AsyncApiDocument) -> None:
    receivers = document.receivers()
    for name in CONSUMERS:
        definition = importlib.import_module(f"services.{name}.bootstrap").define()
        assert receivers[name] == {s.contract.__name__ for s in definition.subscriptions}


def test_every_example_is_valid_against_its_message(document: AsyncApiDocument) -> None:
    for message in document.event_messages.values():
        assert document.errors(message, "headers", message.example["headers"]) is None
        assert document.errors(message, "payload", message.example["payload"]) is None


def test_a_record_off_the_document_is_refused(document: AsyncApiDocument) -> None:
    message = document.event_messages["vn.congdoandaukhi.thidua.initiative.submitted.v1"]
    payload = {**message.example["payload"], "expected_benefit_vnd": -1}
    assert document.errors(message, "payload", payload) is not None
    headers = {**message.example["headers"], "traceparent": "not a trace"}
    assert document.errors(message, "headers", headers) is not None


def test_the_dead_letter_example_is_what_a_consumer_writes(document: AsyncApiDocument) -> None:
    dead_letter = document.raw["components"]["messages"]["DeadLetter"]["examples"][0]
    assert dead_letter["headers"]["dlq_reason"] == (
        "data does not match InitiativeSubmitted: title: Field required"
    )
    malformed = "shared.messaging.cloudevents.MalformedEvent"
    assert dead_letter["headers"]["dlq_error_class"] == malformed


def test_a_recording_the_codec_would_not_write_is_refused() -> None:
    recorded = next(iter(load_examples().values()))
    renamed = {
        ("Content-Type" if name == "content-type" else name): v
        for name, v in recorded.headers.items()
    }
    with pytest.raises(ValueError, match="the codec writes"):
        check_described([RecordedEvent(recorded.topic, recorded.key, renamed, recorded.value)])


def test_the_readme_links_every_event_to_its_anchor_in_the_page() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    page = render_page(build_document())  # docs/asyncapi.html, which `make asyncapi` writes
    linked = set(re.findall(r"docs/asyncapi\.html#(\w+)", readme))
    assert {contract.__name__ for contract in CONTRACTS} | {"DeadLetter"} <= linked
    assert all(f'id="{anchor}"' in page for anchor in linked)


def test_a_record_is_checked_as_a_stock_client_reads_it(document: AsyncApiDocument) -> None:
    message = document.event_messages["vn.congdoandaukhi.thidua.unit.recorded.v1"]
    headers, payload = message.example["headers"], message.example["payload"]
    value = json.dumps(payload, ensure_ascii=False)
    topic, key = "thidua.units.v1", headers["ce_subject"]
    assert document.record_errors(topic, key, headers, value) == []
    assert document.record_errors(topic, "OTHER", headers, value)  # key is not ce_subject
    assert document.record_errors(topic, key, headers, "{not json")
    assert document.record_errors("thidua.initiatives.v1", key, headers, value)  # wrong topic
    assert document.record_errors("thidua.unknown.v1", key, headers, value)
    dead = {**headers, "dlq_reason": "why"}  # the other dlq_* headers missing
    assert document.record_errors("thidua.reporting.dlq", key, dead, "anything")


def test_pydantics_2020_12_keywords_are_written_as_draft_07() -> None:
    class Pair(BaseModel):
        both: tuple[int, str]
        rest: tuple[int, ...]

    properties = to_draft_07(Pair.model_json_schema())["properties"]
    assert properties["both"]["items"] == [{"type": "integer"}, {"type": "string"}]
    assert "prefixItems" not in properties["both"]
    assert properties["rest"]["items"] == {"type": "integer"}
    assert to_draft_07({"discriminator": {"propertyName": "kind", "mapping": {}}}) == {
        "discriminator": "kind"
    }


def test_the_recording_keeps_the_richest_event_of_each_known_type() -> None:
    def event(ce_type: str, value: dict[str, object]) -> RecordedEvent:
        return RecordedEvent("thidua.units.v1", "K", {"ce_type": ce_type}, value)

    unit = "vn.congdoandaukhi.thidua.unit.recorded.v1"
    sparse = event(unit, {"code": "A", "parent_code": None, "cluster": None})
    full = event(unit, {"code": "B", "parent_code": "A", "cluster": "north"})
    equal = event(unit, {"code": "C", "parent_code": "A", "cluster": "south"})
    unknown = event("com.example.other.v1", {"a": 1, "b": 2, "c": 3, "d": 4})
    assert choose([sparse, full, equal, unknown]) == {unit: full}


def test_a_recording_its_contract_no_longer_accepts_is_refused() -> None:
    recorded = load_examples()["vn.congdoandaukhi.thidua.unit.recorded.v1"]
    stale = RecordedEvent(recorded.topic, recorded.key, recorded.headers, {"code": "X"})
    with pytest.raises(ValueError, match="record again"):
        check_described([stale])


def test_the_recorded_examples_are_written_back_as_read() -> None:
    raw = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    examples = load_examples()
    assert {event_type: examples[event_type].as_json() for event_type in raw} == raw
    assert all(list(e.as_json()) == ["topic", "key", "headers", "value"] for e in examples.values())
