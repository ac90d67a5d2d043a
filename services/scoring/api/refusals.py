"""How scoring's domain refusals answer over HTTP: the use cases raise domain errors, the
routes translate them here (every problem, both languages, its field)."""

from collections.abc import Iterator
from contextlib import contextmanager

from services.scoring.domain.council import ReviewError
from services.scoring.service.awarding import UnknownCampaign, UnknownPhase
from services.scoring.service.decisions import DecisionRefused
from shared.http.errors import ClientError, client_error, refusal_listing
from shared.refusals import unknown_campaign, unknown_phase

# A refusal is a 422 unless its code says the caller may not (403) or it is too late (409).
_STATUS = {"not_assigned": 403, "already_decided": 409, "not_found": 404, "campaign_unknown": 409}


def refusal(error: ReviewError, *, field_prefix: str = "") -> ClientError:
    problems = [
        client_error(field_prefix + p.field, p.code, p.message_vi, p.message_en)
        for p in error.problems
    ]
    return refusal_listing(problems, status_code=_STATUS.get(error.code, 422))


@contextmanager
def answering_refusals(*, field_prefix: str = "") -> Iterator[None]:
    """A council's refusal (or an initiative not under review) as a 4xx."""
    try:
        yield
    except ReviewError as error:
        raise refusal(error, field_prefix=field_prefix) from error


@contextmanager
def answering_unknowns() -> Iterator[None]:
    """A campaign or phase scoring has not heard of as a 404."""
    try:
        yield
    except UnknownCampaign as error:
        raise unknown_campaign(error.campaign_code) from error
    except UnknownPhase as error:
        raise unknown_phase(error.phase_code, error.campaign_code) from error


@contextmanager
def answering_decisions() -> Iterator[None]:
    """An award decision refused: 404 for an unknown award, else 409 (its status, or the
    recipient already rewarded for the phase)."""
    try:
        yield
    except DecisionRefused as error:
        status = 404 if error.code == "not_found" else 409
        raise ClientError(
            status, error.field, error.code, error.message_vi, error.message_en
        ) from error
