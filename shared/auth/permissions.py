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
from enum import StrEnum
from pathlib import Path


class Allow(StrEnum):
    ALL = "all"  # anyone holding the role
    SUBTREE = "subtree"  # an officer, for units in their own unit's subtree
    UNIT = "unit"  # an officer, for their own unit only (not the units below it)
    OWN = "own"  # the person's own: their initiatives (as an author), inbox, contact, award
    COUNCIL = "council"  # a reviewer, for the initiatives whose council they sit on
    NONE = "none"


SHOWN: dict[Allow, str] = {
    Allow.ALL: "✓",
    Allow.SUBTREE: "own subtree",
    Allow.UNIT: "own unit",
    Allow.OWN: "own",
    Allow.COUNCIL: "own councils",
    Allow.NONE: "—",
}

# Short names, so that each row reads as one line of the table (M: mine, the person's own).
A, S, U, M, C, N = Allow.ALL, Allow.SUBTREE, Allow.UNIT, Allow.OWN, Allow.COUNCIL, Allow.NONE


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
            "federation_admin": self.admin,
            "unit_officer": self.officer,
            "member": self.member,
            "reviewer": self.reviewer,
        }[role]


def _ops(service: str) -> list[Endpoint]:
    note = "production: THIDUA_METRICS (a token by default)"
    return [
        Endpoint(service, "GET", "/health", A, A, A, A, anonymous=True),
        Endpoint(service, "GET", "/ready", A, A, A, A, anonymous=True),
        Endpoint(service, "GET", "/metrics", A, A, A, A, anonymous=True, note=note),
        # Every change and refusal, who, when, from where (shared.http.audit).
        Endpoint(service, "GET", "/api/v1/audit", A, N, N, N),
    ]


_CONFIDENTIAL = "a confidential one's content: its authors, their officers, its council, admins"

