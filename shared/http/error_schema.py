"""What the OpenAPI descriptions say a 4xx answers: the one error shape (shared.http.errors).

FastAPI declares a 422 of its own (`HTTPValidationError`, `{"detail": [...]}`), which no route of
ours answers, and no other 4xx, though every route may refuse a token (401), a role (403), a
body (413, 415) or a thing (404, 409). A client generated from the description, or a fuzzer
checking answers against it (tests/fuzz), read that 422 as a lie and the rest as undeclared.
`declare_client_errors` rewrites the description once: the 422 is the error shape, and every
operation declares `4XX` with it."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

_REF = "#/components/schemas/{model}"


class ClientErrorItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="The field at fault: a JSON path, a parameter, or (body)")
    code: str = Field(description="What is wrong, for programs")
    message_vi: str = Field(description="What is wrong, in Vietnamese")
    message_en: str = Field(description="What is wrong, in English")


class ClientErrors(BaseModel):
    model_config = ConfigDict(extra="forbid")

    errors: list[ClientErrorItem] = Field(min_length=1)


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _REF.format(model="ClientErrors")}}},
    }


def with_client_errors(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with the error shape declared for every operation's 4xx (in place)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    described = ClientErrors.model_json_schema(ref_template=_REF)
    schemas.update(described.pop("$defs"))
    schemas["ClientErrors"] = described
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "422" in responses:
                responses["422"] = _error_response("A field is refused (named in errors)")
            responses.setdefault("4XX", _error_response("Refused: the errors name the field"))
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def declare_client_errors(app: FastAPI) -> None:
    """Make `app.openapi()` declare the error shape for every 4xx (computed once, cached)."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_client_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
