"""The payloads' JSON Schemas, from the contracts' pydantic models, as AsyncAPI components."""

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.campaign.model import Campaign
from shared.contracts.asyncapi.draft07 import to_draft_07
from shared.contracts.catalogue import CONTRACTS

KAFKA_BINDING = "0.5.0"
SCHEMAS = "#/components/schemas/"


def ref(pointer: str) -> dict[str, str]:
    return {"$ref": pointer}


# Payload fields the contracts type loosely (a dict) whose shape another model states: the
# campaign file, which submissions publishes as `Campaign.model_dump(mode="json")` and the
# consumers read back with Campaign.
EMBEDDED: dict[tuple[str, str], type[BaseModel]] = {("CampaignPublished", "definition"): Campaign}


def payload_schemas() -> dict[str, Any]:
    embedded = list(dict.fromkeys(EMBEDDED.values()))
    _, definitions = models_json_schema(
        [(model, "validation") for model in (*CONTRACTS, *embedded)],
        ref_template=SCHEMAS + "{model}",
    )
    schemas: dict[str, Any] = to_draft_07(definitions["$defs"])
    for (contract, field), model in EMBEDDED.items():
        loose = schemas[contract]["properties"][field]
        schemas[contract]["properties"][field] = {
            "title": loose["title"],
            "description": loose["description"],
            "allOf": [ref(SCHEMAS + model.__name__)],
        }
    return schemas
