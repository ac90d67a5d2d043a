"""`python -m shared.dev_tokens [USER]`: a bearer token for a demo user, for development only.

    TOKEN=$(python -m shared.dev_tokens officer-pvgas)
    curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8001/...

Without USER it prints every demo user's token, one `USER TOKEN` line each; `--list` shows who
they are. It signs with `AuthSettings` from the environment (`THIDUA_AUTH_*`), so the services
started with the same environment accept the tokens. Only HS256 tokens can be minted: with
RS256 the OIDC provider signs them.
"""

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from shared.auth import AuthSettings, Role, load_auth_settings, mint_token
from shared.settings import load_deployment_settings


@dataclass(frozen=True)
class DemoUser:
    subject: str
    name: str
    roles: tuple[Role, ...]
    unit_code: str


DEMO_USERS: dict[str, DemoUser] = {
    "admin": DemoUser("CDDKVN-0001", "Nguyễn Thị Quản Trị", (Role.FEDERATION_ADMIN,), "CDDKVN"),
    "officer-pvgas": DemoUser("PVGAS-0001", "Trần Minh Hoàng", (Role.UNIT_OFFICER,), "PVGAS"),
    "officer-bsr": DemoUser("BSR-0001", "Lê Thị Thu Hà", (Role.UNIT_OFFICER,), "BSR"),
    "member-pvgas": DemoUser("PVGAS-0012", "Nguyễn Văn An", (Role.MEMBER,), "PVGAS-KCM"),
    "reviewer": DemoUser("CDDKVN-0101", "Phạm Quốc Bảo", (Role.REVIEWER,), "CDDKVN"),
}


def token_for(user: str, settings: AuthSettings, ttl: timedelta) -> str:
    demo = DEMO_USERS[user]
    return mint_token(demo.subject, demo.name, demo.roles, demo.unit_code, settings, ttl)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m shared.dev_tokens",
        description="Print a bearer token for a demo user (development only).",
    )
    parser.add_argument("user", nargs="?", choices=sorted(DEMO_USERS), help="default: all")
    parser.add_argument("--list", action="store_true", help="list the demo users, no tokens")
    parser.add_argument("--ttl-hours", type=float, default=8.0, help="lifetime (default: 8)")
    args = parser.parse_args(argv)
    if args.list:
        for key, demo in DEMO_USERS.items():
            roles = ",".join(demo.roles)
            print(f"{key:<14} {demo.subject:<12} {roles:<17} {demo.unit_code:<10} {demo.name}")
        return 0
    if args.ttl_hours <= 0:
        parser.error("--ttl-hours must be positive")
    if load_deployment_settings().is_production:
        parser.error("THIDUA_ENV is production: demo users and their tokens are development only")
    settings = load_auth_settings()  # warns on stderr when the development secret is used
    if settings.algorithm != "HS256":
        parser.error("THIDUA_AUTH_ALGORITHM is RS256: tokens come from the OIDC provider")
    ttl = timedelta(hours=args.ttl_hours)
    if args.user:
        print(token_for(args.user, settings, ttl))
        return 0
    for key in DEMO_USERS:
        print(key, token_for(key, settings, ttl))
    return 0


if __name__ == "__main__":
    sys.exit(main())
