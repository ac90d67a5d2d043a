"""The document as one static HTML page (docs/asyncapi.html), rendered from the document
itself, offline: what an integrator reads, each message at an anchor of its name
(`asyncapi.html#InitiativeSubmitted`), each shared schema at `#schema-<name>`."""

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, select_autoescape
from markupsafe import Markup

TEMPLATE = Path(__file__).with_name("page.html")
REF = "#/components/"


@dataclass(frozen=True)
class Field:
    name: str
    type: Markup
    required: bool
    description: str
    limits: str


def inline_markdown(text: str) -> Markup:
    """`code`, **bold** and [links](url) of the document's text, everything else escaped."""
    escaped = html.escape(text, quote=False)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    escaped = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", escaped)
    escaped = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2">\1</a>', escaped)
    return Markup(escaped)


def paragraphs(text: str) -> Markup:
    """Blank-line separated paragraphs; a paragraph of `- ` lines is a list."""
    blocks = []
    for block in (part.strip() for part in text.split("\n\n")):
        if block.startswith("- "):
            items = [line[2:] for line in re.split(r"\n(?=- )", block)]
            blocks.append(
                "<ul>" + "".join(f"<li>{inline_markdown(i)}</li>" for i in items) + "</ul>"
            )
        elif block:
            blocks.append(f"<p>{inline_markdown(block)}</p>")
    return Markup("".join(blocks))


def type_of(schema: dict[str, Any]) -> Markup:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Markup(f'<a href="#schema-{name}">{name}</a>')
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            return Markup(" | ").join(type_of(option) for option in schema[combined])
    kind = schema.get("type", "any")
    if kind == "array":
        return Markup("array of ") + type_of(schema.get("items", {}))
    if kind == "object" and "additionalProperties" in schema:
        values = schema["additionalProperties"]
        return Markup("object of ") + (type_of(values) if isinstance(values, dict) else "any")
    if "const" in schema:
        return Markup(f"<code>{html.escape(json.dumps(schema['const']))}</code>")
    if "enum" in schema:
        return Markup(" | ").join(
            Markup(f"<code>{html.escape(str(v))}</code>") for v in schema["enum"]
        )
    return Markup(html.escape(f"{kind} ({schema['format']})" if "format" in schema else str(kind)))


LIMITS = {
    "minLength": "≥ {} chars",
    "maxLength": "≤ {} chars",
    "minimum": "≥ {}",
    "maximum": "≤ {}",
    "minItems": "≥ {} items",
    "maxItems": "≤ {} items",
    "pattern": "matches {}",
    "default": "default {}",
}


def limits_of(schema: dict[str, Any]) -> str:
    found = []
    for option in [schema, *schema.get("anyOf", []), schema.get("items", {})]:
        found += [
            text.format(json.dumps(option[key], ensure_ascii=False))
            for key, text in LIMITS.items()
            if key in option
        ]
    return ", ".join(dict.fromkeys(found))


def fields(schema: dict[str, Any]) -> list[Field]:
    required = set(schema.get("required", ()))
    return [
        Field(name, type_of(prop), name in required, prop.get("description", ""), limits_of(prop))
        for name, prop in schema.get("properties", {}).items()
    ]


def resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """A `$ref` into the document's components, followed (once is all the document uses)."""
    if "$ref" not in item:
        return item
    section, name = item["$ref"].removeprefix(REF).split("/")
    found: dict[str, Any] = document["components"][section][name]
    return found


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def render_page(document: dict[str, Any]) -> str:
    environment = Environment(
        autoescape=select_autoescape(default=True), keep_trailing_newline=True
    )
    environment.filters.update(
        md=paragraphs, inline=inline_markdown, fields=fields, pretty=pretty, type_of=type_of
    )
    environment.globals.update(resolve=lambda item: resolve(document, item))
    page = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    messages = document["components"]["messages"]
    shared_schemas = {
        name: schema
        for name, schema in document["components"]["schemas"].items()
        if name not in messages
    }
    return page.render(doc=document, messages=messages, shared_schemas=shared_schemas)
