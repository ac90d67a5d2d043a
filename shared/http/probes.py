"""Liveness, readiness and metrics routes, the same on every service."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

router = APIRouter(tags=["operations"])


@router.get("/health", summary="Liveness: the process answers")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", summary="Readiness: the database and Kafka answer (503 until they do)")
async def ready(request: Request) -> JSONResponse:
    checks = {"database": await _database_answers(request), "kafka": await _kafka_answers(request)}
    status = 200 if all(checks.values()) else 503
    return JSONResponse(
        status_code=status,
        content={"status": "ready" if status == 200 else "not ready", "checks": checks},
    )


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.registry), media_type=CONTENT_TYPE_LATEST)


async def _database_answers(request: Request) -> bool:
    try:
        async with request.app.state.sessions() as session:
            await session.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def _kafka_answers(request: Request) -> bool:
    connection = request.app.state.kafka
    return bool(connection.connected) and await connection.broker.ping(timeout=2.0)
