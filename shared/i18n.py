"""Words in Vietnamese (the default) and English, for every page a person reads: the portal's
and the dashboard's, which keep their own words (key → (Vietnamese, English)) but read them
through this one `Translator`, share the words both pages say (`COMMON_WORDS`: the layout's,
and a unit's standing) and the labels of the codes the events and APIs carry (`CODE_LABELS`:
statuses (a delivery's too), levels, fields, roles, phases, report and recipient kinds).

Each page's own words are data, not code, and so are the few both say (common_words.toml
beside this module), read by the one loader here (`load_words`, `read_words`): TOML files, one
per area, each line `"key" = ["Vietnamese", "English"]`. The labels of the vocabulary's codes
are data too (shared/contracts/code_labels.toml, read by `Labelled`). Every such file is
checked alike (`shared.bilingual`), for what a Python dict could not: every value is two
written strings, Vietnamese first. Here, besides, a key belongs to one file only (a second
definition fails, not as a silent overwrite); every listed file is there, and no other .toml
file lies unread beside them.

A missing key fails loudly (in the tests), never as a blank on a page; what the campaign file
or an API already gives in both languages is chosen with `pick`.
"""

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from shared import bilingual
from shared.auth.principal import ROLE_LABELS
from shared.campaign.enums import AwardLevel, MovementKind, ReportKind
from shared.contracts.lifecycle import LABELS as STATUS_LABELS
from shared.contracts.vocabulary import (
    AWARD_STATUSES,
    DELIVERY_STATUSES,
    INITIATIVE_FIELDS,
    LANGUAGES,
    PHASE_STATUSES,
    RECIPIENT_KINDS,
    REGISTRATION_STATUSES,
    UNIT_LEVELS,
    Language,
)
from shared.formatting import format_number

DEFAULT_LANGUAGE: Final[Language] = "vi"

LANGUAGE_NAMES: Final[Mapping[Language, str]] = MappingProxyType(
    {"vi": "Tiếng Việt", "en": "English"}
)
"""Each language named in itself, the same on every page (the switch, a person's settings)."""

Words = Mapping[str, tuple[str, str]]

FEDERATION_NAME: Final = ("Công đoàn Dầu khí Việt Nam", "Vietnam Petroleum Trade Union")
"""The federation whose plan Thi Đua runs: the pages' owner, and the level of its awards."""

CODE_LABELS: Final[Mapping[str, Words]] = MappingProxyType(
    {
        "role": dict(ROLE_LABELS),
        "registration_status": dict(REGISTRATION_STATUSES),
        "award_status": dict(AWARD_STATUSES),
        # The initiative's life, as every service names it (shared.contracts.lifecycle).
        "initiative_status": dict(STATUS_LABELS),
        "phase_status": dict(PHASE_STATUSES),
        "field": dict(INITIATIVE_FIELDS),
        # The campaign file names the kinds (ReportKind), without their words.
        "report_kind": {
            ReportKind.plan: ("Kế hoạch", "Plan"),
            ReportKind.result: ("Kết quả", "Results"),
        },
        "unit_level": dict(UNIT_LEVELS),
        "movement_kind": {
            MovementKind.phong_trao: ("Phong trào thi đua", "Emulation movement"),
            MovementKind.cuoc_van_dong: ("Cuộc vận động", "Campaign"),
            MovementKind.chuong_trinh: ("Chương trình", "Programme"),
        },
        # Whose award it is (the campaign file's AwardLevel), in the order of precedence.
        "award_level": {
            AwardLevel.confederation: (
                "Tổng Liên đoàn Lao động Việt Nam",
                "Vietnam General Confederation of Labour",
            ),
            AwardLevel.federation: FEDERATION_NAME,
            AwardLevel.affiliated_union: ("Công đoàn trực thuộc", "Affiliated union"),
        },
        "recipient_kind": dict(RECIPIENT_KINDS),
        "delivery_status": dict(DELIVERY_STATUSES),
    }
)


def merge(areas: Iterable[Words]) -> Words:
    """One catalogue from several areas' words; a key defined twice fails at import, not as
    a silent overwrite."""
    merged: dict[str, tuple[str, str]] = {}
    for words in areas:
        for key, pair in words.items():
            if key in merged:
                raise ValueError(f"the word {key!r} is defined twice")
            merged[key] = pair
    return MappingProxyType(merged)


def read_words(path: Path) -> dict[str, tuple[str, str]]:
    """One file's words, each checked to be [Vietnamese, English] with both written."""
    return bilingual.pairs(bilingual.read_toml(path), path.name)


COMMON_WORDS_FILE: Final = Path(__file__).with_name("common_words.toml")

COMMON_WORDS: Final[Words] = merge([read_words(COMMON_WORDS_FILE), {"app.owner": FEDERATION_NAME}])
"""The words both the portal and the dashboard say, each catalogue merged with them (a page's
own file defining one again fails): common_words.toml's, and the layout's owner, the
federation (its name is declared once, above, for its awards too)."""


def load_words(folder: Path, areas: Sequence[str], given: Iterable[Words] = ()) -> Words:
    """The words of `folder`'s files `<area>.toml`, one per area, merged with those `given`
    (declared in code elsewhere); fails on a missing, stray or malformed file, or a key
    defined twice."""
    files = {path.stem for path in folder.glob("*.toml")}
    if files != set(areas):
        raise ValueError(
            f"{folder.name}/*.toml and its areas differ: missing {sorted(set(areas) - files)}, "
            f"not listed {sorted(files - set(areas))}"
        )
    return merge([*given, *(read_words(folder / f"{area}.toml") for area in areas)])


class Translator:
    """`t("key", name=...)` in the chosen language; `t.code("role", "member")` for a code's
    label; `t.pick(vi, en)` for text given in both languages; `t.num(2143.5)` for a number
    as the reader writes it."""

    def __init__(
        self,
        words: Words,
        lang: Language,
        codes: Mapping[str, Words] = CODE_LABELS,
    ) -> None:
        self.words = words
        self.lang: Language = lang
        self.codes_by_kind = codes

    def __call__(self, key: str, **values: Any) -> str:
        vi, en = self.words[key]  # a missing key fails loudly in tests, not as a blank
        text = en if self.lang == "en" else vi
        return text.format(**values) if values else text

    def pick(self, vi: str, en: str) -> str:
        """The reader's language where the English is given; the Vietnamese otherwise."""
        return en if self.lang == "en" and en else vi

    def code(self, kind: str, value: str | None, fallback: str | None = None) -> str:
        """The label of a code; the code itself (or `fallback`) when it has none; the word
        "none" of the catalogue for no value."""
        if value is None:
            return self("none")
        vi, en = self.codes_by_kind[kind].get(value, ("", ""))
        return self.pick(vi, en) or fallback or value

    def codes(self, kind: str) -> Mapping[str, str]:
        """Every known code of a kind with its label, in the catalogue's order."""
        return {value: self.code(kind, value) for value in self.codes_by_kind[kind]}

    def num(self, value: float | int, places: int = 1) -> str:
        """2143 -> '2.143' (vi) or '2,143' (en); 93.94 -> '93,9' or '93.9'."""
        return format_number(value, places, self.lang)


def language_or_none(value: object) -> Language | None:
    """A language code a person asked for (a query, a cookie), or None if it is not one."""
    return next((language for language in LANGUAGES if language == value), None)
