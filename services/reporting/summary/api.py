"""The summary's route. The federation sees everything; a unit officer sees their own
subtree; anyone signed in may read the federation-wide aggregates (published figures)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.reporting.dependencies import Files
from services.reporting.queries import campaign_or_404, phase_or_404, scope_root
from services.reporting.summary.queries import campaign_summary
from shared.auth import CurrentPrincipal
from shared.clock import today
from shared.http.dependencies import CampaignClock, DbSession

router = APIRouter(prefix="/api/v1", tags=["summaries"])


@router.get("/summary/{campaign_code}")
async def summary(
    campaign_code: str,
    principal: CurrentPrincipal,
    session: DbSession,
    files: Files,
    clock: CampaignClock,
    unit: str | None = None,
    phase: Annotated[
        str | None, Query(description="Only this phase (complaint cases are not per phase).")
    ] = None,
) -> dict[str, Any]:
    """Tổng hợp: initiatives (submitted, recognised, benefit) by unit, field and month
    received; registrations by movement; reports on time and late; complaints overdue;
    awards by type and level — for `unit` (default: the caller's unit, or the federation) and
    below, for the whole campaign or one `phase`. An unknown campaign or phase is 404, as on
    the dashboard and the exports (all zeros would read as a campaign with nothing in it)."""
    plan = await campaign_or_404(session, files, campaign_code)
    if phase is not None:
        phase_or_404(plan, phase)
    root = await scope_root(session, principal, unit)
    return await campaign_summary(
        session,
        campaign_code,
        root,
        phase,
        today(clock),
        proposals_shown=principal.is_federation_admin,
    )
