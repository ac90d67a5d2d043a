"""From the stored facts to target progress, and to the standings and award proposals when a
phase closes.

A phase's standings and awards are computed from what happened before it closed (each fact's
own time), not from what had arrived by then: an event that was in flight at the close,
delivered late, makes scoring compute the phase again. New proposals are added and proposals
that no longer qualify are withdrawn, so the result is the one every event arriving in order
gives; an admin's decision (confirmed, rejected, revoked) stands. The standings are published
once per unit (`standing.published.v1`), again only for a unit whose standing changed. The
federation's admins learn how many proposals await their decision
(`awards.awaiting_decision.v1`) at the close and whenever late data changed the proposals.
"""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.domain.awards import PriorAward, Ranking, propose_awards, rank_units
from services.scoring.domain.facts import PhaseFacts
from services.scoring.domain.targets import TargetProgress, evaluate_targets
from services.scoring.source import SOURCE
from services.scoring.tables import (
    Award,
    CampaignCopy,
    ClosedPhase,
    FactEvent,
    PublishedStanding,
)
from shared.campaign.cache import CampaignCache
from shared.campaign.model import Campaign
from shared.clock import Clock
from shared.contracts import (
    EVENT_TYPES,
    AwardGranted,
    AwardRejected,
    AwardRevoked,
    AwardsAwaitingDecision,
    EventData,
    StandingPublished,
    UnitRecorded,
)
from shared.contracts.vocabulary import AWARDS_ANNOUNCED, AwardStatus
from shared.messaging.cloudevents import Envelope, new_envelope, stable_id
from shared.messaging.failures import Refused
from shared.messaging.outbox import Outbox
from shared.upsert import dialect_insert

SUPERSEDED = (
    "Đề xuất được tính lại khi nhận đủ số liệu của đợt / recomputed with the phase's full data"
)


_STALE = "scoring.stale_closes"  # session.info key: closed phases a unit of work made stale


async def record_fact(session: AsyncSession, event: Envelope[Any]) -> None:
    """Keep the event in the fact set (a repeat of one event id changes nothing); if it
    happened before a phase that has already closed, that phase is computed again, once for
    the whole unit of work, by `recompute_stale` before it commits (a consumed batch's
    `before_commit`; a route's use case calls it itself). A rebuild replays thousands of
    facts that arrive after their phase's close; one recomputation per fact made it
    quadratic."""
    await record_facts(session, [event])


async def record_facts(session: AsyncSession, events: Sequence[Envelope[Any]]) -> None:
    """`record_fact` for a run of events, set-based: one multi-row upsert for their facts
    and one look at the closed phases (a handful of rows) for those they make stale. Leaves
    what recording each in turn leaves: the facts are a set by event id (the last payload
    of an id wins, as one upsert after another gives), and staleness is per fact."""
    if not events:
        return
    rows: dict[Any, dict[str, Any]] = {}
    for event in events:
        data = event.data.model_dump(mode="json")
        rows[event.id] = {
            "event_id": event.id,
            "campaign_code": data.get("campaign_code"),
            "event_type": event.type,
            "payload": data,
            "occurred_at": event.time,
        }
    insert = dialect_insert(session, FactEvent)
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["event_id"], set_={"payload": insert.excluded.payload}
        ),
        list(rows.values()),
    )
    # A closed phase is stale when any fact of its campaign (or of none: a unit) happened
    # before its close, that is when the earliest such fact did: one query per campaign
    # code of the run (one or two).
    earliest: dict[str | None, datetime] = {}
    for row in rows.values():
        code = row["campaign_code"] or None
        earliest[code] = min(earliest.get(code, row["occurred_at"]), row["occurred_at"])
    for code, time in earliest.items():
        query = select(ClosedPhase).where(col(ClosedPhase.closed_at) >= time)
        if code:
            query = query.where(ClosedPhase.campaign_code == code)
        for closed in (await session.exec(query)).all():
            session.info.setdefault(_STALE, set()).add((closed.campaign_code, closed.phase_code))


async def recompute_stale(
    session: AsyncSession,
    outbox: Outbox,
    campaigns: CampaignCache | None = None,
    *,
    clock: Clock,
) -> None:
    """Compute once each closed phase the unit of work's late facts made stale."""
    for key in sorted(session.info.pop(_STALE, set())):
        closed = await locked_phase(session, *key)
        if closed is not None:
            await propose(session, outbox, closed, campaigns=campaigns, clock=clock)


