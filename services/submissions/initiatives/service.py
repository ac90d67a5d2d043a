"""What happens to an initiative: submitted, amended or withdrawn before review, and who
sees which."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from services.submissions.access import TreeScope, existing_unit
from services.submissions.campaigns.lifecycle import accepting_phase, campaign_definition
from services.submissions.initiatives.schemas import (
    AuthorIn,
    InitiativeCreate,
    InitiativePublic,
    InitiativeUpdate,
)
from services.submissions.initiatives.tables import Initiative, InitiativeAuthor
from services.submissions.units.tables import Unit
from shared.auth import Principal, Role, ensure_can_act_for_unit
from shared.contracts import InitiativeAmended, InitiativeSubmitted, InitiativeWithdrawn
from shared.contracts import InitiativeAuthor as AuthorContract
from shared.formatting import format_date
from shared.http.errors import ClientError
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox

SOURCE = "/thidua/submissions"
SUBMITTED, WITHDRAWN = "submitted", "withdrawn"


async def submit(
    session: AsyncSession, outbox: Outbox, body: InitiativeCreate, principal: Principal
) -> InitiativePublic:
    await _may_submit_for(session, principal, body)
    phase = await accepting_phase(session, body.campaign_code)
    campaign = await campaign_definition(session, body.campaign_code)
    if body.first_applied_on and not (
        campaign.period.starts_on <= body.first_applied_on <= campaign.period.ends_on
    ):
        raise ClientError(
            422,
            "first_applied_on",
            "outside_campaign",
            "Ngày áp dụng lần đầu phải trong thời gian của kế hoạch "
            f"({format_date(campaign.period.starts_on)} – {format_date(campaign.period.ends_on)})",
            "The date first applied must fall within the campaign "
            f"({campaign.period.starts_on} – {campaign.period.ends_on})",
        )
    now = datetime.now(UTC)
    initiative = Initiative(
        id=uuid4(),
        phase_code=phase.code,
        status=SUBMITTED,
        submitted_by=principal.subject,
        submitted_at=now,
        updated_at=now,
        **body.model_dump(exclude={"authors", "field"}),
        field=body.field.value,
    )
    authors = [
        InitiativeAuthor(initiative_id=initiative.id, **author.model_dump())
        for author in body.authors
    ]
    session.add(initiative)
    await session.flush()
    session.add_all(authors)
    await session.flush()
    await outbox.add(
        session,
        new_envelope(
            _submitted_event(initiative, authors), source=SOURCE, subject=str(initiative.id)
        ),
    )
    return public(initiative, authors)


async def amend(
    session: AsyncSession,
    outbox: Outbox,
    initiative_id: UUID,
    changes: InitiativeUpdate,
    principal: Principal,
) -> InitiativePublic:
    initiative, authors = await changeable(session, initiative_id, principal)
    values = changes.model_dump(exclude_unset=True, exclude={"authors"})
    if "field" in values and changes.field is not None:
        values["field"] = changes.field.value
    for name, value in values.items():
        setattr(initiative, name, value)
    if changes.authors is not None:
        for author in authors:
            await session.delete(author)
        await session.flush()
        authors = [
            InitiativeAuthor(initiative_id=initiative.id, **a.model_dump()) for a in changes.authors
        ]
        session.add_all(authors)
    initiative.updated_at = datetime.now(UTC)
    await session.flush()
    event = InitiativeAmended(**_submitted_event(initiative, authors).model_dump())
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(initiative.id)))
    return public(initiative, authors)


async def withdraw(
    session: AsyncSession, outbox: Outbox, initiative_id: UUID, principal: Principal
) -> InitiativePublic:
    initiative, authors = await changeable(session, initiative_id, principal)
    initiative.status, initiative.updated_at = WITHDRAWN, datetime.now(UTC)
    event = InitiativeWithdrawn(
        initiative_id=initiative.id,
        campaign_code=initiative.campaign_code,
        phase_code=initiative.phase_code,
        unit_code=initiative.unit_code,
        withdrawn_by=principal.subject,
        withdrawn_at=initiative.updated_at,
    )
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(initiative.id)))
    return public(initiative, authors)


async def visible(
    session: AsyncSession, principal: Principal, initiative_id: UUID
) -> tuple[Initiative, list[InitiativeAuthor]]:
    """The initiative if the principal may see it: an author, an officer over its unit, a
    reviewer or an admin. Anyone else gets a 404, so that ids do not reveal what exists."""
    initiative = await session.get(Initiative, initiative_id)
    authors = await _authors(session, initiative_id)
    if initiative is None or not await _may_see(session, principal, initiative, authors):
        raise ClientError(
            404, "initiative_id", "not_found", "Không tìm thấy sáng kiến", "Initiative not found"
        )
    return initiative, authors


def visible_query(principal: Principal, unit_path: str | None) -> SelectOfScalar[Initiative]:
    query = select(Initiative)
    if principal.is_federation_admin or principal.has_role(Role.REVIEWER):
        return query
    if principal.has_role(Role.UNIT_OFFICER) and unit_path is not None:
        return query.join(Unit, col(Unit.code) == col(Initiative.unit_code)).where(
            col(Unit.path).startswith(unit_path)
        )
    mine = select(InitiativeAuthor.initiative_id).where(
        InitiativeAuthor.member_id == principal.subject
    )
    return query.where(col(Initiative.id).in_(mine))


async def page(
    session: AsyncSession, query: SelectOfScalar[Initiative], limit: int, offset: int
) -> tuple[list[InitiativePublic], int]:
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        (
            await session.exec(
                query.order_by(col(Initiative.submitted_at).desc()).offset(offset).limit(limit)
            )
        ).all()
    )
    authors = await _authors_of(session, [row.id for row in rows])
    return [public(row, authors.get(row.id, [])) for row in rows], total


def public(initiative: Initiative, authors: list[InitiativeAuthor]) -> InitiativePublic:
    return InitiativePublic(
        **initiative.model_dump(),
        authors=[AuthorIn.model_validate(author, from_attributes=True) for author in authors],
    )


async def _may_submit_for(
    session: AsyncSession, principal: Principal, body: InitiativeCreate
) -> None:
    unit = await existing_unit(session, body.unit_code)
    if principal.is_federation_admin or principal.has_role(Role.UNIT_OFFICER):
        # An officer submits on members' behalf, for units in their subtree.
        await ensure_can_act_for_unit(principal, unit.code, TreeScope(session))
        return
    if principal.subject not in {a.member_id for a in body.authors}:
        raise ClientError(
            403,
            "authors",
            "not_an_author",
            "Đoàn viên chỉ nộp được sáng kiến mà mình là tác giả",
            "A member may only submit an initiative they are an author of",
        )
    # A member's initiative belongs to their own unit or a unit above it.
    if not await TreeScope(session)(principal.unit_code, within=unit.code):
        raise ClientError(
            403,
            "unit_code",
            "forbidden_unit",
            f"Bạn không thuộc đơn vị {unit.code}",
            f"You do not belong to unit {unit.code}",
        )


async def changeable(
    session: AsyncSession, initiative_id: UUID, principal: Principal
) -> tuple[Initiative, list[InitiativeAuthor]]:
    initiative, authors = await visible(session, principal, initiative_id)
    is_author = principal.subject in {a.member_id for a in authors}
    if not (is_author or initiative.submitted_by == principal.subject):
        await ensure_can_act_for_unit(principal, initiative.unit_code, TreeScope(session))
    if initiative.status != SUBMITTED:
        raise ClientError(
            409,
            "status",
            "not_changeable",
            "Sáng kiến đã rút, không thể thay đổi",
            "The initiative was withdrawn and cannot change",
        )
    # Review starts when its phase closes: until then the author may still change it.
    await accepting_phase(session, initiative.campaign_code, initiative.phase_code)
    return initiative, authors


async def _may_see(
    session: AsyncSession,
    principal: Principal,
    initiative: Initiative,
    authors: list[InitiativeAuthor],
) -> bool:
    if principal.is_federation_admin or principal.has_role(Role.REVIEWER):
        return True
    if principal.subject in {a.member_id for a in authors}:
        return True
    return principal.has_role(Role.UNIT_OFFICER) and await TreeScope(session)(
        initiative.unit_code, within=principal.unit_code
    )


async def _authors(session: AsyncSession, initiative_id: UUID) -> list[InitiativeAuthor]:
    return (await _authors_of(session, [initiative_id])).get(initiative_id, [])


async def _authors_of(session: AsyncSession, ids: list[UUID]) -> dict[UUID, list[InitiativeAuthor]]:
    rows = (
        await session.exec(
            select(InitiativeAuthor).where(col(InitiativeAuthor.initiative_id).in_(ids))
        )
    ).all()
    grouped: dict[UUID, list[InitiativeAuthor]] = {}
    for row in rows:
        grouped.setdefault(row.initiative_id, []).append(row)
    return grouped


def _submitted_event(
    initiative: Initiative, authors: list[InitiativeAuthor]
) -> InitiativeSubmitted:
    return InitiativeSubmitted(
        initiative_id=initiative.id,
        campaign_code=initiative.campaign_code,
        phase_code=initiative.phase_code,
        unit_code=initiative.unit_code,
        title=initiative.title,
        field=initiative.field,
        # A confidential initiative's authors stay inside submissions.
        authors=()
        if initiative.confidential
        else tuple(
            AuthorContract(
                member_id=a.member_id, full_name=a.full_name, share_percent=a.share_percent
            )
            for a in authors
        ),
        confidential=initiative.confidential,
        first_applied_on=initiative.first_applied_on,
        expected_benefit_vnd=initiative.expected_benefit_vnd,
        submitted_by=initiative.submitted_by,
        submitted_at=initiative.submitted_at,
    )
