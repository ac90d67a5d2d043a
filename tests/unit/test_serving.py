"""The services and the portal are served (shared.serving) by uvicorn with h11, which bounds a
request's line and headers (16 KiB, once they span more than one read); a request past the
bound is refused before any app code runs."""

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.infrastructure import free_port

APP = """
from fastapi import FastAPI
from shared.serving import serve
app = FastAPI()
@app.get("/ok")
def ok() -> dict[str, str]:
    return {"status": "ok"}
serve(app, "127.0.0.1", PORT)
"""


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", APP.replace("PORT", str(port))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/ok", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    _, said = process.communicate(timeout=5)
                    pytest.fail(f"the app did not start: {said.decode(errors='replace')[-2000:]}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_request_of_ordinary_size_is_answered(served: str) -> None:
    assert httpx.get(f"{served}/ok", headers={"x-note": "a" * 4000}).status_code == 200


def test_headers_past_the_bound_are_refused(served: str) -> None:
    # 2 MB of headers: more than one read of the socket, so h11 sees them incomplete past its
    # 16 KiB bound (httptools answered 200).
    headers = {f"x-filler-{n}": "a" * 1000 for n in range(2000)}
    try:
        status: int | None = httpx.get(f"{served}/ok", headers=headers, timeout=10).status_code
    except httpx.TransportError:
        # Refused as well: the server answered 400 and closed while the client still sent,
        # and the reset took the answer with it.
        status = None
    assert status in (400, None)
