from services.submissions.bootstrap import define
from shared.cli import run_service

run_service("services.submissions", define)
