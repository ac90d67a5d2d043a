"""The base of every JSON request body the services take."""

from pydantic import BaseModel, ConfigDict


class RequestBody(BaseModel):
    """A request body refuses a field it does not declare (422, `extra_forbidden`, naming the
    field in both languages) instead of dropping it: a misspelt `titel` in an amendment was
    answered 200 with nothing changed, and a field sent to the wrong endpoint looked accepted.
    Events are the other way round (`EventData` ignores what a newer producer adds): a request
    is answered, so its sender learns at once what was not taken."""

    model_config = ConfigDict(extra="forbid")
