"""A record whose header name is not UTF-8 (kcat -H $'\\xff\\xfe=x') no longer stops a
consumer's fetch (shared.messaging.header_names): aiokafka's fetcher read it with a strict
UTF-8 decode and raised, over and over, and the partition was never read again (scoring and
reporting stopped on every partition, each logging ~130 lines a second). The fetcher's own
record iterator is run here on batches as the broker hands them out."""

from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka.consumer import fetcher
from aiokafka.record.default_records import _DefaultRecordBatchBuilderPy
from aiokafka.record.memory_records import MemoryRecords
from aiokafka.structs import TopicPartition

from shared.messaging.header_names import tolerate_undecodable_header_names

TP = TopicPartition("thidua.initiatives.v1", 0)
GZIP = 0x01


class NotUtf8(str):
    """A header name whose bytes on the wire are not UTF-8 (what kcat writes as given)."""

    def encode(self, encoding: str = "utf-8", errors: str = "strict") -> bytes:
        return b"\xff\xfe"


def batch(base_offset: int, names: list[str], compression: int = 0) -> bytes:
    builder = _DefaultRecordBatchBuilderPy(
        magic=2,
        compression_type=compression,
        is_transactional=0,
        producer_id=-1,
        producer_epoch=-1,
        base_sequence=-1,
        batch_size=1 << 20,
    )
    for delta, name in enumerate(names):
        builder.append(
            delta,
            timestamp=1,
            key=b"k",
            value=f"v{base_offset + delta}".encode(),
            headers=[
                ("ce_id", b"1"),
                (name, b"x"),
            ],
        )
    raw = builder.build()
    raw[0:8] = base_offset.to_bytes(8, "big")  # as the broker sets it
    return bytes(raw)


def fetched(data: bytes) -> Iterator[Any]:
    """The records the fetcher hands out of one partition's fetched bytes, CRCs checked."""
    records = fetcher.MemoryRecords(data)
    partition = fetcher.PartitionRecords(TP, records, [], 0, None, None, True, "read_uncommitted")
    return iter(partition)


@pytest.fixture
def tolerant() -> Iterator[None]:
    before = fetcher.MemoryRecords
    tolerate_undecodable_header_names()
    yield
    fetcher.MemoryRecords = before


@pytest.mark.parametrize("compression", [0, GZIP])
def test_the_fetch_reads_past_a_header_name_that_is_not_utf8(
    tolerant: None, compression: int
) -> None:
    data = (
        batch(0, ["a", "b"], compression)
        + batch(2, ["c", NotUtf8("bad"), "e"], compression)
        + batch(5, ["f"], compression)
    )

    records = list(fetched(data))

    # Every record once, in order, the one with the bad name among them.
    assert [r.offset for r in records] == [0, 1, 2, 3, 4, 5]
    assert [r.value for r in records] == [f"v{n}".encode() for n in range(6)]
    assert records[3].headers == (("ce_id", b"1"), ("\ufffd\ufffd", b"x"))
    assert records[4].headers == (("ce_id", b"1"), ("e", b"x"))


def test_aiokafka_s_own_reader_fails_on_that_record() -> None:
    """What the consumers met: if aiokafka learns to read it, the tolerance can go."""
    data = batch(0, ["a", NotUtf8("bad")])
    records = fetcher.PartitionRecords(
        TP, MemoryRecords(data), [], 0, None, None, True, "read_uncommitted"
    )
    with pytest.raises(UnicodeDecodeError):
        list(records)
