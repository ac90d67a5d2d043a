"""`python -m services.<name> [serve|migrate|topics|revision|rebuild]`: the same commands for
every service."""

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from shared.auth.settings import UnsafeSettings
from shared.db import create_engine, session_factory
from shared.kafka_connection import KafkaConnection
from shared.logs import configure_logging
from shared.messaging.consumer import EventConsumer
from shared.messaging.dead_letters import DeadLetters
from shared.messaging.lag import GroupOffsets
from shared.messaging.pacing import Pacer
from shared.messaging.provisioning import ProvisioningFailed, provision_topics
from shared.messaging.tables import MessagingTables
from shared.metrics import MessagingMetrics
from shared.migrations import alembic_config, upgrade_to_head
from shared.service_app import ServiceDefinition, create_app
from shared.serving import serve

log = logging.getLogger(__name__)


def run_service(package: str, define: Callable[[], ServiceDefinition]) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {package}")
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate", "topics", "revision", "rebuild"],
        help="serve: run the HTTP API and the consumers (default); migrate: upgrade the "
        "schema, then create the declared Kafka topics that are missing; topics: only the "
        "latter; revision: write a new migration from the models (the database must be at "
        "head); rebuild: empty the read models and replay the topics into them (the service "
        "must be stopped)",
    )
    parser.add_argument("-m", "--message", default="change", help="the new revision's title")
    args = parser.parse_args()
    service = define()
    configure_logging(service.name, service.settings.log_level)
    if args.command == "migrate":
        upgrade_to_head(package, service.settings.database_url)
        sys.exit(topics_command(service))
    if args.command == "topics":
        sys.exit(topics_command(service))
    if args.command == "revision":
        config = alembic_config(package, service.settings.database_url)
        command.revision(config, message=args.message, autogenerate=True)
        return
    if args.command == "rebuild":
        sys.exit(rebuild_command(service))
    try:
        app = create_app(service)
    except UnsafeSettings as refused:
        # One clear line for whoever reads the container's log, not a traceback.
        print(f"{service.name}: {refused}", file=sys.stderr)
        sys.exit(2)
    serve(app, service.settings.http_host, service.settings.http_port)


def topics_command(service: ServiceDefinition, *, wait: float = 120.0) -> int:
    """Create the declared topics that are missing (shared.messaging.provisioning), waiting
    up to `wait` seconds for Kafka; the summary on stdout, or why not on stderr."""

    async def provision() -> str:
        async with asyncio.timeout(wait):
            done = await provision_topics(
                service.settings.kafka_bootstrap_servers,
                service.settings.topics(),
                client_id=f"{service.name}-topics",
            )
        return done.line()

    try:
        print(f"{service.name}: {asyncio.run(provision())}")
    except TimeoutError:
        print(
            f"{service.name}: topics not provisioned: Kafka at "
            f"{service.settings.kafka_bootstrap_servers} did not answer in {wait:.0f}s",
            file=sys.stderr,
        )
        return 1
    except (ProvisioningFailed, KafkaError) as error:
        print(f"{service.name}: topics not provisioned: {error}", file=sys.stderr)
        return 1
    return 0


