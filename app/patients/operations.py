"""Rules for patients: registration, the signed eligibility checklist, and status changes by their table."""

import datetime as dt
import json
import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.extensions import db
from app.signatures.operations import signed_change

from . import criteria
from .models import (
    BARCODE_PREFIX,
    ELIGIBLE,
    ENROLLED,
    INELIGIBLE,
    PATIENT_STATES,
    SEXES,
    WITHDRAWN,
    EligibilityChecklist,
    Patient,
)

BARCODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789"


def new_barcode(prefix: str) -> str:
    """A random identifier for a label (no meaning to read, nothing to guess): e.g. PT-7K2M9QXW."""
    return prefix + "".join(secrets.choice(BARCODE_ALPHABET) for _ in range(8))


def get_patient(patient_id: int) -> Patient:
    return get_or_404(Patient, patient_id, "patient")


def lock_patient(patient_id: int) -> Patient:
    """The patient, its row locked until the commit (PostgreSQL) so that decisions about it queue up."""
    patient = db.session.scalar(select(Patient).where(Patient.id == patient_id).with_for_update()
                             .execution_options(populate_existing=True))
    return patient if patient is not None else get_patient(patient_id)


def latest_checklist_id(patient_id: int):
    """The id of the patient's latest eligibility checklist, as an SQL expression (patient_id a value or a column of
    the enclosing query, which may itself join the checklists)."""
    return select(func.max(EligibilityChecklist.id)).where(EligibilityChecklist.patient_id == patient_id) \
        .correlate_except(EligibilityChecklist).scalar_subquery()


def checklist_of(patient: Patient) -> EligibilityChecklist | None:
    """The patient's latest eligibility checklist (each is signed as it is recorded)."""
    return db.session.scalar(select(EligibilityChecklist)
                             .where(EligibilityChecklist.id == latest_checklist_id(patient.id)))


@guarded("patients.manage")
def register(code: str, site: str, consent_date: dt.date, birth_year: int, sex: str) -> Patient:
    """Register a trial subject in screening, with a barcode of its own."""
    code = validators.pseudonymous_code(code)
    site = validators.text(site, "site", 200, min_length=2)
    validators.past_date(consent_date, "consent_date")
    if not 1900 <= birth_year <= consent_date.year:
        raise InvalidInput(_("birth_year must be a year between 1900 and the consent date"),
                           {"birth_year": [_("out of range")]})
    if sex not in SEXES:
        raise InvalidInput(_("sex is F or M"), {"sex": [_("F or M")]})
    if db.session.scalar(select(Patient.id).where(Patient.code == code)) is not None:
        raise RuleViolation(_("a patient with the trial code %(code)s is already registered", code=code))
    patient = Patient(code=code, barcode=new_barcode(BARCODE_PREFIX), site=site, consent_date=consent_date,
                      birth_year=birth_year, sex=sex, status="screening")
    with audit.action(db.session, "patient.registered"):
        db.session.add(patient)
        db.session.flush()
    return patient


@guarded("patients.eligibility")
def assess_eligibility(patient: Patient, signer, password: str, answers: dict, assessed_on: dt.date,
                       reason: str | None = None) -> EligibilityChecklist:
    """The clinician answers every criterion with its evidence and signs; the outcome names each unmet one."""
    patient = lock_patient(patient.id)
    if patient.status not in ("screening", ENROLLED):
        raise RuleViolation(_("patient %(code)s is %(status)s: eligibility is assessed during screening or, again, "
                              "while enrolled", code=patient.code, status=patient.status))
    validators.past_date(assessed_on, "assessed_on")
    if assessed_on < patient.consent_date:
        raise RuleViolation(_("eligibility is assessed after the patient's consent (%(consent_date)s)",
                              consent_date=patient.consent_date.isoformat()))
    checked = criteria.check_answers(answers)
    age = assessed_on.year - patient.birth_year
    problems = criteria.unmet(checked, age)
    outcome = "ineligible" if problems else "eligible"
    checklist = EligibilityChecklist(patient_id=patient.id, criteria_version=criteria.current()["version"],
                                     answers=json.dumps(checked, sort_keys=True), assessed_on=assessed_on, age=age,
                                     outcome=outcome, unmet="\n".join(problems))
    with audit.action(db.session, "eligibility.answered"):
        db.session.add(checklist)
        db.session.flush()
    meaning = INELIGIBLE if problems else ELIGIBLE
    signed_change(checklist, signer, password, meaning, f"eligibility.{outcome}", reason, {}, "signature_id")
    return checklist


def enrolment_blockers(patient: Patient) -> list[str]:
    """Why the patient may not be enrolled, in words (every unmet criterion named)."""
    checklist = checklist_of(patient)
    if checklist is None or checklist.signature_id is None:
        return ["no signed eligibility checklist"]
    return checklist.unmet_list


@guarded("patients.manage")
def change_status(patient: Patient, status: str, reason: str | None, on: dt.date | None = None) -> Patient:
    """Move the patient along its status table; enrolment needs an eligible signed checklist."""
    patient = lock_patient(patient.id)
    PATIENT_STATES.require(patient, status)
    reason = validators.reason(reason) if status == WITHDRAWN else validators.optional_reason(reason)
    changes = {"status": status}
    if status == ENROLLED:
        if problems := enrolment_blockers(patient):
            raise RuleViolation(_("patient %(code)s cannot be enrolled: %(problems)s", code=patient.code,
                                  problems="; ".join(problems)), {"unmet": problems})
        changes["enrolled_on"] = on or dt.date.today()
        if changes["enrolled_on"] < checklist_of(patient).assessed_on:
            raise RuleViolation(_("enrolment comes after the eligibility assessment"))
    with audit.action(db.session, f"patient.{status}", reason or f"patient {status}"):
        for name, value in changes.items():
            setattr(patient, name, value)
    return patient
