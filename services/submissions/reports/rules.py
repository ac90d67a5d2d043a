"""What a unit's reports and complaint cases must satisfy: pure rules over the campaign plan,
no database and no HTTP (the use cases in service.py apply them)."""

from datetime import date, timedelta

from services.submissions.campaigns.rules import Window, campaign_window, phase_window
from shared.campaign.calendar import Days
from shared.campaign.model import Campaign, NoneOverdue, ReportKind, ShareOfUnits
from shared.refusals import Kind, Refusal

# When the plan names no time limit for complaint cases: the Law on Complaints' 30 days.
DEFAULT_RESOLUTION_DAYS = 30


def filing_windows(campaign: Campaign, kind: ReportKind, phase_code: str) -> list[Window]:
    """The days a report may be filed on: the campaign's, and a phase's results only from the
    phase's first day (late ones too, to the campaign's last)."""
    windows = [campaign_window(campaign)]
    if kind == ReportKind.result:
        phase = phase_window(campaign, phase_code)
        last = campaign_window(campaign).days.ends_on
        windows.append(
            Window(Days(phase.days.starts_on, last), phase.name_vi, phase.name_en, phase.code)
        )
    return windows


def report_due_on(
    kind: ReportKind, phase_starts_on: date, phase_report_due_on: date | None
) -> date | None:
    """A plan is due when its phase starts; the results by the phase's reporting deadline."""
    return phase_report_due_on if kind == ReportKind.result else phase_starts_on


def is_late(filed_on: date, due_on: date | None) -> bool:
    return due_on is not None and filed_on > due_on


def complaint_due_on(campaign: Campaign, received_on: date, due_on: date | None) -> date:
    """The day a case must be resolved by: as given, or received + the plan's time limit."""
    return due_on or received_on + timedelta(days=resolution_days(campaign))


def resolution_days(campaign: Campaign) -> int:
    for target in campaign.targets:
        if isinstance(target.indicator, NoneOverdue):
            return target.indicator.resolution_days
    return DEFAULT_RESOLUTION_DAYS


def check_figures(campaign: Campaign, figures: dict[str, float]) -> None:
    """Each figure is one the plan's indicators read, and a percentage."""
    known = {
        t.indicator.figure
        for t in campaign.targets
        if isinstance(t.indicator, ShareOfUnits) and t.indicator.figure
    }
    for name, value in figures.items():
        if name not in known:
            raise Refusal(
                Kind.invalid,
                f"figures.{name}",
                "unknown_figure",
                f"Chỉ tiêu '{name}' không có trong kế hoạch; dùng: " + ", ".join(sorted(known)),
                f"No figure '{name}' in the campaign; use: " + ", ".join(sorted(known)),
            )
        if not 0 <= value <= 100:  # NaN too
            raise Refusal(
                Kind.invalid,
                f"figures.{name}",
                "percent_out_of_range",
                f"Số liệu '{name}' là tỷ lệ phần trăm, từ 0 đến 100 (không phải {value:g})",
                f"Figure '{name}' is a percentage, from 0 to 100 (not {value:g})",
            )
