"""The officers' web portal (cổng thông tin cán bộ công đoàn), served under /portal.

Server-rendered pages in Vietnamese (English on request) over submissions' own JSON API: each
page calls the API in-process as the signed-in person (`client.api`), so that validation,
authorisation and events are exactly the API's; the API's errors are shown by the field they
name. Wiring: add `router` to the service's routers (it also serves its stylesheet and
redirects `/` to `/portal`).
"""

from fastapi import APIRouter

from services.submissions.portal import home, imports, initiatives, registrations, reports

router = APIRouter(include_in_schema=False)
for _pages in (home, registrations, initiatives, imports, reports):
    router.include_router(_pages.router)

__all__ = ["router"]
