"""The trace graph's node types and edge kinds, declared once: a new type is one NodeType and its edges here.

An edge kind runs downstream, from a source (donor, material, parent lot, vial, dose) to a target (procurement,
lot, unit, dose, patient):
a forward trace follows it from source to target, a backward trace from target to source. Evidence kinds (QC
results, signatures) are leaves attached to a node: a backward trace gathers them for every node it reached and
walks no further from them; a forward trace ignores them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, select

from app.dispensing.models import Dose, DoseAllocation
from app.donors.models import Donor, Procurement
from app.lots.models import Lot, LotParent, ProcessStep, StepMaterial
from app.materials.models import MaterialLot
from app.patients.models import Patient
from app.qc.models import QcResult
from app.signatures.models import Signature
from app.storage.models import Unit

from . import nodes


@dataclass(frozen=True)
class NodeType:
    name: str
    model: type
    #: ids -> {id: node dict without type and id}, in a fixed number of queries whatever the number of ids
    load: Callable[[list[int]], dict[int, dict]]
    #: the page endpoint, its id argument, and the node field holding that id (a leaf links to its record's page)
    page: tuple[str, str, str]
    #: whether a trace may start from it (an API query names it)
    startable: bool = True


@dataclass(frozen=True)
class EdgeKind:
    kind: str
    source: str
    target: str
    #: (source id, target id) pairs; the walk adds ``.where(column.in_(ids))`` on the end it comes from
    pairs: Callable[[], Select]
    source_column: object
    target_column: object
    evidence: bool = False


NODE_TYPES: dict[str, NodeType] = {t.name: t for t in (
    NodeType("donor", Donor, nodes.donors, ("donors.donor", "donor_id", "id")),
    NodeType("procurement", Procurement, nodes.procurements, ("donors.procurement", "procurement_id", "id")),
    NodeType("material", MaterialLot, nodes.materials, ("materials_api.MaterialById", "material_id", "id")),
    NodeType("lot", Lot, nodes.lots, ("lots.lot", "lot_id", "id")),
    NodeType("unit", Unit, nodes.units, ("storage.unit_page", "unit_id", "id")),
    NodeType("dose", Dose, nodes.doses, ("patient.patient_page", "patient_id", "patient_id")),
    NodeType("patient", Patient, nodes.patients, ("patient.patient_page", "patient_id", "id")),
    NodeType("qc_result", QcResult, nodes.qc_results, ("lots.lot", "lot_id", "lot_id"), startable=False),
    NodeType("signature", Signature, nodes.signatures, ("lots.lot", "lot_id", "lot_id"), startable=False),
)}

EDGE_KINDS: tuple[EdgeKind, ...] = (
    EdgeKind("donated", "donor", "procurement", lambda: select(Procurement.donor_id, Procurement.id),
             Procurement.donor_id, Procurement.id),
    EdgeKind("procured_into", "procurement", "lot",
             lambda: select(Lot.procurement_id, Lot.id).where(Lot.procurement_id.is_not(None)),
             Lot.procurement_id, Lot.id),
    EdgeKind("derived_into", "lot", "lot", lambda: select(LotParent.parent_id, LotParent.child_id),
             LotParent.parent_id, LotParent.child_id),
    EdgeKind("consumed_in", "material", "lot",
             lambda: select(StepMaterial.material_lot_id, ProcessStep.lot_id).join(
                 ProcessStep, ProcessStep.id == StepMaterial.step_id).distinct(),
             StepMaterial.material_lot_id, ProcessStep.lot_id),
    EdgeKind("filled_into", "lot", "unit", lambda: select(Unit.lot_id, Unit.id), Unit.lot_id, Unit.id),
    # a released allocation (its dose destroyed before the vial was thawed) took nothing from the vial
    EdgeKind("allocated_to", "unit", "dose", lambda: select(DoseAllocation.unit_id, DoseAllocation.dose_id)
             .where(DoseAllocation.released_at.is_(None)), DoseAllocation.unit_id, DoseAllocation.dose_id),
    EdgeKind("prepared_as", "dose", "unit",
             lambda: select(Dose.id, Dose.syringe_unit_id).where(Dose.syringe_unit_id.is_not(None)),
             Dose.id, Dose.syringe_unit_id),
    EdgeKind("given_to", "dose", "patient", lambda: select(Dose.id, Dose.patient_id), Dose.id, Dose.patient_id),
    EdgeKind("tested_by", "lot", "qc_result", lambda: select(QcResult.lot_id, QcResult.id),
             QcResult.lot_id, QcResult.id, evidence=True),
    EdgeKind("signed_by", "lot", "signature",
             lambda: select(Signature.record_id, Signature.id).where(Signature.record_type == Lot.__tablename__),
             Signature.record_id, Signature.id, evidence=True),
)

#: the types a trace may start from, in the order the API documents them
STARTABLE = tuple(name for name, node_type in NODE_TYPES.items() if node_type.startable)


def key(node_type: str, node_id: int) -> str:
    return f"{node_type}:{node_id}"
