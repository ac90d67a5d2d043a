"""Load the 2022 demo data into a running system, through its public HTTP API.

    python deploy/demo/load.py [--submissions http://127.0.0.1:8001]

Idempotent: a unit that already has initiatives is left as it is.
"""

import argparse
import json
import sys
from pathlib import Path

import httpx

DEMO = Path(__file__).with_name("initiatives-2022.json")


def load(submissions_url: str) -> int:
    initiatives = json.loads(DEMO.read_text(encoding="utf-8"))["initiatives"]
    created = 0
    with httpx.Client(base_url=submissions_url, timeout=10) as client:
        loaded_units = {
            unit
            for unit in {i["unit_code"] for i in initiatives}
            if client.get("/api/v1/initiatives", params={"unit_code": unit, "limit": 1}).json()
        }
        for initiative in initiatives:
            if initiative["unit_code"] in loaded_units:
                continue
            response = client.post("/api/v1/initiatives", json=initiative)
            if response.status_code != 201:
                sys.exit(f"demo initiative refused ({response.status_code}): {response.text}")
            created += 1
    return created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", default="http://127.0.0.1:8001")
    args = parser.parse_args()
    created = load(args.submissions)
    print(f"demo data: {created} initiatives submitted", file=sys.stderr)


if __name__ == "__main__":
    main()
