"""Contacts: for admins, a person's email, officer role, language and digest; for everyone,
their own email, language and digest."""

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, EmailStr, Field
from sqlmodel import select

from services.notifications.api.access import Admin
from services.notifications.tables import Contact
from shared.auth import CurrentPrincipal, Principal, Role
from shared.contracts.bounds import Code, PersonName, Subject
from shared.contracts.vocabulary import Language
from shared.http.dependencies import DbSession
from shared.http.errors import ClientError
from shared.http.request_body import RequestBody
from shared.upsert import locked_or_added

router = APIRouter(prefix="/api/v1", tags=["notifications"])

# Whose contact: the id their token names (`Subject`, the column's bound), a member's id for
# members, also an officer's or an admin's. One line, as every path parameter is (the input
# guard, shared.http.input_guard, refuses a line break in one).
PersonId = Annotated[Subject, Path(min_length=1)]


class ContactIn(RequestBody):
    # A contact read (GET /contacts) and sent back whole names itself: taken when it is the
    # path's, refused when it is another's.
    person_id: Subject | None = Field(default=None, description="The path's, if given.")
    full_name: PersonName = Field(min_length=2)
    unit_code: Code | None = None
    email: EmailStr | None = None
    is_officer: bool = False
    language: Language = "vi"
    daily_digest: bool = False


class ContactPublic(BaseModel):
    """A contact as stored. Not ContactIn's rules: a name two characters long at least is what
    an admin must type, while a token may name a person in one letter and a contact met first
    in a council's decision is named by their member id; checking the answer against the
    form's rules made GET and PUT /me/contact and an admin's whole list of contacts a 500."""

    person_id: str
    full_name: str
    unit_code: str | None
    email: str | None
    is_officer: bool
    language: Language
    daily_digest: bool


@router.put("/contacts/{person_id}", response_model=ContactPublic)
async def put_contact(
    person_id: PersonId,
    body: ContactIn,
    _: Admin,
    session: DbSession,
) -> ContactPublic:
    """Liên hệ: email, officer role, language and digest choice of a person."""
    if body.person_id not in (None, person_id):
        raise ClientError(
            422,
            "person_id",
            "person_id_mismatch",
            f"Mã người trong nội dung ({body.person_id}) khác mã trên đường dẫn ({person_id})",
            f"The body's person_id ({body.person_id}) is not the path's ({person_id})",
        )
    fields = body.model_dump(exclude={"person_id"})
    async with session.begin():
        # Made or locked: two PUTs of a new person at once are two writes, not a 500.
        contact = await locked_or_added(
            session, Contact(person_id=person_id, **fields), ("person_id",)
        )
        for name, value in fields.items():
            setattr(contact, name, value)
    return ContactPublic(**contact.model_dump())


@router.get("/contacts", response_model=list[ContactPublic])
async def list_contacts(
    _: Admin, session: DbSession, unit_code: str | None = None
) -> list[ContactPublic]:
    query = select(Contact)
    if unit_code:
        query = query.where(Contact.unit_code == unit_code)
    return [ContactPublic(**c.model_dump()) for c in (await session.exec(query)).all()]


class MyPreferences(RequestBody):
    """What a person chooses for themselves: where email goes, its language, the digest."""

    email: EmailStr | None = None
    language: Language = "vi"
    daily_digest: bool = False


@router.get("/me/contact", response_model=ContactPublic)
async def my_contact(principal: CurrentPrincipal, session: DbSession) -> ContactPublic:
    """Liên hệ của tôi: as stored, or (never stored yet) what notifications would use."""
    contact = await session.get(Contact, principal.subject) or _new_contact(principal)
    return ContactPublic(**contact.model_dump())


@router.put("/me/contact", response_model=ContactPublic)
async def choose_my_preferences(
    body: MyPreferences, principal: CurrentPrincipal, session: DbSession
) -> ContactPublic:
    """Tôi chọn: my email, language and daily digest. Name, unit and officer role stay as
    the events and the admins recorded them."""
    async with session.begin():
        contact = await locked_or_added(session, _new_contact(principal), ("person_id",))
        contact.email = body.email
        contact.language = body.language
        contact.daily_digest = body.daily_digest
    return ContactPublic(**contact.model_dump())


def _new_contact(principal: Principal) -> Contact:
    return Contact(
        person_id=principal.subject,
        full_name=principal.name,
        unit_code=principal.unit_code or None,
        is_officer=principal.has_role(Role.UNIT_OFFICER),
    )
