"""HTTP API of submissions: initiatives (sáng kiến)."""

from pathlib import Path
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import (
    APIRouter,
    File,
    Form,
    Header,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel
from sqlmodel import select

from services.submissions.db import idempotency_keys
from services.submissions.initiatives import attachments, service, spreadsheet
from services.submissions.initiatives.schemas import (
    AttachmentPublic,
    InitiativeCreate,
    InitiativePage,
    InitiativePublic,
    InitiativeUpdate,
)
from services.submissions.initiatives.tables import Attachment, Initiative
from services.submissions.routing import (
    Importer,
    KeepValidRows,
    answer_once,
    rows_invalid,
    unreadable_file,
    xlsx_download,
)
from services.submissions.units.tables import Unit
from shared.auth import CurrentPrincipal, Principal
from shared.contracts.lifecycle import InitiativeStatus
from shared.http.dependencies import CampaignClock, Campaigns, DbSession, OutboxWriter
from shared.http.errors import ClientError
from shared.http.filters import equal_where_given
from shared.http.idempotency import (
    IdempotencyKey,
    earlier_response,
    remember_response,
    request_hash,
    upload_hash,
)
from shared.http.paging import PageQuery
from shared.refusals import Refusal
from shared.settings import default_campaign_code

router = APIRouter(prefix="/api/v1", tags=["initiatives"])


@router.post(
    "/initiatives",
    status_code=201,
    response_model=InitiativePublic,
    responses={
        403: {"description": "Not an author, or a unit outside the officer's subtree"},
        409: {"description": "No phase open, or the phase is closed"},
    },
)
async def submit_initiative(
    body: InitiativeCreate,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
    campaigns: Campaigns,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> Response:
    """Nộp sáng kiến, for oneself or (an officer) on members' behalf. Stored and published
    as `initiative submitted` in one transaction. Send an `Idempotency-Key` to make a
    retry safe: the same key gets the first answer again."""
    digest = request_hash(body)
    async with session.begin():
        earlier = await earlier_response(
            session, idempotency_keys, principal.subject, idempotency_key, digest
        )
        if earlier is not None:
            return earlier
        created = await service.submit(session, outbox, body, principal, clock, campaigns)
        content = created.model_dump(mode="json")
        await remember_response(
            session, idempotency_keys, principal.subject, idempotency_key, digest, 201, content
        )
    request.app.state.initiatives_submitted.labels(field=created.field).inc()
    return JSONResponse(status_code=201, content=content)


class ImportResult(BaseModel):
    created: int
    errors: list[spreadsheet.RowError]


@router.post(
    "/initiatives/import",
    response_model=ImportResult,
    responses={422: {"description": "Unreadable file, or bad rows (listed row by row)"}},
)
async def import_initiatives(
    principal: Importer,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
    campaigns: Campaigns,
    file: Annotated[UploadFile, File(description="XLSX or CSV (see the template)")],
    keep_valid_rows: KeepValidRows = False,
    campaign_code: Annotated[str | None, Form(description="Mặc định THIDUA_CAMPAIGN_CODE")] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Nhập sáng kiến từ tệp: each initiative keeps the authors the sheet names (the officer is
    only its submitter) and passes every check a single submission passes. Nothing is stored
    while any row is wrong, unless the officer asks to keep the good rows. With an
    `Idempotency-Key`, a retry gets the first answer and imports nothing again."""
    campaign_code = campaign_code or default_campaign_code()
    data = await file.read(spreadsheet.MAX_FILE_BYTES + 1)
    digest = upload_hash(
        data,
        filename=file.filename,
        keep_valid_rows=keep_valid_rows,
        campaign_code=campaign_code,
    )
    try:
        parsed = spreadsheet.parse_initiatives(
            data, file.filename or "", campaign_code=campaign_code
        )
    except spreadsheet.SpreadsheetError as error:
        raise unreadable_file(error) from error

    async def import_() -> ImportResult:
        errors = list(parsed.errors)
        created = 0
        for row in parsed.rows:
            try:
                # Every check of submit() runs before it writes, so a refused row leaves nothing.
                await service.submit(session, outbox, row.initiative, principal, clock, campaigns)
                created += 1
            except Refusal as refusal:
                errors.append(spreadsheet.RowError(row=row.row, **refusal.error))
        errors.sort(key=lambda e: e.row)
        if errors and not keep_valid_rows:
            raise rows_invalid([e.model_dump() for e in errors])
        return ImportResult(created=created, errors=errors)

    return await answer_once(session, principal.subject, idempotency_key, digest, 200, import_)


@router.get("/initiatives/import-template.xlsx", response_class=Response)
async def import_template(
    _: Importer,
) -> Response:
    """Mẫu danh sách sáng kiến (XLSX), with a sheet of instructions: for those who import
    (issue 14: served to anyone before)."""
    return xlsx_download(spreadsheet.template_xlsx(), "mau-danh-sach-sang-kien.xlsx")


@router.get("/initiatives", response_model=InitiativePage)
async def list_initiatives(
    principal: CurrentPrincipal,
    session: DbSession,
    page: PageQuery,
    unit_code: Annotated[
        str | None, Query(description="Only this unit's own initiatives, not its subtree's.")
    ] = None,
    phase_code: str | None = None,
    status: InitiativeStatus | None = None,
    field: str | None = None,
) -> InitiativePage:
    """Sáng kiến the caller may see: their own (member), their subtree's (officer), all
    (reviewer, admin); filtered and paged, newest first."""
    own_unit = await session.get(Unit, principal.unit_code)
    query = service.visible_query(principal, own_unit.path if own_unit else None).where(
        *equal_where_given(
            (Initiative.unit_code, unit_code),
            (Initiative.phase_code, phase_code),
            (Initiative.status, status),
            (Initiative.field, field),
        )
    )
    items, total = await service.page(session, principal, query, page)
    return InitiativePage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/initiatives/{initiative_id}", response_model=InitiativePublic)
async def get_initiative(
    initiative_id: UUID, principal: CurrentPrincipal, session: DbSession
) -> InitiativePublic:
    initiative, authors = await service.visible(session, principal, initiative_id)
    content = await service.readable(session, principal, initiative, authors)
    return service.public(initiative, authors, content=content)


@router.patch("/initiatives/{initiative_id}", response_model=InitiativePublic)
async def amend_initiative(
    initiative_id: UUID,
    changes: InitiativeUpdate,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
    campaigns: Campaigns,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Sửa sáng kiến while no council sits on it (409 from then on); amending a returned one
    resubmits it for its next round. Publishes `initiative amended`. With an
    `Idempotency-Key`, a retry gets the first answer and amends nothing again, even when
    another amendment came in between (which the retry would otherwise undo)."""
    sent = changes.model_dump(mode="json", exclude_unset=True)
    digest = request_hash({"initiative_id": initiative_id, "changes": sent})

    async def amend() -> InitiativePublic:
        return await service.amend(
            session, outbox, initiative_id, changes, principal, clock, campaigns
        )

    return await answer_once(session, principal.subject, idempotency_key, digest, 200, amend)


@router.post("/initiatives/{initiative_id}/withdraw", response_model=InitiativePublic)
async def withdraw_initiative(
    initiative_id: UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    outbox: OutboxWriter,
    clock: CampaignClock,
) -> InitiativePublic:
    """Rút sáng kiến while no council sits on it; publishes `initiative withdrawn`."""
    async with session.begin():
        return await service.withdraw(session, outbox, initiative_id, principal, clock)


@router.post(
    "/initiatives/{initiative_id}/attachments", status_code=201, response_model=AttachmentPublic
)
async def attach_file(
    initiative_id: UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: CampaignClock,
    file: Annotated[UploadFile, File(description="PDF, DOCX, XLSX, PPTX, PNG or JPEG")],
    description: Annotated[str | None, Form()] = None,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Đính kèm tệp (bản mô tả, bản vẽ, ảnh): limited in size and type. With an
    `Idempotency-Key`, a retry gets the first answer and attaches nothing again."""
    settings = request.app.state.settings
    data = await file.read(settings.attachment_max_bytes + 1)
    attachments.check_size(data, settings.attachment_max_bytes)
    filename = Path(file.filename or "tep").name[:255]
    content_type = attachments.detect_type(filename, data)
    digest = upload_hash(
        data, initiative_id=initiative_id, filename=filename, description=description
    )

    async def attach() -> AttachmentPublic:
        await service.changeable(session, initiative_id, principal)
        key, sha256 = attachments.store(Path(settings.attachments_dir), initiative_id, data)
        attachment = Attachment(
            id=uuid4(),
            initiative_id=initiative_id,
            filename=filename,
            content_type=content_type,
            size_bytes=len(data),
            sha256=sha256,
            storage_key=key,
            uploaded_by=principal.subject,
            uploaded_at=clock.now(),
        )
        session.add(attachment)
        return AttachmentPublic.model_validate(attachment, from_attributes=True)

    return await answer_once(session, principal.subject, idempotency_key, digest, 201, attach)


@router.get("/initiatives/{initiative_id}/attachments", response_model=list[AttachmentPublic])
async def list_attachments(
    initiative_id: UUID, principal: CurrentPrincipal, session: DbSession
) -> list[AttachmentPublic]:
    await _content_readable(session, principal, initiative_id)
    rows = (
        await session.exec(select(Attachment).where(Attachment.initiative_id == initiative_id))
    ).all()
    return [AttachmentPublic.model_validate(row, from_attributes=True) for row in rows]


@router.get("/initiatives/{initiative_id}/attachments/{attachment_id}")
async def download_attachment(
    initiative_id: UUID,
    attachment_id: UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
) -> FileResponse:
    await _content_readable(session, principal, initiative_id)
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None or attachment.initiative_id != initiative_id:
        raise ClientError(
            404, "attachment_id", "not_found", "Không tìm thấy tệp đính kèm", "Attachment not found"
        )
    path = Path(request.app.state.settings.attachments_dir) / attachment.storage_key
    return FileResponse(path, media_type=attachment.content_type, filename=attachment.filename)


async def _content_readable(session: DbSession, principal: Principal, initiative_id: UUID) -> None:
    """Attachments are content: a confidential initiative's are for who reads its content."""
    initiative, authors = await service.visible(session, principal, initiative_id)
    if not await service.readable(session, principal, initiative, authors):
        raise ClientError(
            403,
            "initiative_id",
            "confidential_content",
            "Sáng kiến mật: chỉ tác giả, cán bộ công đoàn đơn vị, hội đồng xét và quản trị "
            "viên được xem nội dung",
            "A confidential initiative: only its authors, their officers, its council and "
            "admins read its content",
        )
