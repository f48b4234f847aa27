"""The sample label of each template kind: what a template version looks like, without any real record.

Sample data can never be taken for a real container: the DIN has year 00 and sequence 000000 (never issued: DINs
count from 1 within their year), identifiers hold a ':' (never in a lot number or a generated barcode), and the
values are fixed, so a version's sample renders to the same bytes every time (its SHA-256 is what QA approves).
"""

import datetime as dt

from labels.content import BagLabel, BoxLabel, CryovialLabel, DoseLabel, Label, PatientLabel
from labels.isbt128 import ChainOfIdentity, Expiration, ProductCode, din_with_flag

DIN = din_with_flag("A999900000000")
EXPIRY = Expiration(dt.datetime(2099, 12, 31, 23, 59))
SAMPLES: dict[str, Label] = {
    "cryovial": CryovialLabel(DIN, ProductCode("S0000", "V", "A0"), EXPIRY, "SAMPLE:A0", "SAMPLE"),
    "bag": BagLabel(DIN, ProductCode("S0000", "V", "00"), EXPIRY, "SAMPLE", "Sample product, not for use"),
    "box": BoxLabel("SAMPLE:BOX", "Tank / Tank rack 1 / Tank R1 box 1", ("Lot SAMPLE: 10 units",)),
    "dose": DoseLabel("SAMPLE:DOSE", "SAMPLE-001", 1, DIN, ProductCode("S0000", "V", "A0"), EXPIRY,
                      "Sample product, not for use", ChainOfIdentity("A9999", "00", "SAMPLE")),
    "patient": PatientLabel("SAMPLE:PATIENT", "SAMPLE-001"),
}


def sample(kind: str) -> Label:
    """The sample label of a template kind."""
    return SAMPLES[kind]
