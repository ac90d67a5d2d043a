"""What reporting's routes reach through `request.app.state`: the objects `bootstrap.define`
made for this service (no module keeps state of its own)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from services.reporting.dashboard.queries import Answers
from services.reporting.queries import CampaignFiles
from shared.http.dependencies import CampaignClock, DbSession


def _campaign_files(request: Request) -> CampaignFiles:
    files: CampaignFiles = request.app.state.campaign_files
    return files


def _answers(request: Request) -> Answers:
    answers: Answers = request.app.state.dashboard_answers
    return answers


Files = Annotated[CampaignFiles, Depends(_campaign_files)]
DashboardAnswers = Annotated[Answers, Depends(_answers)]


@dataclass(frozen=True)
class PhaseFigures:
    """What a phase's dashboard figures are read with: the request's session, the campaign
    files, the answers computed so far and the campaign's clock (one parameter for the routes
    that read them all)."""

    session: DbSession
    files: Files
    answers: DashboardAnswers
    clock: CampaignClock


FiguresRead = Annotated[PhaseFigures, Depends()]
