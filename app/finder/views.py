"""The header's scan/search field: any printed code (resolved as POST /api/v1/scan does), a lot number, a DIN or a
donor code opens that object's page; anything else is refused in words."""

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import NotFound
from app.core.permissions import requires
from app.donors.models import Donor, Procurement
from app.extensions import db
from app.lots.models import Lot
from app.storage import scan

bp = Blueprint("finder", __name__)


def _page_of(found: dict) -> str:
    """The page of an object as POST /api/v1/scan describes it."""
    if found["type"] == "unit":
        return url_for("storage.unit_page", unit_id=found["id"])
    if found["type"] == "lot":
        return url_for("lots.lot", lot_id=found["id"])
    if found["type"] == "position":
        return url_for("storage.box_page", box_id=found["box_id"])
    if found["type"] == "box":
        return url_for("storage.box_page", box_id=found["id"])
    return url_for("storage.tree")


def _by_name(text: str) -> str | None:
    """A lot number, a DIN (with or without its check character) or a donor code."""
    lot = db.session.scalar(select(Lot).where(Lot.number == text))
    if lot is not None:
        return url_for("lots.lot", lot_id=lot.id)
    procurement = db.session.scalar(select(Procurement).where(Procurement.din.in_((text, text[:13]))))
    if procurement is not None:
        return url_for("donors.procurement", procurement_id=procurement.id)
    donor = db.session.scalar(select(Donor).where(Donor.code == text))
    if donor is not None:
        return url_for("donors.donor", donor_id=donor.id)
    return None


@bp.route("/find")
@requires("read")
def find():
    text = request.args.get("q", "").strip()
    if not text:
        raise NotFound(_("type or scan a code, a lot number, a DIN or a donor code"))
    page = _by_name(text)
    if page is None:
        try:
            page = _page_of(scan.resolve(text))
        except NotFound:
            raise NotFound(_("nothing known is called or coded %(text)s", text=repr(text))) from None
    return redirect(page)
