"""Monitoring test helpers: readings through the API and counts of what was recorded."""

import datetime as dt

from sqlalchemy import func, select

from app.monitoring.models import Excursion, ExcursionFlag, TemperatureReading


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def reading(bank, storage_unit: dict, value: str, at: dt.datetime | None = None, expect: int = 201) -> dict:
    """Record a reading of the storage unit typed by hand (at now unless told), as whoever is logged in."""
    body = {"storage_unit_id": storage_unit["id"], "measured_at": (at or now()).isoformat(), "value_c": value}
    response = bank.client.post("/api/v1/temperature-readings", json=body)
    assert response.status_code == expect, response.json
    return response.json


def excursions(bank) -> list[dict]:
    response = bank.client.get("/api/v1/excursions")
    assert response.status_code == 200, response.json
    return response.json["items"]


def flagged(excursion: dict) -> set[int]:
    return {flag["unit_id"] for flag in excursion["flags"]}


def counts(session) -> tuple[int, int, int]:
    """How many readings, excursions and flags are recorded."""
    return tuple(session.scalar(select(func.count()).select_from(model))
                 for model in (TemperatureReading, Excursion, ExcursionFlag))
