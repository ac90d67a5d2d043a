"""One guard, before every route, against input that no field of any service can take.

Two kinds of value get past the contracts' per-field rules and fail only when they reach
PostgreSQL (issue 13, found by a fuzzer as HTTP 500s):

- a string holding NUL: PostgreSQL refuses U+0000 in text ("invalid byte sequence"). The other
  C0 control characters (except tab, newline, carriage return) are stored, but a spreadsheet
  export then fails on them (XML 1.0, hence openpyxl, refuses them), and nobody types them.
  Lone surrogates (JSON "\\ud800") cannot be encoded as UTF-8 for the driver at all.
- an integer beyond 64 bits: pydantic takes any size of `int`, PostgreSQL's BIGINT (and an
  OFFSET or a LIMIT) stops at 2^63 - 1, and asyncpg refuses to send more.

Why a FastAPI dependency on the app, not middleware reading raw bytes: after routing, the route
is known (`scope["route"]`), so the guard can name the field as the client wrote it (a JSON path
like `authors.0.full_name`, a query parameter, a path parameter) and check the range only of
parameters the route declares as integers (a 25-digit search text is a fine string). It reads the
body FastAPI has already parsed: Starlette caches `request.json()` and `request.form()` on the
request, which is the very object handed to dependencies, so nothing is parsed twice. A regex
over the raw bytes could name no field, would have to understand percent-encoding, JSON escapes
(`\\u0000`) and multipart, and could not tell an integer field from a text one.

It runs before the route's own dependencies and before the body is validated, so a refusal
costs no database round trip. Headers are left out: an HTTP server refuses control characters in
them before the application sees the request.
"""

import email.message
import itertools
import math
import re
import types
import typing
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.params import Form
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from shared.http.errors import ClientError, client_error

# PostgreSQL's BIGINT, the widest integer any table or query here uses.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# C0 controls but tab, newline and carriage return (which text fields may hold), and the lone
# surrogates a JSON `\\udXXX` escape can produce.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")

# A body full of bad values is refused with this many listed, not all of them.
_MAX_LISTED = 20


def forbidden_character(text: str) -> str | None:
    """The first character of `text` no field accepts, as U+XXXX, or None."""
    found = _FORBIDDEN.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _character_refused(field: str, character: str) -> dict[str, str]:
    return client_error(
        field,
        "forbidden_character",
        f"Chứa ký tự điều khiển hoặc ký tự không hợp lệ ({character}), không được phép",
        f"Contains a control or invalid character ({character}), which is not allowed",
    )


def _out_of_range(field: str) -> dict[str, str]:
    return client_error(
        field,
        "number_out_of_range",
        f"Số nằm ngoài phạm vi cho phép (từ {INT64_MIN} đến {INT64_MAX})",
        f"Number out of the allowed range ({INT64_MIN} to {INT64_MAX})",
    )


def _not_finite(field: str) -> dict[str, str]:
    return client_error(
        field,
        "number_not_finite",
        "Phải là một số hữu hạn (NaN và Infinity không phải JSON)",
        "Must be a finite number (NaN and Infinity are not JSON)",
    )


def _unsupported_media_type() -> ClientError:
    return ClientError(
        415,
        "content-type",
        "unsupported_media_type",
        "Nội dung yêu cầu phải là JSON (Content-Type: application/json)",
        "The request body must be JSON (Content-Type: application/json)",
    )


def _escaped(key: str) -> str:
    """A JSON key as it can be shown in a field name: control characters escaped."""
    return key.encode("unicode_escape", errors="backslashreplace").decode("ascii")


def _join(path: str, part: str) -> str:
    return f"{path}.{part}" if path else part


