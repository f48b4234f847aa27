"""Fixtures of the dispensing tests: a pharmacist, a clinician, and a released lot with an expiry, in hand."""

import pytest

from tests.printing.helpers import set_expiry


@pytest.fixture
def expiring(bank, drug_product, make_user):
    """The drug product lot's expiry set (FEFO and the labels need it); pharmacists and a clinician exist."""
    for name, role in (("pharm1", "pharmacist"), ("pharm2", "pharmacist"), ("clin1", "clinician")):
        make_user(name, roles=[role])
    bank.as_user("tech1")
    return set_expiry(bank, drug_product["id"])


@pytest.fixture
def pharmacy(bank, expiring, released_units):
    """Four released vials of one lot (25 million cells each), in tech1's hands; the users of the ward."""
    return released_units
