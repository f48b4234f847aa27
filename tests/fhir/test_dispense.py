"""A dose as a FHIR R5 BiologicallyDerivedProductDispense: valid by the fhir.resources R5 models, its status in
the R5 value set, its product the syringe's BiologicallyDerivedProduct; refused while there is no product."""

import json

from fhir.resources.biologicallyderivedproduct import BiologicallyDerivedProduct
from fhir.resources.biologicallyderivedproductdispense import BiologicallyDerivedProductDispense

from app.fhir import codes
from tests.dispensing.helpers import allocate, dispense, enrolled_patient, order, prepared_dose
from tests.helpers import count_audit

#: hl7.org/fhir/R5/valueset-biologicallyderivedproductdispense-status
DISPENSE_STATUS = {"preparation", "in-progress", "allocated", "issued", "unfulfilled", "returned",
                   "entered-in-error", "unknown"}


def _get(bank, path: str):
    response = bank.client.get(f"/api/v1/fhir/{path}")
    return response, (json.loads(response.get_data(as_text=True)) if response.status_code == 200 else None)


def _dispense_resource(bank, dose_id: int) -> dict:
    response, resource = _get(bank, f"BiologicallyDerivedProductDispense/{dose_id}")
    assert response.status_code == 200 and response.mimetype == "application/fhir+json", response.json
    BiologicallyDerivedProductDispense.model_validate(resource)
    assert resource["status"] in DISPENSE_STATUS
    assert (resource["quantity"]["system"], resource["quantity"]["code"]) == (codes.UCUM, "mL")
    return resource


def test_a_dispensed_dose_names_its_syringe_patient_pharmacist_and_handover(bank, pharmacy):
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    prepared = _dispense_resource(bank, dose["id"])
    assert prepared["status"] == "in-progress" and "whenHandedOver" not in prepared
    assert dispense(bank, dose, patient).status_code == 200
    resource = _dispense_resource(bank, dose["id"])
    assert resource["status"] == "issued"
    assert resource["identifier"] == [{"system": "urn:cellbank:A9999:dose-barcode", "value": dose["barcode"]}]
    assert resource["patient"]["identifier"] == {"system": "urn:cellbank:A9999:trial-subject", "value": "P-001"}
    assert [p["function"]["text"] for p in resource["performer"]] == ["prepared the dose", "dispensed the dose"]
    assert resource["performer"][1]["actor"]["display"] == "Pharm1 Tester"
    assert resource["whenHandedOver"] and resource["destination"]["display"] == "the ward of trial subject P-001"
    assert resource["quantity"]["value"] == 5.0 and "intrathecal" in resource["usageInstruction"]
    product_ref = resource["product"]["reference"]
    assert product_ref.startswith("BiologicallyDerivedProduct/")
    response, product = _get(bank, product_ref)
    assert response.status_code == 200 and product["identifier"][0]["value"] == dose["barcode"]
    BiologicallyDerivedProduct.model_validate(product)


def test_a_returned_dose_says_why(bank, pharmacy):
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    bank.as_user("pharm1").post(f"/api/v1/doses/{dose['id']}/return", {"reason": "lumbar puncture postponed"},
                                expect=200)
    resource = _dispense_resource(bank, dose["id"])
    assert resource["status"] == "returned" and resource["note"] == [{"text": "returned: lumbar puncture postponed"}]


def test_a_dose_not_prepared_unknown_or_anonymous_is_refused(bank, pharmacy, session):
    patient = enrolled_patient(bank)
    dose = order(bank, patient)
    allocate(bank, dose)
    before = count_audit(session)
    response, _ = _get(bank, f"BiologicallyDerivedProductDispense/{dose['id']}")
    assert response.status_code == 409
    assert response.json["message"] == (f"dose {dose['barcode']} is allocated: it has no product to dispense until "
                                         "it is prepared")
    assert _get(bank, "BiologicallyDerivedProductDispense/987654")[0].status_code == 404
    assert count_audit(session) == before
    bank.client.post("/api/v1/auth/logout")
    assert _get(bank, f"BiologicallyDerivedProductDispense/{dose['id']}")[0].status_code == 401
