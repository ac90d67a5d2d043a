"""What a service's app serves, for the tests that try every route of it."""

from fastapi.testclient import TestClient

# Each service's pages, which its OpenAPI does not describe.
PAGES = {
    "submissions": (("get", "/portal"), ("get", "/portal/{rest}")),
    "reporting": (("get", "/dashboard"), ("get", "/dashboard/{campaign_code}")),
}


def operations(client: TestClient, service: str) -> list[tuple[str, str]]:
    """Every (method, path) the app serves: those its OpenAPI describes, and its pages."""
    described = client.get("/openapi.json").json()["paths"]
    found = [(m, p) for p, methods in described.items() for m in methods]
    return [*found, *PAGES.get(service, ())]
