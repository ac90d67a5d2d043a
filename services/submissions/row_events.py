"""An event saying what a row holds, its fields copied by name rather than one by one."""

from typing import Any, TypeVar

from sqlmodel import SQLModel

from shared.contracts import EventData

E = TypeVar("E", bound=EventData)


def event_of(kind: type[E], row: SQLModel, **rest: Any) -> E:
    """`kind` with `row`'s fields of the names the event has, then `rest`: what the row does not
    hold (its id under the event's name, who acted) or holds otherwise. A column the event has
    no field for is never copied, so no event can carry what it does not declare (an
    initiative's content)."""
    return kind(**row.model_dump(include=set(kind.model_fields) - rest.keys()), **rest)
