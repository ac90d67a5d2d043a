"""Bounds are stated once (shared/contracts/bounds.py), and everything agrees with them.

- every event contract bounds every string, list, map and integer it carries, and refuses an
  event beyond them (a 900 KB title, a benefit of 2^63 - 1, 21 authors ...);
- every string column of every service's tables has a length that is a bound, or is TEXT by a
  choice written down here; the contract field or HTTP field that feeds a column is never
  longer than the column;
- amounts fit their columns, and a stored sum of amounts is NUMERIC: a million initiatives at
  the maximum do not fit a bigint;
- the HTTP API answers out-of-bound input with a 422 naming the field.
"""

from collections.abc import Iterator
from importlib import import_module
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, SecretStr, ValidationError
from sqlalchemy import BigInteger, Column, MetaData, String, TypeDecorator
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.types import TypeEngine

from services.notifications.api import ContactIn, SubscriberIn
from services.scoring.api.awards import ReasonIn
from services.scoring.api.reviews import AssignIn, ReturnIn, ScoreIn
from services.submissions.campaigns.api import CloseRequest
from services.submissions.demo import token
from services.submissions.initiatives.schemas import AuthorIn, InitiativeCreate, InitiativeUpdate
from services.submissions.registrations.api import CommitmentIn, RegistrationIn
from services.submissions.registrations.api import ReturnIn as RegistrationReturnIn
from services.submissions.reports.api import ComplaintIn, ReportIn
from services.submissions.units.api import UnitIn
from shared.auth import AuthSettings, Role, TokenError, TokenProblem, decode_token, mint_token
from shared.campaign import model as campaign_file
from shared.contracts import (
    CONTRACTS,
    AwardGranted,
    AwardRejected,
    AwardsAwaitingDecision,
    CampaignPublished,
    ComplaintCaseOpened,
    EventData,
    InitiativeAmended,
    InitiativeAuthor,
    InitiativeCouncilAssigned,
    InitiativeReturned,
    InitiativeSubmitted,
    PhaseClosed,
    PhaseOpened,
    RegistrationReturned,
    RegistrationSubmitted,
    ReportSubmitted,
    StandingPublished,
    UnitRecorded,
    bounds,
)
from shared.db import VndTotal
from tests.unit.conftest import OFFICER_PVGAS
from tests.unit.submissions_helpers import errors, valid

SERVICES = ("submissions", "scoring", "notifications", "reporting")
BIGINT_MAX = 2**63 - 1
A_MILLION = 1_000_000

# --- the contracts --------------------------------------------------------------------------

UNBOUNDED_BY_CHOICE = {
    (CampaignPublished, "definition"): "the campaign file, validated whole by "
    "shared.campaign.model, whose codes and names take their limits from bounds.py",
}


def _unbounded(schema: dict[str, Any], node: dict[str, Any], where: str) -> Iterator[str]:
    """Every string, list, map and integer under `node` that states no limit."""
    if "$ref" in node:
        yield from _unbounded(schema, schema["$defs"][node["$ref"].split("/")[-1]], where)
        return
    for option in node.get("anyOf", ()):
        yield from _unbounded(schema, option, where)
    kind = node.get("type")
    if "enum" in node or "const" in node:
        return  # one of a few named codes (a Literal) is bounded by its list
    if (kind == "string" and "format" not in node and "maxLength" not in node) or (
        kind == "integer" and "maximum" not in node
    ):
        yield where
    elif kind == "array":
        if "maxItems" not in node:
            yield where
        items = node.get("items", {})
        for index, item in enumerate(node.get("prefixItems", ())):
            yield from _unbounded(schema, item, f"{where}.{index}")
        yield from _unbounded(schema, items, f"{where}[]")
    elif kind == "object":
        for name, field in node.get("properties", {}).items():
            yield from _unbounded(schema, field, f"{where}.{name}")
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            if "maxProperties" not in node:
                yield where
            yield from _unbounded(schema, node.get("propertyNames", {"type": "string"}), where)
            yield from _unbounded(schema, values, f"{where}{{}}")


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.__name__)
def test_every_contract_bounds_what_it_carries(contract: type[EventData]) -> None:
    schema = contract.model_json_schema()
    found: list[str] = []
    for name, field in schema["properties"].items():
        if (contract, name) not in UNBOUNDED_BY_CHOICE:
            found += _unbounded(schema, field, name)
    assert found == [], f"{contract.__name__} states no limit for {found}"


