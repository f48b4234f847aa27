"""Rules for biovigilance: a clinician records an adverse reaction or event on a patient; a serious one opens, in
the same transaction, a case holding what its notification needs; QA or a clinician completes the case (each edit
with a reason) and submits it, signed."""

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

import audit
from app.core import validators
from app.core.errors import RuleViolation
from app.core.i18n import N_
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.timezones import site_zone
from app.core.types import utcnow
from app.dispensing.models import ADMINISTERED, Dose
from app.extensions import db
from app.signatures.operations import signed_change

from .models import (
    CASE_STATES,
    DEATH,
    NON_SERIOUS,
    OPEN,
    STANDARD_DAYS,
    SUBMISSION,
    SUBMITTED,
    URGENT_DAYS,
    AdverseEvent,
    AdverseEventDose,
    BiovigilanceCase,
)
from .tracing import products_of

#: what a case may be edited in, and the words its refusals use
EDITABLE = {"reaction_type": "type of reaction or event", "imputability": "imputability",
            "expectedness": "expectedness", "cause": "cause", "corrective_actions": "corrective actions"}
#: what a notification needs before it is submitted
REQUIRED = ("reaction_type", "imputability", "expectedness", "cause", "corrective_actions")
LONG_TEXT = 4000


def get_case(case_id: int) -> BiovigilanceCase:
    return get_or_404(BiovigilanceCase, case_id, "biovigilance case")


def lock_case(case_id: int) -> BiovigilanceCase:
    case = db.session.scalar(select(BiovigilanceCase).where(BiovigilanceCase.id == case_id).with_for_update()
                             .execution_options(populate_existing=True))
    return case if case is not None else get_case(case_id)


def _doses(patient, dose_ids: list[int], occurred_on: dt.date) -> list[Dose]:
    """The related doses: this patient's, administered before the event; an unknown or foreign dose is refused
    naming it."""
    found = {d.id: d for d in db.session.scalars(select(Dose).where(Dose.id.in_(set(dose_ids))))} if dose_ids else {}
    for dose_id in dose_ids:
        dose = found.get(dose_id)
        if dose is None or dose.patient_id != patient.id:
            validators.refuse("dose_ids", f"patient {patient.code} has no dose with id {dose_id}")
        if dose.state != ADMINISTERED:
            raise RuleViolation(_("dose %(barcode)s is %(state)s: an adverse reaction or event relates to an "
                                  "administered dose", barcode=dose.barcode, state=dose.state))
        given = dose.administered_at.astimezone(site_zone()).date()
        if occurred_on < given:
            validators.refuse("occurred_on", f"{occurred_on.isoformat()} is before dose {dose.barcode} was "
                                             f"administered ({given.isoformat()})")
    return [found[dose_id] for dose_id in sorted(set(dose_ids))]


