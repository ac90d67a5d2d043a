"""HTTP API of scoring: councils and their reviews."""

from contextlib import suppress
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlmodel import col, select

from services.scoring.api.refusals import answering_refusals
from services.scoring.domain.council import Review, ReviewError, assign_many, one_line_each
from services.scoring.service import reviews
from services.scoring.tables import Act, ReviewAction, ReviewRecord
from shared.auth import CurrentPrincipal, FederationAdmin, Principal, Role, require_roles
from shared.contracts.bounds import (
    ASSIGNMENT_MAX,
    COUNCIL_MAX,
    REVIEWER_POOL_MAX,
    Note,
    Reason,
    Subject,
)
from shared.contracts.lifecycle import LABELS, InitiativeStatus
from shared.contracts.vocabulary import INITIATIVE_FIELDS
from shared.http.dependencies import DbSession, UnitOfWork, Work
from shared.http.errors import ClientError
from shared.http.filters import UnitCodeFilter
from shared.http.paging import PageQuery
from shared.http.request_body import RequestBody

router = APIRouter(prefix="/api/v1", tags=["reviews"])
Reviewer = Annotated[Principal, Depends(require_roles(Role.REVIEWER))]
# Who may read one initiative's review: its council's members, and the admins (a reviewer off
# its council is told it is not on their list, as if it were not there).
ReviewReader = Annotated[Principal, Depends(require_roles(Role.REVIEWER, Role.FEDERATION_ADMIN))]


class ReviewItemPublic(BaseModel):
    """One initiative as a council member judges it. Its content (problem, solution,
    novelty, attachments) never leaves submissions: `content_path` there answers this
    reviewer with it when they sit on its council (a confidential one's included)."""

    initiative_id: str
    campaign_code: str
    phase_code: str
    unit_code: str
    title: str
    field: str
    field_vi: str
    confidential: bool
    received_on: date | None
    first_applied_on: date | None
    expected_benefit_vnd: int | None
    status: InitiativeStatus
    status_vi: str
    status_en: str
    round: int
    council: list[str]
    scored_by: list[str]
    content_path: str = Field(description="Submissions' address of its content.")


class AssignIn(RequestBody):
    initiative_ids: list[UUID] = Field(min_length=1, max_length=ASSIGNMENT_MAX)
    reviewer_ids: list[Subject] = Field(min_length=1, max_length=REVIEWER_POOL_MAX)
    per_initiative: int = Field(default=3, ge=1, le=COUNCIL_MAX)


class ScoreIn(RequestBody):
    scores: dict[str, Any] = Field(description="By criterion code, on the campaign's scale.")
    vote_for: bool = Field(description="Công nhận: does this reviewer vote to recognise it?")
    private_note: Note | None = None


class SheetLineIn(ScoreIn):
    initiative_id: UUID


class ScoreSheetIn(RequestBody):
    items: list[SheetLineIn] = Field(min_length=1, max_length=ASSIGNMENT_MAX)


class ReturnIn(RequestBody):
    reason: Reason = Field(min_length=5)


@router.get("/reviews/pending", response_model=list[ReviewItemPublic])
async def pending_reviews(
    shown: UnitCodeFilter, principal: CurrentPrincipal, session: DbSession, page: PageQuery
) -> list[ReviewItemPublic]:
    """Chờ chấm: a reviewer sees what waits for their score (title, field, unit, dates,
    benefit, and where to read the content); an admin, every open review."""
    query = select(ReviewRecord).where(col(ReviewRecord.status).in_(reviews.OPEN))
    query = shown.narrow(query, ReviewRecord.unit_code)
    rows = (await session.exec(query.order_by(col(ReviewRecord.submitted_at)))).all()
    if not principal.is_federation_admin:
        rows = [
            r
            for r in rows
            if principal.subject in r.council
            and principal.subject not in r.scored_by
            # A member an amendment made an author waits for a council without them.
            and principal.subject not in r.author_ids
        ]
    return [_public(r) for r in page.cut(rows)]


