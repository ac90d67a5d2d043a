"""What a decision and a certificate say, before any layout: which awards, in what order, who
issues and signs, and the "Căn cứ" sentences. Pure: awards, campaign and template in, text out.

Only confirmed awards are in a decision: a proposal is not an award, and a rejected, revoked
or withdrawn one never was (or no longer is). The federation's decision holds the awards the
federation grants (the campaign's award types whose `granted_by` is the plan's issuer): a
Giấy khen of an affiliated union is decided by that union, and an award of the Confederation
by the Confederation, on the federation's proposal."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from services.scoring.decision.template import DecisionTemplate
from services.scoring.tables import Award
from shared.campaign.model import AwardLevel, Campaign, Phase
from shared.contracts.vocabulary import AwardStatus, RecipientKind
from shared.formatting import format_date

# A recipient kind mid-sentence: '02 tập thể và 05 cá nhân'.
KIND_VI: dict[str, str] = {kind: kind.label_vi.lower() for kind in RecipientKind}


@dataclass(frozen=True)
class Commendation:
    """One confirmed award, as the decision lists it and its certificate shows it."""

    award_id: UUID
    award_type: str
    award_name: str  # 'Bằng khen của Công đoàn Dầu khí Việt Nam'
    rule_name: str  # what the campaign's rule commends; the award's name if the rule is gone
    recipient_kind: str  # a RecipientKind
    recipient_id: str
    recipient_name: str
    unit_code: str
    unit_name: str  # the recipient's unit (itself for a unit)
    reasons: tuple[str, ...]
    order: tuple[int, int, int]  # award type, rule, kind: the order of the decision's groups


@dataclass(frozen=True)
class Issuer:
    """Who decides and signs: the federation, or an affiliated union for its Giấy khen."""

    name: str  # 'Công đoàn Dầu khí Việt Nam'
    parent: str | None  # the body above it, shown over its name: 'Tổng Liên đoàn …'
    symbol: str | None  # of its documents' numbers: 'CĐDK'
    place: str  # where it signs: 'Hà Nội'
    on_behalf_of: str  # 'TM. BAN THƯỜNG VỤ'
    position: str  # 'PHÓ CHỦ TỊCH'
    signer: str  # the name, or '' for the signer to write


@dataclass(frozen=True)
class Signing:
    """The decision's date (the campaign's today unless given) and number (given by the văn
    thư when signed; a draft has none)."""

    on: date
    number: int | None = None


def confirmed_of_issuer(awards: Iterable[Award], campaign: Campaign) -> list[Award]:
    """The awards the plan's issuer decides, confirmed: what its decision lists."""
    own = {
        t.code
        for t in campaign.awards.types
        if t.level is not AwardLevel.affiliated_union and t.granted_by == campaign.plan.issuer
    }
    return [a for a in awards if a.status == AwardStatus.confirmed and a.grant["award_type"] in own]


def commendation(award: Award, campaign: Campaign, unit_names: Mapping[str, str]) -> Commendation:
    grant = award.grant
    types = [t.code for t in campaign.awards.types]
    rules = {r.code: (index, r.name) for index, r in enumerate(campaign.awards.rules)}
    rule_index, rule_name = rules.get(
        grant.get("rule_code") or "", (len(rules), grant["award_name"])
    )
    kind = grant["recipient_kind"]
    type_index = types.index(grant["award_type"]) if grant["award_type"] in types else len(types)
    return Commendation(
        award_id=award.id,
        award_type=grant["award_type"],
        award_name=grant["award_name"],
        rule_name=rule_name,
        recipient_kind=kind,
        recipient_id=grant["recipient_id"],
        recipient_name=grant["recipient_name"],
        unit_code=grant["unit_code"],
        unit_name=unit_names.get(grant["unit_code"], grant["unit_code"]),
        reasons=tuple(grant.get("reasons", ())),
        order=(type_index, rule_index, 0 if kind == RecipientKind.unit else 1),
    )


def in_order(commendations: Iterable[Commendation]) -> list[Commendation]:
    """The highest award first (the campaign lists its types so), collectives before
    individuals; within a group by unit, then name, so each unit finds its people together."""
    return sorted(
        commendations,
        key=lambda c: (c.order, c.unit_name.casefold(), c.recipient_name.casefold()),
    )


