"""Who may do what, as one table: every endpoint of every service, and for each role whether it
may call it, for all, for its own unit's subtree, for its own things or for the councils it
sits on; and whether it is open without a token (issue 14, point 3). The rows are data,
permissions.yaml beside this module, read once at import and checked as they are read.

The README's "Who may do what" table is made from this one (`python -m shared.auth.permissions
--write README.md`; a test checks they agree), and tests/unit/test_authorization_matrix.py
calls every endpoint of the four apps as every kind of caller and checks each answer against
it. The services enforce the rules in their routes (`require_roles`, `ensure_can_act_for_unit`,
…); this table is what they must match, stated once for people and tests.

Two rules hold for every row and are not repeated in it: a token that is sent must be valid
(401 otherwise, even where no token is needed), and a refusal is a 401 without a token, a 403
with one (or a 404 where saying "it exists" would already tell too much).
"""

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.auth.principal import Role
from shared.data_files import read_model


class Allow(Enum):
    """A role's cell of the table: its letter in a row of permissions.yaml (one a role, in the
    order admin, officer, member, reviewer, so that each row reads as one line of the table)
    and how the README shows it."""

    ALL = "A", "✓"  # anyone holding the role
    SUBTREE = "S", "own subtree"  # an officer, for units in their own unit's subtree
    UNIT = "U", "own unit"  # an officer, for their own unit only (not the units below it)
    # The person's own (M: mine): their initiatives (as an author), inbox, contact, award.
    OWN = "M", "own"
    COUNCIL = "C", "own councils"  # a reviewer, for the initiatives whose council they sit on
    NONE = "N", "—"

    @property
    def letter(self) -> str:
        return self.value[0]

    @property
    def shown(self) -> str:
        return self.value[1]


_CELLS = {cell.letter: cell for cell in Allow}


@dataclass(frozen=True)
class Endpoint:
    service: str
    method: str
    path: str
    admin: Allow
    officer: Allow
    member: Allow
    reviewer: Allow
    anonymous: bool = False
    note: str = ""

    def allows(self, role: str) -> Allow:
        return {
            Role.FEDERATION_ADMIN: self.admin,
            Role.UNIT_OFFICER: self.officer,
            Role.MEMBER: self.member,
            Role.REVIEWER: self.reviewer,
        }[Role(role)]


TABLE_FILE = Path(__file__).with_name("permissions.yaml")

_Service = Literal["submissions", "scoring", "notifications", "reporting"]


class _Row(BaseModel):
    """One row of permissions.yaml, checked as it is read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    route: str = Field(pattern=r"^(GET|POST|PUT|PATCH|DELETE) /\S*$")  # "METHOD /path"
    cells: str = Field(pattern=f"^[{''.join(_CELLS)}]{{4}}$")  # admin, officer, member, reviewer
    note: str = ""
    anonymous: bool = False


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    notes: dict[str, str]  # said by several rows, through YAML aliases; read there, not here
    ops: tuple[_Row, ...]  # served by every service, before its own rows
    services: dict[_Service, tuple[_Row, ...]]  # in the README's order

    @model_validator(mode="after")
    def _every_service(self) -> Self:
        missing = set(get_args(_Service)) - set(self.services)
        if missing:
            raise ValueError(f"no permissions for {', '.join(sorted(missing))}")
        return self


def _service(service: str, rows: Sequence[_Row]) -> list[Endpoint]:
    endpoints = []
    for row in rows:
        method, path = row.route.split(" ")
        admin, officer, member, reviewer = (_CELLS[cell] for cell in row.cells)
        endpoints.append(
            Endpoint(
                service, method, path, admin, officer, member, reviewer, row.anonymous, row.note
            )
        )
    if len({(e.method, e.path) for e in endpoints}) != len(endpoints):
        raise ValueError(f"the permissions of {service} list an endpoint twice")
    return endpoints


def load_endpoints(path: Path = TABLE_FILE) -> tuple[Endpoint, ...]:
    """Every service's endpoints, in the file's order: its operational ones, then its own."""
    table = read_model(path, _Table)
    return tuple(
        endpoint
        for service, rows in table.services.items()
        for endpoint in _service(service, [*table.ops, *rows])
    )


ENDPOINTS: tuple[Endpoint, ...] = load_endpoints()

ROLES = (Role.FEDERATION_ADMIN, Role.UNIT_OFFICER, Role.MEMBER, Role.REVIEWER)
_HEADERS = ("admin", "officer", "member", "reviewer", "no token")

START = "<!-- who-may-do-what: made by `python -m shared.auth.permissions --write README.md` -->"
END = "<!-- who-may-do-what: end -->"


def markdown(endpoints: Sequence[Endpoint] = ENDPOINTS) -> str:
    """The table as the README shows it, one section per service."""
    lines: list[str] = []
    for service in dict.fromkeys(e.service for e in endpoints):
        lines += [
            f"**{service}**",
            "",
            f"| endpoint | {' | '.join(_HEADERS)} | note |",
            "|---|" + "---|" * (len(_HEADERS) + 1),
        ]
        for e in (e for e in endpoints if e.service == service):
            cells = [e.allows(role).shown for role in ROLES]
            cells.append("✓" if e.anonymous else "—")
            lines.append(f"| `{e.method} {e.path}` | {' | '.join(cells)} | {e.note} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def with_table(readme: str) -> str:
    """The README with its generated block replaced by the table (ValueError if it has none)."""
    start, end = readme.index(START), readme.index(END)
    return readme[: start + len(START)] + "\n\n" + markdown() + "\n" + readme[end:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.auth.permissions", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--write", type=Path, help="replace the table in this README")
    parser.add_argument("--check", type=Path, help="exit 1 if this README's table differs")
    args = parser.parse_args(argv)
    if args.write or args.check:
        path: Path = args.write or args.check
        text = path.read_text(encoding="utf-8")
        wanted = with_table(text)
        if args.check:
            if wanted != text:
                print(f"{path}: 'Who may do what' differs from shared/auth/permissions.py")
                return 1
            return 0
        path.write_text(wanted, encoding="utf-8")
        return 0
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
