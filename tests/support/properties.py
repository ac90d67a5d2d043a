"""Hypothesis settings shared by the property tests."""

from hypothesis import HealthCheck, settings


def slow_examples(count: int) -> settings:
    """`count` examples, each of which may take long (a database, a broker, a service): no
    deadline, and no complaint about a slow draw or about function-scoped fixtures (the
    test's examples share them, each example making what it needs itself)."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
