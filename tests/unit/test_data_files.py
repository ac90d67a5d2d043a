"""The project's own data files (the permission table, the initiative's parts, the
notification rules and templates, the decision's template) are each the one statement of what
they hold: a mistake in one fails the import, naming it, instead of silently changing what the
services do."""

from pathlib import Path

import pytest

from shared.auth.permissions import TABLE_FILE, load_endpoints
from shared.contracts.initiative_parts import PARTS_FILE
from shared.contracts.initiative_parts import _load as load_parts
from shared.data_files import DataFileError, DuplicateKeyError, read_yaml


def test_a_key_given_twice_is_refused_naming_it_and_its_line(tmp_path: Path) -> None:
    written = tmp_path / "table.yaml"
    written.write_text("rows:\n  - {route: GET /x, cells: NNNN, cells: AAAA}\n", "utf-8")
    with pytest.raises(DuplicateKeyError, match=r"'cells' is given twice") as raised:
        read_yaml(written)
    assert "table.yaml" in str(raised.value) and "line 2" in str(raised.value)


def test_anchors_aliases_and_merges_still_read(tmp_path: Path) -> None:
    written = tmp_path / "notes.yaml"
    written.write_text("notes: {n: &n why}\nrows: [{note: *n}, {note: *n}]\n", "utf-8")
    assert read_yaml(written)["rows"] == [{"note": "why"}, {"note": "why"}]
    # A merge brings keys a written one may override: not a key given twice.
    written.write_text("a: &a {x: 1, y: 2}\nc: &c {z: 1}\nb: {<<: [*a, *c], y: 3}\n", "utf-8")
    assert read_yaml(written)["b"] == {"x": 1, "y": 3, "z": 1}


def test_the_permission_table_refuses_a_second_block_of_a_service(tmp_path: Path) -> None:
    text = TABLE_FILE.read_text("utf-8")
    doubled = tmp_path / "permissions.yaml"
    doubled.write_text(text + "  submissions: []\n", "utf-8")
    with pytest.raises(DuplicateKeyError, match="'submissions' is given twice"):
        load_endpoints(doubled)


def test_the_permission_table_names_every_service(tmp_path: Path) -> None:
    lines = TABLE_FILE.read_text("utf-8").splitlines(keepends=True)
    start = lines.index("  reporting:\n")
    cut = tmp_path / "permissions.yaml"
    cut.write_text("".join(lines[:start]), "utf-8")
    named = r"permissions\.yaml(.|\n)*no permissions for reporting"
    with pytest.raises(DataFileError, match=named):
        load_endpoints(cut)


@pytest.mark.parametrize(
    ("written", "wrong"),
    [
        ('label: ["", "Title"]', "at least 1 character"),
        ('label: [Tên, Title]\n  required: "yes"', "valid boolean"),
        ("label: [1, Title]", "valid string"),
    ],
)
def test_a_part_is_refused_unless_its_words_and_flags_are_written_as_such(
    tmp_path: Path, written: str, wrong: str
) -> None:
    parts = tmp_path / "initiative_parts.yaml"
    parts.write_text(f"- name: title\n  {written}\n", "utf-8")
    with pytest.raises(DataFileError, match=rf"initiative_parts\.yaml(.|\n)*{wrong}"):
        load_parts(parts)


def test_the_files_as_committed_read() -> None:
    assert len(load_endpoints()) > 80
    assert load_parts(PARTS_FILE)[0].name == "title"
