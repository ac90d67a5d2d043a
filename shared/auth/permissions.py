"""Who may do what, as one table: every endpoint of every service, and for each role whether it
may call it, for all, for its own unit's subtree, for its own things or for the councils it
sits on; and whether it is open without a token (issue 14, point 3).

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
from typing import NamedTuple

from shared.auth.principal import Role


class Allow(Enum):
    """A role's cell of the table: its letter in a `_Row` (one a role, in the order admin,
    officer, member, reviewer, so that each row reads as one line of the table) and how the
    README shows it."""

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


class _Row(NamedTuple):
    route: str  # "METHOD /path"
    cells: str  # admin, officer, member, reviewer (`_CELLS`): "ASNN"
    note: str = ""
    anonymous: bool = False


def _service(service: str, *rows: _Row) -> list[Endpoint]:
    endpoints = []
    for route, cells, note, anonymous in rows:
        method, path = route.split(" ")
        admin, officer, member, reviewer = (_CELLS[cell] for cell in cells)
        endpoints.append(
            Endpoint(service, method, path, admin, officer, member, reviewer, anonymous, note)
        )
    return endpoints


_METRICS = "production: THIDUA_METRICS (a token by default)"
_OPS = (
    _Row("GET /health", "AAAA", anonymous=True),
    _Row("GET /ready", "AAAA", anonymous=True),
    _Row("GET /metrics", "AAAA", _METRICS, anonymous=True),
    # Every change and refusal, who, when, from where (shared.http.audit).
    _Row("GET /api/v1/audit", "ANNN"),
)
_CONFIDENTIAL = "a confidential one's content: its authors, their officers, its council, admins"
_ABOVE = "an officer of a unit above the registering one"
_UNTIL_SEATED = "until a council sits"
_PORTAL = "a redirect to the portal (services/portal)"
_CALLERS_OWN = "the caller's own"
_ANNOUNCED = "proposals and their verdicts: admins; the others see confirmed (and revoked) awards"

ENDPOINTS: tuple[Endpoint, ...] = (
    *_service(
        "submissions",
        *_OPS,
        _Row("POST /api/v1/campaigns", "ANNN"),
        _Row("GET /api/v1/campaigns", "AAAA"),
        _Row("GET /api/v1/campaigns/{campaign_code}", "AAAA"),
        _Row("POST /api/v1/campaigns/{campaign_code}/phases/{phase_code}/open", "ANNN"),
        _Row("POST /api/v1/campaigns/{campaign_code}/phases/{phase_code}/close", "ANNN"),
        _Row("GET /api/v1/units", "AAAA"),
        _Row("POST /api/v1/units", "ASNN"),
        _Row("GET /api/v1/units/import-template.xlsx", "AANN"),
        _Row("GET /api/v1/units/{code}", "AAAA"),
        _Row("POST /api/v1/units/import", "ASNN"),
        _Row("POST /api/v1/registrations", "ASNN"),
        _Row("GET /api/v1/registrations", "ASNN"),
        _Row("POST /api/v1/registrations/{registration_id}/submit", "ASNN"),
        _Row("POST /api/v1/registrations/{registration_id}/approve", "ASNN", _ABOVE),
        _Row("POST /api/v1/registrations/{registration_id}/return", "ASNN", _ABOVE),
        _Row(
            "POST /api/v1/initiatives",
            "ASMM",
            "a member or reviewer as one of its authors, for their unit or one above",
        ),
        _Row("GET /api/v1/initiatives", "ASMA", "lists only what the caller may see"),
        _Row(
            "POST /api/v1/initiatives/import",
            "ASNN",
            "a row of a unit out of reach is refused in the 422's list of rows",
        ),
        _Row("GET /api/v1/initiatives/import-template.xlsx", "AANN"),
        _Row("GET /api/v1/initiatives/{initiative_id}", "ASMA", _CONFIDENTIAL),
        _Row("PATCH /api/v1/initiatives/{initiative_id}", "ASMM", _UNTIL_SEATED),
        _Row("POST /api/v1/initiatives/{initiative_id}/withdraw", "ASMM", _UNTIL_SEATED),
        _Row("POST /api/v1/initiatives/{initiative_id}/attachments", "ASMM"),
        _Row("GET /api/v1/initiatives/{initiative_id}/attachments", "ASMC", _CONFIDENTIAL),
        _Row(
            "GET /api/v1/initiatives/{initiative_id}/attachments/{attachment_id}",
            "ASMC",
            _CONFIDENTIAL,
        ),
        _Row("POST /api/v1/reports", "ASNN"),
        _Row("GET /api/v1/reports", "ASNN"),
        _Row("POST /api/v1/complaints", "ASNN"),
        _Row("GET /api/v1/complaints", "ASNN"),
        _Row("POST /api/v1/complaints/{case_id}/resolve", "ASNN"),
        _Row("GET /portal", "AAAA", _PORTAL, anonymous=True),
        _Row("GET /portal/{rest}", "AAAA", _PORTAL, anonymous=True),
    ),
    *_service(
        "scoring",
        *_OPS,
        _Row(
            "GET /api/v1/reviews/pending",
            "AAAA",
            "the caller's own queue; an admin's is every council's",
        ),
        _Row(
            "GET /api/v1/reviews/mine",
            "NNNA",
            "the reviewer's own scorecards, beside each initiative's state",
        ),
        _Row("GET /api/v1/reviews/{initiative_id}", "ANNC"),
        _Row("POST /api/v1/reviews/assign", "ANNN"),
        _Row("POST /api/v1/reviews/scores", "NNNC"),
        _Row("POST /api/v1/reviews/{initiative_id}/scores", "NNNC"),
        _Row("POST /api/v1/reviews/{initiative_id}/return", "ANNN"),
        _Row("GET /api/v1/progress/{campaign_code}/{phase_code}", "AAAA"),
        _Row("GET /api/v1/awards", "AAAA", _ANNOUNCED),
        _Row("POST /api/v1/awards/{award_id}/confirm", "ANNN"),
        _Row("POST /api/v1/awards/{award_id}/reject", "ANNN"),
        _Row("POST /api/v1/awards/{award_id}/revoke", "ANNN"),
        _Row("GET /api/v1/awards/decision.docx", "ANNN"),
        _Row(
            "GET /api/v1/awards/{award_id}/certificate.docx",
            "AUMN",
            "a confirmed award: its recipient, the officers of its unit, admins",
        ),
    ),
    *_service(
        "notifications",
        *_OPS,
        _Row("GET /api/v1/inbox", "AAAA", _CALLERS_OWN),
        _Row("GET /api/v1/inbox/unread-count", "AAAA", _CALLERS_OWN),
        _Row("GET /api/v1/inbox/{recipient_id}", "ASMM"),
        _Row("POST /api/v1/inbox/messages/{message_id}/read", "MMMM", "the recipient only"),
        _Row("POST /api/v1/inbox/read", "AAAA", _CALLERS_OWN),
        _Row("POST /api/v1/subscribers", "ANNN"),
        _Row("GET /api/v1/subscribers", "ANNN"),
        _Row("POST /api/v1/subscribers/{subscriber_id}/rotate-secret", "ANNN"),
        _Row("DELETE /api/v1/subscribers/{subscriber_id}", "ANNN"),
        _Row("PUT /api/v1/contacts/{person_id}", "ANNN"),
        _Row("GET /api/v1/contacts", "ANNN"),
        _Row("GET /api/v1/me/contact", "AAAA", _CALLERS_OWN),
        _Row("PUT /api/v1/me/contact", "AAAA", _CALLERS_OWN),
        _Row("GET /api/v1/deliveries", "ANNN"),
        _Row("POST /api/v1/deliveries/{delivery_id}/redeliver", "ANNN"),
    ),
    *_service(
        "reporting",
        *_OPS,
        _Row("GET /api/v1/initiative-counts", "AAAA", anonymous=True),
        _Row(
            "GET /api/v1/summary/{campaign_code}",
            "ASSA",
            "a member and an officer: their own unit's subtree",
        ),
        _Row("GET /api/v1/progress/{campaign_code}/{phase_code}", "AAAA", anonymous=True),
        _Row(
            "GET /api/v1/league/{campaign_code}/{phase_code}",
            "AAAA",
            "a subtree (unit=) as the summary",
            anonymous=True,
        ),
        _Row("GET /api/v1/trend/{campaign_code}", "AAAA", anonymous=True),
        _Row("GET /api/v1/fields/{campaign_code}", "AAAA", anonymous=True),
        _Row("GET /api/v1/honour-board/{campaign_code}", "AAAA", anonymous=True),
        _Row("GET /api/v1/exports/{campaign_code}/{phase_code}.xlsx", "ASNA"),
        _Row("GET /api/v1/exports/{campaign_code}/{phase_code}/{table}.csv", "ASNA"),
        _Row("GET /dashboard", "AAAA", anonymous=True),
        _Row("GET /dashboard/{campaign_code}", "AAAA", anonymous=True),
    ),
)

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
