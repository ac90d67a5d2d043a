"""The one loader of the portal's and the dashboard's words (shared.i18n.load_words)."""

from pathlib import Path

import pytest

from shared.i18n import load_words


def test_the_loader_merges_the_areas_and_refuses_what_a_dict_would_let_pass(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.toml").write_text('"a.yes" = ["Có", "Yes"]\n')
    (tmp_path / "b.toml").write_text('"b.no" = ["Không", "No"]\n')
    given = {"c.given": ("Cho", "Given")}
    assert dict(load_words(tmp_path, ("a", "b"), [given])) == {
        "c.given": ("Cho", "Given"),
        "a.yes": ("Có", "Yes"),
        "b.no": ("Không", "No"),
    }
    with pytest.raises(ValueError, match=r"'a\.yes' is defined twice"):
        load_words(tmp_path, ("a", "b"), [{"a.yes": ("Có", "Yes")}])
    for bad in ('"b.no" = ["Không"]', '"b.no" = ["Không", ""]', "[b]\nno = 1"):
        (tmp_path / "b.toml").write_text(f"{bad}\n")
        with pytest.raises(ValueError, match=r"b\.toml: .* is not \[Vietnamese, English\]"):
            load_words(tmp_path, ("a", "b"))
