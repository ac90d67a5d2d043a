"""Validated campaign files, kept per process: validating a year's file (about 20 KB of JSON
into `Campaign`'s frozen models) costs milliseconds, and every submission, council act,
award computation and dashboard request needs its campaign.

One `CampaignCache` is made in each service's `bootstrap.define` and given to what needs it
(never a module-level object). An entry is kept per campaign code with the version it was
validated at; a request passes the version it reads (a cheap column: submissions' and
reporting's `published_at`) and the definition is read and validated again only when the
version differs, so a campaign published again is seen by the next request of every process.
Where a table keeps no version, the definition itself is the version (compared, not
validated again).

The models are frozen, so one object is safely shared by every request of the process.
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.campaign.model import Campaign

Definition = Mapping[str, Any]


@dataclass(frozen=True)
class _Entry:
    version: object
    campaign: Campaign


class CampaignCache:
    """`Campaign`s by code, each with the version it was validated at."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self.validations = 0  # how many times a definition was validated (for tests, benches)

    async def get(
        self,
        code: str,
        version: object,
        definition: Callable[[], Awaitable[Definition]],
    ) -> Campaign:
        """The campaign `code` at `version`; `definition()` reads its file only when this
        process has not validated that version yet."""
        entry = self._entries.get(code)
        if entry is not None and entry.version == version:
            return entry.campaign
        return self._keep(code, version, await definition())

    def of(self, code: str, definition: Definition) -> Campaign:
        """The campaign of a definition already read, where no version column exists: the
        definition is its own version (equal content, the same validated object)."""
        entry = self._entries.get(code)
        if entry is not None and entry.version == definition:
            return entry.campaign
        return self._keep(code, _copy(definition), definition)

    def cached(self, code: str) -> Campaign | None:
        """What is kept for `code`, whatever its version (for tests and diagnostics)."""
        entry = self._entries.get(code)
        return entry.campaign if entry is not None else None

    def forget(self, code: str) -> None:
        """Drop `code`'s entry (its file is being replaced by this process)."""
        self._entries.pop(code, None)

    def _keep(self, code: str, version: object, definition: Definition) -> Campaign:
        campaign = Campaign.model_validate(definition)
        self.validations += 1
        self._entries[code] = _Entry(version, campaign)
        return campaign


def _copy(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars), so the version kept cannot change
    with the caller's object."""
    if isinstance(value, Mapping):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value