def json_problems(document: Any) -> Iterator[dict[str, str]]:
    """Every string with a forbidden character and every number beyond 64 bits in a parsed
    JSON document, each named by its path (`authors.0.full_name`; "(body)" for the whole).

    Iterative, not recursive: Python's parser accepts nesting deeper than the stack of a
    recursive walk, and the guard must not be the one to fail with a 500."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, value = stack.pop()
        field = path or "(body)"
        if isinstance(value, str):
            if character := forbidden_character(value):
                yield _character_refused(field, character)
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                yield _out_of_range(field)
        elif isinstance(value, float):
            # Python's parser reads NaN and Infinity, which JSON does not have. A float beyond
            # 2^63 is refused too: pydantic turns 1e20 into the integer 10**20 for an int field.
            if not math.isfinite(value):
                yield _not_finite(field)
            elif not INT64_MIN <= value <= INT64_MAX:
                yield _out_of_range(field)
        elif isinstance(value, dict):
            children: list[tuple[str, Any]] = []
            for key, item in value.items():
                if character := forbidden_character(key):
                    yield _character_refused(_join(path, _escaped(key)), character)
                children.append((_join(path, key), item))
            stack.extend(reversed(children))  # popped in the document's order
        elif isinstance(value, list):
            stack.extend(reversed([(_join(path, str(i)), item) for i, item in enumerate(value)]))


def _takes_integers(annotation: Any) -> bool:
    """Whether a parameter declared as `annotation` may be an integer: int, int | None,
    list[int], an IntEnum... (bool, a subclass of int, is not a number here)."""
    if isinstance(annotation, type) and issubclass(annotation, int):
        return annotation is not bool
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return False
    return any(_takes_integers(arg) for arg in typing.get_args(annotation))


def _declared_parameters(dependant: Dependant) -> tuple[set[str], set[str], set[str]]:
    """Names (as sent: aliases) of the query and path parameters declared as integers, and of
    the headers declared at all, by the route or any of its dependencies (a pagination
    dependency declares `offset`, the idempotency one `Idempotency-Key`)."""
    query: set[str] = set()
    path: set[str] = set()
    headers: set[str] = set()
    pending = [dependant]
    while pending:
        current = pending.pop()
        query.update(
            p.alias for p in current.query_params if _takes_integers(p.field_info.annotation)
        )
        path.update(
            p.alias for p in current.path_params if _takes_integers(p.field_info.annotation)
        )
        # FastAPI reads `idempotency_key: Header()` as the header "idempotency-key".
        headers.update(p.alias.replace("_", "-").lower() for p in current.header_params)
        pending.extend(current.dependencies)
    return query, path, headers


def _beyond_64_bits(text: str) -> bool:
    """Whether a parameter's text reads as a number beyond 64 bits. Decimal reads what pydantic
    would take as an integer ("12", " 12 ", "1_000", "12.0", "1e30") without rounding."""
    try:
        number = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        return False  # not a number at all: the route's validation says so
    return number.is_finite() and not INT64_MIN <= number <= INT64_MAX


def _parameter_problems(
    kind: str, items: list[tuple[str, str]], integers: set[str]
) -> Iterator[dict[str, str]]:
    for name, value in items:
        if character := forbidden_character(value):
            yield _character_refused(name, character)
        elif name in integers and _beyond_64_bits(value):
            yield _out_of_range(name)
        if character := forbidden_character(name):
            yield _character_refused(f"({kind}) {_escaped(name)}", character)


def _is_json(content_type: str) -> bool:
    # The same reading of the header as FastAPI's (fastapi.routing.get_request_handler).
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _is_form(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in ("multipart/form-data", "application/x-www-form-urlencoded")


async def _body_problems(request: Request, route: APIRoute) -> Iterator[dict[str, str]]:
    content_type = request.headers.get("content-type", "")
    body_field = route.body_field
    form_route = body_field is not None and isinstance(body_field.field_info, Form)
    if body_field is not None and not form_route:
        if not await request.body():
            return iter(())  # "missing", from the route's validation
        strict = route.strict_content_type
        if _is_json(content_type) or (not content_type and strict is False):
            return json_problems(await request.json())
        # FastAPI would validate the raw bytes and answer "must be an object": the real
        # problem is the content type, and the client is told so.
        raise _unsupported_media_type()
    if _is_form(content_type) and (form_route or body_field is None):
        # A form route's form is parsed already (cached); a portal page reads its form itself
        # (`await request.form()`), and gets this same parsed form from the cache.
        form = await request.form()
        problems: list[dict[str, str]] = []
        for name, value in form.multi_items():
            text = (value.filename or "") if isinstance(value, UploadFile) else value
            problems.extend(_parameter_problems("form", [(name, text)], set()))
        return iter(problems)
    return iter(())


async def refuse_unsafe_input(request: Request) -> None:
    """App-wide dependency: 422 naming every field with a forbidden character or a number
    beyond 64 bits; 415 for a JSON route sent something else than JSON."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    integer_query, integer_path, headers = _declared_parameters(route.dependant)
    problems = [
        *_parameter_problems(
            "path", [(k, str(v)) for k, v in request.path_params.items()], integer_path
        ),
        *_parameter_problems("query", request.query_params.multi_items(), integer_query),
        *_parameter_problems(
            "header", [(k, v) for k, v in request.headers.items() if k in headers], set()
        ),
    ]
    problems.extend(itertools.islice(await _body_problems(request, route), _MAX_LISTED))
    if problems:
        first = problems[0]
        raise ClientError(
            422,
            first["field"],
            first["code"],
            first["message_vi"],
            first["message_en"],
            details=problems[:_MAX_LISTED],
        )
