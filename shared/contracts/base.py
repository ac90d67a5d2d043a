"""The base of every event contract: a frozen pydantic model naming its type and topic."""

from dataclasses import asdict, is_dataclass
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict

EVENT_TYPE_PREFIX = "vn.congdoandaukhi.thidua."
"""What every event's type starts with: `vn.congdoandaukhi.thidua.<name>.v<major>`."""


class EventData(BaseModel):
    """The `data` of one CloudEvent. Subclasses name their CloudEvents `type` and topic."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    # extra="ignore": a consumer built against an older minor version must accept the
    # optional fields a newer producer adds.

    event_type: ClassVar[str]
    topic: ClassVar[str]

    def __init_subclass__(
        cls, *, name: str | None = None, topic: str | None = None, **kwargs: Any
    ) -> None:
        """`class ReportSubmitted(EventData, name="report.submitted.v1", topic=...)`: an event
        names itself and its topic in its class line; its CloudEvents `type` is the prefix,
        said here once, and that name. A base shared by several events may name the topic
        alone; its subclasses inherit it."""
        super().__init_subclass__(**kwargs)
        if name is not None:
            cls.event_type = EVENT_TYPE_PREFIX + name
        if topic is not None:
            cls.topic = topic

    @classmethod
    def of(cls, source: Any, **rest: Any) -> Self:
        """The event with `source`'s fields (a row, a model or a dataclass) of the names it
        declares, then `rest`: what the source does not hold (its id under the event's name,
        who acted) or holds otherwise. A field the event does not declare is never copied, so
        no event carries what it does not say (an initiative's content); `extra="ignore"`
        would have dropped it silently, and a field added to a contract later would have
        started to be published unchosen."""
        names = set(cls.model_fields) - rest.keys()
        if isinstance(source, BaseModel):
            fields = source.model_dump(include=names)
        elif is_dataclass(source) and not isinstance(source, type):
            fields = {k: v for k, v in asdict(source).items() if k in names}
        else:
            raise TypeError(f"{cls.__name__}.of takes a model or a dataclass, not {source!r}")
        return cls(**fields, **rest)
