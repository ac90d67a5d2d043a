"""What reporting's routes reach through `request.app.state`: the objects `bootstrap.define`
made for this service (no module keeps state of its own)."""

from typing import Annotated

from fastapi import Depends, Request

from services.reporting.dashboard.queries import Answers
from services.reporting.queries import CampaignFiles


def _campaign_files(request: Request) -> CampaignFiles:
    files: CampaignFiles = request.app.state.campaign_files
    return files


def _answers(request: Request) -> Answers:
    answers: Answers = request.app.state.dashboard_answers
    return answers


Files = Annotated[CampaignFiles, Depends(_campaign_files)]
DashboardAnswers = Annotated[Answers, Depends(_answers)]