ENDPOINTS: tuple[Endpoint, ...] = (
    *_ops("submissions"),
    Endpoint("submissions", "POST", "/api/v1/campaigns", A, N, N, N),
    Endpoint("submissions", "GET", "/api/v1/campaigns", A, A, A, A),
    Endpoint("submissions", "GET", "/api/v1/campaigns/{campaign_code}", A, A, A, A),
    Endpoint(
        "submissions",
        "POST",
        "/api/v1/campaigns/{campaign_code}/phases/{phase_code}/open",
        A,
        N,
        N,
        N,
    ),
    Endpoint(
        "submissions",
        "POST",
        "/api/v1/campaigns/{campaign_code}/phases/{phase_code}/close",
        A,
        N,
        N,
        N,
    ),
    Endpoint("submissions", "GET", "/api/v1/units", A, A, A, A),
    Endpoint("submissions", "POST", "/api/v1/units", A, S, N, N),
    Endpoint("submissions", "GET", "/api/v1/units/import-template.xlsx", A, A, N, N),
    Endpoint("submissions", "GET", "/api/v1/units/{code}", A, A, A, A),
    Endpoint("submissions", "POST", "/api/v1/units/import", A, S, N, N),
    Endpoint("submissions", "POST", "/api/v1/registrations", A, S, N, N),
    Endpoint("submissions", "GET", "/api/v1/registrations", A, S, N, N),
    Endpoint("submissions", "POST", "/api/v1/registrations/{registration_id}/submit", A, S, N, N),
    Endpoint(
        "submissions",
        "POST",
        "/api/v1/registrations/{registration_id}/approve",
        A,
        S,
        N,
        N,
        note="an officer of a unit above the registering one",
    ),
    Endpoint(
        "submissions",
        "POST",
        "/api/v1/registrations/{registration_id}/return",
        A,
        S,
        N,
        N,
        note="an officer of a unit above the registering one",
    ),
    Endpoint(
        "submissions",
        "POST",
        "/api/v1/initiatives",
        A,
        S,
        M,
        M,
        note="a member or reviewer as one of its authors, for their unit or one above",
    ),
    Endpoint(
        "submissions",
        "GET",
        "/api/v1/initiatives",
        A,
        S,
        M,
        A,
        note="lists only what the caller may see",
    ),
    Endpoint(
        "submissions",
        "POST",
        "/api/v1/initiatives/import",
        A,
        S,
        N,
        N,
        note="a row of a unit out of reach is refused in the 422's list of rows",
    ),
    Endpoint("submissions", "GET", "/api/v1/initiatives/import-template.xlsx", A, A, N, N),
    Endpoint(
        "submissions",
        "GET",
        "/api/v1/initiatives/{initiative_id}",
        A,
        S,
        M,
        A,
        note=_CONFIDENTIAL,
    ),
    Endpoint(
        "submissions",
        "PATCH",
        "/api/v1/initiatives/{initiative_id}",
        A,
        S,
        M,
        M,
        note="until a council sits",
    ),
    Endpoint(
        "submissions",
        "POST",
        "/api/v1/initiatives/{initiative_id}/withdraw",
        A,
        S,
        M,
        M,
        note="until a council sits",
    ),
    Endpoint("submissions", "POST", "/api/v1/initiatives/{initiative_id}/attachments", A, S, M, M),
    Endpoint(
        "submissions",
        "GET",
        "/api/v1/initiatives/{initiative_id}/attachments",
        A,
        S,
        M,
        C,
        note=_CONFIDENTIAL,
    ),
    Endpoint(
        "submissions",
        "GET",
        "/api/v1/initiatives/{initiative_id}/attachments/{attachment_id}",
        A,
        S,
        M,
        C,
        note=_CONFIDENTIAL,
    ),
    Endpoint("submissions", "POST", "/api/v1/reports", A, S, N, N),
    Endpoint("submissions", "GET", "/api/v1/reports", A, S, N, N),
    Endpoint("submissions", "POST", "/api/v1/complaints", A, S, N, N),
    Endpoint("submissions", "GET", "/api/v1/complaints", A, S, N, N),
    Endpoint("submissions", "POST", "/api/v1/complaints/{case_id}/resolve", A, S, N, N),
    Endpoint(
        "submissions",
        "GET",
        "/portal",
        A,
        A,
        A,
        A,
        anonymous=True,
        note="a redirect to the portal (services/portal)",
    ),
    Endpoint(
        "submissions",
        "GET",
        "/portal/{rest}",
        A,
        A,
        A,
        A,
        anonymous=True,
        note="a redirect to the portal (services/portal)",
    ),
    *_ops("scoring"),
    Endpoint(
        "scoring",
        "GET",
        "/api/v1/reviews/pending",
        A,
        A,
        A,
        A,
        note="the caller's own queue; an admin's is every council's",
    ),
    Endpoint(
        "scoring",
        "GET",
        "/api/v1/reviews/mine",
        N,
        N,
        N,
        A,
        note="the reviewer's own scorecards, beside each initiative's state",
    ),
    Endpoint("scoring", "GET", "/api/v1/reviews/{initiative_id}", A, N, N, C),
    Endpoint("scoring", "POST", "/api/v1/reviews/assign", A, N, N, N),
    Endpoint("scoring", "POST", "/api/v1/reviews/scores", N, N, N, C),
    Endpoint("scoring", "POST", "/api/v1/reviews/{initiative_id}/scores", N, N, N, C),
    Endpoint("scoring", "POST", "/api/v1/reviews/{initiative_id}/return", A, N, N, N),
    Endpoint("scoring", "GET", "/api/v1/progress/{campaign_code}/{phase_code}", A, A, A, A),
    Endpoint("scoring", "GET", "/api/v1/awards", A, A, A, A),
    Endpoint("scoring", "POST", "/api/v1/awards/{award_id}/confirm", A, N, N, N),
    Endpoint("scoring", "POST", "/api/v1/awards/{award_id}/reject", A, N, N, N),
    Endpoint("scoring", "POST", "/api/v1/awards/{award_id}/revoke", A, N, N, N),
    Endpoint("scoring", "GET", "/api/v1/awards/decision.docx", A, N, N, N),
    Endpoint(
        "scoring",
        "GET",
        "/api/v1/awards/{award_id}/certificate.docx",
        A,
        U,
        M,
        N,
        note="a confirmed award: its recipient, the officers of its unit, admins",
    ),
    *_ops("notifications"),
    Endpoint("notifications", "GET", "/api/v1/inbox", A, A, A, A, note="the caller's own"),
    Endpoint(
        "notifications", "GET", "/api/v1/inbox/unread-count", A, A, A, A, note="the caller's own"
    ),
    Endpoint("notifications", "GET", "/api/v1/inbox/{recipient_id}", A, S, M, M),
    Endpoint(
        "notifications",
        "POST",
        "/api/v1/inbox/messages/{message_id}/read",
        M,
        M,
        M,
        M,
        note="the recipient only",
    ),
    Endpoint("notifications", "POST", "/api/v1/subscribers", A, N, N, N),
    Endpoint("notifications", "GET", "/api/v1/subscribers", A, N, N, N),
    Endpoint(
        "notifications", "POST", "/api/v1/subscribers/{subscriber_id}/rotate-secret", A, N, N, N
    ),
    Endpoint("notifications", "DELETE", "/api/v1/subscribers/{subscriber_id}", A, N, N, N),
    Endpoint("notifications", "PUT", "/api/v1/contacts/{person_id}", A, N, N, N),
    Endpoint("notifications", "GET", "/api/v1/contacts", A, N, N, N),
    Endpoint("notifications", "GET", "/api/v1/me/contact", A, A, A, A, note="the caller's own"),
    Endpoint("notifications", "PUT", "/api/v1/me/contact", A, A, A, A, note="the caller's own"),
    Endpoint("notifications", "GET", "/api/v1/deliveries", A, N, N, N),
    Endpoint("notifications", "POST", "/api/v1/deliveries/{delivery_id}/redeliver", A, N, N, N),
    *_ops("reporting"),
    Endpoint("reporting", "GET", "/api/v1/initiative-counts", A, A, A, A, anonymous=True),
    Endpoint(
        "reporting",
        "GET",
        "/api/v1/summary/{campaign_code}",
        A,
        S,
        S,
        A,
        note="a member and an officer: their own unit's subtree",
    ),
    Endpoint(
        "reporting",
        "GET",
        "/api/v1/progress/{campaign_code}/{phase_code}",
        A,
        A,
        A,
        A,
        anonymous=True,
    ),
    Endpoint(
        "reporting",
        "GET",
        "/api/v1/league/{campaign_code}/{phase_code}",
        A,
        A,
        A,
        A,
        anonymous=True,
        note="a subtree (unit=) as the summary",
    ),
    Endpoint("reporting", "GET", "/api/v1/trend/{campaign_code}", A, A, A, A, anonymous=True),
    Endpoint("reporting", "GET", "/api/v1/fields/{campaign_code}", A, A, A, A, anonymous=True),
    Endpoint(
        "reporting", "GET", "/api/v1/honour-board/{campaign_code}", A, A, A, A, anonymous=True
    ),
    Endpoint("reporting", "GET", "/api/v1/exports/{campaign_code}/{phase_code}.xlsx", A, S, N, A),
    Endpoint(
        "reporting",
        "GET",
        "/api/v1/exports/{campaign_code}/{phase_code}/{table}.csv",
        A,
        S,
        N,
        A,
    ),
    Endpoint("reporting", "GET", "/dashboard", A, A, A, A, anonymous=True),
    Endpoint("reporting", "GET", "/dashboard/{campaign_code}", A, A, A, A, anonymous=True),
)

ROLES = ("federation_admin", "unit_officer", "member", "reviewer")
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
            cells = [SHOWN[e.allows(role)] for role in ROLES]
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
