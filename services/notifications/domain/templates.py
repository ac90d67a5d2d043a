"""What a notification says: the templates of `templates.yaml`, rendered in Vietnamese or English.

The wording is data (`templates.yaml`, one entry per trigger with `vi` and `en` variants of a
subject and a plain-text body); this module loads it once, checks it, and renders it::

    rendered = render("initiative_received", "vi", {"addressee_name": "Nguyễn Văn An", "title": …})
    rendered.subject, rendered.text, rendered.html

The HTML alternative is the same body rendered with autoescape (every value escaped), laid out
as paragraphs and lists. A variable the template reads and the context lacks raises
`TemplateContextError` (Jinja2's StrictUndefined: never a blank); `variables(trigger)` lists
what a trigger needs. `link` (an http(s) URL to the portal) is optional for every trigger.

Filters available to templates: `ngay` (dd/mm/yyyy; a datetime is shown as its date in Vietnam
time, a naive one is taken as UTC), `gio` (hh:mm in Vietnam time), `vnd` (1.200.000.000 ₫),
`so` (87,5 in Vietnamese, 87.5 in English; thousands grouped): see template_filters.
"""

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Self

import yaml
from jinja2 import Environment, Template, UndefinedError, meta
from jinja2 import TemplateError as JinjaTemplateError
from markupsafe import Markup, escape

from services.notifications.domain.template_filters import jinja_environment
from shared.contracts.bounds import MESSAGE_SUBJECT_MAX
from shared.contracts.vocabulary import LANGUAGES, Language
from shared.data_files import read_yaml

TEMPLATES_FILE = Path(__file__).with_name("templates.yaml")
OPTIONAL_VARIABLES = frozenset({"link"})
# Names render() puts into every context itself.
RESERVED_VARIABLES = frozenset({"language", "labels"})


class UnknownTriggerError(LookupError):
    """No template for this trigger."""


class TemplateDataError(ValueError):
    """The templates file is not usable (say where)."""


class TemplateContextError(ValueError):
    """The context does not give the template what it reads: a missing variable, a missing
    attribute or key of one, or a value of the wrong kind."""

    def __init__(
        self, trigger: str, language: str, problem: str, missing: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(f"{trigger} ({language}): {problem}")
        self.trigger = trigger
        self.language = language
        self.missing = missing


def _one_line(subject: str) -> str:
    """The subject on one line, cut to what the deliveries' and inbox's `subject` columns hold:
    a title quoted whole (300 characters) in a template's words would not fit otherwise."""
    line = " ".join(subject.split())
    if len(line) <= MESSAGE_SUBJECT_MAX:
        return line
    return line[: MESSAGE_SUBJECT_MAX - 1].rstrip() + "…"


class Rendered:
    """A message: its subject (one line), plain text (with the signature) and HTML (a whole
    document, every value escaped). The HTML is made when first asked for: only an email
    needs it, and most messages go to the inbox alone (making it was half the rendering)."""

    __slots__ = ("_html", "subject", "text")

    def __init__(self, subject: str, text: str, html: str | Callable[[], str]) -> None:
        self.subject, self.text = subject, text
        self._html = html

    @property
    def html(self) -> str:
        if callable(self._html):
            self._html = self._html()
        return self._html

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rendered):
            return NotImplemented
        return (self.subject, self.text, self.html) == (other.subject, other.text, other.html)

    __hash__ = None  # type: ignore[assignment]  # mutable (its HTML is filled in): unhashable

    def __repr__(self) -> str:
        return f"Rendered(subject={self.subject!r}, text={self.text!r})"


# The catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Variant:
    """One trigger's message in one language, compiled: its subject and its bodies (the text
    one, and the HTML one that goes inside the common layout)."""

    subject: Template
    text_body: Template
    html_body: Template


@dataclass(frozen=True, slots=True)
class _Common:
    """What every message in one language ends with or names alike: the signature, the words
    of the link to Thi Đua, and the shared labels the templates read."""

    signature: str
    link_label: str
    labels: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Trigger:
    """One trigger of the file: whom it tells, the variables it documents (the only ones its
    templates may read), and its message in each language."""

    audience: str
    variables: Mapping[str, str]
    variants: Mapping[Language, _Variant]


