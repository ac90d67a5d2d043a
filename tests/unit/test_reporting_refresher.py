"""Reporting's refresher (services/reporting/service/refresher.py): one campaign whose progress
cannot be computed must not leave the campaigns after it stale. `refresh_all` stopped at the
first failure, so a campaign published with a goal its tables refuse (int32) stopped every
later campaign's figures from moving."""

import logging
import multiprocessing
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from services.reporting.queries import CampaignFiles
from services.reporting.service import refresher
from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.clock import FixedClock, SystemClock


class _Session:
    async def commit(self) -> None:
        pass


@asynccontextmanager
async def _sessions() -> AsyncIterator[_Session]:
    yield _Session()


async def test_a_campaign_that_fails_is_logged_and_the_others_are_refreshed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    plan = load_campaign(CAMPAIGN)
    plans = [plan.model_copy(update={"code": code}) for code in ("2021", "2022", "2023")]
    refreshed: list[tuple[str, str]] = []

    class Files(CampaignFiles):
        async def readable(self, session: Any) -> list[Campaign]:
            return plans

    async def refresh(
        session: Any, campaign: Campaign, phase_code: str, today: date, now: datetime, *_: Any
    ) -> bool:
        if campaign.code == "2022":
            raise OverflowError("value out of int32 range")  # as the table refused the goal
        refreshed.append((campaign.code, phase_code))
        return True

    monkeypatch.setattr(refresher, "refresh", refresh)
    sessions = cast(async_sessionmaker[Any], _sessions)
    clock = FixedClock(datetime.fromisoformat("2022-06-01T08:00:00+07:00"))

    with caplog.at_level(logging.ERROR, logger=refresher.log.name):
        done = await refresher.refresh_all(sessions, clock, files=Files())

    phases = [p.code for p in plan.phases]
    assert refreshed == [("2021", p) for p in phases] + [("2023", p) for p in phases]
    assert done == 2 * len(phases)
    [failure] = caplog.records
    assert failure.getMessage() == "could not refresh campaign 2022"
    assert failure.__dict__["campaign_code"] == "2022"
    assert failure.exc_info is not None


def _refresher_process(tmp_path: Path, parent: int) -> BaseProcess:
    child = multiprocessing.get_context("spawn").Process(
        target=refresher.refresh_forever,
        args=(
            f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}",
            0.2,
            "WARNING",
            SystemClock(),
            parent,
        ),
        daemon=True,
    )
    child.start()
    return child


def test_the_refresher_process_ends_once_its_service_is_gone(tmp_path: Path) -> None:
    """A service killed while its refresher was still starting left it reading, as its parent,
    the process it was handed over to, and it refreshed for ever, an orphan (the suite's
    restart tests left one). It is now given the service's pid: a refresher whose service is
    not its parent (here: a pid that is not ours) ends at once."""
    gone = _refresher_process(tmp_path, parent=os.getpid() + 1_000_000)
    gone.join(30)
    assert not gone.is_alive() and gone.exitcode == 0

    kept = _refresher_process(tmp_path, parent=os.getpid())  # while we are here, it runs
    try:
        time.sleep(3)
        assert kept.is_alive()
    finally:
        kept.terminate()
        kept.join(10)
