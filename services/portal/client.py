"""The services' public JSON APIs, called over HTTP as the signed-in person.

The portal holds no data of its own: every page asks the services (submissions, scoring,
notifications, reporting) with the person's bearer token, so validation, authorisation and
events are exactly the API's, and the API's errors are shown by the field they name. One
pooled `httpx.AsyncClient` per service lives as long as the app (`ServiceClients`); a page
gets a `ServiceClient` bound to the person's token and its trace.

A 401 (the token expired or was revoked) ends the session and leads to the sign-in page
(`SignInAgain`); a service that does not answer is a 503 page naming it
(`ServiceUnavailable`); both are handled in app.py.
"""

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Literal
from urllib.parse import quote

import httpx
from fastapi import Request
from pydantic import BaseModel, ConfigDict, ValidationError

from shared.http.error_schema import ClientErrorItem
from shared.messaging.tracing import outgoing_traceparent

Service = Literal["submissions", "scoring", "notifications", "reporting"]
SIGN_IN_AGAIN = "/portal/dang-nhap?het-han=1"


class SignInAgain(Exception):
    """A service refused the person's token: sign in again."""


class ServiceUnavailable(Exception):
    def __init__(self, service: str) -> None:
        super().__init__(f"{service} does not answer")
        self.service = service


class ApiError(ClientErrorItem):
    """One entry of an API error body, read with the services' own declaration of it
    (shared.http.error_schema), so that the portal and the APIs cannot drift apart; an
    import's refusals also name the sheet's row. What else an entry carries is ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    row: int | None = None


class _ErrorBody(BaseModel):
    errors: list[Any]


def _entries(entries: list[Any]) -> Iterator[ApiError]:
    # Each entry on its own: one the portal cannot read does not hide the others.
    for entry in entries:
        try:
            yield ApiError.model_validate(entry)
        except ValidationError:
            continue


def errors_of(response: httpx.Response) -> list[ApiError]:
    """The errors an API answer carries; one generic error if it carries none the portal can
    read (a body not in the services' error shape, a proxy's page, an empty list)."""
    try:
        found = list(_entries(_ErrorBody.model_validate_json(response.content).errors))
    except ValidationError:
        found = []
    return found or [
        ApiError(
            field="",
            code=f"http_{response.status_code}",
            message_vi=f"Hệ thống trả lời lỗi {response.status_code}",
            message_en=f"The system answered with error {response.status_code}",
        )
    ]


def items_of(response: httpx.Response) -> list[Any]:
    """The list a 200 answer carries, or none: a page shows what it could read (with
    `list_errors_of` saying why a list is missing) rather than failing as a whole. For an
    endpoint that answers a list; a page of one (`{"items": ...}`) is read as a page."""
    if response.status_code != 200:
        return []
    items = response.json()
    if not isinstance(items, list):
        raise TypeError(f"{response.request.url.path} answers {type(items).__name__}, not a list")
    return items


def page_items_of(response: httpx.Response) -> list[Any]:
    """The items of a page a 200 answer carries (`{"items": [...], "total": ...}`), or none,
    as `items_of` reads a list."""
    if response.status_code != 200:
        return []
    items: list[Any] = response.json()["items"]
    return items


def list_errors_of(response: httpx.Response) -> list[ApiError]:
    """Why a list could not be read: none if it was."""
    return [] if response.status_code == 200 else errors_of(response)


class ServiceClients:
    """One connection pool per service, for the app's lifetime. `transports` lets a test
    answer with in-process apps instead of the network."""

    def __init__(
        self,
        urls: Mapping[str, str],
        timeout: float,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self._clients = {
            name: httpx.AsyncClient(
                base_url=url,
                timeout=timeout,
                transport=(transports or {}).get(name),
                headers={"accept": "application/json"},
            )
            for name, url in urls.items()
        }

    def __getitem__(self, service: str) -> httpx.AsyncClient:
        return self._clients[service]

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()


def _encoded(path: str) -> str:
    """`path` with every character but "/" that is not a letter, a digit or one of "-._~"
    percent-encoded. The pages write a path with the values of their own path in it
    (f"/api/v1/units/{code}"), as Starlette decoded them: a line break there was an
    httpx.InvalidURL (a 500), and a "?", "#" or "%" would have ended the segment or changed
    it. Encoded, each value reaches the API as the one segment it was, and the API answers
    for it (404 for no such unit). A query goes in `params`, never in the path; "/" cannot be
    in a value (a path parameter ends at one)."""
    return quote(path, safe="/")


class ServiceClient:
    """One service's API as one person: `get`, `post`, `put`, `patch`, `delete` take a path
    and httpx's keyword arguments."""

    def __init__(self, service: str, http: httpx.AsyncClient, token: str | None) -> None:
        self.service = service
        self._http = http
        self._headers = {"traceparent": outgoing_traceparent()}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self._headers, **(kwargs.pop("headers", None) or {})}
        try:
            response = await self._http.request(method, _encoded(path), headers=headers, **kwargs)
        except httpx.TransportError as error:
            raise ServiceUnavailable(self.service) from error
        if response.status_code == 401:
            raise SignInAgain
        if response.status_code in (502, 503, 504):
            raise ServiceUnavailable(self.service)
        return response

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", path, **kwargs)

    async def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PUT", path, **kwargs)

    async def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", path, **kwargs)


@asynccontextmanager
async def api(
    request: Request, token: str | None, service: Service = "submissions"
) -> AsyncIterator[ServiceClient]:
    """`service`'s API as the person whose `token` it is (None: anonymous)."""
    clients: ServiceClients = request.app.state.services
    yield ServiceClient(service, clients[service], token)