AN = {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 100}


def _submitted(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "initiative_id": str(uuid4()),
        "campaign_code": "2022",
        "unit_code": "PVGAS-KCM",
        "title": "Cải tiến quy trình bảo dưỡng máy nén khí",
        "field": "technical",
        "phase_code": "dot-1",
        "authors": [
            {"member_id": "PVGAS-0012", "full_name": "Nguyễn Văn An", "share_percent": 100}
        ],
        "expected_benefit_vnd": 350_000_000,
        "submitted_by": "PVGAS-0012",
        "submitted_at": "2022-03-01T02:00:00Z",
    }
    return data | changes


def _refused_fields(contract: type[BaseModel], data: dict[str, Any]) -> set[str]:
    """The fields `contract` refuses in `data`, read as a consumer reads it (from JSON)."""
    with pytest.raises(ValidationError) as refused:
        contract.model_validate(data)
    return {str(error["loc"][0]) for error in refused.value.errors()}


@pytest.mark.parametrize("contract", [InitiativeSubmitted, InitiativeAmended])
def test_an_initiative_event_at_the_limits_is_read(contract: type[InitiativeSubmitted]) -> None:
    event = contract.model_validate(
        _submitted(title="T" * bounds.TITLE_MAX, expected_benefit_vnd=bounds.VND_MAX)
    )
    assert event.expected_benefit_vnd == 10**15


@pytest.mark.parametrize("contract", [InitiativeSubmitted, InitiativeAmended])
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "T" * 900_000),  # 900 KB: once passed, then jammed three consumers
        ("title", "T" * (bounds.TITLE_MAX + 1)),
        ("expected_benefit_vnd", BIGINT_MAX),  # overflowed reporting's per-unit total
        ("expected_benefit_vnd", bounds.VND_MAX + 1),
        ("expected_benefit_vnd", -1),
        ("unit_code", "U" * (bounds.CODE_MAX + 1)),
        ("campaign_code", "2" * (bounds.CAMPAIGN_CODE_MAX + 1)),
        ("submitted_by", "s" * (bounds.SUBJECT_MAX + 1)),
        ("round", 2**31),
        (
            "authors",
            [
                {"member_id": f"M-{n}", "full_name": "Nguyễn Văn An", "share_percent": 5}
                for n in range(bounds.AUTHORS_MAX + 1)
            ],
        ),
    ],
)
def test_an_initiative_event_beyond_a_limit_is_refused(
    contract: type[InitiativeSubmitted], field: str, value: Any
) -> None:
    assert _refused_fields(contract, _submitted(**{field: value})) == {field}


def test_an_author_beyond_a_limit_is_refused() -> None:
    author = {"member_id": "PVGAS-0012", "full_name": "An", "share_percent": 100}
    for field, value in (
        ("member_id", "M" * (bounds.MEMBER_ID_MAX + 1)),
        ("full_name", "A" * (bounds.PERSON_NAME_MAX + 1)),
    ):
        assert _refused_fields(InitiativeAuthor, author | {field: value}) == {field}


