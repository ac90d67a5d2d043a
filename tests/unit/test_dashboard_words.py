"""The dashboard's words: read from words.toml by the shared loader, complete in both
languages, and every key the page asks for is there."""

import ast
import re
import shutil
from pathlib import Path

import pytest

from services.reporting.dashboard import words
from services.reporting.dashboard.words import WORDS
from shared.campaign.enums import ReviewKind
from shared.i18n import Translator

REPORTING_DIR = Path(__file__).resolve().parents[2] / "services" / "reporting"
DASHBOARD_DIR = REPORTING_DIR / "dashboard"


def test_every_dashboard_word_is_in_both_languages() -> None:
    assert len(WORDS) > 50
    for key, (vi, en) in WORDS.items():
        assert vi.strip() and en.strip(), key
        # The same placeholders in both languages, or .format() fails in one of them.
        assert sorted(re.findall(r"{(\w*)}", vi)) == sorted(re.findall(r"{(\w*)}", en)), key


def test_every_key_the_dashboard_uses_exists() -> None:
    used: set[str] = set()
    for template in (REPORTING_DIR / "templates").glob("*.html"):
        used |= set(re.findall(r"""\bw\(['"]([a-z_.]+)['"][,)]""", template.read_text()))
    for node in ast.walk(ast.parse((DASHBOARD_DIR / "page.py").read_text())):
        match node:  # w("key", ...), and `for key in (...)`: the legends' words for dashboard.js
            case ast.Call(func=ast.Name(id="w"), args=[ast.Constant(value=str(key)), *_]):
                used.add(key)
            case ast.comprehension(target=ast.Name(id="key"), iter=ast.Tuple(elts=keys)):
                used |= {str(key.value) for key in keys if isinstance(key, ast.Constant)}
    # Asked for by value: a phase's closing review, a target's state, a code with no value.
    used |= {kind.value for kind in ReviewKind} | {"met", "missed", "exceeded", "none"}
    assert len(used) > 45  # the search found the keys, not nothing
    assert used - WORDS.keys() == set()


def test_the_dashboard_words_are_read_from_their_file(tmp_path: Path) -> None:
    shutil.copy(DASHBOARD_DIR / "words.toml", tmp_path)
    assert words.load(tmp_path) == WORDS
    assert Translator(WORDS, "en")("league.shown", shown=3, total=20) == "3 of 20 units"
    assert Translator(WORDS, "vi")("target", n=7) == "Chỉ tiêu 7"
    (tmp_path / "stray.toml").write_text("")
    with pytest.raises(ValueError, match="not listed \\['stray'\\]"):
        words.load(tmp_path)
    (tmp_path / "words.toml").unlink()
    with pytest.raises(ValueError, match="missing \\['words'\\]"):
        words.load(tmp_path)
