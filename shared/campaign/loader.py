"""Read a campaign file: YAML in, a validated `Campaign` out, or an error a person can act on.

Whoever edits the file is a federation officer, not a programmer: every refusal names the
file, where in the document the problem is (`phases[1].ends_on`, or a line and column for a
YAML syntax error) and the reason in Vietnamese and English.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from shared.campaign.model import INDICATOR_KINDS, MESSAGES_VI, Campaign

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


def _parse(text: str, source: str) -> Any:
    try:
        # A repeated key is almost always a mistake (two `phases:` blocks), and YAML would
        # silently keep the last one; look for them on the node tree before loading.
        duplicates = list(_duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader)))
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
        return yaml.safe_load(text)
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
    context = error.get("ctx", {})
    template = MESSAGES_VI.get(error["type"])
    try:
        message_vi = template.format(**context) if template else error["msg"]
    except (KeyError, IndexError):
        message_vi = template or error["msg"]
    return Problem(_location(error["loc"]), error["type"], message_vi, error["msg"])


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
