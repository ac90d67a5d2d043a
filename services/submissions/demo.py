"""Seed a running system with the 2022 plan, through submissions' public HTTP API.

    python -m services.submissions.demo [--url http://127.0.0.1:8001]

Publishes campaigns/2022.yaml, imports the union tree (deploy/demo/units-2022.csv), opens
phase 1, has most affiliated unions register for movements (approved by the federation), and
has each unit's officer submit its demo initiatives
(deploy/demo/initiatives-2022.json) on the authors' behalf. Safe to run again: what is
already there is left as it is. Tokens are minted with the dev signing settings, as
`python -m shared.dev_tokens` does.
"""

import argparse
import json
import sys
from pathlib import Path

import httpx

from shared.auth import Role, load_auth_settings, mint_token

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = ROOT / "campaigns" / "2022.yaml"
UNITS = ROOT / "deploy" / "demo" / "units-2022.csv"
INITIATIVES = ROOT / "deploy" / "demo" / "initiatives-2022.json"


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
    if first["status"] == "planned":
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
        "/api/v1/units", params={"level": "affiliated", "limit": 1000}, headers=admin
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
        if drafted.status_code != 201 or drafted.json()["status"] == "approved":
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


def seed(url: str) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        seed_units(client)
        seed_campaign(client)
        registered = seed_registrations(client)
        count = seed_initiatives(client)
    print(
        f"demo data: campaign 2022, union tree, {registered} registrations approved, "
        f"{count} initiatives",
        file=sys.stderr,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8001")
    seed(parser.parse_args().url)
