"""A use case's refusal: what it was asked cannot be done, for a reason the caller can correct.

Not an HTTP error: the domain and the use cases say *what kind* of refusal it is (the thing
asked for does not exist, conflicts with the state, is not allowed, is invalid); the routes'
error handler (shared.http.errors) answers it as the matching 4xx, with the field at fault
and the reason in Vietnamese and English. On a consumer's path a refusal is data that can
never apply (a `ValueError`, so the consumer dead-letters it with the reason).
"""

from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    invalid = "invalid"  # 422
    not_found = "not_found"  # 404
    conflict = "conflict"  # 409: not in the state the act needs
    forbidden = "forbidden"  # 403
    too_large = "too_large"  # 413
    unsupported = "unsupported"  # 415: a file of a kind not read


def client_error(field: str, code: str, message_vi: str, message_en: str) -> dict[str, str]:
    """One problem as a person reads it: the field at fault, a code, both languages."""
    return {"field": field, "code": code, "message_vi": message_vi, "message_en": message_en}


class Refusal(ValueError):
    def __init__(
        self,
        kind: Kind,
        field: str,
        code: str,
        message_vi: str,
        message_en: str,
        *,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.kind = kind
        self.error = client_error(field, code, message_vi, message_en)
        # Several problems at once (a file's rows, say) are listed instead of the summary.
        self.errors: list[dict[str, Any]] = details or [self.error]


class Explained(Exception):
    """Something refused with its code and its reason in Vietnamese and English, raised where
    it is not yet known how it will be answered: whoever catches it names the field or row at
    fault (a webhook's `url`, a cell of a sheet)."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


# The refusals every service gives about the same three things, in one wording each: a request
# naming a campaign, a phase or a unit that does not exist. `kind`: not found where the thing
# is what the request is about (a path, a report's subject), invalid where it is one field of
# a body that names it.


def unknown_campaign(code: str, kind: Kind = Kind.not_found) -> Refusal:
    return Refusal(
        kind,
        "campaign_code",
        "unknown_campaign",
        f"Chưa có kế hoạch thi đua {code}",
        f"No campaign {code} has been published",
    )


def unknown_phase(phase_code: str, campaign_code: str, kind: Kind = Kind.not_found) -> Refusal:
    return Refusal(
        kind,
        "phase_code",
        "unknown_phase",
        f"Kế hoạch {campaign_code} không có đợt {phase_code}",
        f"Campaign {campaign_code} has no phase {phase_code}",
    )


def unknown_unit(code: str, field: str, kind: Kind = Kind.invalid) -> Refusal:
    return Refusal(
        kind,
        field,
        "unknown_unit",
        f"Không có đơn vị mã {code}",
        f"No unit with code {code}",
    )
