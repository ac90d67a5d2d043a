"""Each service's OpenAPI description declares the one error shape for its 4xx (found by the
fuzzer, tests/fuzz: FastAPI declared a 422 of `{"detail": [...]}` that no route answers, and no
401, 403, 404 or 409 though the routes answer them), so a client generated from it reads our
refusals."""

from fastapi.testclient import TestClient


def test_every_operation_declares_its_4xx_in_the_error_shape(scoring: TestClient) -> None:
    document = scoring.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert schemas["ClientErrors"]["required"] == ["errors"]
    assert set(schemas["ClientErrorItem"]["required"]) == {
        "field",
        "code",
        "message_vi",
        "message_en",
    }
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert operations
    shape = {"$ref": "#/components/schemas/ClientErrors"}
    for operation in operations:
        responses = operation["responses"]
        assert responses["4XX"]["content"]["application/json"]["schema"] == shape
        if "422" in responses:
            assert responses["422"]["content"]["application/json"]["schema"] == shape
