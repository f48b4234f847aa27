"""A unit (vial) as a FHIR R5 BiologicallyDerivedProduct: what it is, where it came from, whether it can be used."""

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.donors.models import Donor, Procurement
from app.extensions import db
from app.lots.models import Lot, ProductCode
from app.storage.models import Unit

from . import codes

#: a cryopreserved unit is kept in liquid nitrogen vapour: the tanks' range
CRYOGENIC_RANGE_C = (-196, -150)


def _celsius(value: int) -> dict:
    return {"value": value, "unit": "°C", "system": codes.UCUM, "code": "Cel"}


def _status(unit: Unit, lot: Lot) -> str:
    return "available" if unit.state == "in_storage" and lot.state == "released" else "unavailable"


def _collection(donation: Procurement | None) -> dict | None:
    if donation is None:
        return None
    donor = db.session.get(Donor, donation.donor_id)
    collector = db.session.get(User, donation.collected_by_id)
    return {"collectedDateTime": donation.collected_at.isoformat(), "source": {"display": f"donor {donor.code}"},
            "collector": {"display": collector.full_name}}


def biologically_derived_product(unit: Unit) -> dict:
    """The FHIR R5 BiologicallyDerivedProduct of the unit (JSON as a dict)."""
    config = current_app.config
    lot = db.session.get(Lot, unit.lot_id)
    product = db.session.scalar(select(ProductCode).where(ProductCode.code == lot.product_code))
    donation = db.session.scalar(select(Procurement).where(Procurement.din == lot.din))
    expires = unit.thaw_expires_at if unit.thawed_at else lot.expires_at
    resource = {
        "resourceType": "BiologicallyDerivedProduct",
        "id": str(unit.id),
        "productCategory": {"system": codes.PRODUCT_CATEGORY, "code": "cells", "display": "Cells"},
        "productCode": {"coding": [{"system": codes.PRODUCT_CODE,
                                    "code": f"{lot.product_code}{config['ISBT_COLLECTION_TYPE']}{unit.division}",
                                    "display": product.description}], "text": product.description},
        "parent": [{"identifier": {"system": codes.local(config["FIN"], "lot-number"), "value": lot.number},
                    "display": f"lot {lot.number} ({lot.kind.replace('_', ' ')}, {lot.state})"}],
        "identifier": [{"system": codes.local(config["FIN"], "unit-barcode"), "value": unit.barcode}],
        "biologicalSourceEvent": {"system": codes.DIN, "value": lot.din},
        "division": unit.division,
        "productStatus": {"system": codes.PRODUCT_STATUS, "code": _status(unit, lot)},
        "storageTempRequirements": {"low": _celsius(CRYOGENIC_RANGE_C[0]), "high": _celsius(CRYOGENIC_RANGE_C[1])},
    }
    if expires is not None:
        resource["expirationDate"] = expires.isoformat()
    if (collection := _collection(donation)) is not None:
        resource["collection"] = collection
    return resource
