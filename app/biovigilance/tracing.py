"""The donations and products behind a dose: its backward trace (app/trace's walk, through the vials allocated to
it and their lot lineage) names every procurement (DIN) it reaches."""

from app.dispensing.models import Dose
from app.extensions import db
from app.lots.models import Lot
from app.trace import nodes
from app.trace.walk import BACKWARD, walk

from .models import CaseProduct


def products_of(case_id: int, doses: list[Dose]) -> list[CaseProduct]:
    """One row per related dose and donation of its backward trace (a dose with no lot yet names none)."""
    found = []
    for dose in doses:
        if dose.lot_id is None:
            continue
        lot = db.session.get(Lot, dose.lot_id)
        reached = walk("dose", dose.id, BACKWARD)
        dins = sorted({facts["din"] for facts in nodes.procurements(reached.ids.get("procurement", set())).values()})
        found += [CaseProduct(case_id=case_id, dose_id=dose.id, dose_barcode=dose.barcode, lot_id=lot.id,
                              lot_number=lot.number, product_code=lot.product_code, din=din)
                  for din in dins or [lot.din]]
    return found
