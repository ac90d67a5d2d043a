"""Who a valid token speaks for: the roles there are and the `Principal` holding them."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    UNIT_OFFICER = "unit_officer"
    REVIEWER = "reviewer"
    FEDERATION_ADMIN = "federation_admin"


ROLE_VI: dict[Role, str] = {
    Role.MEMBER: "đoàn viên",
    Role.UNIT_OFFICER: "cán bộ công đoàn đơn vị",
    Role.REVIEWER: "thành viên hội đồng chấm điểm",
    Role.FEDERATION_ADMIN: "quản trị viên Công đoàn Dầu khí Việt Nam",
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The person a valid token speaks for."""

    subject: str
    name: str
    roles: frozenset[Role]
    unit_code: str

    def has_role(self, role: Role | str) -> bool:
        return Role(role) in self.roles  # an unknown name raises: a typo must not just say no

    # A property, not a method: `if principal.is_federation_admin:` must never be always true.
    @property
    def is_federation_admin(self) -> bool:
        return Role.FEDERATION_ADMIN in self.roles
