"""What dispensing asks the packages above it (recalls) without importing them. Receivers run in the sender's
transaction; they are connected when their package is imported (create_app imports every feature)."""

from blinker import Namespace

_signals = Namespace()

units_in_use = _signals.signal("units-in-use", """
Sent before vials or a dose are put to use: allocated to a dose, prepared into its syringe, dispensed. The *sender*
names what is about to happen, in words; *units* are the Unit rows concerned; *dose* is the Dose; *lock* is False
for a check that writes nothing (the use itself asks again with True, and a receiver then locks what its answer
depends on until the commit). A receiver returns why they must not be used (a sentence) or None; dispensing
refuses with the first reason (409).
""")
