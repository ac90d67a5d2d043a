"""HTTP API of submissions: initiatives (sáng kiến)."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, Request
from sqlmodel import col, select

from services.submissions.initiatives.schemas import AuthorIn, InitiativeCreate, InitiativePublic
from services.submissions.initiatives.tables import Initiative, InitiativeAuthor
from shared.contracts import InitiativeAuthor as AuthorContract
from shared.contracts import InitiativeSubmitted
from shared.http.dependencies import DbSession, OutboxWriter
from shared.http.errors import ClientError
from shared.messaging.cloudevents import new_envelope

SOURCE = "/thidua/submissions"
router = APIRouter(prefix="/api/v1", tags=["initiatives"])


@router.post("/initiatives", status_code=201, response_model=InitiativePublic)
async def submit_initiative(
    body: InitiativeCreate, request: Request, session: DbSession, outbox: OutboxWriter
) -> InitiativePublic:
    """Nộp sáng kiến: store it and publish `initiative submitted`, in one transaction."""
    settings = request.app.state.settings
    initiative = Initiative(
        id=uuid4(),
        campaign_code=settings.campaign_code,
        unit_code=body.unit_code,
        title=body.title,
        field=body.field.value,
        problem=body.problem,
        solution=body.solution,
        first_applied_on=body.first_applied_on,
        expected_benefit_vnd=body.expected_benefit_vnd,
        status="submitted",
        # Until sign-in exists (issue 3) the first author is taken as the submitter.
        submitted_by=body.authors[0].member_id,
        submitted_at=datetime.now(UTC),
    )
    authors = [
        InitiativeAuthor(initiative_id=initiative.id, **author.model_dump())
        for author in body.authors
    ]
    event = InitiativeSubmitted(
        initiative_id=initiative.id,
        campaign_code=initiative.campaign_code,
        unit_code=initiative.unit_code,
        title=initiative.title,
        field=initiative.field,
        authors=tuple(AuthorContract(**author.model_dump()) for author in body.authors),
        first_applied_on=initiative.first_applied_on,
        expected_benefit_vnd=initiative.expected_benefit_vnd,
        submitted_by=initiative.submitted_by,
        submitted_at=initiative.submitted_at,
    )
    async with session.begin():
        session.add(initiative)
        session.add_all(authors)
        await session.flush()
        await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(initiative.id)))
    request.app.state.initiatives_submitted.labels(field=initiative.field).inc()
    return _public(initiative, authors)


@router.get("/initiatives/{initiative_id}", response_model=InitiativePublic)
async def get_initiative(initiative_id: UUID, session: DbSession) -> InitiativePublic:
    initiative = await session.get(Initiative, initiative_id)
    if initiative is None:
        raise ClientError(
            404,
            "initiative_id",
            "not_found",
            "Không tìm thấy sáng kiến",
            "Initiative not found",
        )
    authors = (
        await session.exec(
            select(InitiativeAuthor).where(InitiativeAuthor.initiative_id == initiative_id)
        )
    ).all()
    return _public(initiative, list(authors))


@router.get("/initiatives", response_model=list[InitiativePublic])
async def list_initiatives(
    session: DbSession,
    unit_code: str | None = None,
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> list[InitiativePublic]:
    query = select(Initiative).order_by(col(Initiative.submitted_at).desc())
    if unit_code:
        query = query.where(Initiative.unit_code == unit_code)
    initiatives = (await session.exec(query.offset(offset).limit(limit))).all()
    ids = [initiative.id for initiative in initiatives]
    authors = (
        await session.exec(
            select(InitiativeAuthor).where(col(InitiativeAuthor.initiative_id).in_(ids))
        )
    ).all()
    return [_public(i, [a for a in authors if a.initiative_id == i.id]) for i in initiatives]


def _public(initiative: Initiative, authors: list[InitiativeAuthor]) -> InitiativePublic:
    return InitiativePublic(
        **initiative.model_dump(exclude={"problem", "solution"}),
        authors=[AuthorIn.model_validate(author, from_attributes=True) for author in authors],
    )
