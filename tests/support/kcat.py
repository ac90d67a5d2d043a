"""kcat, the stock Kafka client, reads every topic of a broker; each record is checked against
docs/asyncapi.yaml (tests/support/asyncapi_document: the YAML and jsonschema, no Thi Đua code).

    python -m tests.support.kcat --bootstrap 127.0.0.1:9092     # make asyncapi-kcat

Prints, per topic, the records read and those not valid (with the first reasons) and exits 1
when any record, or any topic, is not what the document says.
"""

import argparse
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.asyncapi_document import AsyncApiDocument

REPO = Path(__file__).resolve().parents[2]


def kcat_path() -> str:
    """Debian's kcat, installed by deploy/local/kcat.sh where missing."""
    return subprocess.run(
        [str(REPO / "deploy/local/kcat.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()


def kcat(*arguments: str, timeout: float = 120.0) -> str:
    return subprocess.run(
        [kcat_path(), *arguments], check=True, capture_output=True, text=True, timeout=timeout
    ).stdout


def topics_on(bootstrap: str) -> list[str]:
    """The broker's topics as kcat lists them, Kafka's own (`__…`) aside."""
    listing = json.loads(kcat("-L", "-b", bootstrap, "-J"))
    return sorted(t["topic"] for t in listing["topics"] if not t["topic"].startswith("__"))


@dataclass
class TopicAudit:
    topic: str
    records: int = 0
    types: Counter[str] = field(default_factory=Counter)
    invalid: list[str] = field(default_factory=list)


def audit_topic(document: AsyncApiDocument, bootstrap: str, topic: str) -> TopicAudit:
    """Every record of `topic`, from its beginning to its end, read by kcat and checked."""
    audit = TopicAudit(topic)
    output = kcat("-C", "-b", bootstrap, "-t", topic, "-o", "beginning", "-e", "-J", "-q")
    for line in output.splitlines():
        record = json.loads(line)
        flat = record.get("headers") or []
        headers = dict(zip(flat[::2], flat[1::2], strict=True))
        audit.records += 1
        audit.types[headers.get("ce_type", "?")] += 1
        errors = document.record_errors(topic, record["key"], headers, record["payload"] or "")
        audit.invalid += [f"offset {record['partition']}/{record['offset']}: {e}" for e in errors]
    return audit


def audit_broker(bootstrap: str, document: AsyncApiDocument | None = None) -> list[TopicAudit]:
    document = document or AsyncApiDocument()
    return [audit_topic(document, bootstrap, topic) for topic in topics_on(bootstrap)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    audits = audit_broker(parser.parse_args().bootstrap)
    for audit in audits:
        print(f"{audit.topic}: {audit.records} records, {len(audit.invalid)} not valid")
        for error in audit.invalid[:5]:
            print(f"  {error}")
    read = sum(audit.records for audit in audits)
    bad = sum(len(audit.invalid) for audit in audits)
    print(f"kcat read {read} records on {len(audits)} topics; {bad} not valid against the document")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
