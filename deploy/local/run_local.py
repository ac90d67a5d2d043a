"""Run the whole system on this machine: Kafka, a database, a mail catcher, the four services,
the portal (the web front end, :8005), demo data.

    python deploy/local/run_local.py up      # start what is not running, load demo data
    python deploy/local/run_local.py status
    python deploy/local/run_local.py down    # stop the services and the broker
    python deploy/local/run_local.py clean   # drop this stack's databases, delete .run

Databases: one PostgreSQL database per service from deploy/local/postgres.sh (Debian's
PostgreSQL, installed where missing), as in production and in the tests, so that the row locks
the services take hold here too; named once per .run, where the broker keeps its data, so
that a fresh .run (a new clone, `make clean`) starts with empty databases and never meets the
state another stack left on the same server. THIDUA_DATABASE=sqlite: SQLite files under
.run/data instead (nothing to set up; one writer at a time, and no row locks). A stack keeps
the databases it started with (.run/databases.json): its broker's data goes with them.
Each service runs its outbox relay inside its own process. Logs: .run/logs/<service>.log.
Mail: notifications sends to a local catcher (`python -m shared.dev_mailbox`) that keeps each
message in .run/mail/ and lists them on http://127.0.0.1:8025, unless NOTIFICATIONS_SMTP_HOST
names another server.

Demo data: the 2022 plan played as a year (`python -m services.submissions.demo_year`), once.
The services read the campaign's day from .run/clock (THIDUA_CLOCK_FILE), which the player
moves from 16/02/2022 to THIDUA_DEMO_AS_OF (default 2022-11-15) as the story goes; it then
stays there, time running on from it. THIDUA_DEMO_SIZE=small loads about 100 initiatives.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / ".run"
SERVICES = {"submissions": 8001, "scoring": 8002, "notifications": 8003, "reporting": 8004}
MAILBOX = "mailbox"
# The web front end (services/portal): no database of its own, it calls the four services.
PORTAL = "portal"
PORTAL_PORT = 8005
MAIL_FOLDER = RUN / "mail"
MAIL_PAGE_PORT = 8025
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# The campaign's day for every service (shared.clock.FileClock), moved by the demo year.
CLOCK_FILE = RUN / "clock"
DATABASES_FILE = RUN / "databases.json"
STACK_PREFIX = "thidua_run_"  # a PostgreSQL database named for one stack (`stack_databases`)
# make run is the demo: development mode, always (shared.settings.Environment).
DEVELOPMENT = "development"


def say(message: str) -> None:
    print(f"run_local: {message}", file=sys.stderr, flush=True)


def script(name: str, *args: str) -> list[str]:
    result = subprocess.run(
        [str(REPO / "deploy/local" / name), *args], check=True, stdout=subprocess.PIPE, text=True
    )
    return result.stdout.strip().splitlines()


def database_urls(stack: dict[str, Any]) -> dict[str, str]:
    if stack["kind"] == "sqlite":
        return {name: f"sqlite+aiosqlite:///{RUN}/data/{name}.sqlite3" for name in SERVICES}
    script("postgres.sh", "start")
    urls = script("postgres.sh", "create-db", *stack["names"].values())
    return dict(zip(SERVICES, urls, strict=True))


def stack_databases() -> dict[str, Any]:
    """This .run's databases: chosen when its stack first starts (THIDUA_DATABASE, PostgreSQL
    unless `sqlite`) and kept in DATABASES_FILE, since the broker's data beside them must agree
    with them. PostgreSQL's are named for the stack. A .run from before the choice was kept
    goes on as it was: on its SQLite files, or on PostgreSQL's databases of the older names."""
    if DATABASES_FILE.exists():
        kept: dict[str, Any] = json.loads(DATABASES_FILE.read_text())
        asked = os.environ.get("THIDUA_DATABASE")
        if asked and asked != kept["kind"]:
            say(f"this stack runs on {kept['kind']}, not {asked}: `make clean` to start over")
        return kept
    if (RUN / "data" / "submissions.sqlite3").exists():
        stack: dict[str, Any] = {"kind": "sqlite"}
    elif any(RUN.glob("kafka-*")):
        stack = {"kind": "postgres", "names": {name: f"thidua_{name}" for name in SERVICES}}
    elif os.environ.get("THIDUA_DATABASE") == "sqlite":
        stack = {"kind": "sqlite"}
    else:
        tag = secrets.token_hex(4)
        stack = {"kind": "postgres", "names": {n: f"{STACK_PREFIX}{tag}_{n}" for n in SERVICES}}
    DATABASES_FILE.parent.mkdir(parents=True, exist_ok=True)
    DATABASES_FILE.write_text(json.dumps(stack, indent=2))
    return stack