class MyReviewPublic(ReviewItemPublic):
    """An initiative this council member scored, with their own scorecard of that round."""

    scored_round: int = Field(description="The review round the scorecard belongs to.")
    my_scores: dict[str, float] = Field(description="By criterion code, as recorded.")
    my_vote_for: bool
    my_note: str | None = Field(description="The member's private note, for their eyes.")
    scored_at: datetime


@router.get("/reviews/mine", response_model=list[MyReviewPublic])
async def my_reviews(
    principal: Reviewer,
    session: DbSession,
    page: PageQuery,
) -> list[MyReviewPublic]:
    """Đã chấm: what this council member decided before, their last scorecard of each round
    (most recent first) beside the initiative's state now; a scorecard dropped when the council
    was seated again without them is not theirs any more."""
    actions = (
        await session.exec(
            select(ReviewAction)
            .where(ReviewAction.kind == Act.score)
            .where(ReviewAction.actor == principal.subject)
            .order_by(col(ReviewAction.id).desc())
        )
    ).all()
    latest: dict[tuple[UUID, int], ReviewAction] = {}
    for action in actions:
        latest.setdefault((action.initiative_id, action.round), action)
    mine: list[MyReviewPublic] = []
    for (initiative_id, round_), action in latest.items():
        record = await session.get(ReviewRecord, initiative_id)
        if record is None:
            continue
        if round_ == record.round and principal.subject not in record.scored_by:
            continue
        scores = action.payload.get("scores") or {}
        mine.append(
            MyReviewPublic(
                **_public(record).model_dump(),
                scored_round=round_,
                my_scores={str(k): float(v) for k, v in scores.items()},
                my_vote_for=bool(action.payload.get("vote_for")),
                my_note=action.payload.get("private_note"),
                scored_at=action.at,
            )
        )
    return list(page.cut(mine))


@router.get("/reviews/{initiative_id}", response_model=ReviewItemPublic)
async def review_of(
    initiative_id: UUID, principal: ReviewReader, session: DbSession
) -> ReviewItemPublic:
    """One initiative's review as scoring holds it: for admins and its council's members."""
    record = await session.get(ReviewRecord, initiative_id)
    if record is None or not (principal.is_federation_admin or principal.subject in record.council):
        raise ClientError(
            404,
            "initiative_id",
            "not_found",
            "Không có sáng kiến này trong danh sách xét của bạn",
            "No such initiative among those you review",
        )
    return _public(record)


@router.post("/reviews/assign", response_model=list[ReviewItemPublic])
async def assign_councils(
    body: AssignIn, principal: FederationAdmin, work: Work
) -> list[ReviewItemPublic]:
    """Phân công hội đồng in bulk: balanced, never an author on their own initiative."""
    session = work.session
    with answering_refusals():
        async with session.begin():
            # Loaded (and locked) in one order, so two bulk assignments sharing initiatives
            # cannot deadlock; each is read once, and each act is given what was read.
            loaded = {
                i: await reviews.load(session, i, work.campaigns)
                for i in sorted(set(body.initiative_ids))
            }
            # The domain refuses the batch (too few reviewers, one named twice, …) at once.
            planned, _ = assign_many(
                [loaded[i][1] for i in body.initiative_ids],
                body.reviewer_ids,
                body.per_initiative,
                by=principal.subject,
                at=work.clock.now(),
            )
            for review in planned:
                initiative_id = review.initiative.initiative_id
                record, before = loaded[initiative_id]
                after = await _act(
                    work,
                    initiative_id,
                    Act.assign,
                    principal.subject,
                    {"reviewer_ids": list(review.council)},
                    loaded=(record, before),
                )
                loaded[initiative_id] = (record, after)
            records = [await session.get(ReviewRecord, i) for i in body.initiative_ids]
    return [_public(r) for r in records if r is not None]


