"""A campaign file is read within bounds (issue 14, point 4): its size, how deep it nests and
how many values its aliases expand to, each refused at once with the line; the 2022 plan loads
as before. A 438-byte file of nested aliases once kept the event loop busy for 24 s."""

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.campaign.loader import CampaignFileError, load_campaign, load_campaign_text
from shared.campaign.loader import _parse as parse_yaml
from shared.contracts.bounds import CAMPAIGN_FILE_MAX_BYTES
from tests.unit.conftest import ADMIN

REPO = Path(__file__).resolve().parents[2]


def _billion_laughs() -> str:
    """Ten levels of nine aliases each: 9^10 (3.5 billion) values, in 410 bytes."""
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(9):
        name, previous = chr(ord("b") + level), chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def _refusal(text: str) -> tuple[str, str, float]:
    started = time.perf_counter()
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_text(text, source="bomb.yaml")
    elapsed = time.perf_counter() - started
    [problem] = refused.value.problems
    assert str(refused.value).startswith("bomb.yaml:")
    return problem.location, problem.code, elapsed


def test_nested_aliases_are_refused_at_once_at_the_alias_that_passes_the_limit() -> None:
    bomb = _billion_laughs()
    assert len(bomb.encode()) < 500
    location, code, elapsed = _refusal(bomb)
    assert code == "too_many_values"
    # Line 5's list stands for 9^5 = 59,049 values, past the limit of 20,000.
    assert location == "dòng 5, cột 43 / line 5, column 43"
    assert elapsed < 0.5


def test_a_recursive_alias_deep_nesting_and_a_large_file_are_refused_with_their_place() -> None:
    recursive = _refusal("a: &a [1, *a]\n")
    assert recursive[:2] == ("dòng 1, cột 11 / line 1, column 11", "recursive_alias")
    assert _refusal("a: " + "[" * 5000 + "]" * 5000)[1] == "too_deep"
    big = "theme: " + "x" * CAMPAIGN_FILE_MAX_BYTES
    assert _refusal(big)[:2] == ("(gốc tài liệu / document root)", "too_large")


def test_the_2022_plan_and_its_few_anchors_still_load() -> None:
    assert load_campaign(REPO / "campaigns" / "2022.yaml").code == "2022"
    # A handful of aliases is fine, and they read as the values they stand for.
    document = parse_yaml("x: &d [2022-01-01, 1]\ny: [*d, *d]\n", "t.yaml")
    assert document["y"] == [document["x"], document["x"]]


def test_the_api_refuses_a_bomb_with_422_naming_the_line(submissions: TestClient) -> None:
    started = time.perf_counter()
    answer = submissions.post(
        "/api/v1/campaigns",
        content=_billion_laughs().encode(),
        headers={**ADMIN, "content-type": "application/yaml"},
    )
    assert time.perf_counter() - started < 2
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert error["code"] == "too_many_values"
    assert error["field"] == "dòng 5, cột 43 / line 5, column 43"


def test_a_control_or_bidi_override_character_in_the_plan_is_refused_naming_its_place() -> None:
    # A double-quoted YAML string can hold one as an escape; the plan's names end up in
    # spreadsheets and decisions, which cannot hold it.
    text = (REPO / "campaigns" / "2022.yaml").read_text(encoding="utf-8")
    first_phase = text.index("phases:")
    name_at = text.index("name:", first_phase)
    end = text.index("\n", name_at)
    tampered = text[:name_at] + 'name: "Đợt 1\\x0b"' + text[end:]
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_text(tampered, source="2022.yaml")
    [problem] = refused.value.problems
    assert (problem.location, problem.code) == ("phases[0].name", "forbidden_character")
    assert "U+000B" in problem.message_en