async def locked_phase(
    session: AsyncSession, campaign_code: str, phase_code: str
) -> ClosedPhase | None:
    """The phase's close, locked until the transaction ends; None if it has not closed. Who
    changes the phase's awards takes it first: a computation of the close (late data) and an
    admin's decision then go one after the other, each reading what the other left. Without
    it a computation that had read a proposal withdrew it over its confirmation (a confirmed
    award left 'withdrawn', a second award proposed for the achievement), and two awards of one
    achievement confirmed at once each found the other unconfirmed and both were granted."""
    return await session.get(ClosedPhase, (campaign_code, phase_code), with_for_update=True)


# Refused as well as LookupErrors: in an event (a phase closed of a campaign never published
# or of a phase it does not have) they are the data's fault, parked at once with this text as
# the reason; the campaign's events share its partition, so nothing later would bring what is
# missing. As LookupErrors they were judged unknown: tried three times, the consumer pausing.


class UnknownCampaign(Refused, LookupError):
    """Scoring has not received the campaign (its `campaign.published` event)."""

    def __init__(self, campaign_code: str) -> None:
        super().__init__(
            f"campaign {campaign_code}: scoring has received no campaign.published for it"
        )
        self.campaign_code = campaign_code


class UnknownPhase(Refused, LookupError):
    """The campaign has no phase of that code."""

    def __init__(self, campaign_code: str, phase_code: str) -> None:
        super().__init__(f"campaign {campaign_code} has no phase {phase_code!r}")
        self.campaign_code, self.phase_code = campaign_code, phase_code


async def campaign(
    session: AsyncSession, campaign_code: str, campaigns: CampaignCache | None = None
) -> Campaign:
    """The campaign as published; validated once per content in this process when given
    the service's `campaigns` (scoring's copy keeps no version column: the file it read is
    compared with the one validated)."""
    copy = await session.get(CampaignCopy, campaign_code)
    if copy is None:
        raise UnknownCampaign(campaign_code)
    return validated(campaign_code, copy.definition, campaigns)


def validated(
    campaign_code: str, definition: dict[str, Any], campaigns: CampaignCache | None
) -> Campaign:
    if campaigns is None:
        return Campaign.model_validate(definition)
    return campaigns.of(campaign_code, definition)


async def phase_facts(
    session: AsyncSession, plan: Campaign, phase_code: str, until: datetime | None = None
) -> PhaseFacts:
    if phase_code not in {p.code for p in plan.phases}:
        raise UnknownPhase(plan.code, phase_code)
    query = select(FactEvent).where(
        (col(FactEvent.campaign_code) == plan.code)
        | col(FactEvent.campaign_code).is_(None)  # units belong to every campaign
    )
    if until is not None:
        query = query.where(col(FactEvent.occurred_at) <= until)
    return PhaseFacts.from_events(plan, phase_code, _events((await session.exec(query)).all()))


async def progress(
    session: AsyncSession,
    campaign_code: str,
    phase_code: str,
    today: date,
    campaigns: CampaignCache | None = None,
) -> TargetProgress:
    plan = await campaign(session, campaign_code, campaigns)
    return evaluate_targets(plan, await phase_facts(session, plan, phase_code), today=today)


async def close(
    session: AsyncSession,
    outbox: Outbox,
    campaign_code: str,
    phase_code: str,
    closed_at: datetime,
    campaigns: CampaignCache | None = None,
    *,
    as_of: datetime,
    closed_on: date,
    clock: Clock,
) -> list[Award]:
    """The phase is closed: what was recorded before `closed_at` (its event's recording time)
    counts, its awards are proposed as of `as_of` (the close on the campaign's clock), and its
    rules judged on `closed_on` (the campaign day it closed)."""
    closed = await locked_phase(session, campaign_code, phase_code)
    first = closed is None
    if closed is None:
        closed = ClosedPhase(
            campaign_code=campaign_code,
            phase_code=phase_code,
            closed_at=closed_at,
            campaign_closed_at=as_of,
            closed_on=closed_on,
        )
        session.add(closed)
        await session.flush()
    return await propose(session, outbox, closed, announce=first, campaigns=campaigns, clock=clock)


