"""What a page's POST handler reads first: the form as sent, the language it asks for, and
what was typed in it, as the page's form class reads it."""

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from starlette.datastructures import FormData

from services.portal.i18n import Language
from services.portal.web import language

Typed = TypeVar("Typed")


async def posted_form(
    request: Request, read: Callable[[FormData], Typed]
) -> tuple[FormData, Language, Typed]:
    """The POST's form data, its language (a `_lang` button, else as `web.language` finds it)
    and `read(data)`: the typed values, for the page to send or to show again."""
    data = await request.form()
    return data, language(request, data), read(data)
