"""A use case's refusal: what it was asked cannot be done, for a reason the caller can correct.

Not an HTTP error: the domain and the use cases say *what kind* of refusal it is (the thing
asked for does not exist, conflicts with the state, is not allowed, is invalid); the routes'
error handler (shared.http.errors) answers it as the matching 4xx, with the field at fault
and the reason in Vietnamese and English. On a consumer's path a refusal is data that can
never apply (a `ValueError`, so the consumer dead-letters it with the reason).
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final


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
# a body that names it. Each is said by its row here (the request's codes in its braces) and
# answered with the code `unknown_<thing>`.
_UNKNOWN: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        "campaign": (
            "Chưa có kế hoạch thi đua {campaign}",
            "No campaign {campaign} has been published",
        ),
        "phase": (
            "Kế hoạch {campaign} không có đợt {phase}",
            "Campaign {campaign} has no phase {phase}",
        ),
        "unit": ("Không có đơn vị mã {unit}", "No unit with code {unit}"),
    }
)


def _unknown(thing: str, field: str, kind: Kind, **codes: str) -> Refusal:
    vi, en = _UNKNOWN[thing]
    return Refusal(kind, field, f"unknown_{thing}", vi.format(**codes), en.format(**codes))


def unknown_campaign(code: str, kind: Kind = Kind.not_found) -> Refusal:
    return _unknown("campaign", "campaign_code", kind, campaign=code)


def unknown_phase(phase_code: str, campaign_code: str, kind: Kind = Kind.not_found) -> Refusal:
    return _unknown("phase", "phase_code", kind, campaign=campaign_code, phase=phase_code)


def unknown_unit(code: str, field: str, kind: Kind = Kind.invalid) -> Refusal:
    return _unknown("unit", field, kind, unit=code)
