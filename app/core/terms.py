"""The words pages show for the machine values of records (states, kinds, statuses): the API keeps the values, a
page shows each through the ``term`` filter, in the reader's language (English shows the value itself)."""

from app.core.i18n import N_, translated

TERMS = frozenset((
    # lots: kinds and states
    N_("tissue"), N_("culture_passage"), N_("master_cell_bank"), N_("working_cell_bank"), N_("drug_product"),
    N_("in_process"), N_("quarantine"), N_("released"), N_("rejected"), N_("recalled"), N_("expired"),
    # units, storage places, custody events
    N_("in_storage"), N_("in_transit"), N_("thawed"), N_("prepared"), N_("dispensed"), N_("administered"),
    N_("returned"), N_("destroyed"), N_("quarantined"), N_("site"), N_("room"), N_("storage_unit"), N_("rack"),
    N_("box"), N_("cryovial"), N_("bag"), N_("syringe"), N_("created"), N_("stored"), N_("moved"), N_("retrieved"),
    N_("dispatched"), N_("received"),
    # doses, patients, donors, materials, QC
    N_("ordered"), N_("allocated"), N_("screening"), N_("enrolled"), N_("completed"), N_("withdrawn"),
    N_("pending"), N_("eligible"), N_("ineligible"), N_("negative"), N_("positive"), N_("indeterminate"),
    N_("approved"), N_("pass"), N_("oos"), N_("manual"), N_("csv"), N_("free"), N_("occupied"), N_("blocked"),
    # printing
    N_("draft"), N_("superseded"), N_("produced"), N_("delivered"), N_("failed"), N_("dose"), N_("patient"),
    # recalls and biovigilance cases
    N_("open"), N_("closed"), N_("submitted"),
    # biovigilance: kinds, seriousness, outcomes, imputability, expectedness
    N_("reaction"), N_("event"), N_("non-serious"), N_("fatal"), N_("life-threatening"), N_("hospitalisation"),
    N_("disability"), N_("congenital anomaly"), N_("recovered"), N_("minor sequelae"), N_("serious sequelae"),
    N_("death"), N_("not assessable"), N_("excluded"), N_("unlikely"), N_("possible"), N_("likely"), N_("certain"),
    N_("unexpected"), N_("expected"),
    # account actions
    N_("unlock"), N_("deactivate"), N_("activate"),
))


def term(value) -> str:
    """The word for a machine value in the reader's language; anything else as it is."""
    return translated(value) if value in TERMS else value
