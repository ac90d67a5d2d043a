"""The rules of reports and complaint cases, apart from HTTP (services/submissions/reports)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.submissions.reports import rules
from shared.campaign.model import ReportKind
from shared.campaign.progress import overdue_on

days = st.dates(min_value=date(2021, 1, 1), max_value=date(2023, 12, 31))


@given(due=days, resolved_after=st.none() | st.integers(0, 400), today=days)
def test_a_case_is_overdue_once_unresolved_past_its_due_day(
    due: date, resolved_after: int | None, today: date
) -> None:
    received = due - timedelta(days=30)
    resolved = None if resolved_after is None else received + timedelta(days=resolved_after)
    if resolved is not None and resolved > today:
        resolved = None  # not resolved yet, as of today
    assert overdue_on(due, resolved, today) == ((resolved or today) > due)


def test_a_plan_is_due_when_its_phase_starts_and_results_by_the_deadline() -> None:
    starts, deadline = date(2022, 1, 1), date(2022, 7, 10)
    assert rules.report_due_on(ReportKind.plan, starts, deadline) == starts
    assert rules.report_due_on(ReportKind.result, starts, deadline) == deadline
    assert rules.is_late(date(2022, 7, 11), deadline)
    assert not rules.is_late(deadline, deadline)
    assert not rules.is_late(date(2030, 1, 1), None)
