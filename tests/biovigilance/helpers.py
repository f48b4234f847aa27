"""Biovigilance test helpers: an administered dose, an event recorded through the API, and what a refusal leaves."""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

import audit
from app.biovigilance.models import AdverseEvent, AdverseEventDose, BiovigilanceCase, CaseProduct
from app.signatures.models import Signature
from tests.dispensing.helpers import dispense, enrolled_patient, prepared_dose

DESCRIPTION = "post-lumbar-puncture headache with fever 38.9 C, CSF culture pending"


def administered(bank, code: str = "P-001") -> tuple[dict, dict]:
    """An enrolled patient and its dose 1, prepared, dispensed and administered."""
    patient = enrolled_patient(bank, code)
    dose = prepared_dose(bank, patient)
    assert dispense(bank, dose, patient).status_code == 200
    bank.as_user("clin1").post(f"/api/v1/doses/{dose['id']}/administer", {}, expect=200)
    return patient, dose


def site_today() -> dt.date:
    """Today at the site (the tests' time zone, Europe/Paris): what the date rules compare with."""
    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def days_ago(days: int) -> str:
    return (site_today() - dt.timedelta(days=days)).isoformat()


def record(bank, patient: dict, dose_ids=(), expect: int = 201, **body) -> dict:
    bank.as_user("clin1")
    payload = {"kind": "reaction", "occurred_on": days_ago(0), "aware_on": days_ago(0), "description": DESCRIPTION,
               "seriousness": "hospitalisation", "outcome": "recovered", "dose_ids": list(dose_ids), **body}
    return bank.post(f"/api/v1/patients/{patient['id']}/adverse-events", payload, expect=expect)


def written(session) -> tuple:
    """Counts of what recording or submitting writes, and the audit entries other than sign-in checks."""
    entries = session.scalar(select(func.count()).select_from(audit.audit_log)
                             .where(audit.audit_log.c.action.not_like("auth.%")))
    return tuple(session.scalar(select(func.count()).select_from(model)) for model in (
        AdverseEvent, AdverseEventDose, BiovigilanceCase, CaseProduct, Signature)) + (entries,)


#: a complete assessment of a case, ready to submit
ASSESSMENT = {"reaction_type": "aseptic meningitis after intrathecal injection", "imputability": "likely",
              "expectedness": "unexpected", "cause": "inflammatory reaction to the cell product",
              "corrective_actions": "lot DP-0001 quarantined pending investigation"}
