"""Release and rejection with an e-signature; release only when every rule holds."""

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import validators
from app.core.errors import RuleViolation
from app.core.permissions import guarded
from app.extensions import db
from app.lots.genealogy import ancestor_ids
from app.lots.models import LOT_STATES, Deviation, Lot
from app.lots.operations import donors_of
from app.qc.models import QcResult, SpecTest
from app.signatures.operations import signed_change

RELEASE, REJECT = "released for clinical use", "rejected"


def _qc_blockers(lot: Lot) -> list[str]:
    if lot.specification_id is None:
        return [_("no QC result recorded yet, so no specification version applies")]
    required = db.session.scalars(select(SpecTest).where(SpecTest.specification_id == lot.specification_id,
                                                         SpecTest.required.is_(True)).order_by(SpecTest.id))
    current = {r.spec_test_id: r for r in db.session.scalars(
        select(QcResult).where(QcResult.lot_id == lot.id, QcResult.superseded_by_id.is_(None)))}
    problems = []
    for test in required:
        result = current.get(test.id)
        if result is None:
            problems.append(_("%(code)s: no result", code=test.code))
        elif result.outcome != "pass":
            problems.append(_("%(code)s: out of specification (criterion %(criterion)s)", code=test.code,
                              criterion=test.criterion()))
        elif not result.verified:
            problems.append(_("%(code)s: result not verified by a second person", code=test.code))
    return problems


def _donor_blockers(lot: Lot) -> list[str]:
    donors = donors_of(lot)
    if not donors:
        return [_("no donor is linked to DIN %(din)s", din=lot.din)]
    problems = []
    for donor in donors:
        if donor.consent_withdrawn:
            problems.append(_("donor %(code)s withdrew consent", code=donor.code))
        if donor.eligibility != "eligible":
            problems.append(_("donor %(code)s is not declared eligible (%(eligibility)s)", code=donor.code,
                              eligibility=donor.eligibility))
    return problems


def _signer_blockers(lot: Lot, signer) -> list[str]:
    problems = []
    if any(step.operator_id == signer.id for step in lot.steps):
        problems.append(_("%(username)s performed processing steps of this lot", username=signer.username))
    if db.session.scalar(select(QcResult.id).where(QcResult.lot_id == lot.id,
                                                   QcResult.performed_by_id == signer.id).limit(1)):
        problems.append(_("%(username)s performed QC tests of this lot", username=signer.username))
    return problems


def release_blockers(lot: Lot, signer=None) -> list[str]:
    """Every rule that keeps this lot from being released (by this signer), in words."""
    problems = [] if lot.state == "quarantine" else [_("lot is %(state)s, not in quarantine", state=lot.state)]
    problems += _qc_blockers(lot)
    problems += _donor_blockers(lot)
    lot_ids = ancestor_ids(lot) | {lot.id}
    open_deviations = db.session.scalars(select(Deviation).where(Deviation.lot_id.in_(lot_ids),
                                                                 Deviation.closed_at.is_(None))).all()
    problems += [f"deviation {d.id} is open: {d.description}" for d in open_deviations]
    problems += [f"processing step {s.id} ({s.step_type}) is not closed" for s in lot.steps if s.ended_at is None]
    if signer is not None:
        problems += _signer_blockers(lot, signer)
    return problems


@guarded("lots.release")
def release(lot: Lot, signer, password: str, reason: str | None = None) -> Lot:
    """QA releases the lot for clinical use; refused with every unmet rule listed."""
    reason = validators.optional_reason(reason)
    if problems := release_blockers(lot, signer):
        raise RuleViolation(_("release refused: %(problems)s", problems="; ".join(problems)), {"unmet": problems})
    return _decide(lot, signer, password, RELEASE, "released", reason)


@guarded("lots.release")
def reject(lot: Lot, signer, password: str, reason: str) -> Lot:
    """QA rejects a lot that is in process or in quarantine."""
    reason = validators.reason(reason)
    LOT_STATES.require(lot, "rejected")
    return _decide(lot, signer, password, REJECT, "rejected", reason)


def _decide(lot: Lot, signer, password: str, meaning: str, state: str, reason: str | None) -> Lot:
    signed_change(lot, signer, password, meaning, f"lot.{state}", reason, {"state": state}, "decision_signature_id")
    return lot
