"""`python -m services.<name> [serve|migrate]`: the same two commands for every service."""

import argparse
from collections.abc import Callable

import uvicorn
from alembic import command

from shared.logs import configure_logging
from shared.migrations import alembic_config, upgrade_to_head
from shared.service_app import ServiceDefinition, create_app


def run_service(package: str, define: Callable[[], ServiceDefinition]) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {package}")
    parser.add_argument(
        "command",
        nargs="?",
        default="serve",
        choices=["serve", "migrate", "revision"],
        help="serve: run the HTTP API and the consumers (default); migrate: upgrade the "
        "schema; revision: write a new migration from the models (the database must be at head)",
    )
    parser.add_argument("-m", "--message", default="change", help="the new revision's title")
    args = parser.parse_args()
    service = define()
    configure_logging(service.name, service.settings.log_level)
    if args.command == "migrate":
        upgrade_to_head(package, service.settings.database_url)
        return
    if args.command == "revision":
        config = alembic_config(package, service.settings.database_url)
        command.revision(config, message=args.message, autogenerate=True)
        return
    uvicorn.run(
        create_app(service),
        host=service.settings.http_host,
        port=service.settings.http_port,
        log_config=None,
        access_log=False,
    )
