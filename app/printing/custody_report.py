"""The custody report of a unit: every custody event with who, where, when and how identity was confirmed."""

from app.auth.models import User
from app.custody.operations import broken_links, chain
from app.extensions import db
from app.lots.models import Lot
from app.storage.models import Unit
from app.storage.operations import place_of
from app.storage.placewords import in_words, named_by
from labels.documents import Heading, Text

from .documents import din_words, facts, paper, render, table, when


def _who(user: User | None, user_id: int) -> str:
    return f"{user.full_name} ({user.username})" if user else f"user {user_id}"


def _confirmation(event) -> str:
    return f"manual: {event.manual_reason}" if event.confirmation == "manual" else "scan"


def custody_report(unit: Unit) -> bytes:
    """The unit's custody chain as PDF, with whether the chain is unbroken."""
    events = chain(unit.id)
    now = place_of(unit)
    seen = [p for e in events for p in (e.origin, e.destination)] + [now]
    boxes, users = named_by(seen, {e.actor_id for e in events})
    lot = db.session.get(Lot, unit.lot_id)
    identity = facts([("Unit", unit.barcode), ("Lot", f"{lot.number} ({lot.state})"), ("DIN", din_words(lot.din)),
                       ("Product code", f"{lot.product_code}, division {unit.division}"),
                       ("Container", f"{unit.container_type}, {unit.volume_ml.normalize():f} mL, {unit.cells:,} cells"),
                       ("State", unit.state), ("Now", in_words(now, boxes, users) if now else "not in a box")])
    rows = [(str(e.sequence), e.event_type, in_words(e.origin, boxes, users),
             in_words(e.destination, boxes, users),
             _who(users.get(e.actor_id), e.actor_id), when(e.at), _confirmation(e)) for e in events]
    problems = broken_links(events, place_of(unit))
    verdict = (f"The chain is unbroken: {len(events)} events, each starting where the previous one ended."
               if not problems else "The chain is BROKEN: " + "; ".join(problems))
    blocks = [Heading("Identity"), identity, Heading("Chain of custody"),
              table(("#", "Event", "From", "To", "Who", "When", "Identity confirmed"), rows), Text(paper(verdict))]
    return render(f"Custody report, unit {unit.barcode}", blocks)