def test_other_events_beyond_a_limit_are_refused() -> None:
    unit = {"code": "PVGAS", "name": "PV GAS", "parent_code": "CDDKVN", "level": "affiliated"}
    unit |= {"path": "CDDKVN/PVGAS/"}
    UnitRecorded.model_validate(unit)
    assert _refused_fields(UnitRecorded, unit | {"name": "N" * 900_000}) == {"name"}
    assert _refused_fields(UnitRecorded, unit | {"path": "P/" * 600}) == {"path"}

    standing = {
        "campaign_code": "2022",
        "phase_code": "dot-1",
        "unit_code": "PVGAS",
        "unit_name": "PV GAS",
        "level": "affiliated",
        "path": "CDDKVN/PVGAS/",
        "rank": 1,
        "rank_of": 12,
        "points": 100,
        "targets_met": [1, 2],
        "targets_missed": {},
        "initiatives_submitted": 3,
        "initiatives_recognised": 1,
        "benefit_vnd": A_MILLION * bounds.VND_MAX,  # a sum: past bigint, and valid
        "overdue_cases": 0,
        "closed_at": "2022-06-30T10:00:00Z",
        "revision": 1,
        "computed_at": "2022-06-30T10:00:00Z",
    }
    assert StandingPublished.model_validate(standing).benefit_vnd > BIGINT_MAX
    too_much = standing | {"benefit_vnd": bounds.VND_TOTAL_MAX + 1}
    assert _refused_fields(StandingPublished, too_much) == {"benefit_vnd"}
    assert _refused_fields(StandingPublished, standing | {"points": 101}) == {"points"}

    awaiting = {
        "campaign_code": "2022",
        "phase_code": "dot-1",
        "awaiting": 1,
        "proposed": 1,
        "withdrawn": 0,
        "award_ids": [str(uuid4())],
        "at": "2022-06-30T10:00:00Z",
    }
    AwardsAwaitingDecision.model_validate(awaiting)
    many = awaiting | {"award_ids": [str(uuid4()) for _ in range(bounds.AWARD_IDS_MAX + 1)]}
    assert _refused_fields(AwardsAwaitingDecision, many) == {"award_ids"}


def test_an_over_long_event_is_refused_from_its_json_as_a_consumer_reads_it() -> None:
    wire = InitiativeSubmitted.model_validate(_submitted()).model_dump_json()
    InitiativeSubmitted.model_validate_json(wire)
    too_long = wire.replace('"Cải tiến', '"' + "T" * 900_000, 1)
    with pytest.raises(ValidationError, match="title"):
        InitiativeSubmitted.model_validate_json(too_long)


# --- the tables ------------------------------------------------------------------------------

LENGTHS = {
    name: value
    for name, value in vars(bounds).items()
    if name.isupper() and name.endswith(("_MAX", "_LENGTH", "_HEX")) and isinstance(value, int)
}
"""Every bound that is a string's length (list sizes and amounts are bounds too, not lengths)."""

TEXT_BY_CHOICE = {
    # Written by people, bounded where they enter (HTTP models and contracts: LONG_TEXT_MAX,
    # NOTE_MAX, REASON_MAX): a TEXT column never refuses what a contract accepted, and
    # PostgreSQL stores text and varchar alike.
    ("submissions", "initiatives", "problem"): "LongText",
    ("submissions", "initiatives", "solution"): "LongText",
    ("submissions", "initiatives", "novelty"): "LongText",
    ("submissions", "initiatives", "other_benefits"): "LongText",
    ("submissions", "initiatives", "return_reason"): "Reason",
    ("submissions", "phases", "close_reason"): "Reason",
    ("submissions", "registrations", "return_reason"): "Reason",
    ("submissions", "reports", "summary"): "LongText",
    ("submissions", "complaint_cases", "summary"): "Note",
    ("scoring", "awards", "revoke_reason"): "Reason",
    ("scoring", "awards", "reject_reason"): "Reason",
    ("reporting", "awards", "reason"): "Reason",
    # Written by the services themselves: rendered messages and the errors they met.
    ("notifications", "inbox_messages", "body"): "rendered from a template",
    ("notifications", "deliveries", "body"): "rendered from a template",
    ("notifications", "deliveries", "html"): "rendered from a template",
    ("notifications", "deliveries", "last_error"): "an error's text",
    ("notifications", "delivery_attempts", "error"): "an error's text",
} | {
    (service, "outbox", column): "an event as sent (Kafka bounds its size), or an error"
    for service in SERVICES
    for column in ("payload", "last_error")
}