async def propose(
    session: AsyncSession,
    outbox: Outbox,
    closed: ClosedPhase,
    *,
    announce: bool = False,
    campaigns: CampaignCache | None = None,
    clock: Clock,
) -> list[Award]:
    """Rank the units and propose the phase's awards from what happened before its close.
    Ids derive from campaign, phase, rule and recipient, so computing again adds only what
    changed. The admins are told what awaits them when `announce` (the close) or when the
    proposals changed."""
    plan = await campaign(session, closed.campaign_code, campaigns)
    facts = await phase_facts(session, plan, closed.phase_code, until=closed.closed_at)
    # The rules are judged on the day the phase closed in the campaign: a simulated year's
    # recording times are years after its days (every report would have been overdue).
    today = closed.judged_on
    ranking = rank_units(plan, facts, today=today)
    # On the campaign's clock, as an admin's decisions are: who keeps the newest decision of
    # an award (reporting) compares these times with theirs. A proposal at the recording
    # time (years after a simulated year's confirmation) hid every confirmation there.
    now = clock.now()
    await publish_standings(session, outbox, closed, facts, ranking, now)
    mine = {
        a.id: a
        for a in (
            await session.exec(
                select(Award).where(
                    Award.campaign_code == closed.campaign_code,
                    Award.phase_code == closed.phase_code,
                )
            )
        ).all()
    }
    decided = [prior(a) for a in mine.values() if a.status in AWARDS_ANNOUNCED]
    proposals = propose_awards(
        plan, closed.phase_code, facts, decided, today=today, ranking=ranking
    )
    created = []
    for proposal in proposals:
        award = mine.get(proposal.award_id)
        if award is not None and award.status != AwardStatus.withdrawn:
            continue  # proposed already, or decided: the decision stands
        # A proposal is made as of the close; one proposed again after its withdrawal, now
        # (after the withdrawal, for those who keep the newest state).
        grant = proposal.to_event(closed.as_of if award is None else now)
        # Its event id as before the campaign's close time was kept (the recording time): a
        # scoring rebuilt from the events publishes the same proposal under the same id.
        proposed_at = closed.closed_at if award is None else now
        if award is None:
            award = Award(
                id=grant.award_id,
                campaign_code=grant.campaign_code,
                phase_code=grant.phase_code,
                status=AwardStatus.proposed,
                grant=grant.model_dump(mode="json"),
            )
            session.add(award)
            mine[award.id] = award
        else:  # withdrawn by an earlier computation, and wanted again
            award.status, award.revoke_reason = AwardStatus.proposed, None
            award.grant = grant.model_dump(mode="json")
        created.append(award)
        # Proposed as of the close (or of a re-proposal): the same proposal computed again
        # by a rebuilt scoring keeps its event id.
        event_id = stable_id("proposed", grant.award_id, proposed_at.isoformat())
        await outbox.add(
            session,
            new_envelope(grant, source=SOURCE, subject=str(grant.award_id), event_id=event_id),
        )
    wanted = {p.award_id for p in proposals}
    withdrawn = 0
    for award in mine.values():
        # A decision is the admin's: only a proposal is withdrawn.
        if award.status == AwardStatus.proposed and award.id not in wanted:
            award.status, award.revoke_reason = AwardStatus.withdrawn, SUPERSEDED
            withdrawn += 1
            event = revoked(award, SUPERSEDED, now, status=AwardStatus.withdrawn)
            await outbox.add(session, new_envelope(event, source=SOURCE, subject=str(award.id)))
    if announce or created or withdrawn:
        awaiting = [
            p.award_id for p in proposals if mine[p.award_id].status == AwardStatus.proposed
        ]
        summary = AwardsAwaitingDecision(
            campaign_code=closed.campaign_code,
            phase_code=closed.phase_code,
            awaiting=len(awaiting),
            proposed=len(created),
            withdrawn=withdrawn,
            award_ids=tuple(awaiting),
            at=now,
        )
        # The admins are told of one set of waiting proposals once, however often computed.
        event_id = stable_id(
            "awaiting", closed.campaign_code, closed.phase_code, len(created), withdrawn, *awaiting
        )
        await outbox.add(
            session,
            new_envelope(summary, source=SOURCE, subject=closed.campaign_code, event_id=event_id),
        )
    return created


