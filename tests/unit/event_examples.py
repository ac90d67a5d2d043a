"""One event of every type the services publish, all about the same campaign, phase, unit
(PVGAS), initiative, registration, complaint case and award: what the handler tests apply.
Each builder takes the changes a test needs; `EXAMPLES` gives a typical one per contract."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from services.submissions.demo import CAMPAIGN
from shared.campaign.loader import load_campaign
from shared.campaign.model import Campaign
from shared.contracts import (
    AwardGranted,
    AwardRejected,
    AwardRevoked,
    AwardsAwaitingDecision,
    CampaignPublished,
    ComplaintCaseOpened,
    ComplaintCaseResolved,
    EventData,
    InitiativeAmended,
    InitiativeAuthor,
    InitiativeCouncilAssigned,
    InitiativeNotRecognised,
    InitiativeRecognised,
    InitiativeReturned,
    InitiativeReviewed,
    InitiativeSubmitted,
    InitiativeWithdrawn,
    PhaseClosed,
    PhaseOpened,
    RegistrationApproved,
    RegistrationReturned,
    RegistrationSubmitted,
    ReportSubmitted,
    StandingPublished,
    UnitRecorded,
)
from shared.formatting import VIETNAM_TIME

NOW = datetime(2022, 5, 20, 9, tzinfo=VIETNAM_TIME)
LATER = NOW + timedelta(hours=3)
EARLIER = NOW - timedelta(hours=3)
RECEIVED = date(2022, 5, 18)
INITIATIVE = UUID("6a0c9a44-1b5e-4d53-9f7a-4c0d7b1e2a01")
PLACE: dict[str, Any] = {"campaign_code": "2022", "phase_code": "dot-1", "unit_code": "PVGAS"}
TITLE = "Thu hồi khí đồng hành tại giàn nén"
# Two authors: PVGAS-0101 and PVGAS-0102; the award's recipient is the first.
AUTHORS = (
    InitiativeAuthor(member_id="PVGAS-0101", full_name="Đỗ Thị Hạnh", share_percent=60),
    InitiativeAuthor(member_id="PVGAS-0102", full_name="Lý Văn Tùng", share_percent=40),
)
AUTHOR_IDS = tuple(a.member_id for a in AUTHORS)


def submitted(**changes: Any) -> InitiativeSubmitted:
    return InitiativeSubmitted(
        **{
            **PLACE,
            "initiative_id": INITIATIVE,
            "title": TITLE,
            "field": "technical",
            "authors": AUTHORS,
            "expected_benefit_vnd": 500_000_000,
            "submitted_by": "PVGAS-0101",
            "submitted_at": NOW,
            "received_on": RECEIVED,
            **changes,
        }
    )


def amended(**changes: Any) -> InitiativeAmended:
    return InitiativeAmended(**{**submitted().model_dump(), **changes})


def decision(contract: type[EventData], **changes: Any) -> Any:
    extras: dict[type[EventData], dict[str, Any]] = {
        InitiativeReturned: {"reason": "Thiếu số liệu hiệu quả"},
        InitiativeRecognised: {"weighted_score": 8.5, "votes_for": 3, "council_size": 3},
        InitiativeNotRecognised: {"weighted_score": 4.0, "votes_for": 0, "council_size": 3},
    }
    return contract(
        **{
            **PLACE,
            "initiative_id": INITIATIVE,
            "title": TITLE,
            "author_ids": AUTHOR_IDS,
            "decided_at": NOW,
            **extras[contract],
            **changes,
        }
    )


def seated() -> InitiativeCouncilAssigned:
    return InitiativeCouncilAssigned(
        **PLACE,
        initiative_id=INITIATIVE,
        title=TITLE,
        author_ids=AUTHOR_IDS,
        reviewer_ids=("HD-1", "HD-2", "HD-3"),
        assigned_by="CDDKVN-0001",
        assigned_at=NOW,
    )


def registration(contract: type[EventData], at: datetime = NOW, **changes: Any) -> Any:
    reason = {"reason": "Thiếu nội dung đăng ký"} if contract is RegistrationReturned else {}
    return contract(
        **{
            **PLACE,
            "registration_id": UUID("2b7d1c1e-0f6a-4a39-8a51-1f9d3f6f2b02"),
            "movement_codes": ("lao-dong-gioi",),
            "actor": "PVGAS-CB01",
            "at": at,
            **reason,
            **changes,
        }
    )


def report(at: datetime = NOW, **figures: float) -> ReportSubmitted:
    return ReportSubmitted(
        **PLACE,
        report_id=uuid4(),
        kind="result",
        figures=figures or {"members_trained": 80.0},
        due_on=date(2022, 7, 10),
        submitted_at=at,
        late=False,
        submitted_by="PVGAS-CB01",
    )


CASE = UUID("8c3f5d2a-6b1e-4e7f-9a0b-3d2c1e0f9a03")
COMPLAINT: dict[str, Any] = {
    "case_id": CASE,
    "campaign_code": "2022",
    "unit_code": "PVGAS",
    "received_on": date(2022, 4, 1),
    "due_on": date(2022, 5, 1),
    "recorded_by": "PVGAS-CB01",
}
AWARD = UUID("5e9b7a3c-2d4f-4c6a-8b1e-7f0a9c8d6e04")
RECIPIENT: dict[str, Any] = {
    "award_id": AWARD,
    "campaign_code": "2022",
    "phase_code": "dot-1",
    "award_name": "Bằng khen của Công đoàn Dầu khí Việt Nam",
    "recipient_kind": "member",
    "recipient_id": AUTHORS[0].member_id,
    "recipient_name": AUTHORS[0].full_name,
    "unit_code": "PVGAS",
}


def granted(status: str, at: datetime = NOW, **changes: Any) -> AwardGranted:
    return AwardGranted(
        **{
            **RECIPIENT,
            "award_type": "bang-khen",
            "level": "federation",
            "reasons": ("Sáng kiến được công nhận",),
            "status": status,
            "at": at,
            **changes,
        }
    )


def rejected(at: datetime = NOW) -> AwardRejected:
    return AwardRejected(
        **RECIPIENT,
        award_type="bang-khen",
        level="federation",
        reason="Chưa đủ tiêu chuẩn",
        rejected_by="CDDKVN-0001",
        at=at,
    )


def revoked(at: datetime = NOW, status: str = "revoked", **changes: Any) -> AwardRevoked:
    return AwardRevoked(
        **{**RECIPIENT, "reason": "Kê khai không đúng", "at": at, "status": status, **changes}
    )


def standing(revision: int = 1, rank: int = 2, **changes: Any) -> StandingPublished:
    return StandingPublished(
        **{
            **PLACE,
            "unit_name": "Tổng công ty Khí Việt Nam",
            "level": "affiliated",
            "path": "CDDKVN/PVGAS/",
            "rank": rank,
            "rank_of": 12,
            "points": 85,
            "targets_met": (1, 2, 3),
            "targets_missed": {"4": "Chưa đạt 80%"},
            "initiatives_submitted": 40,
            "initiatives_recognised": 25,
            "benefit_vnd": 12_000_000_000,
            "overdue_cases": 0,
            "closed_at": NOW,
            "revision": revision,
            "computed_at": NOW,
            **changes,
        }
    )


def campaign(title: str = "Kế hoạch thi đua năm 2022") -> CampaignPublished:
    """The demo's 2022 plan (a whole campaign file, as consumers now require), titled `title`."""
    return published(load_campaign(CAMPAIGN).model_copy(update={"title": title}))


