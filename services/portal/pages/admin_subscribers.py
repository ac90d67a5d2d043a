"""Hệ thống nhận webhook: register a subscriber (its secret shown once, on the answer's page,
never stored by the portal), rotate its secret (the new one shown once), deactivate it; the
delivery log, filtered by status, with redelivery. Over notifications' /api/v1/subscribers
and /api/v1/deliveries."""

import uuid
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.client import api, errors_of, items_of
from services.portal.forms import FormErrors, idempotency_key
from services.portal.pages.admin import Admin, render_admin, shown_on_get
from services.portal.web import PORTAL, redirect, refusal
from shared.contracts import EVENT_TYPES
from shared.contracts.base import EVENT_TYPE_PREFIX
from shared.contracts.vocabulary import REDELIVERABLE, DeliveryStatus

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/quan-tri/webhook"
MENU = ()  # reached from Quản trị
FIELDS = {"name", "url", "event_types"}
# The delivery log's filter offers the vocabulary's statuses, in its order.
STATUSES = tuple(DeliveryStatus)


def short_type(event_type: str) -> str:
    """`vn.congdoandaukhi.thidua.award.granted.v1` -> `award.granted` (as listed)."""
    name = event_type.removeprefix(EVENT_TYPE_PREFIX)
    head, _, version = name.rpartition(".")
    return head if version.startswith("v") and head else name


def _event_field(api_field: str) -> str:
    # The API names a refused type by its index (event_types.2): the checkboxes are one field.
    head = api_field.split(".", 1)[0]
    return head if head in FIELDS else ""


async def _page(
    request: Request,
    user: Admin,
    *,
    form: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    secret: tuple[dict[str, Any], str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    status = request.query_params.get("status") or ""
    async with api(request, user.token, "notifications") as notifications:
        listed = await notifications.get("/api/v1/subscribers")
        log = await notifications.get(
            "/api/v1/deliveries",
            params={"status": status, "limit": 100} if status in STATUSES else {"limit": 100},
        )
    return render_admin(
        request,
        "admin_subscribers.html",
        user,
        status_code=status_code,
        subscribers=sorted(
            items_of(listed),
            key=lambda s: (not s["active"], s["name"]),
        ),
        deliveries=items_of(log),
        statuses=STATUSES,
        offer_again=REDELIVERABLE,
        status=status if status in STATUSES else "",
        event_types=[(t, short_type(t)) for t in EVENT_TYPES],
        short_type=short_type,
        form=form or {"name": "", "url": "", "event_types": [], "key": str(uuid.uuid4())},
        errors=errors or FormErrors(fields=FIELDS),
        secret=secret,
    )


shown_on_get(router, PAGE, _page)


@router.post(PAGE, response_model=None)
async def add_subscriber(request: Request, user: Admin) -> Response:
    data = await request.form()
    form: dict[str, Any] = {
        "name": str(data.get("name") or "").strip(),
        "url": str(data.get("url") or "").strip(),
        "event_types": [str(t) for t in data.getlist("event_types")],
        "key": idempotency_key(data),
    }
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.post(
            "/api/v1/subscribers",
            json={k: form[k] for k in ("name", "url", "event_types")},
            headers={"Idempotency-Key": form["key"]},
        )
    if answer.status_code == 201:
        created = answer.json()
        # Shown on this answer only: a redirect would have to carry the secret in a cookie.
        return await _page(request, user, secret=(created, created["secret"]), status_code=201)
    errors = FormErrors.from_api(errors_of(answer), _event_field, FIELDS)
    return await _page(request, user, form=form, errors=errors, status_code=answer.status_code)


@router.post(PAGE + "/{subscriber_id:uuid}/doi-khoa", response_model=None)
async def rotate(request: Request, user: Admin, subscriber_id: UUID) -> Response:
    await request.form()
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.post(f"/api/v1/subscribers/{subscriber_id}/rotate-secret")
    if answer.status_code == 200:
        rotated = answer.json()
        return await _page(request, user, secret=(rotated, rotated["secret"]))
    return _refused(answer)


@router.post(PAGE + "/{subscriber_id:uuid}/ngung", response_model=None)
async def deactivate(request: Request, user: Admin, subscriber_id: UUID) -> Response:
    await request.form()
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.delete(f"/api/v1/subscribers/{subscriber_id}")
    if answer.status_code != 200:
        return _refused(answer)
    return redirect(
        f"{PAGE}#subscriber-{subscriber_id}",
        ("success", "sub.deactivated", {"name": answer.json()["name"]}),
    )


@router.post(PAGE + "/gui-lai/{delivery_id:uuid}", response_model=None)
async def redeliver(request: Request, user: Admin, delivery_id: UUID) -> Response:
    data = await request.form()
    status = str(data.get("status") or "")
    async with api(request, user.token, "notifications") as notifications:
        answer = await notifications.post(f"/api/v1/deliveries/{delivery_id}/redeliver")
    if answer.status_code != 200:
        return _refused(answer, status)
    return redirect(
        f"{PAGE}?status={status}#delivery-{delivery_id}"
        if status
        else f"{PAGE}#delivery-{delivery_id}",
        ("success", "sub.redelivered", {"to": answer.json()["destination"]}),
    )


def _refused(answer: Any, status: str = "") -> Response:
    return redirect(
        f"{PAGE}?status={status}" if status else PAGE,
        ("error", "sub.refused", {"why": refusal(answer)}),
    )
