"""A unit as a FHIR R5 BiologicallyDerivedProduct: valid by the fhir.resources R5 models, every code in its value
set (the models do not check codes)."""

import json
import re

import pytest
from fhir.resources.biologicallyderivedproduct import BiologicallyDerivedProduct
from pydantic import ValidationError

from app.fhir import codes

#: the R5 value sets' codes (hl7.org/fhir/R5: valueset-product-category, valueset-biologicallyderived-product-status)
VALUE_SETS = {codes.PRODUCT_CATEGORY: {"organ", "tissue", "fluid", "cells", "biologicalAgent"},
              codes.PRODUCT_STATUS: {"available", "unavailable"}}
#: an ISBT 128 product code with collection type and division: αoooo t ds
ISBT_PRODUCT_CODE = re.compile(r"[A-Z][0-9]{4}[A-Z0-9][A-Z0-9]{2}")


def _resource(bank, unit_id: int) -> dict:
    response = bank.client.get(f"/api/v1/fhir/BiologicallyDerivedProduct/{unit_id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    resource = json.loads(response.get_data(as_text=True))
    BiologicallyDerivedProduct.model_validate(resource)  # raises on anything R5 does not allow
    return resource


def _check_codes(resource: dict) -> None:
    for element in ("productCategory", "productStatus"):
        coding = resource[element]
        assert coding["code"] in VALUE_SETS[coding["system"]], (element, coding)
    [code] = resource["productCode"]["coding"]
    assert code["system"] == codes.PRODUCT_CODE and ISBT_PRODUCT_CODE.fullmatch(code["code"])
    for bound in ("low", "high"):
        quantity = resource["storageTempRequirements"][bound]
        assert (quantity["system"], quantity["code"]) == (codes.UCUM, "Cel")


def test_a_released_stored_unit(branching, bank):
    b = branching
    resource = _resource(bank, b.u1["id"])
    _check_codes(resource)
    assert resource["id"] == str(b.u1["id"]) and resource["productCategory"]["code"] == "cells"
    assert resource["biologicalSourceEvent"] == {
        "system": "https://www.isbt128.org/uri/DonationIdentificationNumber", "value": b.procurement1["din"]}
    assert resource["identifier"] == [{"system": "urn:cellbank:A9999:unit-barcode", "value": b.u1["barcode"]}]
    assert resource["division"] == b.u1["division"] and resource["division"] != "00"
    assert resource["productCode"]["coding"][0]["code"] == f"S1004V{b.u1['division']}"
    assert resource["productStatus"]["code"] == "available"
    assert resource["parent"][0]["identifier"]["value"] == "DP-0001"
    assert resource["collection"]["collectedDateTime"].startswith("2026-03-02T08:30:00")
    assert resource["collection"]["source"] == {"display": "donor ASC-D001"}
    assert resource["storageTempRequirements"]["low"]["value"] == -196
    assert "expirationDate" not in resource  # the branching bank sets no expiry
    for broken in ({"productCategory": "cells"}, {"division": 7}, {"collection": {"collectedOn": "2026"}}):
        with pytest.raises(ValidationError):  # the validation would see a mistake of ours
            BiologicallyDerivedProduct.model_validate({**resource, **broken})


def test_a_unit_of_a_lot_in_process_is_unavailable(branching, bank):
    resource = _resource(bank, branching.u4["id"])
    _check_codes(resource)
    assert resource["productStatus"]["code"] == "unavailable"
    assert resource["biologicalSourceEvent"]["value"] == branching.procurement2["din"]
    assert resource["collection"]["source"] == {"display": "donor ASC-D002"}


def test_unknown_units_and_anonymous_callers_are_refused(branching, bank):
    missing = bank.client.get("/api/v1/fhir/BiologicallyDerivedProduct/987654")
    assert missing.status_code == 404 and missing.json["message"] == "no unit with id 987654"
    bank.client.post("/api/v1/auth/logout")
    assert bank.client.get(f"/api/v1/fhir/BiologicallyDerivedProduct/{branching.u1['id']}").status_code == 401
