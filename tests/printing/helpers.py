"""Printing test helpers: approved templates, lot expiry, print jobs, and reading printed labels back."""

from labels.stock import STOCKS
from tests.helpers import PASSWORD

EXPIRY = "2027-06-30T23:59:00+02:00"


def stock_body(kind: str, note: str = "first version") -> dict:
    stock = STOCKS[kind]
    return {"stock_name": stock.name, "width_mm": f"{stock.width_mm:.1f}", "height_mm": f"{stock.height_mm:.1f}",
            "margin_mm": f"{stock.margin_mm:.1f}", "change_note": note}


def new_template(bank, kind: str, name: str | None = None, author: str = "admin1") -> dict:
    """A template of this kind with one draft version, made by author; answers the draft."""
    bank.as_user(author)
    template = bank.post("/api/v1/label-templates", {"name": name or f"{kind} label", "kind": kind})
    return bank.post(f"/api/v1/label-templates/{template['id']}/versions", stock_body(kind))


def approve(bank, version_id: int, approver: str = "qa1", expect: int = 200):
    bank.as_user(approver)
    response = bank.client.post(f"/api/v1/label-template-versions/{version_id}/approve", json={"password": PASSWORD})
    assert response.status_code == expect, response.json
    return response.json


def approved_template(bank, kind: str, author: str = "admin1", approver: str = "qa1") -> dict:
    """A template of this kind whose version 1 QA approved."""
    return approve(bank, new_template(bank, kind, author=author)["id"], approver)


def set_expiry(bank, lot_id: int, expires_at: str = EXPIRY) -> dict:
    return bank.post(f"/api/v1/lots/{lot_id}/expiry", {"expires_at": expires_at, "reason": "shelf life 15 months"},
                     expect=200)


def print_job(bank, record_type: str, record_ids: list[int], expect: int = 201, **body):
    response = bank.client.post("/api/v1/print-jobs", json={"record_type": record_type, "record_ids": record_ids,
                                                             **body})
    assert response.status_code == expect, response.json if response.is_json else response.data[:200]
    return response


def jobs(bank, **query) -> list[dict]:
    response = bank.client.get("/api/v1/print-jobs", query_string=query)
    assert response.status_code == 200, response.json
    return response.json["items"]