@router.post("/reviews/scores", response_model=list[ReviewItemPublic])
async def score_sheet(
    body: ScoreSheetIn, principal: Reviewer, work: Work
) -> list[ReviewItemPublic]:
    """Phiếu chấm: a council member's scores on several initiatives at once (a sheet filled
    in after the council's meeting), all recorded or none. Each line is exactly one
    `POST /reviews/{id}/scores` by this member, the last score of a council deciding; the
    first line refused answers for the sheet, its field prefixed with `items.<n>.`."""
    with answering_refusals():
        one_line_each([line.initiative_id for line in body.items])
    session = work.session
    async with session.begin():
        # Locked in one order, so two members' sheets on the same initiatives cannot deadlock;
        # an initiative out of reach is refused below, on its own line.
        locked: dict[UUID, tuple[ReviewRecord, Review]] = {}
        for initiative_id in sorted({line.initiative_id for line in body.items}):
            with suppress(ReviewError):
                locked[initiative_id] = await reviews.load(session, initiative_id, work.campaigns)
        for n, line in enumerate(body.items):
            with answering_refusals(field_prefix=f"items.{n}."):
                await _act(
                    work,
                    line.initiative_id,
                    Act.score,
                    principal.subject,
                    line.model_dump(exclude={"initiative_id"}),
                    loaded=locked.get(line.initiative_id),
                )
        records = [await session.get(ReviewRecord, line.initiative_id) for line in body.items]
    return [_public(r) for r in records if r is not None]


@router.post("/reviews/{initiative_id}/scores", response_model=ReviewItemPublic)
async def score(
    initiative_id: UUID, body: ScoreIn, principal: Reviewer, work: Work
) -> ReviewItemPublic:
    """Chấm điểm: only a member of its council; the last score decides."""
    return await _acted(work, initiative_id, Act.score, principal.subject, body.model_dump())


@router.post("/reviews/{initiative_id}/return", response_model=ReviewItemPublic)
async def return_to_author(
    initiative_id: UUID, body: ReturnIn, principal: FederationAdmin, work: Work
) -> ReviewItemPublic:
    """Trả lại để bổ sung, with the reason; publishes `initiative returned`."""
    return await _acted(
        work, initiative_id, Act.return_to_author, principal.subject, body.model_dump()
    )


async def _acted(
    work: UnitOfWork, initiative_id: UUID, action: str, subject: str, payload: dict[str, Any]
) -> ReviewItemPublic:
    """One act on one initiative in its own transaction, answered with the review as left."""
    with answering_refusals():
        async with work.session.begin():
            await _act(work, initiative_id, action, subject, payload)
            record = await work.session.get(ReviewRecord, initiative_id)
    assert record is not None
    return _public(record)


async def _act(
    work: UnitOfWork,
    initiative_id: UUID,
    kind: str,
    actor: str,
    payload: dict[str, Any],
    *,
    loaded: tuple[ReviewRecord, Review] | None = None,
) -> Review:
    """`reviews.act` in the request's unit of work."""
    return await reviews.act(
        work.session,
        work.outbox,
        initiative_id,
        kind,
        actor,
        payload,
        clock=work.clock,
        campaigns=work.campaigns,
        loaded=loaded,
    )


def _public(record: ReviewRecord) -> ReviewItemPublic:
    status = InitiativeStatus(record.status)
    status_vi, status_en = LABELS[status]
    return ReviewItemPublic(
        **record.model_dump(
            include=set(ReviewItemPublic.model_fields) - {"initiative_id", "status"}
        ),
        initiative_id=str(record.initiative_id),
        field_vi=INITIATIVE_FIELDS.get(record.field, (record.field, record.field))[0],
        status=status,
        status_vi=status_vi,
        status_en=status_en,
        content_path=f"/api/v1/initiatives/{record.initiative_id}",
    )
