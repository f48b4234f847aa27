"""Numbers shown and typed right: no E-notation on pages, a decimal comma read as a point in decimal fields."""

import datetime as dt
from decimal import Decimal

from app.monitoring.models import TemperatureReading
from app.web.views import number


def test_numbers_are_shown_without_exponent():
    assert number(Decimal("2.5E+2")) == "250"
    assert number(Decimal("1.2E+2")) == "120"
    assert number(Decimal("1.50")) == "1.5"
    assert number(Decimal("0.000120")) == "0.00012"
    assert number(25_000_000) == "25000000" and number(None) == ""


def test_a_decimal_comma_in_a_temperature_field_is_a_decimal_point(bank, tank, session):
    measured = (dt.datetime.now() - dt.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    answer = bank.client.post("/temperature/readings", data={"storage_unit_id": tank["id"], "measured_at": measured,
                                                             "value_c": "-140,5"})
    assert answer.status_code == 302
    [reading] = session.query(TemperatureReading).filter_by(storage_unit_id=tank["id"]).all()
    assert reading.value_c == Decimal("-140.5")


def test_a_decimal_comma_reaches_the_api_schema_from_a_page_form(bank, drug_product, session):
    answer = bank.client.post(f"/lots/{drug_product['id']}/units", data={
        "count": "1", "container_type": "cryovial", "volume_ml": "1,5", "cells": "1000"})
    assert answer.status_code == 302
    from app.storage.models import Unit

    assert session.query(Unit).filter_by(lot_id=drug_product["id"]).one().volume_ml == Decimal("1.5")
