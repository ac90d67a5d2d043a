"""Client errors a person can read: the field at fault and the reason, in Vietnamese and English.

Every 4xx body has the same shape:
    {"errors": [{"field": "authors.0.share_percent", "code": "...",
                 "message_vi": "...", "message_en": "..."}]}
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

log = logging.getLogger("thidua.auth")

# Vietnamese for pydantic's error types, formatted with the error's context. A service adds
# its own domain errors (raised as PydanticCustomError) with `add_vietnamese`.
_VIETNAMESE: dict[str, str] = {
    "missing": "Thiếu trường bắt buộc",
    "string_type": "Phải là chuỗi ký tự",
    "string_too_short": "Quá ngắn: tối thiểu {min_length} ký tự",
    "string_too_long": "Quá dài: tối đa {max_length} ký tự",
    "too_short": "Cần ít nhất {min_length} phần tử",
    "too_long": "Nhiều nhất {max_length} phần tử",
    "int_type": "Phải là số nguyên",
    "int_parsing": "Phải là số nguyên",
    "int_from_float": "Phải là số nguyên",
    "greater_than": "Phải lớn hơn {gt}",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}",
    "less_than": "Phải nhỏ hơn {lt}",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "date_type": "Ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "uuid_parsing": "Mã định danh (UUID) không hợp lệ",
    "uuid_type": "Mã định danh (UUID) không hợp lệ",
    "json_invalid": "Nội dung JSON không hợp lệ",
    "model_attributes_type": "Phải là một đối tượng JSON",
    "dict_type": "Phải là một đối tượng JSON",
    "list_type": "Phải là một danh sách",
    "enum": "Giá trị không hợp lệ; chấp nhận: {expected}",
    "literal_error": "Giá trị không hợp lệ; chấp nhận: {expected}",
    "extra_forbidden": "Trường không được phép",
}


def add_vietnamese(messages: dict[str, str]) -> None:
    _VIETNAMESE.update(messages)


def client_error(field: str, code: str, message_vi: str, message_en: str) -> dict[str, str]:
    return {"field": field, "code": code, "message_vi": message_vi, "message_en": message_en}


class ClientError(Exception):
    """A refusal the client can correct (HTTP 4xx), with the field and both languages."""

    def __init__(
        self,
        status_code: int,
        field: str,
        code: str,
        message_vi: str,
        message_en: str,
        *,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.status_code = status_code
        self.error = client_error(field, code, message_vi, message_en)
        # Several problems at once (a file's rows, say) are listed instead of the summary.
        self.errors: list[dict[str, Any]] = details or [self.error]


def _translate(error: dict[str, Any]) -> dict[str, str]:
    location = [str(part) for part in error.get("loc", ()) if part != "body"]
    template = _VIETNAMESE.get(error["type"])
    try:
        message_vi = template.format(**error.get("ctx", {})) if template else error["msg"]
    except (KeyError, IndexError):
        message_vi = template or error["msg"]
    return client_error(".".join(location) or "(body)", error["type"], message_vi, error["msg"])


def refusal_from(error: ValidationError) -> ClientError:
    """A model validated inside a use case (an amendment merged with what is stored) refuses
    as a request body would: 422, every problem with its field, in both languages."""
    details = [_translate(dict(e)) for e in error.errors()]
    first = details[0]
    return ClientError(
        422,
        first["field"],
        first["code"],
        first["message_vi"],
        first["message_en"],
        details=details,
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            status_code=422, content={"errors": [_translate(e) for e in exc.errors()]}
        )

    @app.exception_handler(ClientError)
    async def on_client_error(request: Request, exc: ClientError) -> JSONResponse:
        if exc.status_code == 403:
            # Every refused action is logged (shared.auth logs its own refusals too).
            log.warning(
                "action refused",
                extra={
                    "status_code": 403,
                    "reason": exc.error["code"],
                    "field": exc.error["field"],
                    "method": request.method,
                    "path": request.url.path,
                },
            )
        return JSONResponse(status_code=exc.status_code, content={"errors": exc.errors})
