"""Seed a running system with the 2022 plan, through submissions' public HTTP API.

    python -m services.submissions.demo [--url http://127.0.0.1:8001]

First makes the demo people notifications contacts, through notifications' public HTTP API
(`--notifications-url`; "" to skip): the demo users of `shared.dev_tokens`, each affiliated
union's officer who acts below, and the initiatives' authors, with addresses under
thidua.example (RFC 2606: reserved, never anyone's real mailbox), a language and a digest
choice. Then publishes campaigns/2022.yaml, imports the union tree
(deploy/demo/units-2022.csv), opens phase 1, has most affiliated unions register for
movements (approved by the federation), and has each unit's officer submit its demo
initiatives (deploy/demo/initiatives-2022.json) on the authors' behalf. Safe to run again:
what is already there is left as it is. Tokens are minted with the dev signing settings, as
`python -m shared.dev_tokens` does.
"""

import argparse
import csv
import json
import sys
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from shared.auth import Role, load_auth_settings, mint_token
from shared.contracts.vocabulary import Language, PhaseStatus, RegistrationStatus, UnitLevel
from shared.dev_tokens import DEMO_USERS

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = ROOT / "campaigns" / "2022.yaml"
UNITS = ROOT / "deploy" / "demo" / "units-2022.csv"
INITIATIVES = ROOT / "deploy" / "demo" / "initiatives-2022.json"
NOTIFICATIONS_URL = "http://127.0.0.1:8003"


def token(subject: str, unit_code: str, *roles: Role) -> dict[str, str]:
    minted = mint_token(subject, subject, roles, unit_code, load_auth_settings())
    return {"Authorization": f"Bearer {minted}"}


