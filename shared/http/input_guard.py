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

Issue 14 adds three rules for text:

- the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) are refused like the
  control characters: a title holding one displays reversed ("Trojan Source"), and no
  Vietnamese or English text needs one;
- a line break or tab is refused in a one-line field (codes, names, titles, addresses: a text
  bounded at `SINGLE_LINE_MAX` characters or less, read from the route's body schema, and
  every path parameter, which names one thing), and allowed in the longer texts (a problem,
  a solution, a reason, a note);
- every string of a JSON body is normalised to NFC before the route validates it, so that
  "Nguyễn" typed with combining marks (NFD, as macOS and some keyboards send it) is stored,
  compared and counted as the same name typed precomposed. Starlette caches the parsed body,
  and FastAPI validates that very object, so normalising it in place is what the route sees.
"""

import email.message
import functools
import itertools
import math
import re
import types
import typing
import unicodedata
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.params import Form
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError, create_model
from starlette.datastructures import UploadFile

from shared.contracts.bounds import SINGLE_LINE_MAX
from shared.formatting import format_number
from shared.http.errors import ClientError, client_error, refusal_from, refusal_listing

# PostgreSQL's BIGINT, the widest integer any table or query here uses.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# C0 controls but tab, newline and carriage return (which long text fields may hold), the
# bidirectional overrides and isolates, the lone surrogates a JSON `\\udXXX` escape can
# produce, and the noncharacters U+FFFE and U+FFFF, which no XML (an export, a decision) can
# hold.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# What a one-line field may not hold besides: line breaks (U+2028/2029 too) and tabs.
_LINE_BREAK = re.compile("[\t\n\r\u2028\u2029]")

# A body full of bad values is refused with this many listed, not all of them.
MAX_LISTED = 20


def without_forbidden_characters(text: str) -> str:
    """`text` without the characters no field accepts: for text read from a file (a spreadsheet
    cell), where a person cannot see, let alone remove, a stray control character."""
    return _FORBIDDEN.sub("", text)


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


class _Problem(Enum):
    """A value json_problems refuses wherever it stands: its code, and why in both languages."""

    line_break = (
        "Phải nằm trên một dòng: không được chứa dấu xuống dòng hay tab",
        "Must be one line: no line break or tab",
    )
    number_out_of_range = (
        "Số nằm ngoài phạm vi cho phép (từ "
        f"{format_number(INT64_MIN, 0)} đến {format_number(INT64_MAX, 0)})",
        f"Number out of the allowed range ({INT64_MIN:,} to {INT64_MAX:,})",
    )
    number_not_finite = (
        "Phải là một số hữu hạn (NaN và Infinity không phải JSON)",
        "Must be a finite number (NaN and Infinity are not JSON)",
    )

    def at(self, field: str) -> dict[str, str]:
        message_vi, message_en = self.value
        return client_error(field, self.name, message_vi, message_en)


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


# A one-line field's place in a body: its JSON path with "*" for any list index or map key.
_Pattern = tuple[str, ...]


def _matches(path: tuple[str, ...], patterns: frozenset[_Pattern]) -> bool:
    return any(
        len(pattern) == len(path) and all(p in ("*", q) for p, q in zip(pattern, path, strict=True))
        for pattern in patterns
    )


def json_problems(
    document: Any, one_line: frozenset[_Pattern] = frozenset()
) -> Iterator[dict[str, str]]:
    """Every string with a forbidden character, every line break in a one-line field (paths in
    `one_line`) and every number beyond 64 bits in a parsed JSON document, each named by its
    path (`authors.0.full_name`; "(body)" for the whole).

    Iterative, not recursive: Python's parser accepts nesting deeper than the stack of a
    recursive walk, and the guard must not be the one to fail with a 500."""
    # A path is a (parent, name) link, made in O(1) per node and spelled out only for a
    # problem: copying the whole path at each node made a 50,000-deep document quadratic.
    stack: list[tuple[_Path, Any]] = [(None, document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if character := forbidden_character(value):
                yield _character_refused(_field(path), character)
            elif one_line and _LINE_BREAK.search(value) and _matches(_parts(path), one_line):
                yield _Problem.line_break.at(_field(path))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                yield _Problem.number_out_of_range.at(_field(path))
        elif isinstance(value, float):
            # Python's parser reads NaN and Infinity, which JSON does not have. A float beyond
            # 2^63 is refused too: pydantic turns 1e20 into the integer 10**20 for an int field.
            if not math.isfinite(value):
                yield _Problem.number_not_finite.at(_field(path))
            elif not INT64_MIN <= value <= INT64_MAX:
                yield _Problem.number_out_of_range.at(_field(path))
        elif isinstance(value, dict):
            children: list[tuple[_Path, Any]] = []
            for key, item in value.items():
                # JSON's keys are strings; a YAML document's (a campaign file) may be numbers.
                name = key if isinstance(key, str) else str(key)
                if character := forbidden_character(name):
                    yield _character_refused(_field((path, _escaped(name))), character)
                children.append(((path, name), item))
            stack.extend(reversed(children))  # popped in the document's order
        elif isinstance(value, list):
            stack.extend(reversed([((path, str(i)), item) for i, item in enumerate(value)]))


# Where a value sits in a document: None for the whole, else (its parent's path, its name).
_Path = tuple["_Path", str] | None


def _parts(path: _Path) -> tuple[str, ...]:
    names: list[str] = []
    while path is not None:
        path, name = path
        names.append(name)
    return tuple(reversed(names))


def _field(path: _Path) -> str:
    return ".".join(_parts(path)) or "(body)"


def normalise_nfc(document: Any) -> Any:
    """The document with every string value in NFC, lists and objects changed in place (the
    parsed body Starlette caches, which FastAPI then validates). Keys are left as sent: they
    are field names, which the models spell in ASCII."""
    if isinstance(document, str):
        return unicodedata.normalize("NFC", document)
    stack: list[Any] = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str):
                    value[key] = unicodedata.normalize("NFC", item)
                elif isinstance(item, dict | list):
                    stack.append(item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    value[index] = unicodedata.normalize("NFC", item)
                elif isinstance(item, dict | list):
                    stack.append(item)
    return document


def _one_line_paths(schema: Mapping[str, Any]) -> frozenset[_Pattern]:
    """The paths, in a body of this JSON schema, of strings bounded at SINGLE_LINE_MAX or less."""
    definitions: Mapping[str, Any] = schema.get("$defs", {})
    found: set[_Pattern] = set()
    # (node, path, references followed on this branch: a recursive model stops there)
    pending: list[tuple[Mapping[str, Any], _Pattern, frozenset[str]]] = [(schema, (), frozenset())]
    while pending:
        node, path, followed = pending.pop()
        if (reference := node.get("$ref")) is not None:
            name = str(reference).rsplit("/", 1)[-1]
            if name not in followed and name in definitions:
                pending.append((definitions[name], path, followed | {name}))
            continue
        for key in ("anyOf", "oneOf", "allOf"):
            pending.extend((option, path, followed) for option in node.get(key, ()))
        if node.get("type") == "string" and node.get("maxLength", SINGLE_LINE_MAX + 1) <= (
            SINGLE_LINE_MAX
        ):
            found.add(path)
        for name, child in node.get("properties", {}).items():
            pending.append((child, (*path, name), followed))
        if isinstance(items := node.get("items"), Mapping):
            pending.append((items, (*path, "*"), followed))
        if isinstance(extra := node.get("additionalProperties"), Mapping):
            pending.append((extra, (*path, "*"), followed))
    return frozenset(found)


def _route_one_line_paths(route: APIRoute) -> frozenset[_Pattern]:
    """The one-line fields of the route's JSON body."""
    body_field = route.body_field
    annotation = body_field.field_info.annotation if body_field is not None else None
    if annotation is None:
        return frozenset()
    try:
        return _one_line_paths_of(annotation)  # type: ignore[arg-type]
    except Exception:
        return frozenset()  # a body type pydantic cannot describe: no line rule, other rules hold


