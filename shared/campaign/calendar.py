"""The campaign's calendar: the days its facts may fall on, and the day its figures are "as of".

A fact happens on a day of its campaign (an initiative received, a report filed, a complaint
received or resolved, a phase closed), whatever day it is typed in. The campaign's days run
from the first day of its period to the last day anything is due for it: the period's end,
or a later report deadline (the results of the last phase come in after the year ends).
"""

from dataclasses import dataclass
from datetime import date

from shared.campaign.model import Campaign


@dataclass(frozen=True)
class Days:
    """From `starts_on` to `ends_on`, both included."""

    starts_on: date
    ends_on: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on


def period(campaign: Campaign) -> Days:
    """The year the plan runs: what happens in it (a complaint received) belongs to it."""
    return Days(campaign.period.starts_on, campaign.period.ends_on)


def campaign_days(campaign: Campaign) -> Days:
    """Every day a fact of the campaign may carry: its period and its report deadlines."""
    last = max([campaign.period.ends_on, *(p.report_due_on for p in campaign.phases)])
    return Days(campaign.period.starts_on, last)


def phase_days(campaign: Campaign, phase_code: str) -> Days:
    phase = campaign.phase(phase_code)
    return Days(phase.starts_on, phase.ends_on)


def as_of(campaign: Campaign, today: date) -> date:
    """The day figures are shown "as of" (Đến ngày …): today, or the period's last day once it
    is over (a 2022 campaign looked at in 2026 is as of 31/12/2022)."""
    return min(today, campaign.period.ends_on)
