from services.submissions.bootstrap import define
from shared.cli import run_service

# Guarded: a process started with "spawn" imports this module again (reporting's refresher).
if __name__ == "__main__":
    run_service("services.submissions", define)