def _dates(occurred_on: dt.date, aware_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """When it happened and when the site learnt of it (today unless given): both past, awareness not before."""
    occurred_on = validators.past_date(occurred_on, "occurred_on")
    aware_on = validators.past_date(aware_on or dt.datetime.now(site_zone()).date(), "aware_on")
    if aware_on < occurred_on:
        validators.refuse("aware_on", f"{aware_on.isoformat()} is before the event ({occurred_on.isoformat()})")
    return occurred_on, aware_on


def due_on(event: AdverseEvent) -> dt.date:
    """7 days from awareness for a fatal or life-threatening event, else 15."""
    return event.aware_on + dt.timedelta(days=URGENT_DAYS if event.urgent else STANDARD_DAYS)


def _report_id(year: int) -> str:
    """BV-<year>-<sequence of the year>; two cases opened at once both read the same sequence, and the report id's
    unique constraint refuses the second (409)."""
    prefix = f"BV-{year}-"
    count = db.session.scalar(select(func.count()).select_from(BiovigilanceCase)
                              .where(BiovigilanceCase.report_id.like(f"{prefix}%")))
    return f"{prefix}{count + 1:04d}"


def _open_case(event: AdverseEvent, doses: list[Dose]) -> BiovigilanceCase:
    config = current_app.config
    case = BiovigilanceCase(event_id=event.id, report_id=_report_id(utcnow().year), state=OPEN, opened_at=utcnow(),
                            due_on=due_on(event), establishment=config["FACILITY_NAME"],
                            establishment_fin=config["FIN"], trial_number=config["EU_TRIAL_NUMBER"])
    with audit.action(db.session, "biovigilance.case_opened", f"serious adverse {event.kind}: {event.seriousness}"):
        db.session.add(case)
        db.session.flush()
        db.session.add_all(products_of(case.id, doses))
        db.session.flush()
    return case


@guarded("biovigilance.record")
def record_event(patient, actor, kind: str, occurred_on: dt.date, description: str, seriousness: str, outcome: str,
                 dose_ids: list[int], aware_on: dt.date | None = None) -> AdverseEvent:
    """A clinician records an adverse reaction or event on the patient; a serious one opens its case at once."""
    occurred_on, aware_on = _dates(occurred_on, aware_on)
    description = validators.text(description, "description", LONG_TEXT, min_length=3, multiline=True)
    if outcome == DEATH and seriousness == NON_SERIOUS:
        validators.refuse("seriousness", "an event ending in death is serious: fatal")
    doses = _doses(patient, dose_ids, occurred_on)
    event = AdverseEvent(patient_id=patient.id, kind=kind, occurred_on=occurred_on, aware_on=aware_on,
                         description=description, seriousness=seriousness, outcome=outcome, reported_by_id=actor.id,
                         reported_at=utcnow())
    with audit.action(db.session, "adverse_event.recorded", f"adverse {kind} on patient {patient.code}"):
        db.session.add(event)
        db.session.flush()
        db.session.add_all([AdverseEventDose(event_id=event.id, dose_id=dose.id) for dose in doses])
        db.session.flush()
    if event.serious:
        _open_case(event, doses)
    return event


def events_of(patient) -> list[AdverseEvent]:
    """The patient's adverse reactions and events, the latest first."""
    return list(db.session.scalars(select(AdverseEvent).where(AdverseEvent.patient_id == patient.id)
                                   .order_by(AdverseEvent.occurred_on.desc(), AdverseEvent.id.desc())))


def cases(state: str | None):
    """The cases (a query), the earliest due first."""
    statement = select(BiovigilanceCase).order_by(BiovigilanceCase.due_on, BiovigilanceCase.id)
    return statement.where(BiovigilanceCase.state == state) if state else statement


def _still_open(case: BiovigilanceCase, doing: str) -> None:
    if case.state == SUBMITTED:
        raise RuleViolation(_("biovigilance case %(report_id)s was submitted %(submitted_at)s UTC: it cannot "
                              "%(doing)s", report_id=case.report_id,
                              submitted_at=format(case.submitted_at, "%Y-%m-%d %H:%M"), doing=_(doing)))


@guarded("biovigilance.manage")
def edit_case(case: BiovigilanceCase, changes: dict, reason: str) -> BiovigilanceCase:
    """Complete or correct the notification's assessment (type, imputability, expectedness, cause, corrective
    actions), with a reason; refused once submitted."""
    reason = validators.reason(reason)
    case = lock_case(case.id)
    _still_open(case, N_("be edited"))
    changes = {name: value for name, value in changes.items() if name in EDITABLE}
    for name in ("reaction_type", "cause", "corrective_actions"):
        if changes.get(name) is not None:
            changes[name] = validators.text(changes[name], name, LONG_TEXT, min_length=3, multiline=True)
    if not changes:
        validators.refuse("changes", f"name at least one of {', '.join(EDITABLE)}")
    with audit.action(db.session, "biovigilance.case_edited", reason):
        for name, value in changes.items():
            setattr(case, name, value)
        db.session.flush()
    return case


def missing(case: BiovigilanceCase) -> list[str]:
    """What the notification still needs, in words."""
    return [EDITABLE[name] for name in REQUIRED if getattr(case, name) in (None, "")]


@guarded("biovigilance.manage")
def submit_case(case: BiovigilanceCase, signer, password: str, reason: str | None = None) -> BiovigilanceCase:
    """Submit the notification, signed, once it holds what it needs; a second submission is refused."""
    case = lock_case(case.id)
    _still_open(case, N_("be submitted again"))
    CASE_STATES.require(case, SUBMITTED)
    if needed := missing(case):
        raise RuleViolation(_("biovigilance case %(report_id)s cannot be submitted: it lacks the %(needed)s",
                              report_id=case.report_id, needed=', '.join(needed)), {"missing": needed})
    signed_change(case, signer, password, SUBMISSION, "biovigilance.submit", reason,
                  {"state": SUBMITTED, "submitted_at": utcnow()}, "submit_signature_id")
    return case
