"""Liveness, readiness and metrics routes, the same on every service."""

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

router = APIRouter(tags=["operations"])

# How long `/ready` waits for `SELECT 1`. A database host that drops packets leaves a connection
# attempt hanging for asyncpg's connect timeout (60 s by default), longer than any probe waits:
# the probe itself would time out and say nothing. Bounded, it answers "not ready" in time.
DATABASE_CHECK_SECONDS = 3.0


@router.get("/health", summary="Liveness: the process answers")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", summary="Readiness: the database and Kafka answer (503 until they do)")
async def ready(request: Request) -> JSONResponse:
    # Both at once: the probe answers within the longer of the two bounds, not their sum.
    database, kafka = await asyncio.gather(_database_answers(request), _kafka_answers(request))
    checks = {"database": database, "kafka": kafka}
    status = 200 if all(checks.values()) else 503
    return JSONResponse(
        status_code=status,
        content={"status": "ready" if status == 200 else "not ready", "checks": checks},
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE_LATEST)


async def _database_answers(request: Request) -> bool:
    async def select_one() -> None:
        async with request.app.state.sessions() as session:
            await session.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(select_one(), DATABASE_CHECK_SECONDS)
        return True
    except Exception:
        # Refused, unreachable, too many connections, timed out: not ready, whatever the cause.
        return False


async def _kafka_answers(request: Request) -> bool:
    connection = request.app.state.kafka
    return bool(connection.connected) and await connection.broker.ping(timeout=2.0)
