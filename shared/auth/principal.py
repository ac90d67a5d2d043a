"""Who a valid token speaks for: the roles there are and the `Principal` holding them."""

from dataclasses import dataclass

from shared.contracts.vocabulary import Labelled


class Role(Labelled):
    """What a person may do, with what the pages call it in Vietnamese and English."""

    MEMBER = "member"
    UNIT_OFFICER = "unit_officer"
    REVIEWER = "reviewer"
    FEDERATION_ADMIN = "federation_admin"


ROLE_LABELS = Role.labels()

ROLE_VI: dict[Role, str] = {role: role.label_vi[0].lower() + role.label_vi[1:] for role in Role}
"""A role's Vietnamese label mid-sentence (as a refusal names the roles it needs)."""


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
