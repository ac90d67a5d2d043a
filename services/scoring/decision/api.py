"""HTTP: a phase's commendation decision and each award's certificate, as DOCX.

- `GET /api/v1/awards/decision.docx?campaign_code=2022&phase_code=dot-1`: federation admins.
  The federation's confirmed awards of the phase (409 naming `phase_code` while none is).
- `GET /api/v1/awards/{award_id}/certificate.docx`: a confirmed award's certificate, for
  federation admins, the recipient (the member; for a collective, the officers of that unit),
  and the officers of the recipient's unit, who hand it over; 403 for anyone else, 409 for an
  award not confirmed or one the Confederation grants (it prints its own).

Both are dated the campaign's today unless `signed_on` says the day it was signed, and carry
`number` once the văn thư has given it: the draft is checked, signed, numbered, then the
certificates printed with the same number and date."""

import unicodedata
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.scoring.api.refusals import answering_unknowns
from services.scoring.decision import content
from services.scoring.decision.document import DOCX_TYPE, certificate_docx, decision_docx
from services.scoring.decision.template import load_template
from services.scoring.domain.facts import UnitRecord
from services.scoring.service import awarding
from services.scoring.tables import Award, FactEvent
from shared.auth import CurrentPrincipal, FederationAdmin, Principal, Role
from shared.campaign.model import AwardLevel, Campaign
from shared.clock import today
from shared.contracts import UnitRecorded
from shared.contracts.bounds import Day
from shared.contracts.vocabulary import AWARDS_ANNOUNCED, AwardStatus, RecipientKind
from shared.formatting import format_date
from shared.http.dependencies import CampaignClock, Campaigns, DbSession
from shared.http.errors import ClientError
from shared.refusals import unknown_phase
from shared.unit_tree import affiliated_code

router = APIRouter(prefix="/api/v1", tags=["awards"])
DOCX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {DOCX_TYPE: {}}, "description": "A DOCX file."}
}
Number = Annotated[
    int | None, Query(ge=1, le=99999, description="Số: given by the văn thư once signed.")
]
SignedOn = Annotated[
    Day | None, Query(description="Ngày ký (YYYY-MM-DD); default the campaign's today.")
]


class AskedSigning:
    """The `number` and `signed_on` a document is asked for with. The date is checked when the
    document is made, after the route's own checks, so a bad one never hides a 403 or 404."""

    def __init__(
        self, clock: CampaignClock, number: Number = None, signed_on: SignedOn = None
    ) -> None:
        self.clock, self.number, self.signed_on = clock, number, signed_on

    def signing(self) -> content.Signing:
        return content.Signing(on=_signed_on(self.signed_on, self.clock), number=self.number)


Asked = Annotated[AskedSigning, Depends()]


@router.get("/awards/decision.docx", response_class=Response, responses=DOCX_RESPONSE)
async def decision(
    campaign_code: str,
    phase_code: str,
    _: FederationAdmin,
    session: DbSession,
    campaigns: Campaigns,
    asked: Asked,
) -> Response:
    """Quyết định khen thưởng of a phase: the awards the federation grants, confirmed."""
    with answering_unknowns():
        plan = await awarding.campaign(session, campaign_code, campaigns)
    phase = _phase(plan, phase_code)
    signing = asked.signing()
    rows = (
        await session.exec(
            select(Award).where(Award.campaign_code == plan.code, Award.phase_code == phase_code)
        )
    ).all()
    awards = content.confirmed_of_issuer(rows, plan)
    template = load_template()
    issuer = content.federation(plan, template)
    if not awards:
        raise ClientError(
            409,
            "phase_code",
            "nothing_confirmed",
            f"{phase} chưa có khen thưởng nào của {issuer.name} được phê duyệt: quyết định chỉ "
            "gồm khen thưởng đã phê duyệt (đề xuất chưa phải là khen thưởng)",
            f"{phase_code} has no confirmed award of {issuer.name} yet: a decision lists "
            "confirmed awards only (a proposal is not an award)",
        )
    units = await _unit_records(session)
    names = {code: unit.name for code, unit in units.items()}
    listed = [content.commendation(a, plan, names) for a in awards]
    body = decision_docx(plan, phase_code, listed, issuer, signing, template)
    name = f"Quyết định khen thưởng {plan.code} {phase}.docx"
    return _docx(body, name, fallback=f"quyet-dinh-khen-thuong-{plan.code}-{phase_code}.docx")