ADMIN = ("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)


def seed_campaign(client: httpx.Client, campaign_file: Path = CAMPAIGN) -> None:
    """Publish the campaign (unless a phase is already under way) and open its first phase."""
    admin = token(*ADMIN)
    response = client.post(
        "/api/v1/campaigns",
        content=campaign_file.read_bytes(),
        headers={**admin, "content-type": "application/yaml"},
    )
    if response.status_code not in (201, 409):
        sys.exit(f"campaign refused ({response.status_code}): {response.text}")
    campaign = client.get("/api/v1/campaigns/2022", headers=admin).json()
    first = campaign["phases"][0]
    if first["status"] == PhaseStatus.planned:
        client.post(f"/api/v1/campaigns/2022/phases/{first['code']}/open", headers=admin)


def seed_units(client: httpx.Client, units_file: Path = UNITS) -> None:
    response = client.post(
        "/api/v1/units/import",
        files={"file": (units_file.name, units_file.read_bytes(), "text/csv")},
        headers=token(*ADMIN),
    )
    if response.status_code != 200:
        sys.exit(f"units refused ({response.status_code}): {response.text}")


def seed_registrations(client: httpx.Client, leave_out: int = 2) -> int:
    """Most affiliated unions register for phase 1 and are approved; the last `leave_out`
    have not yet, so the dashboards have someone lagging on target 1."""
    admin = token(*ADMIN)
    affiliated = client.get(
        "/api/v1/units", params={"level": UnitLevel.affiliated, "limit": 1000}, headers=admin
    ).json()["items"]
    approved = 0
    for unit in affiliated[: len(affiliated) - leave_out]:
        officer = token(f"{unit['code']}-CB01", unit["code"], Role.UNIT_OFFICER)
        drafted = client.post(
            "/api/v1/registrations",
            headers=officer,
            json={
                "phase_code": "dot-1",
                "unit_code": unit["code"],
                "movement_codes": ["lao-dong-gioi-sang-tao", "01-trieu-sang-kien"],
                "commitments": [
                    {
                        "movement_code": "01-trieu-sang-kien",
                        "text": "Mỗi phòng, ban, đơn vị có ít nhất một sáng kiến",
                    }
                ],
            },
        )
        if drafted.status_code != 201 or drafted.json()["status"] == RegistrationStatus.approved:
            continue  # already approved in an earlier run
        registration = drafted.json()["id"]
        client.post(f"/api/v1/registrations/{registration}/submit", headers=officer)
        if (
            client.post(f"/api/v1/registrations/{registration}/approve", headers=admin).status_code
            == 200
        ):
            approved += 1
    return approved


def seed_initiatives(client: httpx.Client) -> int:
    created = 0
    for number, initiative in enumerate(json.loads(INITIATIVES.read_text("utf-8"))["initiatives"]):
        unit = initiative["unit_code"]
        officer = token(f"{unit}-CB01", unit, Role.UNIT_OFFICER)
        # The key makes a second run a no-op instead of a second copy.
        response = client.post(
            "/api/v1/initiatives",
            json=initiative,
            headers={**officer, "Idempotency-Key": f"demo-2022-{number}"},
        )
        if response.status_code != 201:
            sys.exit(f"demo initiative refused ({response.status_code}): {response.text}")
        created += 1
    return created


MAIL_DOMAIN = "thidua.example"
# Choices that differ from the default (Vietnamese, each message mailed at once), so the
# mailbox shows both languages and the digest has readers: a Vietsovpetro author reads
# English; the federation's admin and reviewer, one unit officer and two authors take the
# daily digest (one email after NOTIFICATIONS_DIGEST_HOUR) instead.
ENGLISH = frozenset({"VSP-0088"})
DAILY_DIGEST = frozenset({"CDDKVN-0001", "CDDKVN-0101", "BSR-0001", "PVD-0311", "PVOIL-3301"})


@dataclass(frozen=True)
class DemoContact:
    person_id: str
    full_name: str
    unit_code: str
    email: str
    is_officer: bool
    language: Language
    daily_digest: bool

    def body(self) -> dict[str, Any]:
        """What `PUT /api/v1/contacts/{person_id}` takes."""
        return {k: v for k, v in asdict(self).items() if k != "person_id"}


def mailbox_name(full_name: str) -> str:
    """The usual Vietnamese work address: the given name (said last) and the initials of the
    others, without diacritics: "Nguyễn Văn An" -> "annv"."""
    plain = unicodedata.normalize("NFD", full_name.replace("đ", "d").replace("Đ", "D"))
    words = "".join(c for c in plain if not unicodedata.combining(c)).lower().split()
    return words[-1] + "".join(word[0] for word in words[:-1])


def demo_contacts(
    units_file: Path = UNITS, initiatives_file: Path = INITIATIVES
) -> list[DemoContact]:
    """The demo's people, each once: the demo users (officers, a member, a reviewer, the
    admin), the officer `<unit>-CB01` of every affiliated union (who registers it and
    submits its initiatives below, and hears of both), and every initiative's author."""
    people: dict[str, tuple[str, str, bool]] = {}  # person -> name, unit, officer
    for user in DEMO_USERS.values():
        # The admin is an officer of the root: notifications tells the federation's officers.
        officer = Role.UNIT_OFFICER in user.roles or Role.FEDERATION_ADMIN in user.roles
        people[user.subject] = (user.name, user.unit_code, officer)
    with units_file.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["level"] == UnitLevel.affiliated:
                code = row["code"]
                people[f"{code}-CB01"] = (f"Cán bộ Công đoàn {code}", code, True)
    for initiative in json.loads(initiatives_file.read_text("utf-8"))["initiatives"]:
        for author in initiative["authors"]:
            people.setdefault(
                author["member_id"], (author["full_name"], initiative["unit_code"], False)
            )
    contacts, taken = [], set()
    for person, (name, unit, officer) in people.items():
        domain = f"{unit.lower()}.{MAIL_DOMAIN}"
        local = "congdoan" if person.endswith("-CB01") else mailbox_name(name)
        address, n = f"{local}@{domain}", 1
        while address in taken:  # two people of one unit with the same initials
            n += 1
            address = f"{local}{n}@{domain}"
        taken.add(address)
        contacts.append(
            DemoContact(
                person_id=person,
                full_name=name,
                unit_code=unit,
                email=address,
                is_officer=officer,
                language="en" if person in ENGLISH else "vi",
                daily_digest=person in DAILY_DIGEST,
            )
        )
    return contacts


def seed_contacts(notifications: httpx.Client, contacts: list[DemoContact] | None = None) -> int:
    """Make the demo people contacts through notifications' API; how many were written.

    Before anything that tells them is submitted: a message is mailed only to a contact with an
    address when it is created. A person who is a contact with an address already is left as
    is (an earlier run's, or an admin's change since), so a second run writes nothing; one
    without (an author notifications learnt from an event: inbox only) gets the demo's."""
    admin = token(*ADMIN)
    known = notifications.get("/api/v1/contacts", headers=admin)
    if known.status_code != 200:
        sys.exit(f"contacts unreadable ({known.status_code}): {known.text}")
    reachable = {contact["person_id"] for contact in known.json() if contact["email"]}
    written = 0
    for contact in demo_contacts() if contacts is None else contacts:
        if contact.person_id in reachable:
            continue
        response = notifications.put(
            f"/api/v1/contacts/{contact.person_id}", json=contact.body(), headers=admin
        )
        if response.status_code != 200:
            sys.exit(f"demo contact refused ({response.status_code}): {response.text}")
        written += 1
    return written


def seed(url: str, notifications_url: str = NOTIFICATIONS_URL) -> None:
    contacts = "no contacts"
    if notifications_url:
        try:
            with httpx.Client(base_url=notifications_url, timeout=30) as notifications:
                contacts = f"{seed_contacts(notifications)} contacts written"
        except httpx.HTTPError as exc:  # the rest of the demo does not need notifications
            contacts = f"no contacts ({notifications_url}: {exc})"
    with httpx.Client(base_url=url, timeout=30) as client:
        seed_units(client)
        seed_campaign(client)
        registered = seed_registrations(client)
        count = seed_initiatives(client)
    print(
        f"demo data: {contacts}, campaign 2022, union tree, {registered} registrations "
        f"approved, {count} initiatives",
        file=sys.stderr,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8001")
    parser.add_argument(
        "--notifications-url",
        default=NOTIFICATIONS_URL,
        help='where the demo people become contacts ("" to skip)',
    )
    arguments = parser.parse_args()
    seed(arguments.url, arguments.notifications_url)
