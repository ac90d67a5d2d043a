"""Contracts of the awards topic, produced by scoring: a proposal is not an award.

At a phase's close scoring applies the campaign's award rules and proposes awards; a
federation admin decides each proposal: confirms it (the award is granted) or rejects it with
a reason. A confirmed award may later be revoked, its reason kept for the record (Law on
Emulation and Commendation 06/2022/QH15: an award that rested on false claims is revoked).

    proposed --confirm--> confirmed --revoke--> revoked
        |--reject--> rejected
        |--(late data changed the result)--> withdrawn

Events, in the order a subscriber sees them for one award (key: the award id):
- `award.granted.v1` with `status: proposed`: a proposal (at the close, or when late data adds
  one). Its meaning is unchanged since the first version: a subscriber that records awards
  (HR) acts on `status: confirmed` only; `proposed` is a proposal awaiting a decision.
- `award.granted.v1` with `status: confirmed`: the award is granted (the only event that
  tells the recipient).
- `award.rejected.v1`: the admin rejected the proposal, with the reason.
- `award.revoked.v1`: `status: revoked`, a confirmed award revoked by an admin with the
  reason; `status: withdrawn`, a proposal scoring withdrew because late data changed the
  close's result (no decision was taken on it).
- `awards.awaiting_decision.v1` (key: the campaign): how many proposals of a phase await a
  decision, after a close (or after late data changed its proposals): what the federation's
  admins are told.
"""

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import Field

from shared.contracts import topics
from shared.contracts.base import EventData
from shared.contracts.bounds import (
    AWARD_IDS_MAX,
    REASONS_MAX,
    CampaignCode,
    Code,
    Count,
    Name,
    Reason,
    Subject,
)

AwardLevelCode = Literal["confederation", "federation", "affiliated_union"]
"""Whose award it is (the campaign file's AwardLevel), in the order of precedence."""
RecipientKindCode = Literal["unit", "member"]
"""Who it goes to (vocabulary.RecipientKind): a unit, or one of its members."""


class _OnAward(EventData, topic=topics.AWARDS):
    """Which award (or proposal) the event is about, and the phase whose close proposed it."""

    award_id: UUID
    campaign_code: CampaignCode
    phase_code: Code


class AwardGranted(_OnAward, name="award.granted.v1"):
    """An award proposed by rule at a phase's close (`status: proposed`), or confirmed by a
    federation admin (`status: confirmed`): only a confirmed one is an award."""

    award_type: Code = Field(description="e.g. bang-khen, giay-khen, co-thi-dua")
    award_name: Name = Field(description="e.g. 'Bằng khen của Công đoàn Dầu khí Việt Nam'.")
    level: AwardLevelCode
    recipient_kind: RecipientKindCode
    recipient_id: Subject
    recipient_name: Name
    unit_code: Code = Field(description="The recipient's unit (itself for a unit).")
    reasons: tuple[Reason, ...] = Field(
        max_length=REASONS_MAX, description="The figures and rules that earned it."
    )
    status: Literal["proposed", "confirmed"] = Field(
        description="proposed (awaiting a federation admin's decision: not an award yet) | "
        "confirmed (granted)"
    )
    at: datetime
    rule_code: Code | None = Field(
        default=None, description="The campaign's award rule that proposed it (added in 1.1)."
    )
    decided_by: Subject | None = Field(
        default=None, description="Who confirmed it (status confirmed; added in 1.1)."
    )


class AwardRevoked(_OnAward, name="award.revoked.v1"):
    """A confirmed award revoked by an admin (`status: revoked`), or a proposal withdrawn by
    scoring when late data changed the close's result (`status: withdrawn`)."""

    award_name: Name
    recipient_kind: RecipientKindCode
    recipient_id: Subject
    recipient_name: Name
    unit_code: Code
    reason: Reason = Field(description="Why, kept for the record.")
    at: datetime
    status: Literal["revoked", "withdrawn"] = Field(
        default="revoked",
        description="revoked (a confirmed award, by an admin) | withdrawn (a proposal, by "
        "scoring: no decision was taken on it). Added in 1.1; absent means revoked, except "
        "for a proposal whose reason says it was recomputed.",
    )
    revoked_by: Subject | None = Field(default=None, description="The admin (added in 1.1).")


class AwardRejected(_OnAward, name="award.rejected.v1"):
    """A federation admin rejected a proposal, with the reason: it never became an award."""

    award_type: Code
    award_name: Name
    level: AwardLevelCode
    recipient_kind: RecipientKindCode
    recipient_id: Subject
    recipient_name: Name
    unit_code: Code
    reason: Reason
    rejected_by: Subject
    at: datetime


class AwardsAwaitingDecision(EventData, name="awards.awaiting_decision.v1", topic=topics.AWARDS):
    """A phase's award proposals that await a federation admin's decision, counted after its
    close (and again whenever late data changed them)."""

    campaign_code: CampaignCode
    phase_code: Code
    awaiting: Count = Field(description="Proposals of the phase awaiting a decision.")
    proposed: Count = Field(description="Proposals this computation added.")
    withdrawn: Count = Field(description="Proposals this computation withdrew.")
    award_ids: tuple[UUID, ...] = Field(
        max_length=AWARD_IDS_MAX, description="The proposals awaiting a decision."
    )
    at: datetime
