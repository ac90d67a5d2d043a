"""Hộp thư: the person's in-app messages (what notifications told them: an initiative
received, a council's decision, an award), newest first, unread marked; mark one or all as
read. The menu shows the unread count (web.signed_in). Over notifications' /api/v1/inbox."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.client import api, items_of
from services.portal.menu import MenuItem
from services.portal.web import PORTAL, SignedIn, language, redirect, render
from shared.contracts.bounds import PAGE_MAX

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
        failed=answer.status_code != 200,
    )


@router.post(PAGE + "/{message_id:uuid}/da-doc", response_model=None)
async def mark_read(request: Request, user: SignedIn, message_id: UUID) -> Response:
    async with api(request, user.token, "notifications") as notifications:
        await notifications.post(f"/api/v1/inbox/messages/{message_id}/read")
    return redirect(f"{PAGE}#message-{message_id}")


@router.post(PAGE + "/da-doc-het", response_model=None)
async def mark_all_read(request: Request, user: SignedIn) -> Response:
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.get(
            "/api/v1/inbox", params={"unread_only": "true", "limit": PAGE_MAX}
        )
        unread = items_of(answer)
        for message in unread:
            await notifications.post(f"/api/v1/inbox/messages/{message['id']}/read")
    return redirect(PAGE, ("success", "inbox.all_read", {"count": len(unread)}))
