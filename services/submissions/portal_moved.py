"""The officers' portal moved out of submissions into a deployable of its own
(services/portal, port 8005): its old addresses here answer with a redirect to it, so that
bookmarks and links in old emails keep working. `SUBMISSIONS_PORTAL_URL` (the setting
`portal_url`) says where it is."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse


def redirects_to(portal_url: str) -> APIRouter:
    """The old /portal addresses, each answered with a permanent redirect to `portal_url`."""
    router = APIRouter(include_in_schema=False)
    base = portal_url.rstrip("/")

    @router.get("/portal")
    @router.get("/portal/{rest:path}")
    async def moved(request: Request, rest: str = "") -> RedirectResponse:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"{base}/portal{'/' + rest if rest else ''}{query}", 301)

    return router
