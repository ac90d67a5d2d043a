"""Every connection of a service's pool taken (a burst: 64 clients at once) is answered 503
with Retry-After as "busy", not as the database being unreachable: it was up, answering the
other requests, and an operator told "database unavailable" looks in the wrong place."""

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa_exc

from shared.http.unavailable import RETRY_AFTER_SECONDS, install_unavailable_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_unavailable_handlers(app)

    @app.get("/busy")
    async def busy() -> None:
        # What SQLAlchemy's pool raises after pool_timeout with every connection checked out.
        raise sa_exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached")

    @app.get("/down")
    async def down() -> None:
        raise sa_exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    return app


def test_a_full_pool_is_busy_and_an_unreachable_database_is_down() -> None:
    with TestClient(_app()) as client:
        busy, down = client.get("/busy"), client.get("/down")

    for answer in (busy, down):
        assert answer.status_code == 503
        assert answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    [busy_error], [down_error] = busy.json()["errors"], down.json()["errors"]
    assert busy_error["code"] == "server_busy" and "bận" in busy_error["message_vi"]
    assert "busy" in busy_error["message_en"]
    assert down_error["code"] == "database_unavailable"
