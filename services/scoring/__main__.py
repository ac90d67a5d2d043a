from services.scoring.bootstrap import define
from shared.cli import run_service

run_service("services.scoring", define)
