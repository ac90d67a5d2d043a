"""The vocabulary's words are data (shared/contracts/code_labels.toml): every table names an
enum whose members it labels exactly, and an enum that lacks or exceeds its table, or a label
that is not two written strings, fails when the class is made, never as a blank on a page."""

import pytest

from shared import bilingual
from shared.auth.principal import Role
from shared.contracts import vocabulary
from shared.contracts.lifecycle import InitiativeStatus
from shared.contracts.vocabulary import CODE_LABELS_FILE, InitiativeField, Labelled, UnitLevel


def _labelled() -> dict[str, type[Labelled]]:
    """The project's enums (the modules declaring them are imported above), not a test's."""
    made = Labelled.__subclasses__()
    return {enum.__name__: enum for enum in made if enum.__module__.startswith("shared.")}


def test_every_table_of_the_file_labels_an_enum_and_each_of_its_members() -> None:
    tables = bilingual.read_toml(CODE_LABELS_FILE)
    enums = _labelled()
    assert set(tables) == set(enums)
    for name, table in tables.items():
        assert set(table) == {member.value for member in enums[name]}, name


def test_a_member_carries_the_words_of_its_code() -> None:
    assert InitiativeField.occupational_safety.label_vi == "An toàn, vệ sinh lao động"
    assert UnitLevel("sub").label_en == "Union section"
    assert Role.FEDERATION_ADMIN.label_en == "Federation administrator"
    assert InitiativeStatus.labels()["withdrawn"] == ("Đã rút", "Withdrawn")


def test_an_enum_with_a_member_the_file_does_not_label_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(vocabulary._CODE_LABELS, "Mood", {"calm": ["Bình tĩnh", "Calm"]})
    with pytest.raises(ValueError, match=r"code_labels.toml \[Mood\]"):

        class Mood(Labelled):
            calm = "calm"
            cross = "cross"


def test_words_for_no_member_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    words = {"calm": ["Bình tĩnh", "Calm"], "cross": ["Bực", "Cross"]}
    monkeypatch.setitem(vocabulary._CODE_LABELS, "Mood", words)
    with pytest.raises(ValueError, match="cross"):

        class Mood(Labelled):
            calm = "calm"


def test_a_label_without_its_english_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(vocabulary._CODE_LABELS, "Mood", {"calm": ["Bình tĩnh", " "]})
    with pytest.raises(ValueError, match="not \\[Vietnamese, English\\]"):

        class Mood(Labelled):
            calm = "calm"
