"""How many events one consumer transaction takes, so that it lasts about a target time.

A poll hands the consumer up to 500 records, and applying them is one transaction. How long
that takes varies by a hundredfold: 500 `unit recorded` take milliseconds, 500 `initiative
submitted` with their emails took 98 s on a loaded machine. A transaction that long is work
lost whole when the group rebalances under it (another replica joins, or the member's
session expires while the process is starved of CPU): its offsets can no longer be
committed, and the new owner applies the batch again. So the consumer applies a poll in
slices, one transaction each, sized from the rate the previous slices were applied at so
that each takes about `target_seconds`. The processed-event ids are in each slice's
transaction: a poll delivered again after a rebalance skips the slices already applied.
"""

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")


class Pacer:
    def __init__(
        self, target_seconds: float = 5.0, *, largest: int = 500, smallest: int = 10
    ) -> None:
        if target_seconds <= 0 or not 1 <= smallest <= largest:
            raise ValueError("the target must be positive and 1 <= smallest <= largest")
        self.target_seconds = target_seconds
        self._largest, self._smallest = largest, smallest
        self.size = largest  # the next slice's; starts large, as most polls apply quickly

    def slices(self, items: Sequence[T]) -> Iterator[Sequence[T]]:
        """The items in order, in slices of the size at the moment each is taken (`took`
        between two slices resizes the next)."""
        start = 0
        while start < len(items):
            end = start + self.size
            yield items[start:end]
            start = end

    def took(self, seconds: float, count: int) -> None:
        """A slice of `count` events took `seconds`. Over the target, the next is sized to
        last about the target at that rate (halving at most, so one odd slice does not swing
        it far); a full slice well within it doubles the next (at most to the largest). A
        short slice within the target says nothing of a full one: the size stays."""
        if count <= 0:
            return
        at_rate = int(count * self.target_seconds / max(seconds, 1e-6))
        if seconds > self.target_seconds:
            wanted = max(self.size // 2, at_rate)
        elif count >= self.size:
            wanted = min(self.size * 2, at_rate)
        else:
            return
        self.size = max(self._smallest, min(self._largest, wanted))
