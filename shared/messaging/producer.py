"""The Kafka producer behind the outbox relay and the dead-letter publisher."""

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
