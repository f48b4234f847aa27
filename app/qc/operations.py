"""Rules for specifications and QC results."""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

import audit
from app.core import validators
from app.core.errors import InvalidInput, RuleViolation
from app.core.lookup import get_or_404
from app.core.permissions import guarded
from app.core.types import utcnow
from app.extensions import db
from app.lots.models import Deviation, Lot

from .models import QcResult, Specification, SpecTest
from .units import UnitMismatch, convert


def current_specification(lot_kind: str) -> Specification | None:
    return db.session.scalar(select(Specification).where(Specification.lot_kind == lot_kind,
                                                         Specification.current.is_(True)))


@guarded("specifications.manage")
def create_specification(lot_kind: str, name: str, tests: list[dict]) -> Specification:
    """Make a new version of the kind's specification; the previous version stops being current."""
    name = validators.text(name, "name", 200, min_length=3)
    previous = current_specification(lot_kind)
    if previous is not None:
        with audit.action(db.session, "specification.supersede", f"replaced by a new version of {lot_kind}"):
            previous.current = False
    codes = [t["code"] for t in tests]
    if len(set(codes)) != len(codes):
        raise InvalidInput(_("each test code may appear once in a specification"), {"tests": [_("duplicate code")]})
    spec = Specification(lot_kind=lot_kind, name=name, version=(previous.version + 1 if previous else 1),
                         current=True, tests=[SpecTest(**_checked_test(t)) for t in tests])
    with audit.action(db.session, "specification.create"):
        db.session.add(spec)
    return spec


def _checked_test(test: dict) -> dict:
    if test["kind"] == "numeric":
        if test.get("unit") is None or (test.get("lower") is None and test.get("upper") is None):
            raise InvalidInput(_("numeric test %(test)s needs a unit and a lower or upper bound", test=test['code']),
                               {"tests": [_("%(test)s: unit and bound required", test=test['code'])]})
    elif not test.get("expected"):
        raise InvalidInput(_("qualitative test %(test)s needs an expected result", test=test['code']),
                           {"tests": [_("%(test)s: expected required", test=test['code'])]})
    return test


def evaluate(test: SpecTest, spec_value: Decimal | None, text_value: str | None) -> str:
    """'pass' or 'oos' against the test's acceptance criterion."""
    if test.kind == "qualitative":
        return "pass" if (text_value or "").strip().lower() == test.expected.strip().lower() else "oos"
    low_ok = test.lower is None or (spec_value >= test.lower if test.lower_inclusive else spec_value > test.lower)
    high_ok = test.upper is None or (spec_value <= test.upper if test.upper_inclusive else spec_value < test.upper)
    return "pass" if low_ok and high_ok else "oos"


def _spec_test_for(lot: Lot, code: str) -> SpecTest:
    if lot.specification_id is None:
        spec = current_specification(lot.kind)
        if spec is None:
            raise RuleViolation(_("there is no specification for %(kind)s lots: QC cannot be recorded", kind=lot.kind))
        with audit.action(db.session, "lot.specification_fixed", f"first QC result: judged against {spec.name} "
                          f"v{spec.version}"):
            lot.specification_id = spec.id
    test = db.session.scalar(select(SpecTest).where(SpecTest.specification_id == lot.specification_id,
                                                    SpecTest.code == code))
    if test is None:
        raise InvalidInput(_("test %(code)s is not part of the specification of lot %(number)s", code=code,
                             number=lot.number),
                           {"test": [_("unknown for this lot's specification")]})
    return test


