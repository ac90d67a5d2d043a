"""Kafka topic names: the public addresses of Thi Đua's events.

One topic per aggregate and producer, so that every event about one initiative (or one
phase, one award ...) keeps its order on one partition. The suffix is the contract's
major version: a breaking change goes to a new topic; within a version fields are only
ever added, as optional.
"""

INITIATIVES = "thidua.initiatives.v1"
"""Produced by submissions: initiative submitted, amended, withdrawn."""

CAMPAIGNS = "thidua.campaigns.v1"
"""Produced by submissions: campaign published, phase opened, phase closed."""

REGISTRATIONS = "thidua.registrations.v1"
"""Produced by submissions: registration submitted, returned, approved."""

REPORTS = "thidua.reports.v1"
"""Produced by submissions: report submitted, complaint case opened / resolved."""

REVIEWS = "thidua.reviews.v1"
"""Produced by scoring: initiative returned, recognised, not recognised."""

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
