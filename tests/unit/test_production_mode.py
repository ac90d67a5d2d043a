"""Production mode (issue 14, point 1): `THIDUA_ENV=production` refuses settings anyone could
forge tokens with, at start, with a message saying why; the demo sign-in is development only.

The refusals are checked on a real service process (`python -m services.scoring`), as it
starts in a container, and on the functions every service and the portal call."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shared import dev_tokens
from shared.auth import AuthSettings, UnsafeSettings, check_startup_settings, demo_sign_in_allowed
from shared.auth.settings import load_auth_settings
from shared.settings import DeploymentSettings, Environment, OpsAccess
from tests.support.infrastructure import REPO, free_port
from tests.support.run_local import load_run_local

SECRET = "a-production-secret-of-at-least-32-bytes!"
OPS_TOKEN = "an-ops-token-for-prometheus-of-32-bytes+"
PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo
4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u
+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh
kd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ
0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdg
cKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbc
mwIDAQAB
-----END PUBLIC KEY-----"""


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for name in list(os.environ):
        if name.startswith("THIDUA_"):
            monkeypatch.delenv(name)
    load_auth_settings.cache_clear()
    yield monkeypatch
    load_auth_settings.cache_clear()


def _scoring(tmp_path: Path, port: int = 0, **env: str) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    environment.update(
        SCORING_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'scoring.sqlite3'}",
        SCORING_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1",
        SCORING_HTTP_PORT=str(port or free_port()),
        **env,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "services.scoring"],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _refusal(process: subprocess.Popen[str]) -> str:
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2, stderr
    assert "Traceback" not in stderr  # one clear message, not a stack
    return stderr


def test_production_refuses_to_start_with_the_development_secret(tmp_path: Path) -> None:
    stderr = _refusal(_scoring(tmp_path, THIDUA_ENV="production", THIDUA_OPS_TOKEN=OPS_TOKEN))
    assert "refusing to start in production mode" in stderr
    assert "THIDUA_AUTH_SECRET is the public development secret" in stderr


def test_a_secret_shorter_than_32_bytes_refuses_to_start_in_any_mode(tmp_path: Path) -> None:
    stderr = _refusal(_scoring(tmp_path, THIDUA_AUTH_SECRET="short-secret"))
    assert "THIDUA_AUTH_SECRET must be at least 32 bytes" in stderr


def test_production_with_its_own_secret_starts_and_says_its_mode(tmp_path: Path) -> None:
    port = free_port()
    process = _scoring(
        tmp_path,
        port,
        THIDUA_ENV="production",
        THIDUA_AUTH_SECRET=SECRET,
        THIDUA_OPS_TOKEN=OPS_TOKEN,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[1]
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("scoring did not answer /health in production mode")
    finally:
        process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    assert '"environment": "production"' in stdout + stderr


def test_rs256_in_production_needs_its_issuer_and_audience(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    clean_environment.setenv("THIDUA_AUTH_ALGORITHM", "RS256")
    clean_environment.setenv("THIDUA_AUTH_PUBLIC_KEY", PUBLIC_KEY)
    production = DeploymentSettings(env=Environment.PRODUCTION, metrics=OpsAccess.OFF)
    with pytest.raises(UnsafeSettings) as refused:
        check_startup_settings(production)
    assert "THIDUA_AUTH_AUDIENCE and THIDUA_AUTH_ISSUER" in str(refused.value)
    # Development keeps its defaults, and production starts once both are set.
    assert check_startup_settings(DeploymentSettings()).algorithm == "RS256"
    clean_environment.setenv("THIDUA_AUTH_ISSUER", "https://sso.pvn.vn/realms/cddk")
    clean_environment.setenv("THIDUA_AUTH_AUDIENCE", "thidua")
    load_auth_settings.cache_clear()
    assert check_startup_settings(production).issuer == "https://sso.pvn.vn/realms/cddk"


def test_metrics_behind_a_token_need_a_long_enough_token(
    clean_environment: pytest.MonkeyPatch,
) -> None:
    clean_environment.setenv("THIDUA_AUTH_SECRET", SECRET)
    production = DeploymentSettings(env=Environment.PRODUCTION)
    assert (production.docs_access, production.metrics_access) == (OpsAccess.OFF, OpsAccess.TOKEN)
    with pytest.raises(UnsafeSettings, match="THIDUA_OPS_TOKEN must be set"):
        check_startup_settings(production)
    check_startup_settings(production.model_copy(update={"metrics": OpsAccess.OFF}))
    development = DeploymentSettings()
    assert (development.docs_access, development.metrics_access) == (OpsAccess.OPEN,) * 2


def test_the_demo_sign_in_exists_only_in_development_with_the_development_secret() -> None:
    development, production = DeploymentSettings(), DeploymentSettings(env=Environment.PRODUCTION)
    assert demo_sign_in_allowed(AuthSettings(), development)
    assert not demo_sign_in_allowed(AuthSettings(), production)
    assert not demo_sign_in_allowed(AuthSettings(secret=SECRET), development)


def test_dev_tokens_refuses_in_production(
    clean_environment: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_environment.setenv("THIDUA_ENV", "production")
    clean_environment.setenv("THIDUA_AUTH_SECRET", SECRET)
    with pytest.raises(SystemExit):
        dev_tokens.main(["admin"])
    assert "development only" in capsys.readouterr().err


def test_make_run_runs_in_development_whatever_the_shell_says(
    clean_environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run_local = load_run_local()
    clean_environment.setattr(run_local, "CLOCK_FILE", tmp_path / "clock")
    clean_environment.setenv("THIDUA_ENV", "production")
    assert run_local.clock_environment()["THIDUA_ENV"] == "development"
