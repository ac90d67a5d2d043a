"""The dates a fact entered in submissions may carry: not after the campaign's today, and
within the window it belongs to (the campaign's days, its period, a phase's days). Refused
otherwise with the field named, in both languages."""

from dataclasses import dataclass
from datetime import date

from shared.campaign.calendar import Days, campaign_days, period, phase_days
from shared.campaign.model import Campaign
from shared.formatting import format_date
from shared.refusals import Kind, Refusal


@dataclass(frozen=True)
class Window:
    """A stretch of days a date must fall in, as the refusal names it."""

    days: Days
    name_vi: str  # "kế hoạch thi đua 2022", "đợt dot-1"
    name_en: str
    code: str  # outside_campaign | outside_phase


def campaign_day(
    given: date | None, *, field: str, what_vi: str, today: date, within: list[Window]
) -> date:
    """The day a fact happened: the one given (keyed in from paper), or today. `what_vi`
    names the date in Vietnamese ("Ngày nộp báo cáo"); `field` is the request's field."""
    day = today if given is None else given
    if day > today:
        raise Refusal(
            Kind.invalid,
            field,
            "date_in_future",
            f"{what_vi} ({format_date(day)}) chưa đến: hôm nay là {format_date(today)}",
            f"{field} ({format_date(day)}) is after today ({format_date(today)})",
        )
    for window in within:
        if day in window.days:
            continue
        first, last = format_date(window.days.starts_on), format_date(window.days.ends_on)
        if given is None:  # nothing said, and today is not a day of it: the date must be said
            raise Refusal(
                Kind.invalid,
                field,
                window.code,
                f"Hôm nay ({format_date(day)}) nằm ngoài thời gian của {window.name_vi} "
                f"({first} – {last}): cần ghi {what_vi[0].lower()}{what_vi[1:]}",
                f"Today ({format_date(day)}) is outside {window.name_en} ({first} – {last}): "
                f"give {field}",
            )
        raise Refusal(
            Kind.invalid,
            field,
            window.code,
            f"{what_vi} ({format_date(day)}) nằm ngoài thời gian của {window.name_vi} "
            f"({first} – {last})",
            f"{field} ({format_date(day)}) is outside {window.name_en} ({first} – {last})",
        )
    return day


def campaign_window(campaign: Campaign) -> Window:
    """Every day a fact of the campaign may carry (its period and its report deadlines)."""
    return _of_campaign(campaign, campaign_days(campaign))


def period_window(campaign: Campaign) -> Window:
    return _of_campaign(campaign, period(campaign))


def _of_campaign(campaign: Campaign, days: Days) -> Window:
    """`days`, refused outside as the campaign's."""
    return Window(
        days, f"kế hoạch thi đua {campaign.code}", f"campaign {campaign.code}", "outside_campaign"
    )


def phase_window(campaign: Campaign, phase_code: str) -> Window:
    name = campaign.phase(phase_code).name  # "Đợt 1"
    return Window(
        phase_days(campaign, phase_code),
        name[:1].lower() + name[1:],
        f"phase {phase_code}",
        "outside_phase",
    )