class Templates:
    """Every trigger's templates, loaded and checked from one file."""

    def __init__(
        self,
        triggers: Mapping[str, _Trigger],
        common: Mapping[Language, _Common],
        layout: Template,
    ) -> None:
        self._triggers = dict(triggers)
        self._common = dict(common)
        self._layout = layout

    @classmethod
    def from_file(cls, path: Path = TEMPLATES_FILE) -> Self:
        try:
            data = read_yaml(path)
        except yaml.YAMLError as exc:
            raise TemplateDataError(f"{path}: {exc}") from exc
        return cls.from_data(data, source=str(path))

    @classmethod
    def from_data(cls, data: object, *, source: str = "templates") -> Self:
        text_env, html_env = jinja_environment(autoescape=False), jinja_environment(autoescape=True)

        def fail(where: str, problem: str) -> NoReturn:
            raise TemplateDataError(f"{source}: {where}: {problem}")

        def mapping(value: object, where: str) -> Mapping[str, Any]:
            if not isinstance(value, Mapping):
                fail(where, "expected a mapping")
            return value

        def text(value: object, where: str) -> str:
            if not isinstance(value, str) or not value.strip():
                fail(where, "expected a non-empty text")
            return value

        def compile_(environment: Environment, source_text: str, where: str) -> Template:
            try:
                template = environment.from_string(source_text)
            except JinjaTemplateError as exc:
                fail(where, f"not a valid template: {exc}")
            # A plain dict of the same globals instead of Jinja's ChainMap over the
            # environment's: every render copies them into its context, and iterating a
            # ChainMap made a message's rendering a quarter slower (39 -> 28 us measured).
            # Nothing adds a global after loading.
            template.globals = dict(template.globals)
            return template

        def read_variables(source_text: str, where: str) -> set[str]:
            try:
                return set(meta.find_undeclared_variables(text_env.parse(source_text)))
            except JinjaTemplateError as exc:
                fail(where, f"not a valid template: {exc}")

        root = mapping(data, "top level")
        common: dict[Language, _Common] = {}
        common_data = mapping(root.get("common"), "common")
        for language in LANGUAGES:
            where = f"common.{language}"
            entry = mapping(common_data.get(language), where)
            common[language] = _Common(
                signature=text(entry.get("signature"), f"{where}.signature").strip(),
                link_label=text(entry.get("link_label"), f"{where}.link_label").strip(),
                labels=mapping(entry.get("labels", {}), f"{where}.labels"),
            )
        layout = compile_(html_env, text(root.get("html_layout"), "html_layout"), "html_layout")

        triggers: dict[str, _Trigger] = {}
        for name, entry in mapping(root.get("triggers"), "triggers").items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
                fail(f"triggers.{name}", "a trigger is named in lowercase snake_case")
            entry = mapping(entry, f"triggers.{name}")
            documented = mapping(entry.get("variables"), f"triggers.{name}.variables")
            variants: dict[Language, _Variant] = {}
            for language in LANGUAGES:
                where = f"triggers.{name}.{language}"
                variant = mapping(entry.get(language), where)
                subject = text(variant.get("subject"), f"{where}.subject")
                body = text(variant.get("body"), f"{where}.body")
                read = read_variables(subject, f"{where}.subject") | read_variables(
                    body, f"{where}.body"
                )
                read -= RESERVED_VARIABLES
                if read != set(documented):
                    undocumented = sorted(read - set(documented))
                    unused = sorted(set(documented) - read)
                    fail(
                        where,
                        "its templates must read exactly the documented variables "
                        f"(read but not documented: {undocumented}; documented but not read: "
                        f"{unused})",
                    )
                variants[language] = _Variant(
                    subject=compile_(text_env, subject, f"{where}.subject"),
                    text_body=compile_(text_env, body, f"{where}.body"),
                    html_body=compile_(html_env, body, f"{where}.body"),
                )
            triggers[str(name)] = _Trigger(
                audience=text(entry.get("audience"), f"triggers.{name}.audience"),
                variables={str(k): str(v) for k, v in documented.items()},
                variants=variants,
            )
        if not triggers:
            fail("triggers", "no trigger")
        return cls(triggers, common, layout)

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(self._triggers)

    def _trigger(self, trigger: str) -> _Trigger:
        try:
            return self._triggers[trigger]
        except KeyError:
            raise UnknownTriggerError(
                f"no template for {trigger!r}; known: {', '.join(self._triggers)}"
            ) from None

    def variables(self, trigger: str) -> dict[str, str]:
        """The variables `trigger` needs (all of them), each with what it holds."""
        return dict(self._trigger(trigger).variables)

    def audience(self, trigger: str) -> str:
        return self._trigger(trigger).audience

    def render(self, trigger: str, language: Language, context: Mapping[str, Any]) -> Rendered:
        """The subject, plain text and HTML of `trigger` in `language` for `context`."""
        spec = self._trigger(trigger)
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
        reserved = RESERVED_VARIABLES & context.keys()
        if reserved:
            raise TemplateContextError(
                trigger, language, f"reserved names in the context: {sorted(reserved)}"
            )
        missing = frozenset(spec.variables) - context.keys()
        if missing:
            raise TemplateContextError(
                trigger, language, f"missing variables: {', '.join(sorted(missing))}", missing
            )
        link = context.get("link")
        if link is not None and (
            not isinstance(link, str) or not re.fullmatch(r"https?://[^\s<>\"']+", link)
        ):
            raise TemplateContextError(trigger, language, f"link is not an http(s) URL: {link!r}")

        common = self._common[language]
        values = {key: _nfc(value) for key, value in context.items()}
        values |= {"language": language, "labels": common.labels}
        variant = spec.variants[language]
        with _context_errors(trigger, language):
            subject = _one_line(variant.subject.render(values))
            text_body = _tidy(variant.text_body.render(values))

        text_parts = [text_body]
        if link:
            text_parts.append(f"{common.link_label}: {link}")
        text_parts.append(common.signature)

        def html() -> str:
            with _context_errors(trigger, language):
                html_body = _tidy(variant.html_body.render(values))
            html_parts = [_html_blocks(html_body)]
            if link:
                html_parts.append(
                    Markup('<p><a href="{}">{}</a></p>').format(link, common.link_label)
                )
            html_parts.append(_html_blocks(str(escape(common.signature))))
            document = self._layout.render(
                language=language, subject=subject, content=Markup("\n".join(html_parts))
            )
            return str(_nfc(document.strip() + "\n"))

        return Rendered(subject=_nfc(subject), text=_nfc("\n\n".join(text_parts)), html=html)


