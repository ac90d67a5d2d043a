"""The menu: each page module declares its entries with the roles that may use them, so a
person is offered only the pages that will not refuse them (the same roles guard the routes:
`web.signed_in_as`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from shared.auth import Principal, Role

EVERYONE: frozenset[Role] = frozenset(Role)


@dataclass(frozen=True)
class MenuItem:
    path: str
    key: str  # its words in the i18n catalogue
    roles: frozenset[Role] = EVERYONE
    # Shown with the unread count of the person's inbox beside it.
    badge: bool = False
    # "main": the row of the area's pages; "personal": beside the person's name (their own
    # inbox and settings), so the main row keeps to the work.
    place: Literal["main", "personal"] = "main"

    def offered_to(self, principal: Principal) -> bool:
        return bool(self.roles & principal.roles)


def menu_for(principal: Principal, items: Iterable[MenuItem]) -> list[MenuItem]:
    return [item for item in items if item.offered_to(principal)]