def published(plan: Campaign) -> CampaignPublished:
    """A real campaign file's plan (services/submissions/demo's, say) as it is published."""
    return CampaignPublished(
        campaign_code=plan.code,
        title=plan.title,
        definition=plan.model_dump(mode="json"),
        published_by="CDDKVN-0001",
    )


def unit(name: str = "Tổng công ty Khí Việt Nam") -> UnitRecorded:
    return UnitRecorded(
        code="PVGAS", name=name, parent_code="CDDKVN", level="affiliated", path="CDDKVN/PVGAS/"
    )


def federation() -> UnitRecorded:
    return UnitRecorded(
        code="CDDKVN",
        name="Công đoàn Dầu khí Việt Nam",
        parent_code=None,
        level="federation",
        path="CDDKVN/",
    )


def phase_opened(**changes: Any) -> PhaseOpened:
    return PhaseOpened(
        **{
            "campaign_code": "2022",
            "phase_code": "dot-1",
            "starts_on": date(2022, 2, 16),
            "ends_on": date(2022, 6, 30),
            "report_due_on": date(2022, 7, 10),
            "opened_by": "CDDKVN-0001",
            "opened_at": NOW,
            **changes,
        }
    )


def phase_closed() -> PhaseClosed:
    return PhaseClosed(
        campaign_code="2022",
        phase_code="dot-1",
        ends_on=date(2022, 6, 30),
        closed_by="CDDKVN-0001",
        closed_at=NOW,
        forced=False,
    )


def reviewed() -> InitiativeReviewed:
    return InitiativeReviewed(
        **PLACE,
        initiative_id=INITIATIVE,
        reviewer_id="HD-1",
        revised=False,
        scored=1,
        council_size=3,
        at=NOW,
    )


def awaiting() -> AwardsAwaitingDecision:
    return AwardsAwaitingDecision(
        campaign_code="2022",
        phase_code="dot-1",
        awaiting=1,
        proposed=1,
        withdrawn=0,
        award_ids=(AWARD,),
        at=NOW,
    )


EXAMPLES: dict[type[EventData], Callable[[], EventData]] = {
    CampaignPublished: campaign,
    UnitRecorded: unit,
    InitiativeSubmitted: submitted,
    InitiativeAmended: lambda: amended(title="Thu hồi khí đồng hành (bản sửa)"),
    InitiativeWithdrawn: lambda: InitiativeWithdrawn(
        **PLACE,
        initiative_id=INITIATIVE,
        withdrawn_by="PVGAS-0101",
        withdrawn_at=NOW,
        title=TITLE,
        author_ids=AUTHOR_IDS,
    ),
    InitiativeCouncilAssigned: seated,
    InitiativeReturned: lambda: decision(InitiativeReturned),
    InitiativeRecognised: lambda: decision(InitiativeRecognised),
    InitiativeNotRecognised: lambda: decision(InitiativeNotRecognised),
    RegistrationSubmitted: lambda: registration(RegistrationSubmitted),
    RegistrationReturned: lambda: registration(RegistrationReturned),
    RegistrationApproved: lambda: registration(RegistrationApproved),
    ReportSubmitted: report,
    ComplaintCaseOpened: lambda: ComplaintCaseOpened(**COMPLAINT),
    ComplaintCaseResolved: lambda: ComplaintCaseResolved(
        **COMPLAINT, resolved_on=date(2022, 4, 20)
    ),
    AwardGranted: lambda: granted("proposed"),
    AwardRejected: rejected,
    AwardRevoked: revoked,
    StandingPublished: standing,
    PhaseOpened: phase_opened,
    PhaseClosed: phase_closed,
    InitiativeReviewed: reviewed,
    AwardsAwaitingDecision: awaiting,
}
