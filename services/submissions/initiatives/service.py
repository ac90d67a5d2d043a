"""What happens to an initiative here: submitted, amended (or resubmitted after a return),
withdrawn; who sees it, and who reads its content."""

from datetime import date
from uuid import UUID, uuid4

from pydantic import ValidationError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from services.submissions.access import PathScope, TreeScope, known_units
from services.submissions.campaigns.service import (
    accepting_phase,
    accepting_phase_of,
    campaign_definition,
)
from services.submissions.campaigns.tables import PhaseRecord
from services.submissions.initiatives.rules import (
    Window,
    check_changeable,
    check_dates,
    default_received_on,
    may_read_content,
)
from services.submissions.initiatives.schemas import (
    AuthorIn,
    InitiativeCreate,
    InitiativePublic,
    InitiativeUpdate,
)
from services.submissions.initiatives.tables import Initiative, InitiativeAuthor
from services.submissions.source import SOURCE
from services.submissions.units.service import unit_paths
from services.submissions.units.tables import Unit
from shared.auth import Principal, Role, UnitScope, ensure_can_act_for_unit
from shared.campaign.cache import CampaignCache
from shared.campaign.model import Campaign
from shared.clock import Clock, today
from shared.contracts import InitiativeAmended, InitiativeSubmitted, InitiativeWithdrawn
from shared.contracts import InitiativeAuthor as AuthorContract
from shared.contracts.initiative_parts import CONTENT_PARTS
from shared.contracts.lifecycle import LABELS, InitiativeStatus
from shared.http.errors import refusal_from
from shared.http.paging import Page, counted
from shared.messaging.cloudevents import new_envelope
from shared.messaging.outbox import Outbox
from shared.refusals import Kind, Refusal
from shared.unit_tree import within_where


async def submit(
    session: AsyncSession,
    outbox: Outbox,
    body: InitiativeCreate,
    principal: Principal,
    clock: Clock,
    campaigns: CampaignCache,
) -> InitiativePublic:
    """Store it and its `initiative submitted` event (in the caller's transaction). Three
    reads before the writes: the units it names, the campaign's phases (with the version of
    its file, validated once per process in `campaigns`), and the file itself only when this
    process has not validated that version yet."""
    await _may_submit_for(session, principal, body)
    phase, campaign = await accepting_phase_of(session, campaigns, body.campaign_code)
    received_on = body.received_on or default_received_on(today(clock), _window(phase))
    _check_dates(body, received_on, phase, clock, campaign)
    now = clock.now()
    initiative = Initiative(
        id=uuid4(),
        phase_code=phase.code,
        status=InitiativeStatus.submitted,
        round=1,
        received_on=received_on,
        council=[],
        submitted_by=principal.subject,
        submitted_at=now,
        updated_at=now,
        **body.model_dump(exclude={"authors", "field", "received_on"}),
        field=body.field.value,
    )
    authors = [
        InitiativeAuthor(initiative_id=initiative.id, position=position, **author.model_dump())
        for position, author in enumerate(body.authors)
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
    return public(initiative, authors, content=True)


async def amend(
    session: AsyncSession,
    outbox: Outbox,
    initiative_id: UUID,
    changes: InitiativeUpdate,
    principal: Principal,
    clock: Clock,
    campaigns: CampaignCache | None = None,
) -> InitiativePublic:
    """Amend it while no council sits on it; amending a returned one resubmits it for the
    next round. The result passes exactly the checks of a submission."""
    initiative, authors = await changeable(session, initiative_id, principal)
    stored = InitiativeCreate.model_validate(
        {
            # The submitted fields of the row (a request body refuses the others: its id, state).
            **initiative.model_dump(include=set(InitiativeCreate.model_fields)),
            "authors": [AuthorIn.model_validate(a, from_attributes=True) for a in authors],
        }
    ).model_dump()
    try:
        amended = InitiativeCreate.model_validate(
            {**stored, **changes.model_dump(exclude_unset=True)}
        )
    except ValidationError as error:
        raise refusal_from(error) from error
    if "authors" in changes.model_fields_set:
        await _may_name_authors(session, principal, initiative.unit_code, authors, amended)
    if amended.model_dump() == stored and initiative.status != InitiativeStatus.returned:
        # Nothing changes: nothing is announced. A PATCH sent again after its answer was lost
        # (a client's retry) published a second amendment, and told the authors twice.
        return public(initiative, authors, content=True)
    phase = await session.get(PhaseRecord, (initiative.campaign_code, initiative.phase_code))
    assert phase is not None  # an initiative is only ever stored in a phase of its campaign
    received_on = amended.received_on or initiative.received_on
    campaign = await campaign_definition(session, amended.campaign_code, campaigns)
    _check_dates(amended, received_on, phase, clock, campaign)
    for name, value in amended.model_dump(exclude={"authors", "field", "received_on"}).items():
        setattr(initiative, name, value)
    initiative.field, initiative.received_on = amended.field.value, received_on
    if "authors" in changes.model_fields_set:
        for author in authors:
            await session.delete(author)
        await session.flush()
        authors = [
            InitiativeAuthor(initiative_id=initiative.id, position=position, **a.model_dump())
            for position, a in enumerate(amended.authors)
        ]
        session.add_all(authors)
    if initiative.status == InitiativeStatus.returned:
        # Completed as the council asked: back to review, as the next round.
        initiative.round += 1
        initiative.status = InitiativeStatus.resubmitted
        # The round's return is behind it: no reason, council or decision day of it shows.
        initiative.return_reason, initiative.council, initiative.decided_on = None, [], None
    initiative.updated_at = clock.now()
    await session.flush()
    event = InitiativeAmended(
        **_submitted_event(initiative, authors).model_dump(), amended_at=initiative.updated_at
    )
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(initiative.id)))
    return public(initiative, authors, content=True)


