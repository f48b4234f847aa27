"""Rules for donors, screening, eligibility and procurements."""

import datetime as dt

from flask import current_app
from flask_babel import gettext as _

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.i18n import N_
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.types import utcnow
from app.extensions import db
from app.signatures.operations import signed_change

from .din import allocate_din
from .eligibility import unmet_requirements
from .models import ELIGIBILITY, MARKERS, Donor, Procurement, ScreeningTest


def get_donor(donor_id: int) -> Donor:
    return get_or_404(Donor, donor_id, "donor")


def get_procurement(procurement_id: int) -> Procurement:
    return get_or_404(Procurement, procurement_id, "procurement")


@guarded("donors.register")
def create_donor(code: str, consent_date: dt.date, consent_scope: str) -> Donor:
    """Register a donor under a pseudonymous code."""
    code = validators.pseudonymous_code(code)
    consent_date = validators.past_date(consent_date, "consent_date")
    consent_scope = validators.text(consent_scope, "consent_scope", 500, min_length=3)
    if db.session.query(Donor).filter_by(code=code).first() is not None:
        raise RuleViolation(_("donor code %(code)s is already used", code=code))
    donor = Donor(code=code, consent_date=consent_date, consent_scope=consent_scope, eligibility="pending")
    with audit.action(db.session, "donor.create"):
        db.session.add(donor)
    return donor


def _require_consent(donor: Donor, doing: str) -> None:
    if donor.consent_withdrawn:
        raise RuleViolation(_("donor %(code)s withdrew consent: %(doing)s is not allowed", code=donor.code,
                              doing=_(doing)))


@guarded("donors.screen")
def add_screening_test(donor: Donor, marker: str, method: str, sample_date: dt.date, result: str) -> ScreeningTest:
    """Record a screening result; a decided eligibility goes back to pending for QA to decide again."""
    if marker not in MARKERS:
        raise InvalidInput(_("unknown marker %(marker)s; markers are %(markers)s", marker=marker,
                             markers=', '.join(MARKERS)), {"marker": [_("unknown")]})
    sample_date = validators.past_date(sample_date, "sample_date")
    test = ScreeningTest(donor=donor, marker=marker, method=method, sample_date=sample_date, result=result)
    with audit.action(db.session, "donor.screening_test"):
        db.session.add(test)
    if donor.eligibility != "pending":
        with audit.action(db.session, "donor.eligibility_reopened", "a new screening result needs a new decision"):
            ELIGIBILITY.move(donor, "pending")
            donor.eligibility_signature_id = None
    return test


def eligibility_problems(donor: Donor) -> list[str]:
    """Why this donor cannot be declared eligible (empty if they can)."""
    config = current_app.config
    problems = unmet_requirements(donor.screening_tests, [p.collected_at.date() for p in donor.procurements],
                                  config["DONOR_REQUIRED_MARKERS"], config["SEROLOGY_RETEST_DAYS"])
    if donor.consent_withdrawn:
        problems.insert(0, _("consent was withdrawn"))
    return problems


@guarded("donors.eligibility")
def decide_eligibility(donor: Donor, signer, password: str, meaning: str, reason: str | None = None) -> Donor:
    """QA signs 'donor eligible' (only if every requirement is met) or 'donor ineligible'."""
    reason = validators.optional_reason(reason)
    if meaning == "donor eligible" and (problems := eligibility_problems(donor)):
        raise RuleViolation(_("donor cannot be declared eligible: %(problems)s", problems="; ".join(problems)),
                            {"unmet": problems})
    eligibility = "eligible" if meaning == "donor eligible" else "ineligible"
    ELIGIBILITY.require(donor, eligibility)
    signed_change(donor, signer, password, meaning, "donor.eligibility_decision", reason,
                  {"eligibility": eligibility}, "eligibility_signature_id")
    return donor


@guarded("donors.consent_withdrawal")
def withdraw_consent(donor: Donor, reason: str) -> Donor:
    """Record a withdrawal: no further processing and no release of this donor's material."""
    reason = validators.reason(reason)
    if donor.consent_withdrawn:
        raise RuleViolation(_("donor %(code)s already withdrew consent", code=donor.code))
    with audit.action(db.session, "donor.consent_withdrawn", reason):
        donor.consent_withdrawn_at = utcnow()
    return donor


@guarded("procurements.record")
def create_procurement(donor: Donor, collected_by, data: dict) -> Procurement:
    """Record a procurement and give it the next DIN."""
    _require_consent(donor, N_("a new procurement"))
    data = {**data, "collected_at": validators.past_moment(data["collected_at"], "collected_at"),
            "site": validators.text(data["site"], "site", 200, min_length=2),
            "transport_conditions": validators.text(data["transport_conditions"], "transport_conditions", 2000,
                                                    min_length=3, multiline=True)}
    if "tissue" in data:
        data["tissue"] = validators.text(data["tissue"], "tissue", 100, min_length=3)
    collected_at = data["collected_at"]
    din = allocate_din(current_app.config["FIN"], collected_at.year)
    procurement = Procurement(donor=donor, din=din, collected_by_id=collected_by.id, **data)
    with audit.action(db.session, "procurement.create"):
        db.session.add(procurement)
    return procurement


@guarded("procurements.receive")
def receive_procurement(procurement: Procurement, receiver, received_at: dt.datetime,
                        temperature_c) -> Procurement:
    """Record receipt at the lab, by someone other than the collector."""
    received_at = validators.past_moment(received_at, "received_at")
    if procurement.received_at is not None:
        raise RuleViolation(_("procurement %(din)s was already received", din=procurement.din))
    if receiver.id == procurement.collected_by_id:
        raise RuleViolation(_("the receipt must be recorded by someone other than the collector"))
    if received_at < procurement.collected_at:
        raise RuleViolation(_("the receipt cannot be earlier than the collection"))
    with audit.action(db.session, "procurement.receive", "received at the laboratory"):
        procurement.received_at = received_at
        procurement.received_temperature_c = temperature_c
        procurement.received_by_id = receiver.id
    return procurement