@contextmanager
def _context_errors(trigger: str, language: Language) -> Iterator[None]:
    """A value the template cannot use is the context's fault: said as such."""
    try:
        yield
    except UndefinedError as exc:
        raise TemplateContextError(trigger, language, str(exc)) from exc
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateContextError(trigger, language, f"unusable value: {exc}") from exc


def _nfc(value: Any) -> Any:
    """Vietnamese letters in their composed form (NFC): a name typed on another system may
    arrive decomposed (e + combining marks), which some mail readers draw badly."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _tidy(rendered: str) -> str:
    lines = [line.rstrip() for line in rendered.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _html_blocks(escaped: str) -> Markup:
    """Plain text whose values are already escaped, as HTML: blank lines separate paragraphs,
    consecutive lines starting with "- " make a list, other line breaks are kept."""
    blocks: list[str] = []
    for paragraph in escaped.split("\n\n"):
        lines: list[str] = []
        items: list[str] = []
        for line in [*paragraph.split("\n"), None]:
            if line is not None and line.startswith("- "):
                if lines:
                    blocks.append("<p>" + "<br>\n".join(lines) + "</p>")
                    lines = []
                items.append(line[2:])
                continue
            if items:
                blocks.append("<ul>\n" + "\n".join(f"<li>{i}</li>" for i in items) + "\n</ul>")
                items = []
            if line is not None:
                lines.append(line)
        if lines:
            blocks.append("<p>" + "<br>\n".join(lines) + "</p>")
    return Markup("\n".join(blocks))


TEMPLATES = Templates.from_file()
TRIGGERS: tuple[str, ...] = TEMPLATES.triggers


def render(trigger: str, language: Language, context: Mapping[str, Any]) -> Rendered:
    """Render `trigger` in `language` ("vi" or "en"): see `Templates.render`."""
    return TEMPLATES.render(trigger, language, context)


def variables(trigger: str) -> dict[str, str]:
    """What `trigger`'s context must hold: variable name -> what it is (from the file)."""
    return TEMPLATES.variables(trigger)
