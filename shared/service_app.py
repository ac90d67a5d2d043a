"""Builds one service's process: HTTP API, Kafka consumer, outbox relay, probes, metrics.

A service describes itself with a `ServiceDefinition` (its tables, the events it applies, its
routes); `create_app` wires the rest the same way for all four, so none of them repeats it.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from prometheus_client import CollectorRegistry
from sqlalchemy.ext.asyncio import async_sessionmaker

from shared.audit_tables import add_audit_table
from shared.auth import (
    install_auth_error_handler,
    refuse_by_role_first,
    refuse_invalid_token,
    refused_by_role,
)
from shared.auth.settings import check_startup_settings
from shared.clock import Clock, clock_from_environment
from shared.db import create_engine, session_factory
from shared.http.audit import AuditMiddleware
from shared.http.audit import router as audit_router
from shared.http.error_schema import declare_client_errors
from shared.http.errors import install_error_handlers
from shared.http.hardening import install_http_hardening
from shared.http.input_guard import refuse_unsafe_input
from shared.http.probes import router as probes
from shared.http.server_errors import UnhandledErrorMiddleware
from shared.http.tracing import TraceMiddleware
from shared.http.unavailable import install_unavailable_handlers
from shared.kafka_connection import KafkaConnection
from shared.messaging.consumer import BatchHook, EventConsumer, Subscription
from shared.messaging.dead_letters import DeadLetters
from shared.messaging.lag import LagMonitor
from shared.messaging.outbox import Outbox, OutboxRelay
from shared.messaging.pacing import Pacer
from shared.messaging.tables import MessagingTables
from shared.metrics import LagMetrics, MessagingMetrics
from shared.settings import ServiceSettings, load_deployment_settings

log = logging.getLogger(__name__)

# A worker gets the service's sessions and its clock, and keeps running until cancelled at
# shutdown.
Worker = Callable[[async_sessionmaker[Any], Clock], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    description: str
    settings: ServiceSettings
    messaging: MessagingTables
    subscriptions: Sequence[Subscription] = ()
    routers: Sequence[APIRouter] = ()
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    # Service-specific objects its routes reach through `request.app.state` (its counters).
    state: Mapping[str, Any] = field(default_factory=dict)
    # Long-running jobs of the service (a delivery worker, a scheduler), started with it.
    workers: Sequence[Worker] = ()
    # Its tables are a pure projection of the events it consumes, so `rebuild` may empty
    # them and replay its topics from the beginning.
    rebuildable: bool = False
    # What time it is for the campaign: the system's, or a simulated year's (shared.clock).
    # Routes read it through `CampaignClock`, workers are given it at start.
    clock: Clock = field(default_factory=clock_from_environment)
    # Run once per consumed batch, in its transaction, after its events were applied.
    before_commit: BatchHook | None = None

    @property
    def title(self) -> str:
        """The OpenAPI page's title: the product's and the service's name ('Thi Đua — Scoring')."""
        return f"Thi Đua — {self.name.capitalize()}"

    @property
    def group_id(self) -> str:
        """The consumer group its subscriber (and its lag monitor, and `rebuild`) uses."""
        return self.settings.kafka_group_id or self.name


