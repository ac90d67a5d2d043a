"""Notifications' reads: who the people and officers to tell are, from its copies of the
contacts and the union tree."""

from collections.abc import Iterable

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.notifications.service.batch import lookups
from services.notifications.tables import Contact, UnitCopy
from shared.contracts.vocabulary import UnitLevel


async def contacts(session: AsyncSession, person_ids: Iterable[str]) -> list[Contact]:
    ids = list(person_ids)
    if not ids:
        return []
    return list((await session.exec(select(Contact).where(col(Contact.person_id).in_(ids)))).all())


async def federation_admins(session: AsyncSession) -> list[Contact]:
    """The officers of the federation: the root of the union tree (level `federation`)."""
    batch = lookups(session)
    if batch is not None:
        return await officers_of(session, await batch.federation_roots(session))
    roots = (
        await session.exec(select(UnitCopy.code).where(UnitCopy.level == UnitLevel.federation))
    ).all()
    return await officers_of(session, roots)


async def officers_of(session: AsyncSession, unit_codes: Iterable[str]) -> list[Contact]:
    codes = list(unit_codes)
    batch = lookups(session)
    if batch is not None:  # a run of a batch: the officers of its units are at hand
        await batch.load_officers(session, codes)
        return [c for code in dict.fromkeys(codes) for c in batch.officers[code]]
    return list(
        (
            await session.exec(
                select(Contact).where(col(Contact.unit_code).in_(codes), col(Contact.is_officer))
            )
        ).all()
    )
