"""The portal means the campaign every service means: `THIDUA_CAMPAIGN_CODE`, the one setting
the Helm chart and Compose give every process. It once read a `PORTAL_CAMPAIGN_CODE` of its
own, so a deployment moved to next year's plan kept showing 2022 on its pages."""

from collections.abc import Iterator

import pytest

from services.portal import lookups
from shared.settings import default_campaign_code


@pytest.fixture
def read_anew() -> Iterator[None]:
    # default_campaign_code reads the environment once per process.
    default_campaign_code.cache_clear()
    yield
    default_campaign_code.cache_clear()


@pytest.mark.usefixtures("read_anew")
def test_the_pages_mean_the_deployments_campaign(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_CAMPAIGN_CODE", "2030")
    monkeypatch.setenv("PORTAL_CAMPAIGN_CODE", "1999")
    assert lookups.campaign_code() == "2030"


@pytest.mark.usefixtures("read_anew")
def test_without_the_setting_the_pages_mean_the_default_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("THIDUA_CAMPAIGN_CODE", raising=False)
    assert lookups.campaign_code() == "2022"
