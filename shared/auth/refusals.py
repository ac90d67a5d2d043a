"""The 401s and 403s: `AuthRefusal`, answered in Vietnamese and English with its headers
(`install_auth_error_handler`), and the WARNING logged for every refusal with the subject,
roles, method, path and reason."""

import logging
from contextvars import ContextVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shared.auth.principal import Principal
from shared.auth.tokens import TokenProblem
from shared.http.errors import ClientError

log = logging.getLogger("thidua.auth")


class AuthRefusal(ClientError):
    """A 401 or 403 from this module, with the headers its response must carry."""


def install_auth_error_handler(app: FastAPI) -> None:
    """Answer refusals like other client errors, with their headers (`WWW-Authenticate`).

    The handler for `ClientError` would log a 403 again ("action refused"); this one, more
    specific, wins: `log_refusal` logged the refusal where it was made.
    """

    @app.exception_handler(AuthRefusal)
    async def on_auth_refusal(_: Request, exc: AuthRefusal) -> JSONResponse:
        return JSONResponse(
            status_code=exc.status_code, content={"errors": [exc.error]}, headers=exc.headers
        )


# The request being served, for the log line of a refusal made inside a route, where
# `ensure_can_act_for_unit` has no request at hand. Set where the principal is resolved, which
# every guarded route does first; each request runs in its own task, so it never leaks.
request_line: ContextVar[tuple[str, str] | None] = ContextVar("thidua_auth_request", default=None)


def log_refusal(
    status_code: int,
    reason: str,
    principal: Principal | None,
    request_line: tuple[str, str] | None,
    **details: object,
) -> None:
    method, path = request_line or (None, None)
    log.warning(
        "authentication refused" if status_code == 401 else "permission refused",
        extra={
            "status_code": status_code,
            "reason": reason,
            "subject": principal.subject if principal else None,
            "roles": sorted(role.value for role in principal.roles) if principal else [],
            "principal_unit": principal.unit_code if principal else None,
            "method": method,
            "path": path,
            **details,
        },
    )


def unauthenticated(reason: TokenProblem) -> AuthRefusal:
    # RFC 6750 §3.1: no error code when no credentials were sent. The client learns only
    # "sign in" or "sign in again"; the precise reason is in the log.
    if reason is TokenProblem.MISSING:
        return AuthRefusal(
            401,
            "authorization",
            "not_authenticated",
            "Cần đăng nhập để thực hiện thao tác này",
            "Sign-in required: send a bearer token in the Authorization header",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if reason is TokenProblem.EXPIRED:
        code, message_vi, message_en = (
            "token_expired",
            "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại",
            "Your session has expired; please sign in again",
        )
    else:
        code, message_vi, message_en = (
            "token_invalid",
            "Phiên đăng nhập không hợp lệ, vui lòng đăng nhập lại",
            "The sign-in token is not valid; please sign in again",
        )
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
    return AuthRefusal(401, "authorization", code, message_vi, message_en, headers=headers)


FORBIDDEN_VI = "Bạn không có quyền thực hiện thao tác này"