async def withdraw(
    session: AsyncSession,
    outbox: Outbox,
    initiative_id: UUID,
    principal: Principal,
    clock: Clock,
) -> InitiativePublic:
    initiative, authors = await changeable(session, initiative_id, principal)
    initiative.status, initiative.updated_at = InitiativeStatus.withdrawn, clock.now()
    event = InitiativeWithdrawn.of(
        initiative,
        initiative_id=initiative.id,
        withdrawn_by=principal.subject,
        withdrawn_at=initiative.updated_at,
        author_ids=tuple(author.member_id for author in authors),
    )
    await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(initiative.id)))
    return public(initiative, authors, content=True)


async def visible(
    session: AsyncSession, principal: Principal, initiative_id: UUID, *, for_update: bool = False
) -> tuple[Initiative, list[InitiativeAuthor]]:
    """The initiative if the principal may see it: an author, an officer over its unit, a
    reviewer or an admin. Anyone else gets a 404, so that ids do not reveal what exists.
    `for_update` locks its row until the transaction ends."""
    initiative = await session.get(Initiative, initiative_id, with_for_update=for_update)
    authors = await _authors(session, initiative_id)
    if initiative is None or not await _may_see(session, principal, initiative, authors):
        raise Refusal(
            Kind.not_found,
            "initiative_id",
            "not_found",
            "Không tìm thấy sáng kiến",
            "Initiative not found",
        )
    return initiative, authors


async def readable(
    session: AsyncSession,
    principal: Principal,
    initiative: Initiative,
    authors: list[InitiativeAuthor],
    scope: UnitScope | None = None,
) -> bool:
    """Whether the principal reads this initiative's content (rules.may_read_content);
    `scope`: the unit tree as already read (a page's units), else asked of the table."""
    return may_read_content(
        principal,
        confidential=initiative.confidential,
        is_author=principal.subject in {a.member_id for a in authors},
        officer_over_unit=await _officer_over(
            scope or TreeScope(session), principal, initiative.unit_code
        ),
        council=initiative.council,
    )


