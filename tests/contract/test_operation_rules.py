"""The operations themselves hold the input rules: a caller that skips the API schemas and forms (a command, the
demo loader, a future page) meets the same refusal."""

import datetime as dt

import pytest

import audit
from app.core.errors import InvalidInput
from app.extensions import db

NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture
def acting(app, connection):
    with app.test_request_context():
        audit.set_actor(db.session, None, "test")
        yield
        db.session.rollback()


def test_create_donor_refuses_a_name_and_a_future_consent(acting):
    from app.donors.operations import create_donor

    with pytest.raises(InvalidInput, match="pseudonymous"):
        create_donor("Jane Doe", dt.date(2026, 2, 20), "allogeneic ASC bank")
    with pytest.raises(InvalidInput, match="consent_date.*future"):
        create_donor("ASC-D010", dt.date(NEXT_YEAR, 1, 1), "allogeneic ASC bank")
    assert create_donor("asc-d010", dt.date(2026, 2, 20), "  allogeneic ASC bank ").code == "ASC-D010"


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_operations_refuse_blank_reasons(acting, blank):
    from app.donors.operations import create_donor, withdraw_consent

    donor = create_donor("ASC-D011", dt.date(2026, 2, 20), "allogeneic ASC bank")
    with pytest.raises(InvalidInput, match="reason"):
        withdraw_consent(donor, blank)
    assert donor.consent_withdrawn_at is None


def test_materials_refuse_an_absurd_expiry(acting):
    from app.materials.operations import receive_material

    with pytest.raises(InvalidInput, match="expiry"):
        receive_material({"name": "Trypsin", "supplier": "Gibco", "catalogue_number": "T-1", "supplier_lot": "L9",
                          "expiry": dt.date(190, 1, 31)})
