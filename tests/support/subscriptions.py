"""A service's event handlers by the event type each applies, read from its definition: tests
call the handlers the service subscribes (`define().subscriptions`), never a list of their
own, so a handler rewired in the bootstrap is the one they exercise."""

from collections.abc import Mapping

from shared.contracts.base import EventData
from shared.messaging.consumer import Handler
from shared.service_app import ServiceDefinition


def handlers_of(service: ServiceDefinition) -> Mapping[type[EventData], Handler]:
    return {s.contract: s.handler for s in service.subscriptions}