def create_app(service: ServiceDefinition) -> FastAPI:
    """The service's app; `UnsafeSettings` (shared.auth.settings) if it must not start."""
    settings = service.settings
    deployment = load_deployment_settings()
    # Checked before anything starts: in production, no development secret (issue 14).
    auth = check_startup_settings(deployment)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        metrics = MessagingMetrics.create(service.name, service.registry)
        kafka = KafkaConnection(
            service.name,
            settings.kafka_bootstrap_servers,
            service.registry,
            topics=settings.topics(),
        )
        relay = OutboxRelay(
            service.messaging.outbox,
            sessions,
            kafka.producer,
            metrics,
            poll_interval=settings.outbox_poll_interval_seconds,
        )
        consumer = EventConsumer(
            service.subscriptions,
            sessions,
            service.messaging.processed_events,
            DeadLetters(kafka.dead_letter_producer, service.name),
            metrics,
            on_commit=relay.notify,
            before_commit=service.before_commit,
            pacer=Pacer(settings.consumer_transaction_seconds),
        )
        consuming = settings.role == "all"  # else an API replica: no events, no workers
        if consuming:
            for topic in consumer.topics:
                # Exported at 0 from the start: the first dead letter is an increase to alert on.
                metrics.events_dead_lettered.labels(topic=topic)
            kafka.subscribe(
                consumer,
                auto_offset_reset=settings.kafka_auto_offset_reset,
                group_id=service.group_id,
            )
        app.state.sessions = sessions
        app.state.outbox = Outbox(service.messaging.outbox, relay)
        app.state.kafka = kafka
        app.state.relay = relay
        app.state.registry = service.registry
        app.state.settings = settings
        for name, value in service.state.items():
            setattr(app.state, name, value)

        background: list[asyncio.Task[None]] = []

        async def start_relay() -> None:
            background.append(asyncio.create_task(relay.run(), name=f"{service.name}-relay"))

        background.append(asyncio.create_task(kafka.connect(start_relay), name="kafka-connect"))
        if consuming:
            background.extend(
                asyncio.create_task(worker(sessions, service.clock)) for worker in service.workers
            )
        if consuming and consumer.topics:
            monitor = LagMonitor(
                bootstrap_servers=settings.kafka_bootstrap_servers,
                group_id=service.group_id,
                topics=consumer.topics,
                metrics=LagMetrics.create(service.name, service.registry),
                interval=settings.lag_poll_interval_seconds,
                client_id=f"{service.name}-lag",
            )
            background.append(asyncio.create_task(monitor.run(), name=f"{service.name}-lag"))
        log.info(
            "service started",
            extra={
                "http_port": settings.http_port,
                "environment": deployment.env.value,
                "role": settings.role,
            },
        )
        try:
            yield
        finally:
            for task in background:
                task.cancel()
            await asyncio.gather(*background, return_exceptions=True)
            await kafka.close()
            await engine.dispose()
            log.info("service stopped")

    app = FastAPI(
        title=service.title,
        description=service.description,
        version="1",
        lifespan=lifespan,
        # Before every route (and its own dependencies): a token that is sent is valid (issue
        # 14); a role the route requires is held, before any input is read; no NUL, no number
        # beyond 64 bits, in any field of any service (issue 13).
        dependencies=[
            Depends(refuse_invalid_token),
            Depends(refuse_by_role_first),
            Depends(refuse_unsafe_input),
        ],
    )
    # Added first, so it runs inside the trace: a 500 carries the request's correlation id.
    app.add_middleware(UnhandledErrorMiddleware)
    # Inside the trace (its id recorded), outside the 500 handler (a 500 recorded too): every
    # change and every refusal, in the service's own database (issue 14, point 7).
    audit_table = add_audit_table(service.messaging.outbox.metadata)
    app.add_middleware(AuditMiddleware, table=audit_table)
    app.add_middleware(TraceMiddleware)
    # Outermost: body caps, /docs and /metrics access, security headers (issue 14).
    install_http_hardening(app, deployment)
    # A body FastAPI cannot parse is refused before any dependency runs: the caller's role
    # is still answered first.
    install_error_handlers(app, refused_first=refused_by_role)
    install_unavailable_handlers(app)
    install_auth_error_handler(app)
    # Read (and warned about, if it is the dev secret) at start, not on the first request.
    app.state.auth_settings = auth
    app.state.deployment = deployment
    app.state.clock = service.clock
    app.state.audit_table = audit_table
    app.include_router(probes)
    app.include_router(audit_router)
    for router in service.routers:
        app.include_router(router)
    # Its description says what a 4xx answers: the one error shape (checked by tests/fuzz).
    declare_client_errors(app)
    return app
