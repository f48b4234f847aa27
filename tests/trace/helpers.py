"""Trace test helpers: a trace through the API and the keys of its nodes."""


def trace(bank, start: str, direction: str) -> dict:
    """GET /api/v1/trace from start in direction; it must answer 200."""
    response = bank.client.get(f"/api/v1/trace?from={start}&direction={direction}")
    assert response.status_code == 200, response.json
    return response.json


def keys_of(answer: dict) -> set[str]:
    return {node["key"] for node in answer["nodes"]}
