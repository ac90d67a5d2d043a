"""Báo cáo: a unit files its plan or its results for a phase, with the figures the campaign's
targets read. Over POST and GET /api/v1/reports."""

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from services.portal import lookups
from services.portal.client import ServiceClient, api, errors_of, items_of, list_errors_of
from services.portal.forms import FormErrors, parse_date_vn, parse_number
from services.portal.i18n import Translator
from services.portal.menu import MenuItem
from services.portal.posted_form import posted_form
from services.portal.web import (
    OFFICERS,
    PORTAL,
    Flash,
    FormPage,
    Label,
    Officer,
    PortalUser,
    language,
    redirect,
    vn_date,
)

router = APIRouter(include_in_schema=False)
PAGE = f"{PORTAL}/bao-cao"
MENU = (MenuItem(PAGE, "nav.reports", OFFICERS),)
FORM = FormPage("reports.html", "report-form")
# The form's fields that the API's errors name as they are (besides each figure's).
FIELDS = ("phase_code", "unit_code", "kind", "summary", "figures", "filed_on")


@dataclass
class ReportForm:
    phase_code: str = ""
    unit_code: str = ""
    kind: str = ""
    figures: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    filed_on: str = ""  # dd/mm/yyyy; empty: today

    @classmethod
    def from_form(cls, data: FormData) -> "ReportForm":
        return cls(
            phase_code=str(data.get("phase_code") or ""),
            unit_code=str(data.get("unit_code") or ""),
            kind=str(data.get("kind") or ""),
            figures={
                name.removeprefix("figure-"): str(value)
                for name, value in data.multi_items()
                if name.startswith("figure-") and isinstance(value, str)
            },
            summary=str(data.get("summary") or ""),
            filed_on=str(data.get("filed_on") or ""),
        )

    def to_api(self, campaign_code: str) -> tuple[dict[str, Any], list[str]]:
        """The API's body and the fields it could not convert (figures that are not numbers,
        a date that is not one: sent as typed, refused)."""
        figures: dict[str, Any] = {}
        unconverted = []
        for name, text in self.figures.items():
            if not text.strip():
                continue
            number = parse_number(text)
            figures[name] = number if number is not None else text.strip()
            if number is None:
                unconverted.append(name)
        body: dict[str, Any] = {
            "campaign_code": campaign_code,
            "phase_code": self.phase_code,
            "unit_code": self.unit_code,
            "figures": figures,
            "summary": self.summary.strip(),
        }
        if self.kind:
            body["kind"] = self.kind
        if self.filed_on.strip():
            day = parse_date_vn(self.filed_on)
            body["filed_on"] = day.isoformat() if day else self.filed_on.strip()
            if day is None:
                unconverted.append("filed_on")
        return body, unconverted


def _form_field(api_field: str) -> str:
    parts = api_field.split(".", 1)
    if parts[0] == "figures" and len(parts) == 2:
        return f"figure-{parts[1]}"
    return parts[0] if parts[0] in FIELDS else ""


async def _context(client: ServiceClient, user: PortalUser) -> dict[str, Any]:
    context = await lookups.phase_page_context(client, user.unit_code)
    listing = await client.get(
        "/api/v1/reports",
        params={"campaign_code": context["campaign_code"], "unit_code": user.unit_code},
    )
    figures = lookups.report_figures(context["campaign"])
    return {
        **context,
        "figures": figures,
        "reports": items_of(listing),
        "list_errors": list_errors_of(listing),
        "fields": {*FIELDS, *(f"figure-{f['figure']}" for f in figures)},
    }


@router.get(PAGE, response_class=HTMLResponse)
async def reports_page(request: Request, user: Officer) -> HTMLResponse:
    async with api(request, user.token) as client:
        context = await _context(client, user)
    form = ReportForm(phase_code=context["first_open_phase"], unit_code=user.unit_code)
    errors = FormErrors(fields=context["fields"])
    return FORM.render(request, user, language(request), form, errors, **context)


@router.post(PAGE, response_model=None)
async def file_report(request: Request, user: Officer) -> Response:
    data, lang, form = await posted_form(request, ReportForm.from_form)
    async with api(request, user.token) as client:
        context = await _context(client, user)
        if (shown := FormErrors.on_switch(data, context["fields"])) is not None:
            return FORM.render(request, user, lang, form, shown, **context)
        body, unconverted = form.to_api(context["campaign_code"])
        response = await client.post("/api/v1/reports", json=body)
    if response.status_code != 201:
        errors = FormErrors.from_api(errors_of(response), _form_field, context["fields"])
        for name in unconverted:
            if name == "filed_on":
                errors.reword(name, "input.date_invalid")
            else:
                errors.reword(f"figure-{name}", "input.number_invalid")
        return FORM.render(request, user, lang, form, errors, response.status_code, **context)
    report = response.json()
    phase_vi, phase_en = context["phase_labels"].get(
        report["phase_code"], (report["phase_code"], report["phase_code"])
    )
    kind = Label(
        Translator("vi").code("report_kind", report["kind"]).lower(),
        Translator("en").code("report_kind", report["kind"]).lower(),
    )
    messages: list[Flash] = [
        (
            "success",
            "rep.filed",
            {"kind": kind, "unit": report["unit_code"], "phase": Label(phase_vi, phase_en)},
        )
    ]
    if report["late"]:
        messages.append(("warning", "rep.late_due", {"due": vn_date(report.get("due_on"))}))
    return redirect(PAGE, *messages)