async def publish_standings(
    session: AsyncSession,
    outbox: Outbox,
    closed: ClosedPhase,
    facts: PhaseFacts,
    ranking: Ranking,
    now: datetime,
) -> None:
    """Every unit's standing at the close, published once; again (next revision) only when
    late data changed it."""
    key = (closed.campaign_code, closed.phase_code)
    stored = {
        row.unit_code: row
        for row in (
            await session.exec(
                select(PublishedStanding).where(
                    PublishedStanding.campaign_code == key[0],
                    PublishedStanding.phase_code == key[1],
                )
            )
        ).all()
    }
    for code, points in ranking.points.items():
        unit, standing = facts.unit_facts[code], ranking.standings[code]
        figures: dict[str, Any] = {
            "campaign_code": key[0],
            "phase_code": key[1],
            "unit_code": code,
            "unit_name": unit.name,
            "level": unit.level,
            "path": unit.path,
            "rank": points.level_rank.rank,
            "rank_of": points.level_rank.of,
            "points": int(points.points),
            "targets_met": list(points.targets_met),
            "targets_missed": {str(n): why for n, why in sorted(standing.missed.items())},
            "initiatives_submitted": standing.initiatives_submitted,
            "initiatives_recognised": standing.initiatives_recognised,
            "benefit_vnd": standing.benefit_vnd,
            "overdue_cases": standing.overdue_cases,
        }
        row = stored.get(code)
        if row is not None and row.figures == figures:
            continue
        if row is None:
            row = PublishedStanding(
                campaign_code=key[0],
                phase_code=key[1],
                unit_code=code,
                revision=1,
                figures=figures,
                published_at=now,
            )
            session.add(row)
        else:
            row.revision, row.figures, row.published_at = row.revision + 1, figures, now
        # The reasons in English travel beside the Vietnamese, from the same values; they
        # are not among the figures a revision compares, which they only say again.
        english = {str(n): why for n, why in sorted(standing.missed_en.items())}
        event = StandingPublished(
            **figures,
            targets_missed_en=english,
            closed_at=closed.as_of,
            revision=row.revision,
            computed_at=now,
        )
        subject = f"{key[0]}/{key[1]}/{code}"
        # The nth standing of a unit at a close is one fact: a rebuilt scoring publishing it
        # again does not tell the unit's officers twice.
        event_id = stable_id("standing", subject, row.revision)
        await outbox.add(
            session, new_envelope(event, source=SOURCE, subject=subject, event_id=event_id)
        )


def prior(award: Award) -> PriorAward:
    grant = award.grant
    return PriorAward(
        award.id,
        award.campaign_code,
        award.phase_code,
        grant["recipient_kind"],
        grant["recipient_id"],
        rule_code=grant.get("rule_code"),
        unit_code=grant.get("unit_code"),
        decided=award.status in AWARDS_ANNOUNCED,
    )


def confirmed(award: Award, by: str, at: datetime) -> AwardGranted:
    award.status, award.decided_by, award.decided_at = AwardStatus.confirmed, by, at
    award.confirmed_by, award.confirmed_at = by, at
    return AwardGranted.model_validate(
        award.grant | {"status": AwardStatus.confirmed, "at": at, "decided_by": by}
    )


def rejected(award: Award, reason: str, by: str, at: datetime) -> AwardRejected:
    award.status, award.reject_reason = AwardStatus.rejected, reason
    award.decided_by, award.decided_at = by, at
    grant = award.grant
    return AwardRejected(
        **_named(award),
        award_type=grant["award_type"],
        level=grant["level"],
        reason=reason,
        rejected_by=by,
        at=at,
    )


def revoked(
    award: Award,
    reason: str,
    at: datetime,
    *,
    status: str = AwardStatus.revoked,
    by: str | None = None,
) -> AwardRevoked:
    return AwardRevoked(**_named(award), reason=reason, at=at, status=status, revoked_by=by)


def _named(award: Award) -> dict[str, Any]:
    """What an event on a decided award says of it: which award, and whose."""
    grant = award.grant
    return {
        "award_id": award.id,
        "campaign_code": award.campaign_code,
        "phase_code": award.phase_code,
        "award_name": grant["award_name"],
        "recipient_kind": grant["recipient_kind"],
        "recipient_id": grant["recipient_id"],
        "recipient_name": grant["recipient_name"],
        "unit_code": grant["unit_code"],
    }


def current_units(rows: Sequence[FactEvent]) -> list[FactEvent]:
    """`rows` with each unit's `unit recorded` events but the latest left out: the latest by
    when it happened (the event's time, whatever order it arrived in; then its id, so that two
    at one instant give every reader the same one). UnitRecorded carries no version, and its
    facts took the greatest record by content: a unit renamed to a name that sorts lower kept
    its old name in the awards, the decision and the certificates."""
    latest: dict[str, FactEvent] = {}
    others: list[FactEvent] = []
    for row in rows:
        if row.event_type != UnitRecorded.event_type:
            others.append(row)
            continue
        code = str(row.payload.get("code"))
        seen = latest.get(code)
        if seen is None or (row.occurred_at, str(row.event_id)) > (
            seen.occurred_at,
            str(seen.event_id),
        ):
            latest[code] = row
    return [*others, *latest.values()]


def _events(rows: Sequence[FactEvent]) -> list[EventData]:
    events = []
    for row in current_units(rows):
        contract = EVENT_TYPES.get(row.event_type)
        if contract is not None:
            events.append(contract.model_validate(row.payload))
    return events
