"""The dose label and the patient identifier through the print control, and both barcodes in POST /api/v1/scan."""

from app.printing.models import PrintJob
from tests.dispensing.helpers import enrolled_patient, order, prepared_dose
from tests.printing.helpers import approved_template


def test_a_prepared_dose_and_its_patient_print_and_are_recorded(bank, pharmacy, session):
    approved_template(bank, "dose")
    approved_template(bank, "patient")
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    bank.as_user("pharm1")
    pdf = bank.client.get(f"/api/v1/doses/{dose['id']}/label.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF"), pdf.data[:200]
    zpl = bank.as_user("clin1").client.get(f"/api/v1/patients/{patient['id']}/label.zpl")
    assert zpl.status_code == 200 and patient["barcode"].encode() in zpl.data
    jobs = {job.id: job for job in session.query(PrintJob).all()}
    assert {int(pdf.headers["X-Print-Job"]), int(zpl.headers["X-Print-Job"])} <= set(jobs)


def test_an_ordered_dose_has_no_label_yet(bank, pharmacy, session):
    approved_template(bank, "dose")
    dose = order(bank, enrolled_patient(bank))
    response = bank.as_user("pharm1").client.get(f"/api/v1/doses/{dose['id']}/label.pdf")
    assert response.status_code == 409 and "it is labelled once prepared" in response.json["message"]
    assert session.query(PrintJob).count() == 0


def test_scans_name_the_dose_and_the_patient(bank, pharmacy):
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    scanned = bank.client.post("/api/v1/scan", json={"code": dose["barcode"]}).json
    assert scanned["type"] == "dose" and scanned["id"] == dose["id"] and scanned["patient_id"] == patient["id"]
    scanned = bank.client.post("/api/v1/scan", json={"code": f" {patient['barcode']} "}).json
    assert scanned == {"type": "patient", "id": patient["id"], "barcode": patient["barcode"], "code": "P-001",
                       "status": "enrolled"}