@router.get("/awards/{award_id}/certificate.docx", response_class=Response, responses=DOCX_RESPONSE)
async def certificate(
    award_id: UUID,
    # Any role: a recipient may be a reviewer too (an author of a recognised initiative);
    # which award is theirs to read is checked on the award (`_may_read`).
    principal: CurrentPrincipal,
    session: DbSession,
    campaigns: Campaigns,
    asked: Asked,
) -> Response:
    """Bằng khen / Giấy khen / Cờ thi đua of one confirmed award, in its recipient's name."""
    award = await session.get(Award, award_id)
    # A proposal, a rejection or a withdrawal is not an award: to anyone but the admins who
    # decide, it is not there at all (a 403 or a 409 would tell its recipient's unit, or anyone
    # who derives the id from the rule, that it was proposed or turned down).
    if award is None or not (principal.is_federation_admin or award.status in AWARDS_ANNOUNCED):
        raise ClientError(
            404, "award_id", "not_found", "Không tìm thấy khen thưởng", "Award not found"
        )
    grant = award.grant
    if not _may_read(principal, grant):
        raise ClientError(
            403,
            "award_id",
            "not_recipient",
            "Chỉ người (đơn vị) được khen thưởng, cán bộ công đoàn của đơn vị đó và quản trị "
            "Công đoàn Dầu khí Việt Nam được tải giấy chứng nhận khen thưởng này",
            "Only the recipient, the officers of its unit and federation admins may download "
            "this certificate",
        )
    if award.status != AwardStatus.confirmed:
        raise ClientError(
            409,
            "status",
            "not_confirmed",
            f"Đề nghị khen thưởng đang ở trạng thái «{AwardStatus(award.status).label_vi}»: "
            "chỉ khen thưởng đã phê duyệt mới có giấy chứng nhận",
            f"The award proposal is “{AwardStatus(award.status).label_en}”: only a confirmed "
            "award has a certificate",
        )
    with answering_unknowns():
        plan = await awarding.campaign(session, award.campaign_code, campaigns)
    if grant["level"] == AwardLevel.confederation.value:
        raise ClientError(
            409,
            "level",
            "granted_elsewhere",
            f"{grant['award_name']} do Tổng Liên đoàn Lao động Việt Nam quyết định và cấp",
            f"'{grant['award_name']}' is decided and printed by the Confederation",
        )
    template = load_template()
    units = await _unit_records(session)
    names = {code: unit.name for code, unit in units.items()}
    if grant["level"] == AwardLevel.affiliated_union.value:
        issuer = content.affiliated_union(_affiliated_name(units, grant), plan, template)
    else:
        issuer = content.federation(plan, template)
    signing = asked.signing()
    listed = content.commendation(award, plan, names)
    body = certificate_docx(plan, award.phase_code, listed, issuer, signing, template)
    heading = template.certificate.heading(listed.award_name).capitalize()
    name = f"{heading} - {listed.recipient_name}.docx"
    return _docx(body, name, fallback=f"{_ascii(heading)}-{str(award.id)[:8]}.docx")


def _may_read(principal: Principal, grant: dict[str, str]) -> bool:
    if principal.is_federation_admin:
        return True
    if (
        grant["recipient_kind"] == RecipientKind.member
        and principal.subject == grant["recipient_id"]
    ):
        return True
    return principal.has_role(Role.UNIT_OFFICER) and principal.unit_code == grant["unit_code"]


def _phase(plan: Campaign, phase_code: str) -> str:
    try:
        return plan.phase(phase_code).name
    except KeyError:
        raise unknown_phase(phase_code, plan.code) from None


def _signed_on(given: date | None, clock: CampaignClock) -> date:
    """The campaign's today, or the day it was signed: never a day still to come."""
    now = today(clock)
    if given is None:
        return now
    if given > now:
        raise ClientError(
            422,
            "signed_on",
            "date_in_future",
            f"Ngày ký ({format_date(given)}) chưa đến: hôm nay là {format_date(now)}",
            f"signed_on ({format_date(given)}) is after today ({format_date(now)})",
        )
    return given


async def _unit_records(session: AsyncSession) -> dict[str, UnitRecord]:
    """Every unit as it was last recorded (`awarding.current_units`, as the facts read it)."""
    rows = (
        await session.exec(select(FactEvent).where(FactEvent.event_type == UnitRecorded.event_type))
    ).all()
    units: dict[str, UnitRecord] = {}
    for row in awarding.current_units(rows):
        p = row.payload
        unit = UnitRecord(
            p["code"],
            p["path"],
            p["name"],
            p["level"],
            p.get("cluster") or "",
            p.get("parent_code") or "",
        )
        units[unit.code] = unit
    return units


def _affiliated_name(units: dict[str, UnitRecord], grant: dict[str, str]) -> str:
    """The affiliated union over the recipient's unit (path 'CDDKVN/PVGAS/…': the second)."""
    unit = units.get(grant["unit_code"])
    code = affiliated_code(unit.path if unit else "", grant["unit_code"])
    return units[code].name if code in units else code


def _docx(body: bytes, name: str, *, fallback: str) -> Response:
    """An attachment named in ASCII for old clients and in UTF-8 (RFC 6266) for the rest."""
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=DOCX_TYPE, headers={"Content-Disposition": disposition})


def _ascii(text: str) -> str:
    """'Bằng khen' -> 'bang-khen': Vietnamese without its marks (đ is a letter of its own)."""
    bare = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    letters = "".join(c for c in bare if c.isascii() and (c.isalnum() or c == " "))
    return "-".join(letters.lower().split())
