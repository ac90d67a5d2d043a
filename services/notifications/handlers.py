"""How notifications reacts to each event: the state it keeps, and what a message about it
says (its scopes); rules.yaml decides who is told, with which template.

Each handler runs in the consumer's transaction, with the event's processed mark, so an
event delivered twice creates its messages once.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.domain.rules import Audience, load_rules
from services.notifications.queries import federation_admins, officers_of
from services.notifications.service.batch import begin, finish, lookups
from services.notifications.service.notifier import forward_to_subscribers, named, tell
from services.notifications.tables import (
    CampaignCopy,
    Contact,
    InitiativeTally,
    PhaseCopy,
    ReportFiled,
    UnitCopy,
)
from shared import contracts
from shared.campaign.model import ReportKind
from shared.clock import Clock
from shared.contracts.vocabulary import PhaseStatus, RecipientKind
from shared.messaging.cloudevents import Envelope
from shared.upsert import table_of, upsert


async def keep_unit(event: Envelope[contracts.UnitRecorded], session: AsyncSession) -> None:
    unit = event.data
    batch = lookups(session)
    if batch is not None:  # the run's later events name the unit as recorded now
        batch.unit_names[unit.code] = unit.name
    await upsert(
        session,
        UnitCopy,
        values={
            "code": unit.code,
            "name": unit.name,
            "parent_code": unit.parent_code,
            "level": unit.level,
            "path": unit.path,
        },
        key=["code"],
        on_conflict={
            "name": unit.name,
            "parent_code": unit.parent_code,
            "level": unit.level,
            "path": unit.path,
        },
    )


async def keep_phases(event: Envelope[contracts.CampaignPublished], session: AsyncSession) -> None:
    definition = event.data.definition
    batch = lookups(session)
    if batch is not None:  # the run's later events read the campaign as published now
        batch.forget_campaign(session, event.data.campaign_code)
    names = {m["code"]: m["name"] for m in definition.get("movements", [])}
    max_score = float(definition.get("initiative_review", {}).get("scale", {}).get("max", 10))
    await upsert(
        session,
        CampaignCopy,
        values={
            "code": event.data.campaign_code,
            "title": event.data.title,
            "review_max_score": max_score,
            "movement_names": names,
        },
        key=["code"],
        on_conflict={
            "title": event.data.title,
            "review_max_score": max_score,
            "movement_names": names,
        },
    )
    for phase in definition.get("phases", []):
        await upsert(
            session,
            PhaseCopy,
            values={
                "campaign_code": event.data.campaign_code,
                "phase_code": phase["code"],
                "name": phase["name"],
                "ends_on": _date(phase["ends_on"]),
                "report_due_on": _date(phase.get("report_due_on")),
                "status": PhaseStatus.planned,
            },
            key=["campaign_code", "phase_code"],
            on_conflict={
                "name": phase["name"],
                "ends_on": _date(phase["ends_on"]),
                "report_due_on": _date(phase.get("report_due_on")),
            },
        )


async def phase_opened(event: Envelope[contracts.PhaseOpened], session: AsyncSession) -> None:
    phase = await session.get(PhaseCopy, (event.data.campaign_code, event.data.phase_code))
    if phase is not None:
        phase.status = PhaseStatus.open


@dataclass(frozen=True)
class Scope:
    """One message's worth of an event: the unit it is about, the people it names (authors,
    an award's recipient) and the template's context. A rule picks the audience from it."""

    unit_code: str
    context: dict[str, Any]
    authors: tuple[str, ...] = ()
    recipient: str | None = None


class _AboutAnInitiative(Protocol):
    """What every event about one initiative carries, as told to its authors."""

    @property
    def unit_code(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def author_ids(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class _Named:
    """An initiative as an event that may not name it (an older producer's) names it."""

    unit_code: str
    title: str
    author_ids: tuple[str, ...]


async def _told_authors(
    session: AsyncSession, initiative: _AboutAnInitiative, context: dict[str, Any]
) -> list[Scope]:
    """One scope about an initiative, for its authors: its title and unit's name, and what
    else the message says."""
    return [
        Scope(
            initiative.unit_code,
            {
                "title": initiative.title,
                "unit_name": await _unit_name(session, initiative.unit_code),
                **context,
            },
            authors=initiative.author_ids,
        )
    ]


async def phase_closed(event: Envelope[contracts.PhaseClosed], session: AsyncSession) -> None:
    """No more reminders for the phase. Each unit hears its result from its standing, which
    scoring publishes at the close (`standing_published`): one ranking, the league's."""
    closed = event.data
    phase = await session.get(PhaseCopy, (closed.campaign_code, closed.phase_code))
    if phase is not None:
        phase.status = PhaseStatus.closed


async def standing_published(
    event: Envelope[contracts.StandingPublished], session: AsyncSession
) -> list[Scope]:
    """A unit's result at the phase's close, as scoring ranked it (the league table's rank)."""
    standing = event.data
    phase = await session.get(PhaseCopy, (standing.campaign_code, standing.phase_code))
    return [
        Scope(
            standing.unit_code,
            {
                "phase_name": phase.name if phase else standing.phase_code,
                "unit_name": standing.unit_name,
                "rank": standing.rank,
                "unit_count": standing.rank_of,
                "level": standing.level,
                "points": standing.points,
                "targets_met": len(standing.targets_met),
                "targets_count": len(standing.targets_met) + len(standing.targets_missed),
                "initiatives_count": standing.initiatives_submitted,
                "closed_at": standing.closed_at,
                "revision": standing.revision,
            },
        )
    ]


async def awards_awaiting(
    event: Envelope[contracts.AwardsAwaitingDecision], session: AsyncSession
) -> list[Scope]:
    """The federation's admins: how many proposals of a closed phase await their decision."""
    summary = event.data
    phase = await session.get(PhaseCopy, (summary.campaign_code, summary.phase_code))
    campaign = await _campaign(session, summary.campaign_code)
    return [
        Scope(
            "",  # about the federation: its admins are the audience
            {
                "phase_name": phase.name if phase else summary.phase_code,
                "campaign_title": campaign.title if campaign else summary.campaign_code,
                "awaiting": summary.awaiting,
                "proposed": summary.proposed,
                "withdrawn": summary.withdrawn,
                "at": summary.at,
            },
        )
    ]


async def report_filed(event: Envelope[contracts.ReportSubmitted], session: AsyncSession) -> None:
    report = event.data
    if (
        report.kind == ReportKind.result
        and await session.get(
            ReportFiled, (report.campaign_code, report.phase_code, report.unit_code)
        )
        is None
    ):
        session.add(
            ReportFiled(
                campaign_code=report.campaign_code,
                phase_code=report.phase_code,
                unit_code=report.unit_code,
            )
        )


async def initiative_received(
    event: Envelope[contracts.InitiativeSubmitted], session: AsyncSession
) -> list[Scope]:
    initiative = event.data
    batch = lookups(session)
    if batch is not None:
        await batch.load_contacts(session, initiative.author_ids)
    for author in initiative.authors:
        # Authors become contacts (inbox only) until an admin adds their email.
        known = (
            batch.contacts[author.member_id]
            if batch is not None
            else await session.get(Contact, author.member_id)
        )
        if known is None:
            known = Contact(
                person_id=author.member_id,
                full_name=author.full_name,
                unit_code=initiative.unit_code,
            )
            if batch is not None:
                batch.add_contact(known)
            else:
                session.add(known)
        elif known.full_name == known.person_id:  # met first in a decision: now we know them
            known.full_name = author.full_name
    if batch is not None:  # counted for the run, written with one upsert at its end
        key = (initiative.campaign_code, initiative.phase_code, initiative.unit_code)
        batch.tallies[key] += 1
    else:
        await session.flush()
        await upsert(
            session,
            InitiativeTally,
            values={
                "campaign_code": initiative.campaign_code,
                "phase_code": initiative.phase_code,
                "unit_code": initiative.unit_code,
                "submitted": 1,
            },
            key=["campaign_code", "phase_code", "unit_code"],
            on_conflict={"submitted": table_of(InitiativeTally).c.submitted + 1},
        )
    return await _told_authors(
        session,
        initiative,
        {
            # The campaign day it was received, not when it was keyed in.
            "submitted_at": initiative.received_day,
            "authors": [a.model_dump() for a in initiative.authors],
            "expected_benefit_vnd": initiative.expected_benefit_vnd,
        },
    )


async def initiative_amended(
    event: Envelope[contracts.InitiativeAmended], session: AsyncSession
) -> list[Scope]:
    """An amendment, or (round 2 and after) the resubmission of a returned initiative."""
    initiative = event.data
    # When it happened in the campaign; an older producer's event says only when it was
    # recorded (years after a simulated year's days).
    at = initiative.amended_at or event.time
    return await _told_authors(session, initiative, {"round": initiative.round, "at": at})


async def initiative_withdrawn(
    event: Envelope[contracts.InitiativeWithdrawn], session: AsyncSession
) -> list[Scope]:
    """Its authors are told it is out of the running, whoever withdrew it: the only word they
    had of a withdrawal that came as the council decided was the decision."""
    withdrawn = event.data
    if withdrawn.title is None or not withdrawn.author_ids:
        return []  # an older producer's: it names no one to tell
    return await _told_authors(
        session,
        _Named(withdrawn.unit_code, withdrawn.title, withdrawn.author_ids),
        {"withdrawn_at": withdrawn.withdrawn_at},
    )


async def initiative_under_review(
    event: Envelope[contracts.InitiativeCouncilAssigned], session: AsyncSession
) -> list[Scope]:
    seated = event.data
    return await _told_authors(
        session,
        seated,
        {"assigned_at": seated.assigned_at, "council_size": len(seated.reviewer_ids)},
    )


async def initiative_decided(
    event: Envelope[
        contracts.InitiativeReturned
        | contracts.InitiativeRecognised
        | contracts.InitiativeNotRecognised
    ],
    session: AsyncSession,
) -> list[Scope]:
    decision = event.data
    campaign = await _campaign(session, decision.campaign_code)
    return await _told_authors(
        session,
        decision,
        {
            "decided_at": decision.decided_at,
            "max_score": campaign.review_max_score if campaign else 10.0,
            "reason": getattr(decision, "reason", ""),
            "weighted_score": getattr(decision, "weighted_score", None),
            "votes_for": getattr(decision, "votes_for", None),
            "council_size": getattr(decision, "council_size", None),
        },
    )


async def registration_decided(
    event: Envelope[contracts.RegistrationApproved | contracts.RegistrationReturned],
    session: AsyncSession,
) -> list[Scope]:
    registration = event.data
    campaign = await _campaign(session, registration.campaign_code)
    phase = await session.get(PhaseCopy, (registration.campaign_code, registration.phase_code))
    names = campaign.movement_names if campaign else {}
    return [
        Scope(
            registration.unit_code,
            {
                "unit_name": await _unit_name(session, registration.unit_code),
                "phase_name": phase.name if phase else registration.phase_code,
                "at": registration.at,
                "movements": [names.get(code, code) for code in registration.movement_codes],
                "reason": getattr(registration, "reason", ""),
            },
        )
    ]


async def award_changed(
    event: Envelope[contracts.AwardGranted | contracts.AwardRevoked], session: AsyncSession
) -> list[Scope]:
    award = event.data
    return [
        Scope(
            award.unit_code,
            {
                "award_name": award.award_name,
                "recipient_name": award.recipient_name,
                "unit_name": await _unit_name(session, award.unit_code),
                "phase_code": award.phase_code,
                "at": award.at,
                "reasons": list(getattr(award, "reasons", ())),
                "reason": getattr(award, "reason", ""),
                "level": getattr(award, "level", ""),
            },
            recipient=award.recipient_id if award.recipient_kind == RecipientKind.member else None,
        )
    ]


async def notify_by_rules(
    event: Envelope[Any], session: AsyncSession, scopes: list[Scope], now: datetime
) -> None:
    """Each rule for the event tells its audience; a person hears of one event once."""
    told: set[str] = set()
    for rule in load_rules().for_event(event.type, event.data):
        for scope in scopes:
            people: list[Contact] = []
            if Audience.authors in rule.audience:
                people += await named(session, scope.authors, scope.unit_code)
            if Audience.recipient in rule.audience and scope.recipient:
                people += await named(session, [scope.recipient], scope.unit_code)
            if Audience.unit_officers in rule.audience:
                people += await officers_of(session, [scope.unit_code])
            if Audience.federation_admins in rule.audience:
                people += await federation_admins(session)
            fresh = [p for p in people if p.person_id not in told]
            told.update(p.person_id for p in fresh)
            if fresh:
                await tell(session, event, rule.template, fresh, scope.context, now)


def forwarding(clock: Clock, handler: Any = None) -> Any:
    """The handler (keeping state, and giving the scopes the rules tell people about),
    followed by forwarding the event to subscribed systems; on the campaign's `clock`."""

    async def handle(event: Envelope[Any], session: AsyncSession) -> None:
        scopes = await handler(event, session) if handler is not None else None
        now = clock.now()
        if scopes:
            await notify_by_rules(event, session, scopes, now)
        await forward_to_subscribers(session, event, now)

    return handle


def forwarding_batch(clock: Clock, reactions: Mapping[str, Any]) -> Any:
    """A run of events (of any types), each applied as `forwarding` applies it, in order, with
    the lookups made once for the run (service.batch) and its rows written together at its
    end. `reactions`: the handler of each event type."""
    handlers = {kind: forwarding(clock, handler) for kind, handler in reactions.items()}

    async def handle_batch(events: Sequence[Envelope[Any]], session: AsyncSession) -> None:
        batch = await begin(session, events)
        try:
            for event in events:
                await handlers[event.type](event, session)
        finally:
            session.info.pop("notifications.batch", None)
        await finish(session, batch)

    return handle_batch


async def _campaign(session: AsyncSession, code: str) -> CampaignCopy | None:
    batch = lookups(session)
    if batch is not None:  # held for the run (the session's identity map lets it go)
        return await batch.campaign(session, code)
    return await session.get(CampaignCopy, code)


async def _unit_name(session: AsyncSession, code: str) -> str:
    batch = lookups(session)
    if batch is not None:
        return await batch.unit_name(session, code)
    unit = await session.get(UnitCopy, code)
    return unit.name if unit else code


def _date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value