@functools.lru_cache(maxsize=512)
def _one_line_paths_of(annotation: Any) -> frozenset[_Pattern]:
    # Once per body type (routes themselves are not hashable): a schema takes milliseconds.
    return _one_line_paths(TypeAdapter(annotation).json_schema())


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
    kind: str, items: list[tuple[str, str]], integers: set[str], *, one_line: bool = False
) -> Iterator[dict[str, str]]:
    for name, value in items:
        if character := forbidden_character(value):
            yield _character_refused(name, character)
        elif one_line and _LINE_BREAK.search(value):
            yield _Problem.line_break.at(name)
        elif name in integers and _beyond_64_bits(value):
            yield _Problem.number_out_of_range.at(name)
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


# What the body's model refuses a number beyond 64 bits for when it has bounds of its own: the
# guard's code stays, the words say the field's own range (an amount's maximum in đồng).
_OWN_RANGE = frozenset({"less_than", "less_than_equal", "greater_than", "greater_than_equal"})


@functools.lru_cache(maxsize=512)
def _request_of(annotation: Any) -> type[BaseModel]:
    # The body where FastAPI puts it, at "body": its errors are then located, hence named
    # (shared.http.errors), as the route's own validation would name them.
    return create_model("GuardedRequest", body=(annotation, ...))


