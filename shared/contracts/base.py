"""The base of every event contract: a frozen pydantic model naming its type and topic."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EventData(BaseModel):
    """The `data` of one CloudEvent. Subclasses name their CloudEvents `type` and topic."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    # extra="ignore": a consumer built against an older minor version must accept the
    # optional fields a newer producer adds.

    event_type: ClassVar[str]
    topic: ClassVar[str]
