"""Hộp thư: the person's in-app messages (what notifications told them: an initiative
received, a council's decision, an award), newest first, unread marked; mark one or all as
read. The menu shows the unread count (web.signed_in). Over notifications' /api/v1/inbox."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.client import api, items_of
from services.portal.menu import MenuItem
from services.portal.web import PORTAL, SignedIn, language, redirect, refusal, render

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/hop-thu"
MENU = (MenuItem(PAGE, "nav.inbox", badge=True, place="personal"),)
SHOWN = 100


@router.get(PAGE, response_class=HTMLResponse)
async def inbox(request: Request, user: SignedIn) -> HTMLResponse:
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.get("/api/v1/inbox", params={"limit": SHOWN})
    messages = items_of(answer)
    return render(
        request,
        "inbox.html",
        language(request),
        user=user,
        messages=messages,
        unread=sum(1 for m in messages if not m["read"]),
        # "Mark all read" marks up to the newest message shown (the API lists newest first):
        # one that arrives after this page is not marked read unseen.
        newest=messages[0]["created_at"] if messages else "",
        failed=answer.status_code != 200,
    )


@router.post(PAGE + "/{message_id:uuid}/da-doc", response_model=None)
async def mark_read(request: Request, user: SignedIn, message_id: UUID) -> Response:
    async with api(request, user.token, "notifications") as notifications:
        await notifications.post(f"/api/v1/inbox/messages/{message_id}/read")
    return redirect(f"{PAGE}#message-{message_id}")


@router.post(PAGE + "/da-doc-het", response_model=None)
async def mark_all_read(request: Request, user: SignedIn) -> Response:
    """Every unread message up to the newest the page showed, older ones beyond the page
    too, in one call (notifications' POST /api/v1/inbox/read)."""
    data = await request.form()
    newest = str(data.get("up_to") or "")
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.post(
            "/api/v1/inbox/read", json={"up_to": newest} if newest else {}
        )
    if answer.status_code != 200:
        return redirect(PAGE, ("error", "inbox.not_marked", {"why": refusal(answer)}))
    return redirect(PAGE, ("success", "inbox.all_read", {"count": answer.json()["marked"]}))
