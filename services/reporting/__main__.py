from services.reporting.bootstrap import define
from shared.cli import run_service

run_service("services.reporting", define)
