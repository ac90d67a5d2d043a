"""`python -m shared.contracts`: the JSON Schema of every public event, for integrators."""

import json

from shared.contracts.catalogue import EVENT_TYPES

print(
    json.dumps(
        {
            event_type: {"topic": contract.topic, "data": contract.model_json_schema()}
            for event_type, contract in EVENT_TYPES.items()
        },
        ensure_ascii=False,
        indent=2,
    )
)
