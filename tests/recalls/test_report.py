"""The recall report PDF, from the API and from `flask recall report`: the text a reader sees."""

from tests.dispensing.helpers import dispense, enrolled_patient, prepared_dose
from tests.labels.scanning import pdf_text
from tests.recalls.helpers import REASON, open_recall


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return " ".join(" ".join(pdf_text(pdf)).split())


def test_the_report_names_the_recall_its_units_and_the_patients(bank, drug_product, pharmacy, session):
    patient = enrolled_patient(bank)
    dose = prepared_dose(bank, patient)
    assert dispense(bank, dose, patient).status_code == 200
    recall = open_recall(bank, f"lot:{drug_product['id']}")["recall"]
    response = bank.client.get(f"/api/v1/recalls/{recall['id']}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    assert f"Recall report {recall['number']}" in text and REASON in text
    assert "lot DP-0001" in text and "recall opened" in text and "Qa1 Tester" in text
    assert "1 lots, 5 units (5 not accounted for), 0 blocked doses, 1 patients" in text
    for vial in pharmacy:
        assert vial["barcode"] in text
    assert "P-001" in text and dose["barcode"] in text and "dispensed" in text
    assert "quarantine in place" in text and "OPEN" in text and "return" in text


def test_the_command_writes_the_same_report(app, bank, branching, tmp_path, monkeypatch):
    recall = open_recall(bank, f"material:{branching.trypsin['id']}")["recall"]
    runner = app.test_cli_runner()
    target = tmp_path / "recall.pdf"
    written = runner.invoke(args=["recall", "report", str(recall["id"]), "--output", str(target)])
    assert written.exit_code == 0, written.output
    assert written.output.strip() == f"recall {recall['number']} report written to {target}"
    text = _text(target.read_bytes())
    assert f"Recall report {recall['number']}" in text and "TrypLE, lot TR26" in text
    assert branching.u1["barcode"] in text and branching.u3["barcode"] not in text
    monkeypatch.chdir(tmp_path)
    default = runner.invoke(args=["recall", "report", str(recall["id"])])
    assert default.exit_code == 0 and (tmp_path / f"recall-{recall['number']}.pdf").exists()
    missing = runner.invoke(args=["recall", "report", "987654"])
    assert missing.exit_code == 1 and "no recall has the id 987654" in missing.output
    assert runner.invoke(args=["recall", "report", "zero"]).exit_code == 2
