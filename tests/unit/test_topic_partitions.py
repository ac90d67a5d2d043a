"""THIDUA_TOPIC_PARTITIONS: partition counts per environment over the declaration's."""

import re

import pytest
from pydantic import ValidationError

from services.reporting.config import ReportingSettings
from shared.contracts import topics
from shared.contracts.topics import declared_topics, parse_partitions, with_partitions


def partitions(specs: tuple[topics.TopicSpec, ...]) -> dict[str, int]:
    return {spec.name: spec.partitions for spec in specs}


def test_without_an_override_the_declaration_stands() -> None:
    assert with_partitions(parse_partitions("")) == declared_topics()
    declared = partitions(declared_topics())
    assert (declared[topics.INITIATIVES], declared[topics.REVIEWS]) == (6, 6)


def test_a_topic_named_gets_its_count_and_star_every_other() -> None:
    chosen = partitions(
        with_partitions(parse_partitions(" thidua.initiatives.v1=24 , *=2,thidua.units.v1=1"))
    )
    assert chosen[topics.INITIATIVES] == 24
    assert chosen[topics.UNITS] == 1
    assert chosen[topics.REVIEWS] == chosen["thidua.reporting.dlq"] == 2


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("thidua.initiative.v1=4", "'thidua.initiative.v1' is not a declared topic"),
        ("thidua.initiatives.v1=0", "at least 1 partition"),
        ("thidua.initiatives.v1", "is not <topic>=<partitions>"),
        ("*=two", "is not <topic>=<partitions>"),
        ("*=-1", "is not <topic>=<partitions>"),
    ],
)
def test_a_wrong_value_is_refused_naming_it(value: str, says: str) -> None:
    with pytest.raises(ValueError, match=re.escape(says)):
        parse_partitions(value)


def test_every_service_reads_it_without_its_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_TOPIC_PARTITIONS", "thidua.reviews.v1=12")
    settings = ReportingSettings(database_url="sqlite+aiosqlite://")
    assert partitions(settings.topics())[topics.REVIEWS] == 12
    assert partitions(settings.topics())[topics.INITIATIVES] == 6


def test_a_service_refuses_to_start_on_a_typo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_TOPIC_PARTITIONS", "thidua.review.v1=12")
    with pytest.raises(
        ValidationError, match=re.escape("'thidua.review.v1' is not a declared topic")
    ):
        ReportingSettings(database_url="sqlite+aiosqlite://")
