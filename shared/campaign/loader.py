"""Read a campaign file: YAML in, a validated `Campaign` out, or an error a person can act on.

Whoever edits the file is a federation officer, not a programmer: every refusal names the
file, where in the document the problem is (`phases[1].ends_on`, or a line and column for a
YAML syntax error) and the reason in Vietnamese and English.

A file comes from the network too (`POST /api/v1/campaigns`), so reading one is bounded: its
size, how deep its values nest and how many values its aliases expand to
(shared.contracts.bounds.CAMPAIGN_FILE_*), each refused with the line where it was passed.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from shared.campaign.model import INDICATOR_KINDS, MESSAGES_VI, Campaign
from shared.contracts.bounds import (
    CAMPAIGN_FILE_MAX_BYTES,
    CAMPAIGN_FILE_MAX_DEPTH,
    CAMPAIGN_FILE_MAX_NODES,
)
from shared.formatting import format_number
from shared.http.input_guard import json_problems
from shared.validation_messages import message_vi

_ROOT = "(gốc tài liệu / document root)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a campaign file."""

    location: str  # e.g. `phases[1].ends_on`, or `dòng 12, cột 3 / line 12, column 3`
    code: str  # pydantic's error type or ours, e.g. `phases_overlap`
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message_vi} / {self.message_en}"


class CampaignFileError(Exception):
    """The campaign file cannot be read or is not a valid campaign. `problems` lists them all."""

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [
            f"{source}: tệp kế hoạch thi đua không hợp lệ / invalid campaign file",
            *(f"  - {problem}" for problem in self.problems),
        ]
        super().__init__("\n".join(lines))