SINGLE_AMOUNTS = {
    ("submissions", "initiatives", "expected_benefit_vnd"),
    ("submissions", "initiatives", "measured_benefit_vnd"),
    ("scoring", "reviews", "expected_benefit_vnd"),
    ("reporting", "initiatives", "expected_benefit_vnd"),
}
"""Columns holding one amount (at most VND_MAX): a bigint holds it."""


def _metadata(service: str) -> MetaData:
    metadata: MetaData = import_module(f"services.{service}.tables").metadata
    return metadata


def _columns() -> Iterator[tuple[str, str, Column[Any]]]:
    for service in SERVICES:
        for table in _metadata(service).sorted_tables:
            for column in table.columns:
                yield service, table.name, column


def _stored_type(column: Column[Any]) -> TypeEngine[Any]:
    """What the database stores: SQLModel's AutoString is a String behind a decorator."""
    kind = column.type
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _column(service: str, table: str, column: str) -> Column[Any]:
    found: Column[Any] = _metadata(service).tables[table].c[column]
    return found


def test_every_string_column_is_a_stated_length_or_text_by_choice() -> None:
    strays, unknown_choices = [], set(TEXT_BY_CHOICE)
    for service, table, column in _columns():
        kind = _stored_type(column)
        if not isinstance(kind, String):
            continue
        where = (service, table, column.name)
        unknown_choices.discard(where)
        length = kind.length
        if length is None:
            if where not in TEXT_BY_CHOICE:
                strays.append(f"{'.'.join(where)} is TEXT")
        elif length not in LENGTHS.values():
            strays.append(f"{'.'.join(where)} is varchar({length}), a length bounds.py lacks")
        elif where in TEXT_BY_CHOICE:
            strays.append(f"{'.'.join(where)} is listed as TEXT but is varchar({length})")
    assert strays == []
    assert unknown_choices == set(), "TEXT_BY_CHOICE names columns that do not exist"


def test_amounts_fit_their_columns_and_sums_cannot_overflow() -> None:
    # One amount fits a bigint; a million at the maximum do not, and fit a NUMERIC(30, 0).
    assert bounds.VND_MAX <= BIGINT_MAX < A_MILLION * bounds.VND_MAX <= bounds.VND_TOTAL_MAX
    assert bounds.VND_TOTAL_MAX == 10**bounds.VND_TOTAL_DIGITS - 1
    amounts = [
        (service, table, column)
        for service, table, column in _columns()
        if column.name.endswith("_vnd")
    ]
    assert len(amounts) == 8
    for service, table, column in amounts:
        where = (service, table, column.name)
        if where in SINGLE_AMOUNTS:
            assert isinstance(column.type, BigInteger), where
        else:  # a sum: the unit tallies, the daily tallies, the standings
            assert isinstance(column.type, VndTotal), f"{where} sums amounts in a bigint"


def test_a_stored_sum_is_numeric_on_postgresql() -> None:
    column = _column("reporting", "unit_tallies", "benefit_vnd")
    postgresql = PGDialect()  # type: ignore[no-untyped-call]
    assert column.type.compile(dialect=postgresql) == "NUMERIC(30, 0)"


def _max_length(model: type[BaseModel], path: str) -> int | None:
    """The most characters `model` accepts at `path` ('authors[].member_id', 'x{}' for a map's
    values, 'x{key}' for its keys): None when it states no limit."""
    schema = model.model_json_schema()

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            return resolve(schema["$defs"][node["$ref"].split("/")[-1]])
        options = [o for o in node.get("anyOf", ()) if o.get("type") != "null"]
        return resolve(options[0]) if options else node

    node = schema
    for part in path.split("."):
        name, _, rest = part.partition("[")
        name, _, key = name.partition("{")
        node = resolve(node["properties"][name])
        if rest:
            node = resolve(node["items"])
        if key == "key}":
            node = resolve(node["propertyNames"])
        elif key == "}":
            node = resolve(node["additionalProperties"])
    if "enum" in node:  # a closed vocabulary: its longest value
        return max(len(value) for value in node["enum"])
    length: int | None = node.get("maxLength")
    return length


