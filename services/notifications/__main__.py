from services.notifications.bootstrap import define
from shared.cli import run_service

run_service("services.notifications", define)
