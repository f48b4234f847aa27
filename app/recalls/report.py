"""The recall report PDF: what was recalled and why, the signatures, the lots, every unit's whereabouts and
disposition, the blocked doses and every patient who received affected material."""

from app.auth.models import User
from app.extensions import db
from app.printing.documents import facts, paper, render, table, when
from app.signatures.operations import signatures_for
from labels.documents import Heading, Text

from .models import Recall
from .overview import overview, units


def _signatures(recall: Recall) -> list[tuple[str, str]]:
    return [(s["signature"].meaning, f"{s['signature'].printed_name}, {when(s['signature'].signed_at)}")
            for s in signatures_for(recall)]


def recall_report(recall: Recall) -> bytes:
    """The recall as PDF, as it stands now (open units are listed as open)."""
    seen = overview(recall)
    summary = seen["summary"]
    opener = db.session.get(User, recall.opened_by_id)
    identity = facts([("Recall", recall.number), ("Target", f"{recall.target_label} ({recall.target})"),
                      ("Reason", recall.reason), ("State", recall.state),
                      ("Opened", f"{when(recall.opened_at)} by {opener.full_name}"),
                      ("Closed", f"{when(recall.closed_at)}: {recall.closure_note}" if recall.closed_at else "open"),
                      ("Reached", f"{summary['lots']} lots, {summary['units']} units "
                                  f"({summary['open_units']} not accounted for), {summary['blocked_doses']} blocked "
                                  f"doses, {summary['patients']} patients"),
                      *_signatures(recall)])
    lots = [(lot["number"], lot["kind"].replace("_", " "), lot["state_before"], lot["state"]) for lot in seen["lots"]]
    unit_rows = [(u["barcode"], u["lot"], u["state"], u["location"], u["required_action"],
                  f"{u['disposition']} {when(u['disposed_at'])}" if u["disposition"] else "OPEN")
                 for u in units(recall)]
    patients = [(d["patient"], d["barcode"], str(d["dose_number"]), d["state"], when(d["dispensed_at"]),
                 when(d["administered_at"])) for d in seen["patients"]]
    blocked = [(d["barcode"], d["patient"], str(d["dose_number"]), d["state_at_recall"])
               for d in seen["doses"] if d["blocked"]]
    blocks = [Heading("Recall"), identity,
              Heading("Lots"), table(("Lot", "Kind", "Before", "Now"), lots),
              Heading("Units"), table(("Unit", "Lot", "State", "Where now", "Must be", "Disposition"), unit_rows),
              Heading("Patients who received affected material"),
              table(("Patient", "Dose", "No.", "State", "Dispensed", "Administered"), patients) if patients
              else Text(paper("No patient received affected material.")),
              Heading("Blocked doses"),
              table(("Dose", "Patient", "No.", "State at recall"), blocked) if blocked
              else Text(paper("No undispensed dose was reached."))]
    return render(f"Recall report {recall.number}", blocks)