def _measured(test: SpecTest, data: dict) -> dict:
    """The stored value fields, converted to the spec's unit; refuse what cannot be compared."""
    if test.kind == "qualitative":
        if not data.get("text_value"):
            raise InvalidInput(_("%(code)s is qualitative: give text_value", code=test.code),
                               {"text_value": [_("required")]})
        return {"value": None, "unit": None, "text_value": data["text_value"], "spec_value": None}
    if data.get("value") is None or not data.get("unit"):
        raise InvalidInput(_("%(code)s is numeric: give value and unit", code=test.code),
                           {"value": [_("value and unit required")]})
    try:
        spec_value = convert(data["value"], data["unit"], test.unit)
    except UnitMismatch as error:
        raise InvalidInput(_("%(code)s: %(error)s", code=test.code, error=error), {"unit": [str(error)]}) from None
    return {"value": data["value"], "unit": data["unit"], "text_value": None, "spec_value": spec_value}


@guarded("qc.record")
def record_result(lot: Lot, performer, data: dict, supersedes: QcResult | None = None) -> QcResult:
    """Record a QC result, evaluate it, and open a deviation if it is out of specification."""
    data = {**data, "method": validators.text(data["method"], "method", 200, min_length=2),
            "instrument": validators.text(data["instrument"], "instrument", 200),
            "performed_at": validators.past_moment(data["performed_at"], "performed_at"),
            "text_value": validators.optional_text(data.get("text_value"), "text_value", 100)}
    if supersedes is not None:
        data["reason"] = validators.reason(data.get("reason"))
    if lot.state not in ("in_process", "quarantine"):
        raise RuleViolation(_("lot %(number)s is %(state)s: QC results can no longer be recorded", number=lot.number,
                              state=lot.state))
    test = _spec_test_for(lot, data["test"])
    measured = _measured(test, data)
    result = QcResult(lot_id=lot.id, spec_test=test, outcome=evaluate(test, measured["spec_value"],
                      measured["text_value"]), method=data["method"], instrument=data["instrument"],
                      performed_by_id=performer.id, performed_at=data["performed_at"],
                      supersedes_id=supersedes.id if supersedes else None,
                      correction_reason=data.get("reason") if supersedes else None, **measured)
    with audit.action(db.session, "qc.correct" if supersedes else "qc.record",
                      data.get("reason") if supersedes else None):
        db.session.add(result)
    if result.outcome == "oos":
        deviation = Deviation(lot_id=lot.id, origin="oos", qc_result_id=result.id, opened_by_id=performer.id,
                              description=f"out of specification: {test.code} {_shown(result)} "
                                          f"(criterion {test.criterion()})")
        with audit.action(db.session, "deviation.open_oos"):
            db.session.add(deviation)
    return result


def _shown(result: QcResult) -> str:
    return result.text_value if result.value is None else f"{result.value.normalize():f} {result.unit}"


def get_result(result_id: int) -> QcResult:
    return get_or_404(QcResult, result_id, "QC result")


@guarded("qc.verify")
def verify_result(result: QcResult, verifier) -> QcResult:
    """Second-person verification: never by the performer, only of a current result."""
    if result.performed_by_id == verifier.id:
        raise RuleViolation(_("a QC result must be verified by someone other than the person who performed it"))
    if not result.current:
        raise RuleViolation(_("QC result %(id)s was superseded; verify the correction instead", id=result.id))
    if result.verified:
        raise RuleViolation(_("QC result %(id)s is already verified", id=result.id))
    with audit.action(db.session, "qc.verify", "second-person verification"):
        result.verified_by_id = verifier.id
        result.verified_at = utcnow()
    return result


@guarded("qc.record")
def correct_result(result: QcResult, performer, data: dict) -> QcResult:
    """A correction supersedes the old result, which stays as it was, with the reason."""
    if not result.current:
        raise RuleViolation(_("QC result %(id)s is already superseded by %(superseded_by_id)s", id=result.id,
                              superseded_by_id=result.superseded_by_id))
    lot = db.session.get(Lot, result.lot_id)
    correction = record_result(lot, performer, {**data, "test": result.spec_test.code}, supersedes=result)
    with audit.action(db.session, "qc.superseded", data["reason"]):
        result.superseded_by_id = correction.id
    return correction
