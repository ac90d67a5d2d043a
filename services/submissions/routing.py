"""What the routes of submissions share: who acts and through what (`UnitActing`), an idempotent
POST's transaction, and a spreadsheet import's form field, refusals and template download."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Form, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from services.submissions.db import idempotency_keys
from services.submissions.spreadsheet_reading import SpreadsheetError
from shared.auth import Principal, Role, require_roles
from shared.http.dependencies import UnitOfWork, Work
from shared.http.errors import ClientError
from shared.http.idempotency import IdempotentRequest

T = TypeVar("T")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Who acts for units (the tree, registrations, reports, complaints), imports (units,
# initiatives) and downloads the import templates: a unit officer within their subtree, a
# federation admin anywhere (`access.unit_acted_for` checks the unit itself).
UnitActor = Annotated[Principal, Depends(require_roles(Role.UNIT_OFFICER, Role.FEDERATION_ADMIN))]
Importer = UnitActor

KeepValidRows = Annotated[bool, Form(description="Keep the good rows even if some rows are wrong")]


@dataclass(frozen=True, slots=True)
class Act:
    """A request that changes state: who acts, and the unit of work they act through."""

    principal: Principal
    work: UnitOfWork

    async def answer_once(
        self,
        key: str | None,
        digest: str,
        status_code: int,
        act: Callable[[], Awaitable[Any]],
    ) -> Response:
        """`answer_once` for this principal, in this request's session."""
        return await answer_once(
            self.work.session, self.principal.subject, key, digest, status_code, act
        )


async def _acting_for_units(principal: UnitActor, work: Work) -> Act:
    return Act(principal, work)


# The principal and the unit of work as one parameter, resolved in the same order as when the
# principal, the session, the outbox, the clock and the campaigns were named one by one. Only
# those who act for units get it: anyone else is refused (403) before the body is validated,
# so a member is told the same for a malformed body as for a good one (the body was checked
# first when the role was checked only in the service).
UnitActing = Annotated[Act, Depends(_acting_for_units)]


async def answer_once(
    session: AsyncSession,
    subject: str,
    key: str | None,
    digest: str,
    status_code: int,
    act: Callable[[], Awaitable[Any]],
) -> Response:
    """An idempotent POST or PATCH in one transaction (shared.http.idempotency): the answer already
    given to `subject`'s `key` if there is one, else what `act` does and answers, recorded for
    a retry."""
    once = IdempotentRequest(idempotency_keys, subject, key, digest)
    async with session.begin():
        if (earlier := await once.earlier(session)) is not None:
            return earlier
        answer = await once.answer(session, status_code, await act())
    return answer


def unreadable_file(error: SpreadsheetError) -> ClientError:
    """An uploaded file that cannot be read as a whole."""
    return ClientError(422, "file", error.code, error.message_vi, error.message_en)


def rows_invalid(details: list[dict[str, Any]]) -> ClientError:
    """An import with wrong rows, kept whole: each row's problem, and nothing stored."""
    return ClientError(
        422,
        "file",
        "rows_invalid",
        "Có dòng không hợp lệ; chưa lưu dòng nào",
        "Some rows are invalid; nothing was stored",
        details=details,
    )


def xlsx_download(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
