"""Client errors a person can read: the field at fault and the reason, in Vietnamese and English.

Every 4xx body has the same shape:
    {"errors": [{"field": "authors.0.share_percent", "code": "...",
                 "message_vi": "...", "message_en": "..."}]}
and so have the 404/405/400 FastAPI and Starlette answer themselves (below), a 503 while the
database is away (field "database", shared.http.unavailable) and a bug's 500 (field "(server)",
with the correlation id, shared.http.server_errors).
"""

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from shared.refusals import Kind, Refusal
from shared.refusals import client_error as client_error
from shared.validation_messages import PYDANTIC_VI, message_vi

log = logging.getLogger("thidua.auth")

# Vietnamese for pydantic's error types (shared.validation_messages), formatted with the
# error's context. A service adds its own domain errors (raised as PydanticCustomError) with
# `add_vietnamese`.
_VIETNAMESE: dict[str, str] = dict(PYDANTIC_VI)

# What FastAPI and Starlette refuse themselves, before any route (HTTPException): the field
# at fault for each, and what to say in both languages.
_HTTP_REFUSALS: dict[int, tuple[str, str, str]] = {
    400: ("(body)", "bad_request", "Không đọc được nội dung yêu cầu"),
    404: ("(path)", "not_found", "Không tìm thấy địa chỉ này"),
    405: ("(method)", "method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này"),
    413: ("(body)", "too_large", "Nội dung yêu cầu quá lớn"),
    415: ("content-type", "unsupported_media_type", "Kiểu nội dung không được hỗ trợ"),
}


def add_vietnamese(messages: dict[str, str]) -> None:
    _VIETNAMESE.update(messages)


# How each kind of refusal answers over HTTP.
STATUS_OF: dict[Kind, int] = {
    Kind.invalid: 422,
    Kind.not_found: 404,
    Kind.conflict: 409,
    Kind.forbidden: 403,
    Kind.too_large: 413,
    Kind.unsupported: 415,
}


class ClientError(Refusal):
    """A refusal the client can correct, raised where HTTP is spoken (a route, an
    authorisation check) with its status code; use cases raise a `Refusal` of a kind."""

    def __init__(
        self,
        status_code: int,
        field: str,
        code: str,
        message_vi: str,
        message_en: str,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        kind = next((k for k, status in STATUS_OF.items() if status == status_code), Kind.invalid)
        super().__init__(kind, field, code, message_vi, message_en, details=details)
        self.status_code = status_code
        self.headers = dict(headers or {})  # its response's (a 401's `WWW-Authenticate`)


def status_of(refusal: Refusal) -> int:
    return refusal.status_code if isinstance(refusal, ClientError) else STATUS_OF[refusal.kind]


def _translate(error: dict[str, Any]) -> dict[str, str]:
    if error["type"] == "json_invalid":
        # FastAPI puts the character position where the field goes ("body", 17): the field
        # is the body; the position and the parser's reason belong in the message.
        position = next((p for p in error.get("loc", ())[1:] if isinstance(p, int)), None)
        reason = error.get("ctx", {}).get("error", error["msg"])
        at_vi = f" (vị trí {position})" if position is not None else ""
        at_en = f" at position {position}" if position is not None else ""
        return client_error(
            "(body)",
            "json_invalid",
            f"Nội dung JSON không hợp lệ{at_vi}",
            f"Invalid JSON{at_en}: {reason}",
        )
    # A parameter is named as the client sends it ("offset", not "query.offset"), the same
    # name the input guard (shared.http.input_guard) gives it.
    loc = tuple(error.get("loc", ()))
    if loc and loc[0] in ("query", "path"):
        loc = loc[1:]
    location = [str(part) for part in loc if part != "body"]
    return client_error(
        ".".join(location) or "(body)", error["type"], message_vi(error, _VIETNAMESE), error["msg"]
    )


def refusal_from(error: ValidationError) -> ClientError:
    """A model validated inside a use case (an amendment merged with what is stored) refuses
    as a request body would: 422, every problem with its field, in both languages."""
    return refusal_listing([_translate(dict(e)) for e in error.errors()])


def refusal_listing(problems: list[dict[str, Any]], *, status_code: int = 422) -> ClientError:
    """A refusal (a 422 unless said) listing every problem (`client_error`s), the first
    standing for them all."""
    first = problems[0]
    return ClientError(
        status_code,
        first["field"],
        first["code"],
        first["message_vi"],
        first["message_en"],
        details=problems,
    )


def install_error_handlers(
    app: FastAPI,
    refused_first: Callable[[Request], Awaitable[Refusal | None]] | None = None,
) -> None:
    """The services' answers to refused requests. `refused_first` (the caller's own refusal
    on the route, by role) is asked before answering that a body could not be read or
    validated: FastAPI parses a JSON or multipart body before any dependency runs."""

    async def caller_refusal(request: Request) -> JSONResponse | None:
        refusal = await refused_first(request) if refused_first is not None else None
        if refusal is None:
            return None
        # Answered as raised, not logged again: it was logged where it was made.
        headers = refusal.headers if isinstance(refusal, ClientError) else None
        return JSONResponse(
            status_code=status_of(refusal), content={"errors": refusal.errors}, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        if (refused := await caller_refusal(request)) is not None:
            return refused
        return JSONResponse(
            status_code=422, content={"errors": [_translate(e) for e in exc.errors()]}
        )

    @app.exception_handler(Refusal)
    async def on_refusal(request: Request, exc: Refusal) -> JSONResponse:
        status_code = status_of(exc)
        if status_code == 403:
            # Every refused action is logged (shared.auth logs its own refusals too).
            log.warning(
                "action refused",
                extra={
                    "status_code": 403,
                    "reason": exc.error["code"],
                    "field": exc.error["field"],
                    "method": request.method,
                    "path": request.url.path,
                },
            )
        headers = exc.headers if isinstance(exc, ClientError) else None
        return JSONResponse(
            status_code=status_code, content={"errors": exc.errors}, headers=headers
        )

    @app.exception_handler(HTTPException)
    async def on_http_exception(request: Request, exc: HTTPException) -> Response:
        # Below 400 it is no error (the portal's 303 to the sign-in page): FastAPI's own
        # answer, which keeps the headers (Location, Set-Cookie).
        if exc.status_code < 400:
            return await http_exception_handler(request, exc)
        # 400: a body FastAPI could not parse (a malformed multipart form).
        if exc.status_code == 400 and (refused := await caller_refusal(request)) is not None:
            return refused
        field, code, message_vi = _HTTP_REFUSALS.get(
            exc.status_code, ("(request)", f"http_{exc.status_code}", "Yêu cầu không hợp lệ")
        )
        if exc.status_code >= 500:
            code, message_vi = f"http_{exc.status_code}", "Lỗi hệ thống"
        error = client_error(field, code, message_vi, str(exc.detail))
        return JSONResponse(
            status_code=exc.status_code, content={"errors": [error]}, headers=exc.headers
        )