def load_campaign(path: Path) -> Campaign:
    """Read and validate the campaign file at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise CampaignFileError(
            str(path),
            [
                Problem(
                    _ROOT,
                    "not_utf8",
                    "Tệp phải được lưu với mã hóa UTF-8",
                    f"The file must be saved as UTF-8 ({error.reason})",
                )
            ],
        ) from error
    except OSError as error:
        raise CampaignFileError(
            str(path),
            [
                Problem(
                    _ROOT,
                    "unreadable",
                    f"Không đọc được tệp ({error.strerror})",
                    f"Cannot read the file ({error.strerror})",
                )
            ],
        ) from error
    return load_campaign_text(text, source=str(path))


def load_campaign_text(text: str, source: str = "<text>") -> Campaign:
    """Validate a campaign given as YAML text; `source` names it in errors."""
    document = _parse(text, source)
    if not isinstance(document, dict):
        raise CampaignFileError(
            source,
            [
                Problem(
                    _ROOT,
                    "not_a_mapping",
                    "Tài liệu phải là một bảng khóa: giá trị (code:, theme:, phases:, …)",
                    "The document must be a mapping of keys (code:, theme:, phases:, …)",
                )
            ],
        )
    try:
        return Campaign.model_validate(document)
    except ValidationError as error:
        raise CampaignFileError(source, map(_problem, error.errors())) from error


class _TooMuch(Exception):
    """The file asks for more than a campaign file may hold; raised while it is composed."""

    def __init__(self, mark: Any, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.problem = Problem(_line(mark) if mark else _ROOT, code, message_vi, message_en)


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader (no tags beyond plain data), counting as it composes: how deep
    values nest, and how many values the file stands for once every alias is expanded.

    An alias (`*a`) is the same node as its anchor (`&a`), so composing shares it and costs
    nothing; what costs is everything after that walks the tree (the duplicate-key check,
    construction, validation), which meets a shared node once per alias. The expanded size is
    counted when each node is finished (its children's sizes summed, each alias counting its
    anchor's whole size), so a few hundred bytes of aliases of aliases stop at the end of the
    first block whose aliases pass the limit, with its line, having composed no more than the
    file itself."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._sizes: dict[int, int] = {}  # finished node -> values it stands for

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
            node = super().compose_node(parent, index)
            if node is not None and id(node) not in self._sizes:
                raise _TooMuch(
                    event.start_mark,
                    "recursive_alias",
                    "Bí danh (*) trỏ tới chính khối chứa nó",
                    "An alias (*) refers to a block that contains it",
                )
            return node
        self._depth += 1
        if self._depth > CAMPAIGN_FILE_MAX_DEPTH:
            raise _TooMuch(
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                "too_deep",
                f"Các giá trị lồng nhau quá sâu (tối đa {CAMPAIGN_FILE_MAX_DEPTH} cấp)",
                f"Values are nested too deeply (at most {CAMPAIGN_FILE_MAX_DEPTH} levels)",
            )
        node = super().compose_node(parent, index)
        self._depth -= 1
        if node is None:
            return None
        size = 1 + sum(self._sizes.get(id(child), 1) for child in _children(node))
        if size > CAMPAIGN_FILE_MAX_NODES:
            raise _TooMuch(
                node.end_mark,
                "too_many_values",
                f"Tệp chứa quá nhiều giá trị khi mở rộng các bí danh (*) (tối đa "
                f"{format_number(CAMPAIGN_FILE_MAX_NODES)})",
                f"The file holds too many values once its aliases (*) are expanded "
                f"(at most {format_number(CAMPAIGN_FILE_MAX_NODES, language='en')})",
            )
        self._sizes[id(node)] = size
        return node


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _too_large(size: int, source: str) -> CampaignFileError:
    limit_kb = CAMPAIGN_FILE_MAX_BYTES // 1024
    return CampaignFileError(
        source,
        [
            Problem(
                _ROOT,
                "too_large",
                f"Tệp quá lớn ({size // 1024} KB, tối đa {limit_kb} KB)",
                f"The file is too large ({size // 1024} KB, at most {limit_kb} KB)",
            )
        ],
    )


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # YAML reads 2023-04-31 as a date by its shape, and Python refuses the day: a problem of
    # the file at that line, not a ValueError out of the loader (a 500 to the uploader).
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise _TooMuch(
            node.start_mark,
            "date_not_real",
            f"Ngày không có thật: {node.value}",
            f"No such date: {node.value}",
        ) from None


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _compose(text: str) -> yaml.Node | None:
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _construct(node: yaml.Node) -> Any:
    # The tree already composed and checked: built once, with the same safe constructors.
    loader = _BoundedLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _parse(text: str, source: str) -> Any:
    size = len(text.encode("utf-8", errors="replace"))
    if size > CAMPAIGN_FILE_MAX_BYTES:
        raise _too_large(size, source)
    try:
        node = _compose(text)
        if node is None:
            return None
        # A repeated key is almost always a mistake (two `phases:` blocks), and YAML would
        # silently keep the last one; look for them on the node tree before loading.
        duplicates = list(_duplicate_keys(node))
        if duplicates:
            raise CampaignFileError(
                source,
                [
                    Problem(
                        _line(key.start_mark),
                        "duplicate_key",
                        f"Khóa '{key.value}' bị lặp lại",
                        f"Key '{key.value}' is repeated",
                    )
                    for key in duplicates
                ],
            )
        document = _construct(node)
        # The same characters the API refuses (control, bidirectional overrides): the plan's
        # names end up in spreadsheets and decisions, which cannot hold the first kind.
        unsafe = list(json_problems(document))
        if unsafe:
            raise CampaignFileError(
                source,
                [
                    Problem(_as_read(p["field"]), p["code"], p["message_vi"], p["message_en"])
                    for p in unsafe
                ],
            )
        return document
    except _TooMuch as error:
        raise CampaignFileError(source, [error.problem]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise CampaignFileError(
            source,
            [
                Problem(
                    _line(mark) if mark else _ROOT,
                    "yaml_syntax",
                    f"Lỗi cú pháp YAML: {reason}",
                    f"YAML syntax error: {reason}",
                )
            ],
        ) from error
    except yaml.YAMLError as error:
        raise CampaignFileError(
            source,
            [
                Problem(
                    _ROOT,
                    "yaml_syntax",
                    f"Lỗi cú pháp YAML: {error}",
                    f"YAML syntax error: {error}",
                )
            ],
        ) from error


def _as_read(path: str) -> str:
    """`phases.1.name` (a JSON path) as the other problems name it: `phases[1].name`."""
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", path)


def _line(mark: yaml.Mark) -> str:
    line, column = mark.line + 1, mark.column + 1
    return f"dòng {line}, cột {column} / line {line}, column {column}"


def _duplicate_keys(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    yield key
                seen.add(key.value)
            yield from _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item)


def _problem(error: ErrorDetails) -> Problem:
    message = message_vi(error, MESSAGES_VI)
    return Problem(_location(error["loc"]), error["type"], message, error["msg"])


def _location(parts: tuple[int | str, ...]) -> str:
    """`('phases', 1, 'ends_on')` -> `phases[1].ends_on`, the way the file is read."""
    text = ""
    previous: int | str | None = None
    for part in parts:
        # pydantic names the union member it tried (`indicator.count.goal`); the file has no
        # such level, so `indicator.goal` it is.
        if previous == "indicator" and part in INDICATOR_KINDS:
            continue
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
        previous = part
    return text or _ROOT
