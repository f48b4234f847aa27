"""Printing at the same moment, on PostgreSQL (tests/races/harness.py): two first prints of one record cannot both
pass as first prints, and two approvals of one template leave exactly one approved version."""

import pytest
from sqlalchemy import func, select

from app.printing.models import LabelTemplate, PrintJob, TemplateVersion
from tests.bankbuild import build_drug_product
from tests.databases import NO_POSTGRES, POSTGRES_ADMIN_URL
from tests.helpers import PASSWORD
from tests.printing.helpers import approved_template, new_template, set_expiry, stock_body
from tests.races.harness import Call, race
from tests.races.test_races import built

pytestmark = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason=NO_POSTGRES)


def test_two_first_prints_of_one_unit(tmp_path):
    with built(tmp_path) as world:
        bank = world.bank
        lot = build_drug_product(bank)
        approved_template(bank, "cryovial")
        set_expiry(bank.as_user("tech1"), lot["id"])
        unit = bank.post(f"/api/v1/lots/{lot['id']}/units", {"count": 1, "container_type": "cryovial",
                                                             "volume_ml": "1", "cells": 1000})[0]
        body = {"record_type": "unit", "record_ids": [unit["id"]]}
        answers = race(world.database, [Call("tech1", "POST", "/api/v1/print-jobs", body),
                                        Call("tech2", "POST", "/api/v1/print-jobs", body)], table="print_jobs")
        assert sorted(status for _, status, _ in answers) == [201, 409], answers
        [loser] = [answer for _, status, answer in answers if status == 409]
        assert "a reprint needs a reason" in loser["message"]
        assert world.scalar(select(func.count()).select_from(PrintJob)) == 1
        world.verify()


def test_two_approvals_of_one_template(tmp_path):
    with built(tmp_path) as world:
        bank = world.bank
        first = new_template(bank, "box")
        second = bank.post(f"/api/v1/label-templates/{first['template_id']}/versions", stock_body("box", "second"))
        answers = race(world.database, [
            Call("qa1", "POST", f"/api/v1/label-template-versions/{first['id']}/approve", {"password": PASSWORD}),
            Call("qa2", "POST", f"/api/v1/label-template-versions/{second['id']}/approve", {"password": PASSWORD})],
            table="label_template_versions")
        statuses = sorted(status for _, status, _ in answers)
        assert statuses in ([200, 200], [200, 409]), answers  # one after the other, never both at once
        states = world.scalar(select(func.count()).select_from(TemplateVersion)
                              .where(TemplateVersion.state == "approved"))
        assert states == 1
        approved = world.scalar(select(TemplateVersion.number).where(TemplateVersion.state == "approved"))
        assert world.scalar(select(LabelTemplate.approved_number)) == approved
        world.verify()
