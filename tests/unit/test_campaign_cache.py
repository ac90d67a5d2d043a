"""shared.campaign.cache: a campaign file is validated once per version and process, and a
new version (a campaign published again) is validated again."""

import asyncio
from pathlib import Path
from typing import Any

from shared.campaign.cache import CampaignCache
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign

CAMPAIGN = Path(__file__).parents[2] / "campaigns" / "2022.yaml"
DEFINITION: dict[str, Any] = load_campaign(CAMPAIGN).model_dump(mode="json")


class Reads:
    """A definition reader that counts how often it is asked."""

    def __init__(self, definition: dict[str, Any]) -> None:
        self.definition, self.count = definition, 0

    async def __call__(self) -> dict[str, Any]:
        self.count += 1
        return self.definition


def test_one_validation_per_version() -> None:
    cache, reads = CampaignCache(), Reads(DEFINITION)

    async def three_requests() -> list[Campaign]:
        return [await cache.get("2022", "v1", reads) for _ in range(3)]

    first, second, third = asyncio.run(three_requests())
    assert first is second is third
    assert first.code == DEFINITION["code"]
    assert (reads.count, cache.validations) == (1, 1)


def test_a_new_version_is_read_and_validated_again() -> None:
    cache = CampaignCache()
    renamed = {**DEFINITION, "title": DEFINITION["title"] + " (sửa đổi)"}
    before = asyncio.run(cache.get("2022", "v1", Reads(DEFINITION)))
    after = asyncio.run(cache.get("2022", "v2", Reads(renamed)))
    assert before.title == DEFINITION["title"]
    assert after.title == renamed["title"]
    assert cache.validations == 2
    # The entry follows the latest version; an older one is validated again if asked for.
    asyncio.run(cache.get("2022", "v1", Reads(DEFINITION)))
    assert cache.validations == 3


def test_codes_are_kept_apart() -> None:
    cache = CampaignCache()
    other = {**DEFINITION, "code": "2023"}
    a = asyncio.run(cache.get("2022", "v1", Reads(DEFINITION)))
    b = asyncio.run(cache.get("2023", "v1", Reads(other)))
    assert (a.code, b.code) == (DEFINITION["code"], "2023")
    assert asyncio.run(cache.get("2022", "v1", Reads(other))) is a


def test_a_definition_without_version_column_is_its_own_version() -> None:
    cache = CampaignCache()
    definition = load_campaign(CAMPAIGN).model_dump(mode="json")
    first = cache.of("2022", definition)
    # The same content read again (another object) is the same campaign, not validated again.
    assert cache.of("2022", load_campaign(CAMPAIGN).model_dump(mode="json")) is first
    assert cache.validations == 1
    # The caller's object changing later does not change what the entry was validated from.
    definition["title"] = "Đã đổi"
    changed = cache.of("2022", definition)
    assert changed is not first and changed.title == "Đã đổi"
    assert cache.validations == 2


def test_forget_drops_the_entry() -> None:
    cache, reads = CampaignCache(), Reads(DEFINITION)
    asyncio.run(cache.get("2022", "v1", reads))
    cache.forget("2022")
    cache.forget("absent")
    asyncio.run(cache.get("2022", "v1", reads))
    assert reads.count == 2
