"""The campaign day an event names, whether or not its producer named it.

Events carry the campaign day something happened (`received_on`, `filed_on`, ...) beside the
instant it was recorded (`..._at`, UTC). Producers older than the day's field sent the
instant alone; the day it fell on in Vietnam stands in for it then.
"""

from datetime import date, datetime, timedelta, timezone

# Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset needs no tz database.
# Here, beneath the contracts, so that every service (and shared.formatting) counts days so.
VIETNAM_TIME = timezone(timedelta(hours=7), "ICT")


def campaign_day(on: date | None, at: datetime) -> date:
    """`on`, or (from an older producer) `at`'s day in Vietnam."""
    if on is not None:
        return on
    return at.astimezone(VIETNAM_TIME).date()
