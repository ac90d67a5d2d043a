"""A unit's path ends with its own code (shared.unit_tree.child_path), in every `unit
recorded` a consumer reads. One whose path did not end with its code (produced
to thidua.units.v1 by hand: code 'BB4-X', path 'CDDKVN/CQTD/') was stored by reporting and
notifications, and reporting's refresher then failed on every phase of every campaign on
every round (KeyError in unit_standings), its figures frozen; scoring parked it as an
unknown failure (KeyError 'BB4-X') after retrying. Now it is refused where it is read, so
every consumer dead-letters it with the reason."""

import json
from uuid import uuid4

import pytest
from pydantic import ValidationError

from shared.contracts import EVENT_TYPES, UnitRecorded
from shared.messaging.cloudevents import MalformedEvent, from_record

RECORDED = UnitRecorded.event_type


def unit(code: str, parent_code: str | None, path: str) -> dict[str, object]:
    level = "federation" if parent_code is None else "affiliated"
    return {
        "code": code,
        "name": "Công đoàn thử",
        "parent_code": parent_code,
        "level": level,
        "path": path,
    }


def headers() -> dict[str, str]:
    return {
        "ce_specversion": "1.0",
        "ce_id": str(uuid4()),
        "ce_source": "/elsewhere",
        "ce_type": RECORDED,
        "ce_time": "2022-03-01T08:00:00Z",
    }


@pytest.mark.parametrize(
    ("code", "parent_code", "path"),
    [
        ("CDDKVN", None, "CDDKVN/"),
        ("PVGAS", "CDDKVN", "CDDKVN/PVGAS/"),
        ("PVGAS-KCM", "PVGAS", "CDDKVN/PVGAS/PVGAS-KCM/"),
    ],
)
def test_a_unit_whose_path_is_its_parents_then_its_code_is_read(
    code: str, parent_code: str | None, path: str
) -> None:
    value = json.dumps(unit(code, parent_code, path)).encode()
    envelope = from_record(headers(), value, EVENT_TYPES)
    assert envelope is not None
    assert isinstance(envelope.data, UnitRecorded)
    assert envelope.data.path == path


@pytest.mark.parametrize(
    ("code", "parent_code", "path", "says"),
    [
        ("BB4-X", "CDDKVN", "CDDKVN/CQTD/", "must end with the unit's code"),
        ("", "CDDKVN", "CDDKVN/CQTD/", "must end with the unit's code"),
        ("A\uffffB", "CDDKVN", "CDDKVN/CQTD/", "must end with the unit's code"),
        ("A/B", "CDDKVN", "CDDKVN/A/B/", "must end with the unit's code"),
        ("PVGAS", "CDDKVN", "CDDKVN//PVGAS/", "each ending with '/'"),
        ("PVGAS", "CDDKVN", "CDDKVN/PVGAS", "each ending with '/'"),
        ("PVGAS", "CDDKVN", "", "each ending with '/'"),
    ],
)
def test_a_unit_whose_path_does_not_lead_to_it_is_refused_where_it_is_read(
    code: str, parent_code: str | None, path: str, says: str
) -> None:
    with pytest.raises(ValidationError, match="path"):
        UnitRecorded.model_validate(unit(code, parent_code, path))
    value = json.dumps(unit(code, parent_code, path)).encode()
    with pytest.raises(MalformedEvent) as refused:
        from_record(headers(), value, EVENT_TYPES)
    # The reason parked in the dead-letter header names what is wrong.
    assert says in str(refused.value)
    assert str(refused.value).startswith("data does not match UnitRecorded")


@pytest.mark.parametrize(
    ("code", "parent_code", "path"),
    [
        # A parent that is not the code before the unit's own in its path: the portal and the
        # exports would show one unit above it, the subtrees count it under another.
        ("PVGAS-KCM", "BSR", "CDDKVN/PVGAS/PVGAS-KCM/"),
        ("PVGAS", None, "CDDKVN/PVGAS/"),
        ("CDDKVN", "CDDKVN", "CDDKVN/"),
    ],
)
def test_a_unit_whose_parent_is_not_the_one_its_path_names_is_refused(
    code: str, parent_code: str | None, path: str
) -> None:
    value = json.dumps(unit(code, parent_code, path)).encode()
    with pytest.raises(MalformedEvent) as refused:
        from_record(headers(), value, EVENT_TYPES)
    assert "parent_code must be the code before the unit's own in its path" in str(refused.value)
