"""A record whose header *name* is not UTF-8 must not stop a consumer.

Kafka's protocol calls a header name a string, yet stores whatever bytes a producer wrote:
kcat writes `-H $'\\xff\\xfe=x'` without complaint, and Java's clients read it (with U+FFFD).
aiokafka (0.14) decodes header names strictly while it fetches, in its record reader, before
any parser of ours runs: the fetch raised UnicodeDecodeError, faststream restarted its
consume task at once, again and again, and the group's partition (for scoring and reporting,
every partition of the subscription) was never read again, while each service logged about a
hundred lines a second. A header *value* that is not UTF-8 reaches our parser as bytes and is
handled there (shared.kafka_connection).

`tolerate_undecodable_header_names` (called once, by shared.kafka_connection) makes the
fetcher read each batch as before and, only if a header name in it is not UTF-8, read that
batch again with aiokafka's own pure-Python reader, a name's bytes that are not UTF-8 becoming
U+FFFD. The record then reaches the consumer like any other: applied if nothing else is
wrong with it (an unknown header is ignored), dead-lettered with the reason if, say, the
mangled name was ce_id's. The records read before it in the batch are not read twice.
"""

import struct
from collections.abc import Iterator
from typing import Any

from aiokafka.consumer import fetcher
from aiokafka.record.default_records import _DefaultRecordBatchPy
from aiokafka.record.memory_records import MemoryRecords

# Every batch (v0/v1 message sets too) starts with its base offset (int64) and the length
# (int32) of what follows.
_BATCH_PREFIX = struct.Struct(">qi")


class _LenientBytes(bytes):
    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return bytes.decode(self, encoding, "replace")


class _LenientBuffer(bytearray):
    """A batch's bytes whose slices decode leniently: the reader decodes a header name with
    `buffer[start:end].decode("utf-8")`, and its other slices are copied with bytes()."""

    def __getitem__(self, index: Any) -> Any:
        item = bytearray.__getitem__(self, index)
        return _LenientBytes(item) if isinstance(index, slice) else item


class _LenientBatch(_DefaultRecordBatchPy):  # type: ignore[misc]  # aiokafka is untyped
    _buffer: bytearray

    def __init__(self, buffer: bytes) -> None:
        super().__init__(buffer)
        self._buffer = _LenientBuffer(self._buffer)

    def _maybe_uncompress(self) -> None:
        super()._maybe_uncompress()
        if not isinstance(self._buffer, _LenientBuffer):  # decompressed into a new bytearray
            self._buffer = _LenientBuffer(self._buffer)


class _TolerantBatch:
    """One batch as aiokafka's fast reader reads it, and again leniently if it must."""

    def __init__(self, batch: Any, data: Any, start: int, end: int) -> None:
        self._batch = batch
        self._data, self._start, self._end = data, start, end

    def __getattr__(self, name: str) -> Any:
        return getattr(self._batch, name)

    def __next__(self) -> Any:  # a control batch's marker is read with next()
        return next(self._batch)

    def __iter__(self) -> Iterator[Any]:
        read = 0
        try:
            for record in self._batch:
                read += 1
                yield record
        except UnicodeDecodeError:
            # Sliced only now: copying every batch's bytes would cost every fetch.
            raw = bytes(self._data[self._start : self._end])
            for n, record in enumerate(_LenientBatch(raw)):
                if n >= read:
                    yield record


class _TolerantRecords:
    """aiokafka's MemoryRecords over a fetched partition's bytes, each batch handed out with
    its own bytes, to be read again if a header name in it is not UTF-8."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._records = MemoryRecords(data)
        self._position = 0

    def size_in_bytes(self) -> int:
        return int(self._records.size_in_bytes())

    def has_next(self) -> bool:
        return bool(self._records.has_next())

    def next_batch(self) -> _TolerantBatch | None:
        batch = self._records.next_batch()
        if batch is None:
            return None
        start = self._position
        _, length = _BATCH_PREFIX.unpack_from(self._data, start)
        self._position = start + _BATCH_PREFIX.size + length
        return _TolerantBatch(batch, self._data, start, self._position)


def tolerate_undecodable_header_names() -> None:
    """Have every aiokafka consumer of this process read a header name that is not UTF-8 as
    U+FFFD instead of failing its fetch for good (idempotent)."""
    fetcher.MemoryRecords = _TolerantRecords
