"""Trial patients (pseudonymous: no names are stored) and their signed eligibility checklists."""

import datetime as dt
import json

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.i18n import N_
from app.core.states import StateMachine
from app.core.types import UTCDateTime, utcnow
from app.core.versioning import Versioned
from app.extensions import db

SEXES = ("F", "M")
#: how every patient barcode begins (patients.operations.new_barcode adds 8 random characters)
BARCODE_PREFIX = "PT-"
SCREENING, ENROLLED, COMPLETED, WITHDRAWN = "screening", "enrolled", "completed", "withdrawn"
PATIENT_STATES = StateMachine(N_("patient"), "status", {
    SCREENING: (ENROLLED, WITHDRAWN), ENROLLED: (COMPLETED, WITHDRAWN), COMPLETED: (), WITHDRAWN: (),
}, initial=(SCREENING,), named_by="code")
ELIGIBLE, INELIGIBLE = "patient eligible", "patient ineligible"


class Patient(Versioned, db.Model):
    __tablename__ = "patients"
    __audited__ = True
    __state_machine__ = PATIENT_STATES
    __table_args__ = (PATIENT_STATES.check(),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the trial subject code (pseudonymous), e.g. P-001
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: printed on the patient identifier label (wristband, prescription); a scan of it finds this patient
    barcode: Mapped[str] = mapped_column(String(20), unique=True)
    site: Mapped[str] = mapped_column(String(200))
    consent_date: Mapped[dt.date] = mapped_column(Date)
    birth_year: Mapped[int] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(20), default=SCREENING)
    enrolled_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class EligibilityChecklist(Versioned, db.Model):
    """The protocol's criteria answered with their evidence for one patient, signed by a clinician."""

    __tablename__ = "eligibility_checklists"
    __audited__ = True
    #: a patient's latest checklist is one probe of this index (latest_checklist_id)
    __table_args__ = (Index("ix_eligibility_checklists_patient_id_id", "patient_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    #: the version of the criteria configuration (app/patients/criteria.json) answered
    criteria_version: Mapped[str] = mapped_column(String(100))
    #: {criterion id: {"answer": ..., "evidence": ...}} as JSON
    answers: Mapped[str] = mapped_column(Text)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    age: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(20))
    #: the unmet criteria in words, one a line (empty when eligible)
    unmet: Mapped[str] = mapped_column(Text, default="")
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __decisions__ = {ELIGIBLE: "POST /api/v1/patients/{patient_id}/eligibility",
                     INELIGIBLE: "POST /api/v1/patients/{patient_id}/eligibility"}
    __attestations__ = ()
    __signer_permission__ = "patients.eligibility"

    @property
    def answer_map(self) -> dict:
        return json.loads(self.answers)

    @property
    def unmet_list(self) -> list[str]:
        return [line for line in self.unmet.splitlines() if line]

    def signed_content(self) -> dict:
        return {"patient_id": self.patient_id, "criteria_version": self.criteria_version,
                "answers": self.answer_map, "assessed_on": self.assessed_on.isoformat(), "age": self.age,
                "outcome": self.outcome, "unmet": self.unmet_list}
