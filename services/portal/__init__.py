"""The web front end (cổng thông tin Thi Đua): a deployable of its own, `python -m
services.portal` (port 8005), serving every role — member, unit officer, council member
(reviewer), federation admin — in Vietnamese first and English.

It holds no data: each page calls the services' public JSON APIs over HTTP with the signed-in
person's bearer token (client.py), so validation, authorisation and events are exactly the
API's; an API's errors are shown beside the field they name.

Layout
    app.py        the FastAPI app: middleware (session, trace), CSRF guard, refusal pages
    config.py     PortalSettings (PORTAL_*: port, the services' URLs, the session secret)
    session.py    the signed session cookie (CSRF token + bearer token)
    csrf.py       every POST: same origin and the session's CSRF token, else 403
    client.py     `api(request, token, "notifications")`: a service's API as the person
    web.py        SignedIn / signed_in_as(roles) / Officer, render(), flash messages, language
    menu.py       MenuItem: a menu entry and the roles it is offered to
    i18n.py       the one catalogue: Translator; the words live in words/<area>.toml
    forms.py      Vietnamese input (dd/mm/yyyy, 1.200.000.000) and API errors by field
    lookups.py    what several pages read (the campaign, its phases, the units)
    pages/        one module per area (router + MENU)
    templates/    one template per area (+ base.html, _macros.html)
    static/       portal.css (no inline scripts or styles: a strict CSP passes)

How to add a page (e.g. the admin's "councils")
    1. services/portal/pages/councils.py:
           router = APIRouter(include_in_schema=False)
           WHO = frozenset((Role.FEDERATION_ADMIN,))
           MENU = (MenuItem(f"{PORTAL}/hoi-dong", "nav.councils", WHO),)
           Admin = Annotated[PortalUser, Depends(signed_in_as(*WHO))]

           @router.get(f"{PORTAL}/hoi-dong", response_class=HTMLResponse)
           async def councils(request: Request, user: Admin) -> HTMLResponse:
               async with api(request, user.token, "scoring") as scoring:
                   pending = (await scoring.get("/api/v1/reviews/pending")).json()
               return render(request, "councils.html", language(request), user=user, ...)
       A POST route reads `await request.form()`; the CSRF check has already run. After a
       change, `redirect(url, ("success", key, values))` (the page it leads to shows that
       flash message); on an API refusal, render the form again with
       `FormErrors.from_api(errors_of(response), ...)` and the API's status.
    2. services/portal/templates/councils.html: `{% extends "base.html" %}`; every
       `<form method="post">` starts with `<input type="hidden" name="_csrf" value="{{ csrf }}">`
       (a unit test checks); labels on every input (`_macros.html`); no `style=`, `on…=` or
       <script> (CSP); tables inside `<div class="table-wrap">` so a phone scrolls the table,
       not the page.
    3. services/portal/words/councils.toml: "councils.title" = ["Hội đồng", "Councils"]
       (Vietnamese, English; both written), its name added to AREAS in words/__init__.py;
       "nav.councils" too.
    4. Add the module to PAGES in pages/__init__.py (menu order).
    5. A browser test in tests/browser/ (see tests/browser/portal_system.py for the real
       services and test_portal.py for signing in).
"""
