"""Pydantic writes JSON Schema 2020-12 (with OpenAPI's discriminator); an AsyncAPI 3.0 Schema
Object is a superset of draft-07. The two keywords that differ are rewritten here, meaning
kept: a tuple's `prefixItems` becomes draft-07's array-form `items` (what pydantic put in
`items` for the rest, `additionalItems`), and the discriminator object its property's name,
AsyncAPI's form (the `oneOf` beside it still decides)."""

from typing import Any


def to_draft_07(schema: Any) -> Any:
    if isinstance(schema, list):
        return [to_draft_07(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {name: to_draft_07(value) for name, value in schema.items()}
    if "prefixItems" in converted:
        rest = converted.pop("items", None)
        converted["items"] = converted.pop("prefixItems")
        if rest is not None:
            converted["additionalItems"] = rest
    discriminator = converted.get("discriminator")
    if isinstance(discriminator, dict):
        converted["discriminator"] = discriminator["propertyName"]
    return converted