class RebuildRefused(Exception):
    """The rebuild did not start; the message says why, `exit_code` is for the shell."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class RebuildSummary:
    service: str
    group_id: str
    topics: int
    events_applied: int
    seconds: float

    def line(self) -> str:
        return (
            f"{self.service}: rebuilt from {self.topics} topics, {self.events_applied} events "
            f"applied in {self.seconds:.1f}s; consumer group {self.group_id!r} is caught up "
            "to where the topics ended when the rebuild started"
        )


def rebuild_command(service: ServiceDefinition) -> int:
    """`rebuild` from the shell: the summary on stdout, or why not on stderr; the exit code."""
    try:
        summary = asyncio.run(rebuild(service))
    except RebuildRefused as refused:
        print(f"{service.name}: rebuild refused: {refused}", file=sys.stderr)
        return refused.exit_code
    except KafkaError as error:
        # Before the reset nothing changed; after it, `rebuild` again (or `serve`) completes it.
        print(f"{service.name}: rebuild failed: Kafka: {error}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0


async def rebuild(service: ServiceDefinition, *, check_interval: float = 0.5) -> RebuildSummary:
    """Empty the service's read models and processed events, move its consumer group back to
    the beginning of its topics and apply them again, up to where they ended at the start.

    Raises RebuildRefused for a service whose tables are not a projection of its events, or
    while its consumer group has members (the service is running somewhere)."""
    if not service.rebuildable:
        raise RebuildRefused(
            f"{service.name}'s tables are not a pure projection of its events, so they cannot "
            "be rebuilt from the topics",
            exit_code=2,
        )
    settings = service.settings
    topics = sorted({s.contract.topic for s in service.subscriptions})
    started = time.monotonic()
    engine = create_engine(settings.database_url)
    offsets = GroupOffsets(settings.kafka_bootstrap_servers, f"{service.name}-rebuild")
    try:
        await offsets.start()
        members = await offsets.active_members(service.group_id)
        if members:
            raise RebuildRefused(
                f"consumer group {service.group_id!r} has {len(members)} active member(s) "
                f"({', '.join(sorted(members))}): stop the service first (a consumer that was "
                "killed stays a member until its session times out)",
                exit_code=1,
            )
        # Offsets reset inside the transaction that empties the tables: if the reset fails,
        # the tables stay as they were; if the commit fails after it, the replay finds every
        # event already processed and changes nothing.
        try:
            async with engine.begin() as connection:
                await _empty_tables(connection, service.messaging)
                targets = await offsets.reset_to_beginning(service.group_id, topics)
        except CommitFailedError as error:
            raise RebuildRefused(
                f"consumer group {service.group_id!r} got a member while the rebuild started "
                f"({error.__class__.__name__}); nothing was changed",
                exit_code=1,
            ) from error
        await _replay(service, engine, offsets, targets, check_interval)
        applied = await _count_processed(engine, service.messaging)
    finally:
        await offsets.close()
        await engine.dispose()
    return RebuildSummary(
        service=service.name,
        group_id=service.group_id,
        topics=len(topics),
        events_applied=applied,
        seconds=time.monotonic() - started,
    )


async def _empty_tables(connection: AsyncConnection, messaging: MessagingTables) -> None:
    """Every table of the service's models but the outbox (events it owes the others, not
    state derived from theirs) and the audit trail (what people did, which no topic holds):
    the read models and the processed events. Alembic's version
    table is not among the models."""
    tables = [
        t
        for t in messaging.outbox.metadata.sorted_tables
        if t is not messaging.outbox and not t.info.get("kept_by_rebuild")
    ]
    # Dependent tables first, should a read model ever reference another.
    for table in reversed(tables):
        await connection.execute(table.delete())


async def _replay(
    service: ServiceDefinition,
    engine: AsyncEngine,
    offsets: GroupOffsets,
    targets: dict[TopicPartition, int],
    check_interval: float,
) -> None:
    """Run the service's own consumer (same subscriptions, group and batch subscriber as
    `serve`) until the group's committed offsets reach `targets`."""
    settings = service.settings
    kafka = KafkaConnection(
        service.name, settings.kafka_bootstrap_servers, service.registry, topics=settings.topics()
    )
    consumer = EventConsumer(
        service.subscriptions,
        session_factory(engine),
        service.messaging.processed_events,
        DeadLetters(kafka.dead_letter_producer, service.name),
        MessagingMetrics.create(service.name, service.registry),
        before_commit=service.before_commit,
        pacer=Pacer(settings.consumer_transaction_seconds),
    )
    kafka.subscribe(
        consumer, auto_offset_reset=settings.kafka_auto_offset_reset, group_id=service.group_id
    )

    async def connected() -> None:
        pass

    await kafka.connect(connected)
    next_report = time.monotonic()
    try:
        while True:
            committed = await offsets.committed(service.group_id)
            remaining = sum(max(0, end - committed.get(tp, 0)) for tp, end in targets.items())
            if not remaining:
                return
            if time.monotonic() >= next_report:
                log.info("rebuild: %d records still to replay", remaining)
                next_report = time.monotonic() + 10
            await asyncio.sleep(check_interval)
    finally:
        await kafka.close()


async def _count_processed(engine: AsyncEngine, messaging: MessagingTables) -> int:
    async with engine.connect() as connection:
        count = await connection.scalar(
            select(func.count()).select_from(messaging.processed_events)
        )
    return int(count or 0)