def federation(campaign: Campaign, template: DecisionTemplate) -> Issuer:
    """The plan's issuer, signing as the plan's signatory unless the template names one."""
    organisations = {o.code: o for o in campaign.organisations}
    issuer = organisations[campaign.plan.issuer]
    parent = organisations.get(issuer.part_of or "")
    signatory = campaign.plan.signed_by
    signer = template.signer
    position = signer.position or (signatory.position if signatory else None)
    return Issuer(
        name=issuer.name,
        parent=parent.name if parent else None,
        symbol=_symbol(campaign.plan.number) or template.issuer_symbol,
        place=campaign.plan.issued_at or template.certificate.unknown_place,
        on_behalf_of=signer.on_behalf_of,
        position=(position or signer.default_position).upper(),
        signer=signer.name or (signatory.name if signatory else ""),
    )


def affiliated_union(name: str, campaign: Campaign, template: DecisionTemplate) -> Issuer:
    """An affiliated union, for its own Giấy khen: its place, number and signer are its own,
    so they are left for it to fill."""
    above = federation(campaign, template)
    return Issuer(
        name=name,
        parent=above.name,
        symbol=None,
        place=template.certificate.unknown_place,
        on_behalf_of=template.signer.on_behalf_of,
        position=template.signer.default_position,
        signer="",
    )


def number_and_symbol(issuer: Issuer, signing: Signing, template: DecisionTemplate) -> str:
    """'05/QĐ-CĐDK' (a number below 10 with its leading zero), or room for the number."""
    number = f"{signing.number:02d}" if signing.number is not None else template.number_blank
    kind = template.kind_symbol + (f"-{issuer.symbol}" if issuer.symbol else "")
    return f"{number}/{kind}"


def review(phase: Phase, template: DecisionTemplate) -> str:
    """'phong trào thi đua đợt 1 năm 2022': the phase's closing review less 'Sơ kết'."""
    name = phase.closing_review.name
    for word in template.review_words:
        if name.casefold().startswith(word.casefold() + " "):
            return name[len(word) + 1 :]
    return name[:1].lower() + name[1:]


def legal_bases(
    campaign: Campaign, issuer: Issuer, signing: Signing, template: DecisionTemplate
) -> list[str]:
    """Every "Căn cứ" and the "Xét đề nghị" line, each ending as the decree says: a
    semicolon, the last a full stop."""
    lines = [b.text.strip() for b in template.legal_bases if b.in_force(signing.on)]
    plan = campaign.plan
    kind = next((k for k in template.plan_kinds if campaign.title.startswith(k + " ")), None)
    lines.append(
        template.plan_basis.format(
            kind=kind or "Văn bản",
            number=plan.number,
            issued_on=format_date(plan.issued_on),
            issuer=issuer.name,
            about=campaign.title[len(kind) + 1 :] if kind else campaign.title,
        )
    )
    lines.append(template.proposal.format(proposer=_proposer(campaign, issuer, template)))
    return [line + ";" for line in lines[:-1]] + [lines[-1] + "."]


def recipients_phrase(commendations: Iterable[Commendation]) -> str:
    """'02 tập thể và 05 cá nhân'; a kind with none is left out."""
    listed = list(commendations)
    parts = []
    for kind, label in KIND_VI.items():
        n = sum(c.recipient_kind == kind for c in listed)
        if n:
            parts.append(f"{n:02d} {label}")
    return " và ".join(parts)


def _symbol(number: str) -> str | None:
    """The issuer's part of a document's number: '46/KH-CĐDK' -> 'CĐDK'."""
    _, _, symbol = number.partition("/")
    _, dash, issuer = symbol.partition("-")
    return (issuer.strip() or None) if dash else None


def department(campaign: Campaign, template: DecisionTemplate) -> str:
    """The proposing department's abbreviation, as "Lưu: VT, CSQH." names it."""
    via = next((o for o in campaign.organisations if o.code == campaign.reporting.via), None)
    if via is None:
        return template.proposer_abbreviation
    return via.abbreviation or template.proposer_abbreviation


def _proposer(campaign: Campaign, issuer: Issuer, template: DecisionTemplate) -> str:
    """The department that receives the units' reports "as the basis for awards" (2022:
    Ban Chính sách Pháp luật và Quan hệ Lao động), named with its body."""
    via = campaign.reporting.via
    department = next((o for o in campaign.organisations if o.code == via), None)
    if department is None:
        return template.proposer.format(issuer=issuer.name)
    if department.part_of == campaign.plan.issuer:
        return f"{department.name} {issuer.name}"
    return department.name
