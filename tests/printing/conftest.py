"""Printing fixtures: approved templates of the bank's own kinds, vials of a lot with an expiry."""

import pytest

from tests.printing.helpers import approved_template, set_expiry


@pytest.fixture
def approved(bank):
    """Templates for cryovial, bag and box labels, each with version 1 by admin1 approved by qa1."""
    made = {kind: approved_template(bank, kind) for kind in ("cryovial", "bag", "box")}
    bank.as_user("tech1")
    return made


@pytest.fixture
def vials(bank, drug_product, tank, approved, units):
    """The drug product with an expiry, its four cryovials (units), the templates approved; tech1 logged in."""
    set_expiry(bank.as_user("tech1"), drug_product["id"])
    return units
