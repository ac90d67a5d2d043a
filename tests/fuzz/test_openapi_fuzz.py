"""Schemathesis against every service's OpenAPI description (issue 14, point 6): each operation
of submissions, scoring, notifications and reporting gets a few generated requests, valid ones
and invalid ones, as a federation admin (past the 401) and, for the operations open to anyone,
without a token. Every answer must be:

- no 5xx;
- what the operation declares (status and body against its response schema);
- a 4xx in the one error shape, naming the field: {"errors": [{"field", "code", "message_vi",
  "message_en"}]}.

Bounded so that it stays small in `make test`: a fixed number of examples per operation and
mode, hypothesis derandomized (the same requests on every run, no example database), and a
deadline on each run (a service, a caller) that stops generating rather than taking the CI's
time: on a loaded machine the operations it did not reach are named in a warning (the run
fails only on what it found, not on being slow). Here it takes about 90 s in all.

The apps are built as `create_app(define(...))` on SQLite (the unit tests' templates: the
submissions database seeded with the demo tree and the 2022 plan), Kafka unreachable: events wait
in the outbox. One app per service for the module: what one request creates, the next may find.
"""

import contextlib
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from services.notifications.bootstrap import define as define_notifications
from services.reporting.bootstrap import define as define_reporting
from services.scoring.bootstrap import define as define_scoring
from shared.auth.permissions import ENDPOINTS
from shared.service_app import create_app
from tests.unit.conftest import (
    ADMIN,
    copy_database,
    notifications_settings,
    reporting_settings,
    scoring_settings,
    submissions_app,
)

EXAMPLES = 6  # per operation and generation mode
DEADLINE_SECONDS = 40.0  # per service and caller; the run stops generating past it
ERROR_FIELDS = {"field", "code", "message_vi", "message_en"}
# The operations open to anyone (shared/auth/permissions.py), fuzzed without a token too.
PUBLIC = {(e.service, e.method, e.path) for e in ENDPOINTS if e.anonymous}


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def add(self, case: Any, response: httpx.Response, what: str) -> None:
        body = response.text[:300]
        self.problems.append(
            f"{case.method} {case.formatted_path} -> {response.status_code}: {what}\n"
            f"    query={case.query!r} body={str(case.body)[:200]!r}\n    answer={body}"
        )


def _shape_problem(response: httpx.Response) -> str | None:
    """Why a 4xx is not in the error shape naming a field, or None."""
    try:
        errors = response.json()["errors"]
    except (ValueError, KeyError, TypeError):
        return "a 4xx not in the error shape"
    if not isinstance(errors, list) or not errors:
        return "a 4xx with no errors listed"
    for error in errors:
        if not isinstance(error, dict) or set(error) != ERROR_FIELDS:
            return f"an error without exactly {sorted(ERROR_FIELDS)}: {error!r}"
        if not all(isinstance(error[k], str) and error[k] for k in ERROR_FIELDS):
            return f"an error with an empty field, code or message: {error!r}"
    return None


def _check(case: Any, response: httpx.Response, findings: Findings) -> None:
    findings.requests += 1
    if response.status_code == 503 and case.path == "/ready":
        return  # what /ready says while Kafka is down, as it is here
    if response.status_code >= 500:
        findings.add(case, response, "a server error")
        return
    if 400 <= response.status_code < 500:
        problem = _shape_problem(response)
        if problem:
            findings.add(case, response, problem)
    response.request.read()  # a multipart body is a stream; schemathesis reads the request
    for check in (status_code_conformance, response_schema_conformance):
        try:
            case.validate_response(response, checks=[check])
        except FailureGroup as group:
            for failure in group.exceptions:
                findings.add(case, response, f"{check.__name__}: {str(failure)[:600]}")


def fuzz(
    client: TestClient, service: str, headers: dict[str, str], only_public: bool = False
) -> Findings:
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    findings = Findings()
    started = time.monotonic()
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            pytest.fail(f"{service}'s OpenAPI description: {result.err()}")
        operation = result.ok()
        key = (service, operation.method.upper(), operation.path)
        if only_public and key not in PUBLIC:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if time.monotonic() - started > DEADLINE_SECONDS:
                warnings.warn(
                    f"fuzzing {service} stopped at its deadline ({DEADLINE_SECONDS:.0f} s) "
                    f"before {key[1]} {key[2]} ({mode.value}); {findings.requests} requests made",
                    stacklevel=1,
                )
                return findings

            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def one(case: Any) -> None:
                kwargs = case.as_transport_kwargs(base_url="")
                kwargs.pop("auth", None)
                kwargs["headers"] = {**(kwargs.get("headers") or {}), **headers}
                response = client.request(**_httpx(kwargs))
                _check(case, response, findings)

            # Unsatisfiable: no invalid request can be made for an operation without inputs.
            with contextlib.suppress(Unsatisfiable):
                one()
    return findings


def _httpx(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The requests-style arguments schemathesis serialises a case to, as httpx takes them."""
    sent = {k: v for k, v in kwargs.items() if k not in {"verify", "cookies", "timeout"}}
    if isinstance(sent.get("data"), bytes | str) and "files" not in sent:
        sent["content"] = sent.pop("data")
    if sent.get("files") is not None:
        sent["files"] = [(name, _file(value)) for name, value in _items(sent["files"])]
    else:  # a multipart case whose body is left out (a negative case): no file part at all
        sent.pop("files", None)
    sent["follow_redirects"] = False
    return sent


def _items(files: Any) -> list[tuple[str, Any]]:
    return list(files.items()) if isinstance(files, dict) else list(files)


def _file(value: Any) -> Any:
    """A file part as httpx renders it: its content as bytes (a negative case sends numbers)."""
    if isinstance(value, tuple):
        name, content, *rest = value
        return (name, _bytes(content), *rest)
    return _bytes(value)


def _bytes(content: Any) -> Any:
    if isinstance(content, bytes | str) or hasattr(content, "read"):
        return content
    return str(content).encode()


@pytest.fixture(scope="module")
def apps(
    tmp_path_factory: pytest.TempPathFactory,
    submissions_template: Path,
    scoring_template: Path,
    notifications_template: Path,
    reporting_template: Path,
) -> Iterator[dict[str, TestClient]]:
    root = tmp_path_factory.mktemp("fuzz")
    scoring = copy_database(scoring_template, root / "scoring")
    notifications = copy_database(notifications_template, root / "notifications")
    reporting = copy_database(reporting_template, root / "reporting")
    with (
        submissions_app(root / "submissions", template=submissions_template) as submissions,
        TestClient(create_app(define_scoring(scoring_settings(scoring)))) as scoring_client,
        TestClient(
            create_app(define_notifications(notifications_settings(notifications)))
        ) as notifications_client,
        TestClient(create_app(define_reporting(reporting_settings(reporting)))) as reporting_client,
    ):
        yield {
            "submissions": submissions,
            "scoring": scoring_client,
            "notifications": notifications_client,
            "reporting": reporting_client,
        }


SERVICES = ("submissions", "scoring", "notifications", "reporting")


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_as_a_federation_admin(apps: dict[str, TestClient], service: str) -> None:
    findings = fuzz(apps[service], service, ADMIN)
    assert findings.requests > 0
    assert not findings.problems, "\n".join(findings.problems)


@pytest.mark.parametrize("service", SERVICES)
def test_the_public_operations_without_a_token(apps: dict[str, TestClient], service: str) -> None:
    findings = fuzz(apps[service], service, {}, only_public=True)
    assert findings.requests > 0
    assert not findings.problems, "\n".join(findings.problems)
