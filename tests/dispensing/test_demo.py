"""The demo's patients: P-001 enrolled, dose 1 administered, dose 2 prepared and dispensable; P-002 with no dose."""

from sqlalchemy import select

from app.dispensing import checks
from app.dispensing.models import Dose
from app.extensions import db
from app.patients.models import Patient


def test_the_demo_has_a_dose_ready_to_dispense(app, connection, session):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "P-001 enrolled with dose 1 administered and dose 2 prepared" in result.output
    patients = {p.code: p for p in session.scalars(select(Patient))}
    assert {code: p.status for code, p in patients.items()} == {"P-001": "enrolled", "P-002": "enrolled"}
    doses = session.scalars(select(Dose).order_by(Dose.dose_number)).all()
    assert [(d.patient_id, d.dose_number, d.state) for d in doses] == [
        (patients["P-001"].id, 1, "administered"), (patients["P-001"].id, 2, "prepared")]
    with app.test_request_context():
        ready = db.session.get(Dose, doses[1].id)
        assert checks.verdict(ready.barcode, patients["P-001"].barcode) == (ready, None)
        assert "wrong patient" in checks.verdict(ready.barcode, patients["P-002"].barcode)[1]
