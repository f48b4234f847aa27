"""Fixtures of the recall tests: beside the pharmacy's lot DP-0001, a second released lot DP-0002 a recall of
DP-0001 does not reach."""

import pytest

from tests.printing.helpers import set_expiry
from tests.storage.helpers import boxes


@pytest.fixture
def second_lot(bank, drug_product, pharmacy, tank) -> tuple[dict, list[dict]]:
    """DP-0002 (from the same MCB), released with an expiry, and its four vials in tech1's hands."""
    bank.as_user("tech1")
    lot = bank.post(f"/api/v1/lots/{bank.lots['mcb']['id']}/children", {"number": "DP-0002", "kind": "drug_product",
                                                                         "product_code": "S1004", "passage": 4})
    bank.post(f"/api/v1/lots/{lot['id']}/steps", {"step_type": "harvest", "equipment": "BSC-2",
                                                  "started_at": "2026-04-18T09:00:00+02:00",
                                                  "ended_at": "2026-04-18T11:00:00+02:00"})
    bank.post(f"/api/v1/lots/{lot['id']}/quarantine", {"reason": "processing finished"}, expect=200)
    set_expiry(bank, lot["id"], "2027-07-31T12:00:00+00:00")
    bank.full_qc(lot["id"])
    bank.as_user("qa2").release(lot["id"])
    bank.as_user("tech1")
    vials = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": 4, "container_type": "cryovial",
                                                          "volume_ml": "1.5", "cells": 25_000_000})
    for vial in vials:
        bank.post(f"/api/v1/units/{vial['id']}/store", {"box_id": boxes(tank)[1]["id"]}, expect=200)
        bank.post(f"/api/v1/units/{vial['id']}/retrieve", {}, expect=200)
    return lot, vials