def visible_query(principal: Principal, unit_path: str | None) -> SelectOfScalar[Initiative]:
    query = select(Initiative)
    if principal.is_federation_admin or principal.has_role(Role.REVIEWER):
        return query
    if principal.has_role(Role.UNIT_OFFICER) and unit_path is not None:
        return query.join(Unit, col(Unit.code) == col(Initiative.unit_code)).where(
            within_where(col(Unit.path), unit_path)
        )
    mine = select(InitiativeAuthor.initiative_id).where(
        InitiativeAuthor.member_id == principal.subject
    )
    return query.where(col(Initiative.id).in_(mine))


async def page(
    session: AsyncSession,
    principal: Principal,
    query: SelectOfScalar[Initiative],
    asked: Page,
) -> tuple[list[InitiativePublic], int]:
    """The page asked for of the initiatives `query` finds, newest first, as `principal` may
    read them, and how many it finds in all."""
    rows, total = await counted(session, query, col(Initiative.submitted_at).desc(), asked)
    authors = await _authors_of(session, [row.id for row in rows])
    # The page's units and the officer's, read once: a query per row made an officer's list
    # of 200 seven times slower than an admin's, and under load it held the connections.
    scope = None
    if principal.has_role(Role.UNIT_OFFICER):
        codes = {principal.unit_code, *(row.unit_code for row in rows)}
        scope = PathScope(await unit_paths(session, codes))
    items = []
    for row in rows:
        mine = authors.get(row.id, [])
        content = await readable(session, principal, row, mine, scope)
        items.append(public(row, mine, content=content))
    return items, total


def public(
    initiative: Initiative, authors: list[InitiativeAuthor], *, content: bool
) -> InitiativePublic:
    """What the API shows; without the content when `content` is False."""
    status = InitiativeStatus(initiative.status)
    vietnamese, english = LABELS[status]
    shown = initiative.model_dump(exclude={"status", "council"})
    if not content:
        shown.update(dict.fromkeys(CONTENT_PARTS))
    return InitiativePublic(
        **shown,
        content_withheld=not content,
        status=status,
        status_vi=vietnamese,
        status_en=english,
        authors=[AuthorIn.model_validate(author, from_attributes=True) for author in authors],
    )


def _window(phase: PhaseRecord) -> Window:
    return Window(phase.starts_on, phase.ends_on)


def _check_dates(
    body: InitiativeCreate,
    received_on: date,
    phase: PhaseRecord,
    clock: Clock,
    campaign: Campaign,
) -> None:
    check_dates(
        received_on=received_on,
        first_applied_on=body.first_applied_on,
        today=today(clock),
        campaign=Window(campaign.period.starts_on, campaign.period.ends_on),
        phase=_window(phase),
    )


def _ensure_an_author(principal: Principal, body: InitiativeCreate, vi: str, en: str) -> None:
    """A member acts on initiatives of their own only (an officer acts for members)."""
    if principal.subject not in {a.member_id for a in body.authors}:
        raise Refusal(Kind.forbidden, "authors", "not_an_author", vi, en)


async def _may_name_authors(
    session: AsyncSession,
    principal: Principal,
    unit_code: str,
    authors: list[InitiativeAuthor],
    amended: InitiativeCreate,
) -> None:
    """Who may change an initiative's authors: an admin, or an officer over its unit, acting
    for members, names any; anyone else (an author, an officer who is an author elsewhere) may
    add co-authors and change shares, but take no one off: an initiative is then never handed
    away, nor anyone dropped from their own, without an officer (a black-box round handed a
    member's initiative to another person by PATCH, and a review a co-author dropping its
    submitter)."""
    if principal.is_federation_admin or await _officer_over(
        TreeScope(session), principal, unit_code
    ):
        return
    kept = {a.member_id for a in amended.authors}
    dropped = [a.full_name for a in authors if a.member_id not in kept]
    if dropped:
        raise Refusal(
            Kind.forbidden,
            "authors",
            "author_removed",
            f"Chỉ cán bộ công đoàn của đơn vị mới bỏ được tác giả khỏi sáng kiến: "
            f"{', '.join(dropped)}",
            f"Only an officer of the unit may take an author off an initiative: "
            f"{', '.join(dropped)}",
        )
    _ensure_an_author(
        principal,
        amended,
        "Đoàn viên chỉ sửa được sáng kiến mà mình là tác giả",
        "A member may only amend an initiative they are an author of",
    )


