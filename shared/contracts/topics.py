"""Kafka topic names: the public addresses of Thi Đua's events.

One topic per aggregate and producer, so that every event about one initiative (or one
phase, one award ...) keeps its order on one partition. The suffix is the contract's
major version: a breaking change goes to a new topic; within a version fields are only
ever added, as optional.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

INITIATIVES = "thidua.initiatives.v1"
"""Produced by submissions: initiative submitted, amended, withdrawn."""

CAMPAIGNS = "thidua.campaigns.v1"
"""Produced by submissions: campaign published, phase opened, phase closed."""

REGISTRATIONS = "thidua.registrations.v1"
"""Produced by submissions: registration submitted, returned, approved."""

REPORTS = "thidua.reports.v1"
"""Produced by submissions: report submitted, complaint case opened / resolved."""

REVIEWS = "thidua.reviews.v1"
"""Produced by scoring: a council seated, a score recorded, initiative returned, recognised,
not recognised."""

AWARDS = "thidua.awards.v1"
"""Produced by scoring: award granted (proposed, then confirmed), rejected, revoked; the
proposals of a phase awaiting a decision."""

STANDINGS = "thidua.standings.v1"
"""Produced by scoring: each unit's standing (rank and figures) at a phase's close."""

UNITS = "thidua.units.v1"
"""Produced by submissions: the union tree, one event per unit created or changed."""


def dead_letter_topic(consumer: str) -> str:
    """The topic where `consumer` parks messages it cannot read, with the reason."""
    return f"thidua.{consumer}.dlq"


# --- The declaration: what the project provisions (never left to auto-creation) ----------


@dataclass(frozen=True)
class TopicSpec:
    """One topic as the project provisions it: its name, partitions, retention and key.

    Partitions are the most replicas of one consumer group that can share a topic's work;
    every event about one aggregate carries the aggregate's id as its record key, so it
    lands on one partition and keeps its order whatever the partition count.
    """

    name: str
    partitions: int
    key: str
    """What the record key is (the aggregate whose events keep their order)."""
    producer: str
    description: str
    retention_ms: int = -1
    """-1: kept for ever. The event topics are the system's history: rebuilds replay them."""
    cleanup_policy: str = "delete"


DAY_MS = 24 * 60 * 60 * 1000

EVENT_TOPICS: tuple[TopicSpec, ...] = (
    TopicSpec(
        INITIATIVES,
        6,
        "the initiative's id",
        "submissions",
        "Initiative submitted, amended, withdrawn.",
    ),
    TopicSpec(
        CAMPAIGNS,
        1,
        "the campaign's code",
        "submissions",
        "Campaign published, phase opened, phase closed.",
    ),
    TopicSpec(
        REGISTRATIONS,
        3,
        "the registration's id",
        "submissions",
        "Registration submitted, returned, approved.",
    ),
    TopicSpec(
        REPORTS,
        3,
        "the report's or complaint case's id",
        "submissions",
        "Report submitted, complaint case opened / resolved.",
    ),
    TopicSpec(
        REVIEWS,
        6,
        "the initiative's id",
        "scoring",
        "A council seated, a score recorded; initiative returned, recognised, not recognised.",
    ),
    TopicSpec(
        AWARDS,
        3,
        "the award's id (a phase's proposals: the campaign's code)",
        "scoring",
        "Award proposed, confirmed, rejected, revoked; a phase's proposals.",
    ),
    TopicSpec(
        STANDINGS,
        3,
        "`<campaign>/<phase>/<unit>`: one unit's standing at one phase",
        "scoring",
        "Each unit's standing at a phase's close.",
    ),
    TopicSpec(
        UNITS,
        1,
        "the unit's code",
        "submissions",
        "The union tree: one event per unit created or changed.",
    ),
)
"""Every event topic. Partition counts are defaults: THIDUA_TOPIC_PARTITIONS overrides them
per environment (a national installation wants more; a test broker may want fewer)."""

CONSUMERS: tuple[str, ...] = ("submissions", "scoring", "notifications", "reporting")
"""The consumer groups that park unreadable records on a dead-letter topic of their own."""

DEAD_LETTER_TOPICS: tuple[TopicSpec, ...] = tuple(
    TopicSpec(
        dead_letter_topic(consumer),
        1,
        "the parked record's own key",
        consumer,
        f"Records {consumer} could not apply, with dlq_* headers naming why.",
        retention_ms=30 * DAY_MS,
    )
    for consumer in CONSUMERS
)


def declared_topics() -> tuple[TopicSpec, ...]:
    """Every topic the project provisions: the event topics and the dead-letter topics."""
    return EVENT_TOPICS + DEAD_LETTER_TOPICS


# --- Per environment: partition counts other than the declaration's ----------------------

PARTITIONS_VARIABLE = "THIDUA_TOPIC_PARTITIONS"
"""The environment variable (read by shared.settings) overriding declared partition counts."""

EVERY_TOPIC = "*"


def parse_partitions(text: str) -> dict[str, int]:
    """`THIDUA_TOPIC_PARTITIONS`'s value as {topic: partitions}: comma-separated
    `<topic>=<count>` entries, `*=<count>` for every topic not named. Empty: no override.

    Raises ValueError naming the entry for a malformed one, a count below 1 or a topic the
    project does not declare (a typo would otherwise be silently ignored)."""
    declared = {spec.name for spec in declared_topics()}
    overrides: dict[str, int] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        name, equals, count = (piece.strip() for piece in entry.partition("="))
        if not equals or not count.isdigit() or int(count) < 1:
            raise ValueError(
                f"{PARTITIONS_VARIABLE}: {entry!r} is not <topic>=<partitions> with at least "
                "1 partition (e.g. thidua.initiatives.v1=12 or *=1)"
            )
        if name != EVERY_TOPIC and name not in declared:
            raise ValueError(
                f"{PARTITIONS_VARIABLE}: {name!r} is not a declared topic "
                f"(one of {', '.join(sorted(declared))}, or {EVERY_TOPIC})"
            )
        overrides[name] = int(count)
    return overrides


def with_partitions(
    overrides: Mapping[str, int], specs: Sequence[TopicSpec] | None = None
) -> tuple[TopicSpec, ...]:
    """The declared topics (or `specs`) with the environment's partition counts: a topic's
    own entry, else `*`'s, else the declaration's."""
    return tuple(
        replace(
            spec, partitions=overrides.get(spec.name, overrides.get(EVERY_TOPIC, spec.partitions))
        )
        for spec in (declared_topics() if specs is None else specs)
    )