Feed = tuple[type[BaseModel], str, str, str, str]


def _kept(model: type[BaseModel], service: str, table: str, *fields: str) -> list[Feed]:
    """Fields a service's table keeps in columns of the same names."""
    return [(model, field, service, table, field) for field in fields]


def _copied(model: type[BaseModel], service: str, table: str) -> list[Feed]:
    """Every string column of a table that copies `model`: those named like one of its
    fields. A field later added to both is checked without being listed here."""
    copies = [
        column.name
        for column in _metadata(service).tables[table].columns
        if column.name in model.model_fields and isinstance(_stored_type(column), String)
    ]
    return _kept(model, service, table, *copies)


# Where an event happened: its campaign, phase and unit.
PLACE = ("campaign_code", "phase_code", "unit_code")
FEEDS: list[Feed] = [
    # What each consumer stores of the events it reads.
    *_kept(InitiativeSubmitted, "reporting", "initiatives", *PLACE, "title", "field"),
    *_kept(InitiativeSubmitted, "scoring", "reviews", *PLACE, "title", "field"),
    *_kept(InitiativeSubmitted, "scoring", "fact_events", "campaign_code"),
    *_kept(PhaseClosed, "scoring", "closed_phases", "campaign_code", "phase_code"),
    (CampaignPublished, "campaign_code", "scoring", "campaigns", "code"),
    *_kept(InitiativeSubmitted, "notifications", "initiative_tallies", *PLACE),
    (InitiativeSubmitted, "authors[].member_id", "notifications", "contacts", "person_id"),
    (InitiativeSubmitted, "authors[].full_name", "notifications", "contacts", "full_name"),
    *_kept(InitiativeSubmitted, "notifications", "contacts", "unit_code"),
    (CampaignPublished, "campaign_code", "notifications", "campaigns", "code"),
    *_kept(CampaignPublished, "notifications", "campaigns", "title"),
    *_kept(PhaseOpened, "notifications", "phases", "campaign_code", "phase_code"),
    *_kept(campaign_file.Phase, "notifications", "phases", "name"),
    *_kept(ReportSubmitted, "notifications", "reports_filed", *PLACE),
    *_copied(UnitRecorded, "notifications", "units"),
    *_copied(UnitRecorded, "reporting", "units"),
    (CampaignPublished, "campaign_code", "reporting", "campaigns", "code"),
    *_kept(RegistrationSubmitted, "reporting", "registrations", *PLACE),
    *_kept(ReportSubmitted, "reporting", "reports", *PLACE, "kind"),
    *_kept(ComplaintCaseOpened, "reporting", "complaints", "campaign_code", "unit_code"),
    *_copied(AwardGranted, "reporting", "awards"),
    *_kept(AwardRejected, "reporting", "awards", "reason"),
    *_kept(InitiativeSubmitted, "reporting", "unit_tallies", "campaign_code", "unit_code"),
    *_kept(InitiativeSubmitted, "reporting", "daily_tallies", "field"),
    *_kept(campaign_file.Target, "reporting", "target_progress", "name"),
    *_kept(UnitRecorded, "reporting", "standings", "name", "path"),
    *_kept(StandingPublished, "reporting", "closed_standings", *PLACE),
    (StandingPublished, "unit_name", "reporting", "closed_standings", "name"),
    *_kept(StandingPublished, "reporting", "closed_standings", "level", "path"),
    # What submissions stores of what people send it (and then publishes).
    *_kept(
        InitiativeCreate,
        "submissions",
        "initiatives",
        "campaign_code",
        "unit_code",
        "title",
        "field",
        "problem",
        "solution",
        "novelty",
        "other_benefits",
    ),
    *_kept(InitiativeUpdate, "submissions", "initiatives", "title", "problem", "solution"),
    *_kept(AuthorIn, "submissions", "initiative_authors", "member_id", "full_name"),
    *_kept(UnitIn, "submissions", "units", "code", "name", "parent_code", "cluster"),
    *_kept(RegistrationIn, "submissions", "registrations", *PLACE),
    (RegistrationReturnIn, "reason", "submissions", "registrations", "return_reason"),
    *_kept(ReportIn, "submissions", "reports", *PLACE, "summary"),
    *_kept(ComplaintIn, "submissions", "complaint_cases", "campaign_code", "unit_code", "summary"),
    (CloseRequest, "reason", "submissions", "phases", "close_reason"),
    *_kept(campaign_file.Campaign, "submissions", "campaigns", "code", "title"),
    *_kept(campaign_file.Phase, "submissions", "phases", "code"),
    (ReasonIn, "reason", "scoring", "awards", "reject_reason"),
    *_kept(ContactIn, "notifications", "contacts", "full_name", "unit_code"),
    *_kept(SubscriberIn, "notifications", "webhook_subscribers", "name"),
]


