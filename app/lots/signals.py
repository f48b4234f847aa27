"""What lots ask the packages above them, without importing them. Receivers run in the sender's transaction;
they are connected when their package is imported (create_app imports every feature)."""

from blinker import Namespace

_signals = Namespace()

divisions_held = _signals.signal("divisions-held", """
Sent when a division is about to be given within the family of a DIN and a product code. The *sender* is the
lots package's name; *lot_ids* are the ids of the family's lots. A receiver returns the set of divisions that
records of its own made from those lots hold (storage: the units), so the new division is none of them.
""")