def clean() -> None:
    """Forget this stack: stopped, its PostgreSQL databases dropped (when the server answers;
    a stopped one keeps them, unused), then .run with the broker's data, logs and mail."""
    down()  # nothing left running on what is deleted
    stack = json.loads(DATABASES_FILE.read_text()) if DATABASES_FILE.exists() else {}
    # Only the databases named for this stack: the older names (thidua_<service>) are the
    # server's, which every checkout from before shares, and a drop would cut another's off.
    ours = [name for name in stack.get("names", {}).values() if name.startswith(STACK_PREFIX)]
    if stack.get("kind") == "postgres" and len(ours) < len(SERVICES):
        say("this stack's databases have the older, shared names: left as they are")
    if ours:
        try:
            script("postgres.sh", "status")
            script("postgres.sh", "drop-db", *ours)
            say("dropped this stack's databases")
        except subprocess.CalledProcessError:
            say("PostgreSQL does not answer: this stack's databases are left as they are")
    shutil.rmtree(RUN, ignore_errors=True)


def pid_file(name: str) -> Path:
    return RUN / "pids" / f"{name}.pid"


def running_pid(name: str) -> int | None:
    try:
        pid = int(pid_file(name).read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def spawn(name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `command` in the background, its output in .run/logs/<name>.log, its pid kept."""
    (RUN / "logs").mkdir(parents=True, exist_ok=True)
    pid_file(name).parent.mkdir(parents=True, exist_ok=True)
    with (RUN / "logs" / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(
            command,
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command, like a daemon
        )
    pid_file(name).write_text(str(process.pid))
    return process


def stop(name: str) -> None:
    pid = running_pid(name)
    if pid:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not running_pid(name):
                break
            time.sleep(0.1)
        say(f"{name} stopped")
    pid_file(name).unlink(missing_ok=True)


def smtp_server() -> tuple[str, int]:
    """Where notifications sends mail: its settings' defaults unless the environment (which
    the services inherit) says otherwise."""
    host = os.environ.get("NOTIFICATIONS_SMTP_HOST", "127.0.0.1")
    return host, int(os.environ.get("NOTIFICATIONS_SMTP_PORT", "1025"))


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def start_mailbox() -> str | None:
    """The catcher on the port notifications sends to, before notifications starts (or
    every email it sends meanwhile fails, and after six tries is `dead`). Returns the page's
    URL, or None when mail goes elsewhere."""
    host, port = smtp_server()
    if host not in LOOPBACK:
        say(f"mail goes to {host}:{port} (NOTIFICATIONS_SMTP_HOST): no local mail catcher")
        return None
    page = f"http://127.0.0.1:{MAIL_PAGE_PORT}/"
    if running_pid(MAILBOX):
        say("mailbox already running")
        return page
    if answers("127.0.0.1", port):
        say(f"port {port} already answers (a mail catcher of yours?): mail goes there")
        return None
    process = spawn(
        MAILBOX,
        [
            sys.executable,
            "-m",
            "shared.dev_mailbox",
            "--folder",
            str(MAIL_FOLDER),
            "--smtp-port",
            str(port),
            "--http-port",
            str(MAIL_PAGE_PORT),
        ],
        dict(os.environ),
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        up = answers("127.0.0.1", port) and answers("127.0.0.1", MAIL_PAGE_PORT)
        # poll(), not running_pid(): our own child, once exited, lingers as a zombie.
        if up and process.poll() is None:
            say(f"mailbox started (pid {process.pid}, SMTP port {port}, page {page})")
            return page
        if process.poll() is not None:
            break
        time.sleep(0.1)
    # Most likely the page's port is taken: say so and go on without the catcher; the
    # services still run, and email deliveries retry until one listens on the SMTP port.
    process.terminate()
    process.wait()
    pid_file(MAILBOX).unlink(missing_ok=True)
    log = (RUN / "logs" / f"{MAILBOX}.log").read_text(errors="replace").splitlines()[-2:]
    say(f"WARNING: the mail catcher did not start: {' / '.join(log)} (.run/logs/mailbox.log)")
    return None


def clock_environment() -> dict[str, str]:
    """The environment with the demo's clock file, the day it holds written if it holds none
    (before the year is played: its last day, where the year stops)."""
    env = dict(os.environ)
    if env.pop("THIDUA_CLOCK_TODAY", None):
        say("THIDUA_CLOCK_TODAY is not used by make run: the demo year's clock is .run/clock")
    if not CLOCK_FILE.exists():
        CLOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
        day = date.fromisoformat(env.get("THIDUA_DEMO_AS_OF", "2022-11-15"))
        CLOCK_FILE.write_text(f"{day.isoformat()}\n")
    env["THIDUA_CLOCK_FILE"] = str(CLOCK_FILE)
    # The demo runs in development mode (issue 14): the public token secret, the demo sign-in,
    # /docs and /metrics open. Stated, not left to the default, and said in what `up` prints.
    if env.get("THIDUA_ENV", DEVELOPMENT) != DEVELOPMENT:
        say(f"THIDUA_ENV={env['THIDUA_ENV']} is not used by make run: it runs in development")
    env["THIDUA_ENV"] = DEVELOPMENT
    return env


def start_service(name: str, port: int, database_url: str, kafka: str) -> None:
    prefix = name.upper()
    env = {
        **clock_environment(),
        f"{prefix}_DATABASE_URL": database_url,
        f"{prefix}_KAFKA_BOOTSTRAP_SERVERS": kafka,
        f"{prefix}_HTTP_PORT": str(port),
    }
    subprocess.run(
        [sys.executable, "-m", f"services.{name}", "migrate"],
        env=env,
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if running_pid(name):
        say(f"{name} already running")
        return
    process = spawn(name, [sys.executable, "-m", f"services.{name}"], env)
    say(f"{name} started (pid {process.pid}, port {port})")


def start_portal() -> None:
    """The portal, pointed at the four services (after them: its /ready asks submissions)."""
    if running_pid(PORTAL):
        say(f"{PORTAL} already running")
        return
    env = {
        **clock_environment(),
        "PORTAL_HTTP_PORT": str(PORTAL_PORT),
        **{
            f"PORTAL_{name.upper()}_URL": f"http://127.0.0.1:{port}"
            for name, port in SERVICES.items()
        },
    }
    process = spawn(PORTAL, [sys.executable, "-m", "services.portal"], env)
    say(f"{PORTAL} started (pid {process.pid}, port {PORTAL_PORT})")


def wait_ready(timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    waiting = {**SERVICES, PORTAL: PORTAL_PORT}
    while waiting and time.monotonic() < deadline:
        for name, port in list(waiting.items()):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200:
                    del waiting[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.3)
    if waiting:
        sys.exit(f"not ready after {timeout}s: {', '.join(waiting)} (see .run/logs/)")


def up() -> None:
    # Chosen before the broker starts: a .run holding a broker's data is one from before.
    stack = stack_databases()
    kafka = script("kafka.sh", "start")[-1]
    say(f"Kafka at {kafka}")
    mail_page = start_mailbox()
    for name, url in database_urls(stack).items():
        start_service(name, SERVICES[name], url, kafka)
    start_portal()
    wait_ready()
    # The year, played on its own calendar through the services (once: a second start finds
    # it loaded and adds nothing).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "services.submissions.demo_year",
            "--clock-file",
            str(CLOCK_FILE),
            *(f"--{name}-url=http://127.0.0.1:{port}" for name, port in SERVICES.items()),
        ],
        env=clock_environment(),
        cwd=REPO,
        check=True,
    )
    print("\nThi Đua đang chạy / is running:")
    print(f"  portal:        http://127.0.0.1:{PORTAL_PORT}/portal   (sign in as a demo user)")
    print(
        f"  mode:          {DEVELOPMENT} (THIDUA_ENV): public token secret, demo sign-in, "
        "/docs and /metrics open; never for real data"
    )
    for name, port in SERVICES.items():
        print(f"  {name:<14} http://127.0.0.1:{port}/docs   (metrics: /metrics, readiness: /ready)")
    print(f"  kafka          {kafka}")
    # Imported here, not at the top: stop, status and clean need none of the contracts.
    from shared.contracts.asyncapi.files import write_page

    page = write_page()  # the page of the document the code makes (docs/asyncapi.yaml)
    print(
        f"  events:        file://{page}   (AsyncAPI 3.0; "
        "make asyncapi-kcat checks every record against it)"
    )
    print("  dashboard:     http://127.0.0.1:8004/dashboard")
    if mail_page:
        folder = MAIL_FOLDER.relative_to(REPO)
        port = smtp_server()[1]
        print(f"  mail:          {mail_page}   (SMTP 127.0.0.1:{port}; .eml files in {folder}/)")
    else:
        print(
            "  mail:          SMTP {}:{}, not the local mail catcher (see above)".format(
                *smtp_server()
            )
        )
    print("  examples:      curl http://127.0.0.1:8004/api/v1/progress/2022/dot-1")
    print("  stop with:     make stop")


def down() -> None:
    stop(PORTAL)
    for name in SERVICES:
        stop(name)
    stop(MAILBOX)  # after notifications: what it was sending still lands
    script("kafka.sh", "stop")


def status() -> None:
    for name, port in {**SERVICES, PORTAL: PORTAL_PORT}.items():
        pid = running_pid(name)
        try:
            ready = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200
        except httpx.HTTPError:
            ready = False
        state = f"running pid {pid}" if pid else "stopped"
        print(f"{name:<14} {state:<20} {'ready' if ready else 'not ready'}")
    pid = running_pid(MAILBOX)
    page = answers("127.0.0.1", MAIL_PAGE_PORT)
    state = f"running pid {pid}" if pid else "stopped"
    print(f"{MAILBOX:<14} {state:<20} {'ready' if page else 'not ready'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["up", "down", "status", "clean"])
    {"up": up, "down": down, "status": status, "clean": clean}[parser.parse_args().command]()
