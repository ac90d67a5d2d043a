"""The notifications' per-language labels name the codes there are: an award's level is one of
the campaign file's `AwardLevel`s (a `grassroots_union` label stood for a level no award has)."""

import pytest
import yaml

from services.notifications.domain.templates import TEMPLATES_FILE
from shared.campaign.enums import AwardLevel
from shared.contracts.vocabulary import LANGUAGES, Language


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_award_level_label_stands_for_each_award_level_and_no_other(language: Language) -> None:
    common = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))["common"]
    assert set(common[language]["labels"]["award_level"]) == set(AwardLevel)
