"""A delivery's status is said once, as shared.contracts.vocabulary.DeliveryStatus: what
notifications writes, compares and filters by is one of its codes (never a string written
again), its delivery log refuses any other, and its codes fit the column."""

import ast
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from services.notifications.tables import Delivery
from shared.contracts.vocabulary import DELIVERY_DUE, REDELIVERABLE, DeliveryStatus
from tests.unit.conftest import ADMIN

NOTIFICATIONS = Path(__file__).parents[2] / "services" / "notifications"
# The names a status is written under: a row's column, the worker's bound parameter.
STATUS_NAMES = frozenset({"status", "b_status"})


def _bare_strings(node: ast.AST | None) -> Iterator[str]:
    """The string literals `node` is or holds (a tuple, list or set of them, a conditional)."""
    match node:
        case ast.Constant(value=str(text)):
            yield text
        case ast.Tuple(elts=items) | ast.List(elts=items) | ast.Set(elts=items):
            for item in items:
                yield from _bare_strings(item)
        case ast.IfExp(body=body, orelse=orelse):
            yield from _bare_strings(body)
            yield from _bare_strings(orelse)


def _is_status(node: ast.AST) -> bool:
    """`x.status`, `status`, `row["b_status"]`, `col(Delivery.status)`."""
    match node:
        case ast.Call(func=ast.Name(id="col"), args=[column]):
            return _is_status(column)
        case ast.Attribute(attr=name) | ast.Name(id=name) | ast.Subscript(slice=ast.Constant(name)):
            return name in STATUS_NAMES
    return False


def _statuses_written_as_strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every string literal a status is set to, compared with or filtered by."""
    for node in ast.walk(tree):
        match node:
            case ast.Assign(targets=targets, value=value):
                for target in targets:
                    pairs = (
                        zip(target.elts, value.elts, strict=False)
                        if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple)
                        else [(target, value)]
                    )
                    for name, given in pairs:
                        if _is_status(name):
                            yield from ((node.lineno, s) for s in _bare_strings(given))
            case ast.keyword(arg=name, value=value) if name in STATUS_NAMES:
                yield from ((value.lineno, s) for s in _bare_strings(value))
            case ast.Dict(keys=keys, values=values):
                for key, value in zip(keys, values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in STATUS_NAMES:
                        yield from ((node.lineno, s) for s in _bare_strings(value))
            case ast.Compare(left=left, comparators=others):
                sides = [left, *others]
                if any(_is_status(side) for side in sides):
                    for side in sides:
                        yield from ((node.lineno, s) for s in _bare_strings(side))
            case ast.Call(func=ast.Attribute(attr="in_" | "not_in"), args=[values]) if isinstance(
                node.func, ast.Attribute
            ) and _is_status(node.func.value):
                yield from ((node.lineno, s) for s in _bare_strings(values))


def test_notifications_writes_compares_and_filters_statuses_only_as_the_vocabularys() -> None:
    found = [
        f"{path.relative_to(NOTIFICATIONS)}:{line}: {text!r}"
        for path in sorted(NOTIFICATIONS.rglob("*.py"))
        if "migrations" not in path.parts
        for line, text in _statuses_written_as_strings(ast.parse(path.read_text()))
    ]
    assert found == []


def test_the_check_finds_a_status_written_as_a_string() -> None:
    written = """
delivery.status = "paused"
delivery.status, delivery.attempts = "paused", 0
update(t).values(status="paused")
rows.append({"b_status": "paused" if late else DeliveryStatus.sent})
if delivery.status in ("dead", "paused"): pass
select(Delivery).where(col(Delivery.status).in_(["paused"]))
"""
    found = sorted(text for _, text in _statuses_written_as_strings(ast.parse(written)))
    assert found == ["dead", *["paused"] * 6]


def test_the_worker_claims_and_an_operator_redelivers_statuses_of_the_vocabulary() -> None:
    assert set(DeliveryStatus) >= DELIVERY_DUE | REDELIVERABLE
    # A delivery given up on is not due by itself; a retrying one may be sent at once.
    assert {DeliveryStatus.retrying} == DELIVERY_DUE & REDELIVERABLE
    assert DeliveryStatus.sent not in DELIVERY_DUE | REDELIVERABLE  # sent once, never again


def test_every_status_fits_the_column_that_keeps_it() -> None:
    column = Delivery.__table__.c.status  # type: ignore[attr-defined]
    assert max(len(status) for status in DeliveryStatus) <= column.type.length


def test_the_delivery_log_is_filtered_by_a_status_of_the_vocabulary(
    notifications: TestClient,
) -> None:
    for status in DeliveryStatus:
        listed = notifications.get(f"/api/v1/deliveries?status={status}", headers=ADMIN)
        assert listed.status_code == 200, listed.text
    refused = notifications.get("/api/v1/deliveries?status=paused", headers=ADMIN)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "status" and error["code"] == "enum"
    assert all(status in error["message_en"] for status in DeliveryStatus), error