async def _may_submit_for(
    session: AsyncSession, principal: Principal, body: InitiativeCreate
) -> None:
    # The unit and the principal's own, in one query: every question below is answered
    # from their paths.
    scope = await known_units(session, body.unit_code, [principal.unit_code])
    unit_code = body.unit_code
    if principal.is_federation_admin or principal.has_role(Role.UNIT_OFFICER):
        # An officer submits on members' behalf, for units in their subtree.
        await ensure_can_act_for_unit(principal, unit_code, scope)
        return
    _ensure_an_author(
        principal,
        body,
        "Đoàn viên chỉ nộp được sáng kiến mà mình là tác giả",
        "A member may only submit an initiative they are an author of",
    )
    # A member's initiative belongs to their own unit or a unit above it.
    if not await scope(principal.unit_code, within=unit_code):
        raise Refusal(
            Kind.forbidden,
            "unit_code",
            "forbidden_unit",
            f"Bạn không thuộc đơn vị {unit_code}",
            f"You do not belong to unit {unit_code}",
        )


async def changeable(
    session: AsyncSession, initiative_id: UUID, principal: Principal
) -> tuple[Initiative, list[InitiativeAuthor]]:
    """The initiative if the principal may change it now: an author, its submitter or an
    officer over its unit, while no council sits on it (rules.check_changeable)."""
    # Locked: the council's seating, applied by the consumer meanwhile, waits for this change
    # (and is then applied to it), or this change sees the council and is refused.
    initiative, authors = await visible(session, principal, initiative_id, for_update=True)
    is_author = principal.subject in {a.member_id for a in authors}
    if not (is_author or initiative.submitted_by == principal.subject):
        await ensure_can_act_for_unit(principal, initiative.unit_code, TreeScope(session))
    check_changeable(initiative.status)
    if initiative.round == 1 and initiative.status == InitiativeStatus.submitted:
        # A first submission changes while its phase takes entries; a returned one may be
        # completed after the close, since councils mostly sit then.
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
    return await _officer_over(TreeScope(session), principal, initiative.unit_code)


async def _officer_over(scope: UnitScope, principal: Principal, unit_code: str) -> bool:
    return principal.has_role(Role.UNIT_OFFICER) and await scope(
        unit_code, within=principal.unit_code
    )


async def _authors(session: AsyncSession, initiative_id: UUID) -> list[InitiativeAuthor]:
    return (await _authors_of(session, [initiative_id])).get(initiative_id, [])


async def _authors_of(session: AsyncSession, ids: list[UUID]) -> dict[UUID, list[InitiativeAuthor]]:
    rows = (
        await session.exec(
            select(InitiativeAuthor)
            .where(col(InitiativeAuthor.initiative_id).in_(ids))
            .order_by(col(InitiativeAuthor.position), col(InitiativeAuthor.member_id))
        )
    ).all()
    grouped: dict[UUID, list[InitiativeAuthor]] = {}
    for row in rows:
        grouped.setdefault(row.initiative_id, []).append(row)
    return grouped


def _submitted_event(
    initiative: Initiative, authors: list[InitiativeAuthor]
) -> InitiativeSubmitted:
    # No content (problem, solution, novelty) in any event; authors in every one, a
    # confidential initiative's too, so that they are told and rewarded.
    return InitiativeSubmitted.of(
        initiative,
        initiative_id=initiative.id,
        authors=tuple(AuthorContract.model_validate(a, from_attributes=True) for a in authors),
    )
