"""The biovigilance notification PDF: the serious adverse reaction or event notification of Directive 2006/86/EC
annexes III and IV (as amended by 2015/565) and the SUSAR report of Regulation (EU) 536/2014 annex III."""

from app.auth.models import User
from app.extensions import db
from app.patients.models import Patient
from app.printing.documents import facts, paper, render, table, when
from app.signatures.operations import signatures_for
from labels.documents import Heading, Text

from .models import BiovigilanceCase
from .operations import missing


def _signatures(case: BiovigilanceCase) -> list[tuple[str, str]]:
    return [(s["signature"].meaning, f"{s['signature'].printed_name}, {when(s['signature'].signed_at)}")
            for s in signatures_for(case)]


def case_report(case: BiovigilanceCase) -> bytes:
    """The case as PDF, as it stands now (what it still lacks is listed)."""
    event = case.event
    patient = db.session.get(Patient, event.patient_id)
    reporter = db.session.get(User, event.reported_by_id)
    products = sorted({(p.lot_number, p.product_code or "") for p in case.products})
    notification = facts([
        ("Report id", case.report_id), ("State", case.state),
        ("Reporting establishment", f"{case.establishment} (FIN {case.establishment_fin})"),
        ("Due date", f"{case.due_on.isoformat()} ({'7' if event.urgent else '15'} days from awareness)"),
        ("Date of the reaction or event", event.occurred_on.isoformat()),
        ("Date of awareness", event.aware_on.isoformat()), ("Opened", when(case.opened_at)),
        ("Submitted", when(case.submitted_at) if case.submitted_at else "not yet"),
        ("Donation ids (DIN)", ", ".join(case.dins) or "none traced"),
        ("Products", ", ".join(f"{lot} ({code})" for lot, code in products) or "none"),
        ("Type of reaction or event", case.reaction_type or "-"), ("Imputability", case.imputability or "-"),
        ("Cause", case.cause or "-"), ("Corrective actions", case.corrective_actions or "-"),
        *_signatures(case)])
    susar = facts([
        ("EU trial number", case.trial_number), ("Sponsor / site", case.establishment),
        ("Subject", patient.code), ("Reaction or event", event.description),
        ("Seriousness", event.seriousness), ("Outcome", event.outcome),
        ("Suspect product", ", ".join(lot for lot, _ in products) or "none"),
        ("Causal relationship", case.imputability or "-"), ("Expectedness", case.expectedness or "-"),
        ("Reported by", f"{reporter.full_name}, {when(event.reported_at)}")])
    rows = [(p.dose_barcode, p.lot_number, p.product_code or "", p.din) for p in case.products]
    needed = missing(case)
    blocks = [Heading("Serious adverse reaction or event notification (Directive 2006/86/EC annexes III, IV)"),
              notification,
              Heading("SUSAR report (Regulation (EU) 536/2014 annex III)"), susar,
              Heading("Backward trace of the related doses"),
              table(("Dose", "Lot", "Product code", "DIN"), rows) if rows
              else Text(paper("No dose relates to this event.")),
              Text(paper(f"Still needed: {', '.join(needed)}." if needed else "The notification is complete."))]
    return render(f"Biovigilance case {case.report_id}", blocks)
