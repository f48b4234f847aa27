"""Preparation after thaw: the post-thaw checks, then the dose becomes its own container (a syringe unit)."""

from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _

import audit
from app.core.errors import InvalidInput, RuleViolation
from app.core.i18n import N_
from app.core.permissions import guarded
from app.core.types import utcnow
from app.custody import operations as custody
from app.custody.places import InDose, Person
from app.extensions import db
from app.lots import divisions
from app.lots.models import Lot
from app.monitoring.operations import require_unflagged
from app.storage.models import UNIT_STATES, Unit

from .holds import require_free
from .models import DOSE_STATES, PREPARED, Dose
from .ordering import allocated_units, lock_dose


def post_thaw_problems(dose: Dose, cells: int, viability_pct: Decimal) -> list[str]:
    """What the post-thaw count and viability fail of the release specification for thawed product, in words."""
    minimum = Decimal(current_app.config.get("POST_THAW_VIABILITY_MIN_PCT", 70))
    tolerance = Decimal(current_app.config.get("DOSE_CELL_TOLERANCE_PCT", 10)) / 100
    problems = []
    if viability_pct < minimum:
        problems.append(_("post-thaw viability %(viability_pct)s %% is below the %(minimum)s %% the specification "
                          "requires", viability_pct=viability_pct, minimum=minimum))
    low, high = dose.prescribed_cells * (1 - tolerance), dose.prescribed_cells * (1 + tolerance)
    if not low <= cells <= high:
        problems.append(_("%(cells)s cells are outside ±%(value)s %% of the %(prescribed_cells)s prescribed",
                          cells=cells, value=format(tolerance * 100, ".0f"), prescribed_cells=dose.prescribed_cells))
    return problems


def _require_thawed(units: list[Unit], now) -> None:
    for unit in units:
        if unit.state != "thawed":
            raise RuleViolation(_("vial %(barcode)s is %(state)s: thaw it before preparing the dose",
                                  barcode=unit.barcode, state=unit.state))
        if unit.thaw_expires_at is not None and unit.thaw_expires_at <= now:
            raise RuleViolation(_("vial %(barcode)s expired after thaw at %(thaw_expires_at)s UTC",
                                  barcode=unit.barcode, thaw_expires_at=format(unit.thaw_expires_at, "%Y-%m-%d %H:%M")))
        require_unflagged(unit, N_("preparing a dose"))


@guarded("doses.prepare")
def prepare(dose: Dose, actor, post_thaw_cells: int, viability_pct: Decimal, volume_ml: Decimal) -> Dose:
    """Record the post-thaw checks and fill the syringe from the thawed vials; the syringe is a unit of its own."""
    dose = lock_dose(dose.id)
    DOSE_STATES.require(dose, PREPARED)
    if post_thaw_cells < 1 or not Decimal(0) <= viability_pct <= Decimal(100) or volume_ml <= 0:
        raise InvalidInput(_("cells, viability (0-100 %) and volume must be positive"),
                           {"post_thaw_cells": [_("positive")], "viability_pct": [_("0 to 100")],
                            "volume_ml": [_("positive")]})
    units, now = allocated_units(dose), utcnow()
    require_free(units, dose, N_("preparing a dose"))
    _require_thawed(units, now)
    if problems := post_thaw_problems(dose, post_thaw_cells, viability_pct):
        raise RuleViolation(_("the dose fails its post-thaw checks: %(problems)s", problems="; ".join(problems)),
                            {"unmet": problems})
    expires_at = min(u.thaw_expires_at for u in units)
    lot = db.session.get(Lot, units[0].lot_id)
    # the syringe is a product of its own: a division no lot or unit of its DIN and product code holds
    syringe = Unit(barcode=dose.barcode, lot_id=lot.id, division=divisions.for_units(lot, 1)[0],
                   container_type="syringe", volume_ml=volume_ml, cells=post_thaw_cells, state=PREPARED,
                   thawed_at=units[0].thawed_at, thaw_expires_at=expires_at)
    with audit.action(db.session, "dose.prepared", "post-thaw checks passed; syringe filled"):
        db.session.add(syringe)
        for unit in units:
            UNIT_STATES.move(unit, PREPARED)
        db.session.flush()
        dose.state, dose.syringe_unit_id = PREPARED, syringe.id
        dose.post_thaw_cells, dose.viability_pct, dose.volume_ml = post_thaw_cells, viability_pct, volume_ml
        dose.expires_at, dose.prepared_by_id, dose.prepared_at = expires_at, actor.id, now
    for unit in units:
        custody.record(unit, "pooled", InDose(dose.id), actor)
    custody.record(syringe, "created", Person(actor.id), actor)
    return dose
