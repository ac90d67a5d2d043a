"""What a page's POST handler reads first: the form as sent, the language it asks for, and
what was typed in it, as the page's form class reads it."""

import re
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.datastructures import FormData

from services.portal.i18n import Language
from services.portal.web import language
from shared.http.errors import client_error, refusal_listing
from shared.http.input_guard import MAX_LISTED

Typed = TypeVar("Typed")

_URLENCODED = "application/x-www-form-urlencoded"


async def form_as_sent(request: Request) -> FormData:
    """The POST's form, refused (422, naming each field) where a url-encoded field's bytes are
    not UTF-8. Starlette decodes them as U+FFFD, so "BB8%FF%FE" was stored as "BB8\ufffd\ufffd",
    what was typed lost without a word. Only a crafted post sends them (a browser sends a UTF-8
    page's form as UTF-8), so the refusal is the input guard's page, as for a NUL, not the form
    shown again. The CSRF guard reads every POST's form through this first; a page's own
    `request.form()` then gets this same form, cached on the request."""
    if request.headers.get("content-type", "").split(";", 1)[0].strip().lower() != _URLENCODED:
        return await request.form()  # multipart: its parts may be files, not kept in memory
    try:
        body = await request.body()  # kept on the request, which parses its form from it
    except RuntimeError:  # read already, as a form (a route declaring Form parameters)
        return await request.form()
    form = await request.form()
    if not any("\ufffd" in f"{name}={value}" for name, value in form.multi_items()):
        return form
    # Read again, each undecodable byte kept as a lone surrogate: a U+FFFD sent as its own
    # UTF-8 (%EF%BF%BD) is text like any other.
    pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, errors="surrogateescape")
    undecodable = [name for name, value in pairs if _UNDECODED.search(name + value)]
    if undecodable:
        raise refusal_listing([_not_utf8(name) for name in undecodable[:MAX_LISTED]])
    return form


# An undecodable byte, as surrogateescape keeps it.
_UNDECODED = re.compile("[\udc80-\udcff]")


def _not_utf8(name: str) -> dict[str, str]:
    # The name as the page can show it, an undecodable byte in it as \xff.
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return client_error(
        shown, "invalid_utf8", "Không phải văn bản UTF-8 hợp lệ", "Not valid UTF-8 text"
    )


async def posted_form(
    request: Request, read: Callable[[FormData], Typed]
) -> tuple[FormData, Language, Typed]:
    """The POST's form data, its language (a `_lang` button, else as `web.language` finds it)
    and `read(data)`: the typed values, for the page to send or to show again."""
    data = await request.form()
    return data, language(request, data), read(data)
