"""The certificate of analysis of a released lot: identity, genealogy, every specified test, the release signature."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core.errors import RuleViolation
from app.extensions import db
from app.lots.genealogy import ancestor_ids
from app.lots.models import Lot, ProductCode
from app.lots.operations import donors_of
from app.qc.models import QcResult, Specification, SpecTest
from app.signatures.models import Signature
from app.signatures.operations import content_hash
from app.storage.models import Unit
from labels.documents import Facts, Heading, Table, Text

from .documents import din_words, facts, paper, render, table, when

VERDICTS = {"pass": "conforms", "oos": "out of specification"}


def _number(value) -> str:
    return format(value.normalize(), "f")


def _identity(lot: Lot) -> Facts:
    description = db.session.scalar(select(ProductCode.description).where(ProductCode.code == lot.product_code))
    donors = ", ".join(d.code for d in donors_of(lot)) or "none linked"
    units, samples = db.session.execute(select(func.count(), func.count().filter(Unit.qc_sample.is_(True)))
                                        .where(Unit.lot_id == lot.id)).one()
    return facts([("Lot", lot.number), ("Kind", lot.kind.replace("_", " ")), ("DIN", din_words(lot.din)),
                   ("Product", f"{lot.product_code} {description}"), ("Division", lot.division),
                   ("Donor code", donors), ("Expiry", when(lot.expires_at) or "not set"),
                   ("Units", f"{units} ({samples} of them QC samples)")])


def _genealogy(lot: Lot) -> Table:
    lineage = db.session.scalars(select(Lot).where(Lot.id.in_(ancestor_ids(lot) | {lot.id})).order_by(Lot.id))
    return table(("Lot", "Kind", "Product code", "Passage", "Created"),
                  [(each.number, each.kind.replace("_", " "), each.product_code,
                    "" if each.passage is None else str(each.passage), when(each.created_at)) for each in lineage])


def _result_cells(test: SpecTest, result: QcResult | None) -> tuple[str, str, str]:
    if result is None:
        return "no result", test.unit or "", "not tested"
    if test.kind == "qualitative":
        return result.text_value, "", VERDICTS.get(result.outcome, result.outcome)
    entered = "" if result.unit == test.unit else f" (entered {_number(result.value)} {result.unit})"
    return _number(result.spec_value) + entered, test.unit, VERDICTS.get(result.outcome, result.outcome)


def _tests(lot: Lot) -> list:
    specification = db.session.get(Specification, lot.specification_id) if lot.specification_id else None
    if specification is None:
        return [Text("No specification applies: the lot has no QC result.")]
    current = {r.spec_test_id: r for r in db.session.scalars(select(QcResult).where(
        QcResult.lot_id == lot.id, QcResult.superseded_by_id.is_(None)))}
    rows = []
    for test in specification.tests:
        result = current.get(test.id)
        value, unit, verdict = _result_cells(test, result)
        rows.append((f"{test.code} {test.name}" + ("" if test.required else " (optional)"), value, unit,
                     test.criterion(), verdict, when(result.performed_at) if result else "",
                     when(result.verified_at) if result and result.verified else ""))
    return [Text(f"Specification: {paper(specification.name)}, version {specification.version}."),
            table(("Test", "Result", "Unit", "Criterion", "Verdict", "Performed", "Verified"), rows)]


def _release(lot: Lot) -> Facts:
    signature = db.session.get(Signature, lot.decision_signature_id)
    unchanged = signature.content_hash == content_hash(lot)
    return facts([("Released by", signature.printed_name), ("Meaning", signature.meaning),
                   ("Signed at", when(signature.signed_at)),
                   ("Signed content", "unchanged since signing" if unchanged else "CHANGED since signing"),
                   ("Content SHA-256", signature.content_hash)])


def certificate_of_analysis(lot: Lot) -> bytes:
    """The lot's certificate of analysis as PDF; refused (409) unless the lot is released."""
    if lot.state != "released":
        raise RuleViolation(_("lot %(number)s is %(state)s: a certificate of analysis is issued for a released lot "
                              "only", number=lot.number, state=lot.state))
    blocks = [Heading("Identity"), _identity(lot), Heading("Genealogy"), _genealogy(lot),
              Heading("Quality control"), *_tests(lot), Heading("Release"), _release(lot)]
    return render(f"Certificate of analysis, lot {lot.number}", blocks)
