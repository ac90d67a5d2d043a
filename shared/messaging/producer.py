"""The Kafka producers: the outbox relay's, idempotent, and the dead-letter publisher's."""

from aiokafka import AIOKafkaProducer


def create_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    # Idempotent with acks=all: a retried send is written once, and an acknowledged event
    # survives the loss of the leader. linger_ms batches a relay burst into few requests.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
    )


def create_dead_letter_producer(bootstrap_servers: str, client_id: str) -> AIOKafkaProducer:
    """The dead-letter publisher's own producer, not idempotent (acks=all still): aiokafka
    uses up an idempotent producer's sequence number on a batch the broker refuses as too
    large, and the partition's next record is then refused as out of order, for good: the
    bare copy parked in its place, and every dead letter after it, so the consumer stopped
    again. A dead letter written twice on a retry is harmless (people and tools read it by its
    original topic, partition and offset); one never written stops the consumer."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id=client_id,
        enable_idempotence=False,
        acks="all",
    )
