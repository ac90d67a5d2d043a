"""The officers' portal moved out of submissions into a deployable of its own
(services/portal, port 8005): its old addresses here answer with a redirect to it, so that
bookmarks and links in old emails keep working. `SUBMISSIONS_PORTAL_URL` says where it is."""

import os

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

router = APIRouter(include_in_schema=False)


def _portal_url() -> str:
    return os.environ.get("SUBMISSIONS_PORTAL_URL", "http://127.0.0.1:8005").rstrip("/")


@router.get("/portal")
@router.get("/portal/{rest:path}")
async def moved(request: Request, rest: str = "") -> RedirectResponse:
    query = f"?{request.url.query}" if request.url.query else ""
    target = f"{_portal_url()}/portal{'/' + rest if rest else ''}{query}"
    return RedirectResponse(target, status_code=301)