def _with_the_models_own(
    problems: list[dict[str, str]], document: Any, annotation: Any
) -> list[dict[str, str]]:
    """The guard's problems and what the body's model refuses in the other fields: the guard
    refuses before the route validates, and a body is answered with every field at fault (a
    title too short besides a 20-digit amount), not the guard's alone. A field the guard
    names keeps its problem; a number out of range is said by the field's own bounds."""
    try:
        _request_of(annotation).model_validate({"body": document})
    except ValidationError as error:
        refused = refusal_from(error).errors
    except Exception:
        # A model's validator that cannot take what the guard refuses (a day 2^70 days on):
        # the guard's problems are the answer, as they were before the model was asked.
        return problems
    else:
        return problems
    own: dict[str, dict[str, str]] = {}
    for problem in refused:
        own.setdefault(problem["field"], problem)
    listed = []
    for problem in problems:
        bound = own.get(problem["field"])
        if problem["code"] == _Problem.number_out_of_range.name and (
            bound is not None and bound["code"] in _OWN_RANGE
        ):
            problem = problem | {k: bound[k] for k in ("message_vi", "message_en")}
        listed.append(problem)
    named = {problem["field"] for problem in problems}
    listed.extend(problem for problem in refused if problem["field"] not in named)
    return listed[:MAX_LISTED]


async def _body_problems(request: Request, route: APIRoute) -> Iterator[dict[str, str]]:
    content_type = request.headers.get("content-type", "")
    body_field = route.body_field
    form_route = body_field is not None and isinstance(body_field.field_info, Form)
    if body_field is not None and not form_route:
        if not await request.body():
            return iter(())  # "missing", from the route's validation
        strict = route.strict_content_type
        if _is_json(content_type) or (not content_type and strict is False):
            document = normalise_nfc(await request.json())
            found = list(
                itertools.islice(json_problems(document, _route_one_line_paths(route)), MAX_LISTED)
            )
            if found:
                found = _with_the_models_own(found, document, body_field.field_info.annotation)
            return iter(found)
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
        # A path parameter names one thing (an id, a code): one line, whatever its type says.
        *_parameter_problems(
            "path",
            [(k, str(v)) for k, v in request.path_params.items()],
            integer_path,
            one_line=True,
        ),
        *_parameter_problems("query", request.query_params.multi_items(), integer_query),
        *_parameter_problems(
            "header", [(k, v) for k, v in request.headers.items() if k in headers], set()
        ),
    ]
    problems.extend(itertools.islice(await _body_problems(request, route), MAX_LISTED))
    if problems:
        raise refusal_listing(problems[:MAX_LISTED])
