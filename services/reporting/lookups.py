"""A campaign and its phase by code, or the 404 that names which is unknown."""

from sqlmodel.ext.asyncio.session import AsyncSession

from services.reporting.progress import campaign
from shared.campaign.model import Campaign, Phase
from shared.http.errors import ClientError


async def campaign_or_404(session: AsyncSession, code: str) -> Campaign:
    plan = await campaign(session, code)
    if plan is None:
        raise ClientError(
            404,
            "campaign_code",
            "unknown_campaign",
            f"Chưa có kế hoạch thi đua {code}",
            f"No campaign {code}",
        )
    return plan


def phase_or_404(plan: Campaign, code: str) -> Phase:
    for phase in plan.phases:
        if phase.code == code:
            return phase
    raise ClientError(
        404,
        "phase_code",
        "unknown_phase",
        f"Kế hoạch {plan.code} không có đợt {code}",
        f"Campaign {plan.code} has no phase {code}",
    )
