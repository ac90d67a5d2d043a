"""Which units a principal may act for: a federation admin for all, a unit officer for their
unit's subtree (asked of a `UnitScope`, since the unit tree lives in the submissions service's
database), and a member for themself."""

from collections.abc import Mapping
from typing import Protocol

from shared.auth.principal import Principal, Role
from shared.auth.refusals import FORBIDDEN_VI, AuthRefusal, log_refusal, request_line


class UnitScope(Protocol):
    """Whether `unit_code` is inside the subtree of unit `within` (which includes `within`).

    Provided by each service: the unit tree lives in the submissions service's database.
    """

    async def __call__(self, unit_code: str, *, within: str) -> bool: ...


class ParentMapScope:
    """A `UnitScope` over a map of each unit code to its parent's (None at the root)."""

    def __init__(self, parents: Mapping[str, str | None]) -> None:
        self._parents = dict(parents)

    async def __call__(self, unit_code: str, *, within: str) -> bool:
        seen: set[str] = set()  # a cycle in bad data must end the walk, not hang the request
        current: str | None = unit_code
        while current is not None and current not in seen:
            if current == within:
                return True
            seen.add(current)
            current = self._parents.get(current)
        return False


async def can_act_for_unit(principal: Principal, unit_code: str, scope: UnitScope) -> bool:
    """Without refusing (to filter a list): a federation admin, or an officer over the unit."""
    if principal.is_federation_admin:
        return True
    if not principal.has_role(Role.UNIT_OFFICER):
        return False
    return unit_code == principal.unit_code or await scope(unit_code, within=principal.unit_code)


async def ensure_can_act_for_unit(
    principal: Principal, unit_code: str, scope: UnitScope, *, field: str = "unit_code"
) -> None:
    """403 (logged) unless a federation admin, or a unit officer whose subtree has the unit."""
    if await can_act_for_unit(principal, unit_code, scope):
        return
    log_refusal(403, "unit_outside_scope", principal, request_line.get(), unit_code=unit_code)
    raise AuthRefusal(
        403,
        field,
        "forbidden_unit",
        f"{FORBIDDEN_VI} cho đơn vị {unit_code}",
        f"You are not allowed to act for unit {unit_code}",
    )


async def ensure_is_self_or_officer(
    principal: Principal,
    member_id: str,
    member_unit: str,
    scope: UnitScope,
    *,
    field: str = "member_id",
) -> None:
    """403 (logged) unless the member themself, an officer over their unit, or a federation
    admin: "a member sees their own"."""
    if principal.subject == member_id or await can_act_for_unit(principal, member_unit, scope):
        return
    log_refusal(
        403,
        "not_self_or_officer",
        principal,
        request_line.get(),
        member_id=member_id,
        unit_code=member_unit,
    )
    raise AuthRefusal(
        403,
        field,
        "forbidden_member",
        f"{FORBIDDEN_VI} cho đoàn viên {member_id}",
        f"Only member {member_id} or an officer of their unit may do this",
    )