@pytest.mark.parametrize(
    ("model", "path", "service", "table", "column"),
    FEEDS,
    ids=[f"{m.__name__}.{p}->{s}.{t}.{c}" for m, p, s, t, c in FEEDS],
)
def test_what_feeds_a_column_is_never_longer_than_it(
    model: type[BaseModel], path: str, service: str, table: str, column: str
) -> None:
    limit = _max_length(model, path)
    assert limit is not None, f"{model.__name__}.{path} states no limit"
    stored = _stored_type(_column(service, table, column))
    assert isinstance(stored, String)
    length = stored.length
    assert length is None or limit <= length, f"{limit} characters into varchar({length})"


PUBLISHED: list[tuple[type[BaseModel], str, type[BaseModel], str]] = [
    # What people send and a contract then carries: the contract accepts all of it.
    (InitiativeCreate, "title", InitiativeSubmitted, "title"),
    (InitiativeCreate, "unit_code", InitiativeSubmitted, "unit_code"),
    (InitiativeCreate, "campaign_code", InitiativeSubmitted, "campaign_code"),
    (AuthorIn, "member_id", InitiativeAuthor, "member_id"),
    (AuthorIn, "full_name", InitiativeAuthor, "full_name"),
    (UnitIn, "name", UnitRecorded, "name"),
    (UnitIn, "code", UnitRecorded, "code"),
    (RegistrationIn, "movement_codes[]", RegistrationSubmitted, "movement_codes[]"),
    (CommitmentIn, "text", RegistrationSubmitted, "commitments[].text"),
    (RegistrationReturnIn, "reason", RegistrationReturned, "reason"),
    (ReportIn, "figures{key}", ReportSubmitted, "figures{key}"),
    (CloseRequest, "reason", PhaseClosed, "reason"),
    (ReturnIn, "reason", InitiativeReturned, "reason"),
    (ReasonIn, "reason", AwardRejected, "reason"),
    (AssignIn, "reviewer_ids[]", InitiativeCouncilAssigned, "reviewer_ids[]"),
    (campaign_file.AwardType, "name", AwardGranted, "award_name"),
    (campaign_file.Campaign, "title", CampaignPublished, "title"),
]


@pytest.mark.parametrize(
    ("source", "path", "contract", "field"),
    PUBLISHED,
    ids=[f"{s.__name__}.{p}->{c.__name__}.{f}" for s, p, c, f in PUBLISHED],
)
def test_what_people_send_fits_the_contract_that_carries_it(
    source: type[BaseModel], path: str, contract: type[BaseModel], field: str
) -> None:
    sent, carried = _max_length(source, path), _max_length(contract, field)
    assert sent is not None and carried is not None
    assert sent <= carried


