"""What storage announces and asks, for the packages above it (temperature monitoring) to act on without storage
importing them. Receivers run in the sender's transaction; they are connected when their package is imported,
which create_app does for every feature (tests/test_package_graph.py checks each signal has its receiver).
"""

from blinker import Namespace

_signals = Namespace()

units_placed = _signals.signal("units-placed", """
Sent after units took a box position: stored, moved, or carried along with their box (a box move, an evacuation).
The *sender* is the user who placed them; *units* is the list of Unit rows, in their new positions.
""")

unit_leaving = _signals.signal("unit-leaving", """
Sent before a unit leaves storage for use or transport (thawing, dispatch). The *sender* is the Unit; *doing*
names what is about to happen, in words. A receiver returns why the unit must stay (a sentence) or None; storage
refuses with the first reason (409).
""")

flagged_units = _signals.signal("flagged-units", """
Sent when a box map is drawn. The *sender* is the box (a StorageLocation); *unit_ids* are the ids of the units in
it. A receiver returns the set of those ids that are flagged, held until someone assesses them; the map marks them.
""")

code_scanned = _signals.signal("code-scanned", """
Sent when a scanned code is resolved, before storage looks for a unit or a location. The *sender* is the code
(stripped). A receiver returns the object the code names (a dict with its "type", as POST /api/v1/scan answers)
or None; storage answers the first one found (a dose's barcode names the dose, not its syringe unit).
""")
