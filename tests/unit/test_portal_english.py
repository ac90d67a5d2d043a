"""The portal in English names the campaign's own things by the campaign file's English names
(`name_en` in campaigns/2022.yaml): the targets and phases on the home page, the movements on
the registration page; in Vietnamese, the plan's own names, marked lang="vi". On the real
submissions and notifications apps in process (tests/unit/test_portal.py's)."""

import re
from pathlib import Path

import yaml
from fastapi.testclient import TestClient

from services.portal.i18n import Translator
from services.portal.lookups import award_names
from services.portal.pages.council import scoring_rule
from tests.unit.portal_helpers import sign_in

CAMPAIGNS = Path(__file__).parents[2] / "campaigns"
SEVEN_EN = "“One million initiatives”, beyond 2,000 initiatives"
SEVEN_VI = "Chương trình “01 triệu sáng kiến”, vượt mức 2.000 sáng kiến"


def test_the_home_page_in_english_names_the_targets_in_english(portal: TestClient) -> None:
    sign_in(portal, "officer-pvgas")
    english = portal.get("/portal?lang=en").text
    vietnamese = portal.get("/portal?lang=vi").text
    assert f'<li value="7">{SEVEN_EN}</li>' in english
    assert '<li value="1">Emulation movements and campaigns put into practice</li>' in english
    assert f'<li value="7" lang="vi">{SEVEN_VI}</li>' in vietnamese
    assert SEVEN_EN not in vietnamese
    assert re.search(r"<th scope=\"row\">Phase 1</th>", english)
    assert re.search(r"<th scope=\"row\">Đợt 1</th>", vietnamese)


def test_the_registration_page_in_english_names_the_movements_in_english(
    portal: TestClient,
) -> None:
    sign_in(portal, "officer-pvgas")
    english = portal.get("/portal/dang-ky?lang=en").text
    vietnamese = portal.get("/portal/dang-ky?lang=vi").text
    assert ">Good work, creative work</label>" in english
    assert 'lang="vi">Lao động giỏi, lao động sáng tạo</label>' in vietnamese


def test_a_criterion_is_named_by_the_files_english_name() -> None:
    definition = {
        "initiative_review": {
            "scale": {"min": 0, "max": 10},
            "criteria": [
                {"code": "novelty", "name": "Tính mới", "name_en": "Newness", "weight": 0.5},
                {"code": "scope", "name": "Phạm vi ảnh hưởng", "weight": 0.3},
                {"code": "digital", "name": "Chuyển đổi số", "weight": 0.2},
            ],
            "council_rule": {"min_members": 3},
        }
    }
    rule = scoring_rule({"definition": definition})
    assert rule is not None
    english, vietnamese = Translator("en"), Translator("vi")
    labels = [c.label(english) for c in rule.criteria]
    # The file's English; else the portal's words for 2022's; else the Vietnamese.
    assert labels == ["Newness", "Scope of impact", "Chuyển đổi số"]
    assert rule.criteria[0].label(vietnamese) == "Tính mới"


def test_the_report_form_in_english_asks_the_figures_in_english(
    portal: TestClient,
) -> None:
    sign_in(portal, "officer-pvgas")
    english = portal.get("/portal/bao-cao?lang=en").text
    assert "Carried out the activities organised by the federation and the confederation" in (
        english
    )
    vietnamese = portal.get("/portal/bao-cao?lang=vi").text
    assert "Carried out the activities" not in vietnamese


def test_an_awards_english_name_is_found_by_the_name_the_events_carry() -> None:
    definition = yaml.safe_load((CAMPAIGNS / "2022.yaml").read_text(encoding="utf-8"))
    names = award_names({"definition": definition})
    assert names["Bằng khen của Công đoàn Dầu khí Việt Nam"] == (
        "Certificate of Merit of the Vietnam Petroleum Trade Union"
    )
    assert names["Cờ thi đua cho công đoàn trực thuộc dẫn đầu phong trào thi đua năm 2022"] == (
        "Emulation Flag for the affiliated unions leading the 2022 emulation movement"
    )
    assert award_names(None) == {}
