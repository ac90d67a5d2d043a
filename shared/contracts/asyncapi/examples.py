"""The recorded examples (examples.json, written by `record`): real events as they were sent."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

EXAMPLES_FILE = Path(__file__).with_name("examples.json")


@dataclass(frozen=True)
class RecordedEvent:
    """One Kafka record of a real run: where it went, its key, its headers and its value."""

    topic: str
    key: str
    headers: dict[str, str]
    value: Any

    def as_json(self) -> dict[str, Any]:
        """As examples.json keeps it: what `load_examples` reads back into one."""
        return asdict(self)


def load_examples(path: Path = EXAMPLES_FILE) -> dict[str, RecordedEvent]:
    """The recorded example of each CloudEvents type, by type (empty before any recording)."""
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {event_type: RecordedEvent(**example) for event_type, example in raw.items()}