def test_amounts_people_send_fit_the_contracts() -> None:
    for model in (InitiativeCreate, InitiativeUpdate):
        for field in ("expected_benefit_vnd", "measured_benefit_vnd"):
            assert model.model_fields[field].annotation is not None
            with pytest.raises(ValidationError):
                model.model_validate({field: bounds.VND_MAX + 1} | _required(model))


def _required(model: type[BaseModel]) -> dict[str, Any]:
    if model is InitiativeUpdate:
        return {}
    return {k: v for k, v in valid().items() if k not in ("expected_benefit_vnd",)}


def test_a_note_and_a_council_are_bounded_where_they_enter() -> None:
    ScoreIn.model_validate({"scores": {}, "vote_for": True, "private_note": "n" * bounds.NOTE_MAX})
    with pytest.raises(ValidationError, match="private_note"):
        ScoreIn.model_validate(
            {"scores": {}, "vote_for": True, "private_note": "n" * (bounds.NOTE_MAX + 1)}
        )
    with pytest.raises(ValidationError, match="per_initiative"):
        AssignIn.model_validate(
            {"initiative_ids": [str(uuid4())], "reviewer_ids": ["R"], "per_initiative": 16}
        )


# --- the HTTP API ----------------------------------------------------------------------------


def _field_refused(response: Any, field: str) -> dict[str, str]:
    refused = errors(response)
    assert field in refused, refused
    assert refused[field]["message_vi"] and refused[field]["message_en"]
    return refused[field]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "T" * 900_000, "string_too_long"),
        ("expected_benefit_vnd", BIGINT_MAX, "less_than_equal"),
        ("measured_benefit_vnd", bounds.VND_MAX + 1, "less_than_equal"),
        # 22,000 characters. A 12 MB one, once accepted, is now refused before it is read
        # (413, shared.http.body_limit: tests/unit/test_http_hardening.py).
        ("solution", "Giải pháp. " * 2_000, "string_too_long"),
        ("problem", "p" * (bounds.LONG_TEXT_MAX + 1), "string_too_long"),
        ("novelty", "n" * (bounds.LONG_TEXT_MAX + 1), "string_too_long"),
        ("other_benefits", "o" * (bounds.LONG_TEXT_MAX + 1), "string_too_long"),
    ],
)
def test_submitting_beyond_a_limit_is_a_422_naming_the_field(
    submissions: TestClient, field: str, value: Any, code: str
) -> None:
    response = submissions.post(
        "/api/v1/initiatives", json=valid(**{field: value}), headers=OFFICER_PVGAS
    )
    assert _field_refused(response, field)["code"] == code


def test_submitting_too_many_authors_is_a_422_naming_them(submissions: TestClient) -> None:
    authors = [
        {"member_id": f"PVGAS-{n:04}", "full_name": "Nguyễn Văn An", "share_percent": 1}
        for n in range(bounds.AUTHORS_MAX + 1)
    ]
    response = submissions.post(
        "/api/v1/initiatives", json=valid(authors=authors), headers=OFFICER_PVGAS
    )
    assert _field_refused(response, "authors")["code"] == "too_long"


def test_submitting_at_the_limits_is_accepted(submissions: TestClient) -> None:
    body = valid(
        title="T" * bounds.TITLE_MAX,
        solution="s" * bounds.LONG_TEXT_MAX,
        expected_benefit_vnd=bounds.VND_MAX,
    )
    response = submissions.post("/api/v1/initiatives", json=body, headers=OFFICER_PVGAS)
    assert response.status_code == 201, response.text
    assert response.json()["expected_benefit_vnd"] == 10**15


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "T" * 900_000),
        ("expected_benefit_vnd", BIGINT_MAX),
        ("measured_benefit_vnd", bounds.VND_MAX + 1),
        ("problem", "p" * (bounds.LONG_TEXT_MAX + 1)),
        ("solution", "s" * (bounds.LONG_TEXT_MAX + 1)),
    ],
)
def test_amending_beyond_a_limit_is_a_422_naming_the_field(
    submissions: TestClient, field: str, value: Any
) -> None:
    created = submissions.post("/api/v1/initiatives", json=valid(), headers=OFFICER_PVGAS)
    assert created.status_code == 201, created.text
    response = submissions.patch(
        f"/api/v1/initiatives/{created.json()['id']}", json={field: value}, headers=OFFICER_PVGAS
    )
    _field_refused(response, field)
    unchanged = submissions.get(
        f"/api/v1/initiatives/{created.json()['id']}", headers=OFFICER_PVGAS
    )
    assert unchanged.json()[field] == created.json()[field]


