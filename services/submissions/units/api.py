"""HTTP API of submissions: the union tree (đơn vị)."""

from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import false
from sqlmodel import col, func, select

from services.submissions.access import TreeScope
from services.submissions.routing import (
    Importer,
    KeepValidRows,
    UnitActing,
    rows_invalid,
    unreadable_file,
    xlsx_download,
)
from services.submissions.units import spreadsheet
from services.submissions.units.service import RecordResult, UnitInput, record_units
from services.submissions.units.tables import Unit
from shared.auth import CurrentPrincipal, Principal, ensure_can_act_for_unit
from shared.contracts.bounds import Code, Name
from shared.contracts.vocabulary import UnitLevel
from shared.http.dependencies import DbSession
from shared.http.errors import add_vietnamese
from shared.http.idempotency import IdempotencyKey, request_hash, upload_hash
from shared.http.paging import RowsPageQuery, counted
from shared.http.request_body import RequestBody
from shared.refusals import Kind, unknown_unit
from shared.unit_tree import within_where

router = APIRouter(prefix="/api/v1/units", tags=["units"])

add_vietnamese(
    {
        "parent_code_empty": (
            "Mã đơn vị cấp trên để trống: ghi mã đơn vị cấp trên, hoặc bỏ trường này nếu là "
            "Công đoàn ngành"
        )
    }
)


class UnitIn(RequestBody):
    code: Code = Field(pattern=spreadsheet.CODE_PATTERN)
    name: Name = Field(min_length=2)
    parent_code: Code | None = None
    level: UnitLevel
    cluster: Code | None = None

    @field_validator("parent_code")
    @classmethod
    def parent_code_not_empty(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise PydanticCustomError(
                "parent_code_empty",
                "The parent code is empty: give the parent unit's code, or leave the field "
                "out for the federation",
            )
        return value


class UnitPublic(BaseModel):
    code: str
    name: str
    parent_code: str | None
    level: str
    cluster: str | None
    path: str


class UnitPage(BaseModel):
    items: list[UnitPublic]
    total: int
    limit: int
    offset: int


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    errors: list[spreadsheet.RowError]


@router.get("", response_model=UnitPage)
async def list_units(
    _: CurrentPrincipal,
    session: DbSession,
    page: RowsPageQuery,
    under: Annotated[str | None, Query(description="Only this unit and its subtree")] = None,
    parent_code: str | None = None,
    level: UnitLevel | None = None,
    q: Annotated[str | None, Query(description="Part of the name or code")] = None,
) -> UnitPage:
    query = select(Unit)
    if under is not None:
        root = await session.get(Unit, under)
        # An unknown unit has no subtree (PostgreSQL refuses the NUL byte that stood for it).
        query = query.where(within_where(col(Unit.path), root.path) if root else false())
    if parent_code is not None:
        query = query.where(Unit.parent_code == parent_code)
    if level is not None:
        query = query.where(Unit.level == level)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            func.lower(Unit.name).like(pattern) | func.lower(Unit.code).like(pattern)
        )
    rows, total = await counted(session, query, col(Unit.path), page)
    items = [UnitPublic.model_validate(u, from_attributes=True) for u in rows]
    return UnitPage(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/import-template.xlsx", response_class=Response)
async def import_template(
    _: Importer,
) -> Response:
    """Mẫu danh sách đơn vị (XLSX) with the Vietnamese headers: for those who import (issue
    14: served to anyone before)."""
    return xlsx_download(spreadsheet.template_xlsx(), "mau-danh-sach-don-vi.xlsx")


@router.get("/{code}", response_model=UnitPublic)
async def get_unit(code: str, _: CurrentPrincipal, session: DbSession) -> UnitPublic:
    unit = await session.get(Unit, code)
    if unit is None:
        raise unknown_unit(code, "code", Kind.not_found)
    return UnitPublic.model_validate(unit, from_attributes=True)


@router.post("", status_code=201, response_model=UnitPublic)
async def create_or_update_unit(
    body: UnitIn, acting: UnitActing, idempotency_key: IdempotencyKey = None
) -> Response:
    """Thêm / sửa đơn vị: a federation admin anywhere, an officer inside their subtree. With an
    `Idempotency-Key`, a retry gets the first answer and records nothing again."""
    session = acting.work.session

    async def record() -> UnitPublic:
        existing = await session.get(Unit, body.code) is not None
        await _may_place(session, acting.principal, body.code, body.parent_code, existing=existing)
        await record_units(
            session, acting.work.outbox, [UnitInput(**body.model_dump())], acting.work.clock.now()
        )
        unit = await session.get(Unit, body.code)
        return UnitPublic.model_validate(unit, from_attributes=True)

    return await acting.answer_once(idempotency_key, request_hash(body), 201, record)


@router.post("/import", response_model=ImportResult)
async def import_units(
    acting: UnitActing,
    file: Annotated[UploadFile, File(description="XLSX or CSV, as officers keep it")],
    keep_valid_rows: KeepValidRows = False,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Nhập danh sách đơn vị từ tệp: errors are reported row by row; nothing is stored while
    any row is wrong, unless the officer asks to keep the good rows. With an
    `Idempotency-Key`, a retry gets the first answer and records nothing again."""
    data = await file.read(spreadsheet.MAX_FILE_BYTES + 1)
    digest = upload_hash(data, filename=file.filename, keep_valid_rows=keep_valid_rows)
    session = acting.work.session

    async def import_() -> ImportResult:
        known = (await session.exec(select(Unit.code, Unit.level, Unit.parent_code))).all()
        try:
            parsed = spreadsheet.parse_units(
                data,
                file.filename or "",
                {code: UnitLevel(level) for code, level, _ in known},
                known_parents={code: parent for code, _, parent in known},
            )
        except spreadsheet.SpreadsheetError as error:
            raise unreadable_file(error) from error
        known_codes = {code for code, _, _ in known}
        for row in parsed.rows:
            await _may_place(
                session,
                acting.principal,
                row.code,
                row.parent_code,
                existing=row.code in known_codes,
            )
        if parsed.errors and not keep_valid_rows:
            raise rows_invalid([e.model_dump() for e in parsed.errors])
        result: RecordResult = await record_units(
            session,
            acting.work.outbox,
            [
                UnitInput(r.code, r.name, r.parent_code, r.level.value, r.cluster)
                for r in parsed.rows
            ],
            acting.work.clock.now(),
        )
        return ImportResult(
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            errors=parsed.errors,
        )

    return await acting.answer_once(idempotency_key, digest, 200, import_)


async def _may_place(
    session: DbSession, principal: Principal, code: str, parent_code: str | None, *, existing: bool
) -> None:
    """An officer records units in their subtree: under a parent there, and, for a unit already
    in the tree, only one of theirs (else they could move another union's unit into theirs)."""
    scope = TreeScope(session)
    await ensure_can_act_for_unit(principal, parent_code or code, scope, field="parent_code")
    if existing and parent_code:
        await ensure_can_act_for_unit(principal, code, scope, field="code")
