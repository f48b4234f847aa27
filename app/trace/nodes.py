"""What a trace shows of each node: its label and facts, loaded for many ids at once (one query per type)."""

from sqlalchemy import case, select

from app.custody import places
from app.custody.models import CustodyEvent
from app.dispensing.models import Dose
from app.donors.models import Donor, Procurement
from app.lots.models import Lot
from app.materials.models import MaterialLot
from app.patients.models import Patient
from app.qc.models import QcResult, SpecTest
from app.signatures.models import Signature
from app.storage import placewords
from app.storage.models import Unit

from .idlists import rows


def _when(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def donors(ids) -> dict[int, dict]:
    query = select(Donor.id, Donor.code, Donor.eligibility, Donor.consent_withdrawn_at)
    return {r.id: {"label": r.code, "eligibility": r.eligibility,
                   "consent_withdrawn": r.consent_withdrawn_at is not None}
            for r in rows(query, Donor.id, ids)}


def procurements(ids) -> dict[int, dict]:
    query = select(Procurement.id, Procurement.din, Procurement.donor_id, Procurement.tissue, Procurement.site,
                   Procurement.collected_at, Procurement.received_at)
    return {r.id: {"label": f"DIN {r.din}", "din": r.din, "donor_id": r.donor_id, "tissue": r.tissue, "site": r.site,
                   "collected_at": _when(r.collected_at), "received_at": _when(r.received_at)}
            for r in rows(query, Procurement.id, ids)}


def materials(ids) -> dict[int, dict]:
    query = select(MaterialLot.id, MaterialLot.name, MaterialLot.supplier, MaterialLot.catalogue_number,
                   MaterialLot.supplier_lot, MaterialLot.expiry, MaterialLot.status)
    return {r.id: {"label": f"{r.name}, lot {r.supplier_lot}", "supplier": r.supplier,
                   "catalogue_number": r.catalogue_number, "supplier_lot": r.supplier_lot,
                   "expiry": r.expiry.isoformat(), "status": r.status}
            for r in rows(query, MaterialLot.id, ids)}


def lots(ids) -> dict[int, dict]:
    query = select(Lot.id, Lot.number, Lot.kind, Lot.state, Lot.din, Lot.product_code, Lot.division, Lot.expires_at)
    return {r.id: {"label": r.number, "kind": r.kind, "state": r.state, "din": r.din, "product_code": r.product_code,
                   "division": r.division, "expires_at": _when(r.expires_at)}
            for r in rows(query, Lot.id, ids)}


def _last_custody_place():
    """Where the last custody event of the enclosing query's unit took it, for a unit in no box (SQL: one probe of
    the unit's event chain, newest first)."""
    last = (select(CustodyEvent.to_place).where(CustodyEvent.unit_id == Unit.id)
            .order_by(CustodyEvent.sequence.desc()).limit(1).scalar_subquery())
    return case((Unit.box_id.is_(None), last)).label("last_place")


#: what places_of reads of each unit, beside its id
PLACE_COLUMNS = (Unit.box_id, Unit.row, Unit.col, _last_custody_place())


def places_of(found) -> dict[int, places.Place]:
    """Where each unit row (its id and PLACE_COLUMNS) is: its box position, else where its last custody event took
    it (absent: a unit with no event)."""
    where = {r.id: places.BoxPosition(r.box_id, r.row, r.col) for r in found if r.box_id is not None}
    parsed = {text: places.parse(text) for text in {r.last_place for r in found} - {None}}  # units share places
    return where | {r.id: parsed[r.last_place] for r in found if r.last_place is not None}


def units(ids) -> dict[int, dict]:
    query = select(Unit.id, Unit.barcode, Unit.lot_id, Unit.state, Unit.division, Unit.container_type, Unit.qc_sample,
                   *PLACE_COLUMNS)
    found = rows(query, Unit.id, ids)
    where = places_of(found)
    boxes, users = placewords.named_by(where.values())
    words = {place: placewords.in_words(place, boxes, users) for place in {*where.values(), None}}  # units share
    return {unit_id: {"label": barcode, "lot_id": lot_id, "state": state, "division": division,
                      "container_type": container_type, "qc_sample": qc_sample, "location": words[where.get(unit_id)]}
            for unit_id, barcode, lot_id, state, division, container_type, qc_sample, *_place in found}


def doses(ids) -> dict[int, dict]:
    query = select(Dose.id, Dose.barcode, Dose.dose_number, Dose.state, Dose.patient_id, Dose.lot_id,
                   Dose.dispensed_at, Dose.administered_at)
    return {r.id: {"label": f"dose {r.dose_number} {r.barcode}", "dose_number": r.dose_number, "state": r.state,
                   "patient_id": r.patient_id, "lot_id": r.lot_id, "dispensed_at": _when(r.dispensed_at),
                   "administered_at": _when(r.administered_at)}
            for r in rows(query, Dose.id, ids)}


def patients(ids) -> dict[int, dict]:
    query = select(Patient.id, Patient.code, Patient.site, Patient.status)
    return {r.id: {"label": f"patient {r.code}", "code": r.code, "site": r.site, "status": r.status}
            for r in rows(query, Patient.id, ids)}


def _result(r) -> str:
    value = r.text_value if r.value is None else f"{r.value.normalize():f} {r.unit or ''}".rstrip()
    return f"{r.code} {value}"


def qc_results(ids) -> dict[int, dict]:
    query = select(QcResult.id, QcResult.lot_id, SpecTest.code, QcResult.value, QcResult.unit, QcResult.text_value,
                   QcResult.outcome, QcResult.performed_at, QcResult.verified_at, QcResult.superseded_by_id).join(
        SpecTest, SpecTest.id == QcResult.spec_test_id)
    return {r.id: {"label": _result(r), "lot_id": r.lot_id, "test": r.code, "outcome": r.outcome,
                   "performed_at": _when(r.performed_at), "verified": r.verified_at is not None,
                   "current": r.superseded_by_id is None}
            for r in rows(query, QcResult.id, ids)}


def signatures(ids) -> dict[int, dict]:
    query = select(Signature.id, Signature.record_id, Signature.meaning, Signature.printed_name, Signature.signed_at,
                   Signature.content_hash)
    return {r.id: {"label": f"{r.meaning}: {r.printed_name}", "lot_id": r.record_id, "meaning": r.meaning,
                   "printed_name": r.printed_name, "signed_at": _when(r.signed_at), "content_hash": r.content_hash}
            for r in rows(query, Signature.id, ids)}