def test_a_unit_with_an_over_long_name_is_a_422_naming_it(submissions: TestClient) -> None:
    admin = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)
    body = {"code": "PVGAS-NEW", "name": "N" * (bounds.NAME_MAX + 1), "parent_code": "PVGAS"}
    response = submissions.post("/api/v1/units", json=body | {"level": "grassroots"}, headers=admin)
    assert _field_refused(response, "name")["code"] == "string_too_long"


ADMIN = token("CDDKVN-0001", "CDDKVN", Role.FEDERATION_ADMIN)


def test_scoring_refuses_an_over_long_reason_naming_it(scoring: TestClient) -> None:
    response = scoring.post(
        f"/api/v1/awards/{uuid4()}/reject",
        json={"reason": "r" * (bounds.REASON_MAX + 1)},
        headers=ADMIN,
    )
    assert _field_refused(response, "reason")["code"] == "string_too_long"


def test_notifications_refuses_over_long_or_too_many_values_naming_them(
    notifications: TestClient,
) -> None:
    response = notifications.put(
        "/api/v1/contacts/PVGAS-0012",
        json={"full_name": "A" * (bounds.PERSON_NAME_MAX + 1)},
        headers=ADMIN,
    )
    assert _field_refused(response, "full_name")["code"] == "string_too_long"
    response = notifications.put(
        "/api/v1/contacts/" + "P" * (bounds.SUBJECT_MAX + 1), json={}, headers=ADMIN
    )
    assert _field_refused(response, "person_id")["code"] == "string_too_long"
    subscriber = {"name": "HR", "url": "https://hr.example.vn/hooks"}
    too_many = ["vn.congdoandaukhi.thidua.award.granted.v1"] * (bounds.EVENT_TYPES_MAX + 1)
    response = notifications.post(
        "/api/v1/subscribers", json=subscriber | {"event_types": too_many}, headers=ADMIN
    )
    assert _field_refused(response, "event_types")["code"] == "too_long"
    long_url = "https://hr.example.vn/" + "h" * bounds.URL_MAX
    response = notifications.post(
        "/api/v1/subscribers", json=subscriber | {"url": long_url}, headers=ADMIN
    )
    _field_refused(response, "url")


@pytest.mark.parametrize(
    ("claim", "limit"),
    [("sub", bounds.SUBJECT_MAX), ("name", bounds.PERSON_NAME_MAX), ("unit", bounds.CODE_MAX)],
)
def test_a_token_naming_someone_longer_than_the_columns_hold_is_refused(
    claim: str, limit: int
) -> None:
    """Who acted is recorded (submitted_by, actor ...) and published: a token cannot name more."""
    settings = AuthSettings(secret=SecretStr("a-test-secret-that-is-long-enough-for-hs256"))
    claims = {"sub": "PVGAS-0012", "name": "Nguyễn Văn An", "unit": "PVGAS"}

    def minted(**changes: str) -> str:
        sent = claims | changes
        return mint_token(sent["sub"], sent["name"], [Role.MEMBER], sent["unit"], settings)

    assert decode_token(minted(**{claim: "X" * limit}), settings).roles == {Role.MEMBER}
    with pytest.raises(TokenError) as refused:
        decode_token(minted(**{claim: "X" * (limit + 1)}), settings)
    assert refused.value.reason is TokenProblem.INVALID_CLAIMS
