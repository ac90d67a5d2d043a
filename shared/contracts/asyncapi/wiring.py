"""Who sends and who receives what, read from the services' own wiring.

The producer of a topic is in its declaration (`shared.contracts.topics`); what each service
consumes is the subscription list of its `bootstrap.define()`, read here rather than copied,
so that a subscription added to a service shows in the document at the next generation.
(Importing the services from `shared` is for this generator only: nothing else in `shared`
knows them.)
"""

from dataclasses import dataclass
from importlib import import_module

from shared.contracts.base import EventData
from shared.contracts.topics import CONSUMERS


@dataclass(frozen=True)
class ServiceWiring:
    name: str
    title: str
    description: str
    consumes: tuple[type[EventData], ...]
    """The event types it subscribes to, in the order of its subscription list."""

    @property
    def group_id(self) -> str:
        """Its consumer group by default (`<SERVICE>_KAFKA_GROUP_ID` overrides it)."""
        return self.name


def services() -> tuple[ServiceWiring, ...]:
    """Every consuming service, as its bootstrap wires it (with default settings)."""
    wired = []
    for name in CONSUMERS:
        definition = import_module(f"services.{name}.bootstrap").define()
        consumes = dict.fromkeys(subscription.contract for subscription in definition.subscriptions)
        wired.append(ServiceWiring(name, definition.title, definition.description, tuple(consumes)))
    return tuple(wired)


def source_of(producer: str) -> str:
    """The CloudEvents `source` a producing service stamps on its events."""
    source: str = import_module(f"services.{producer}.source").SOURCE
    return source
