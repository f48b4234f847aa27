"""Every audited record is versioned or immutable; a stale write is 409; GETs carry ETags, a stale If-Match is 412."""

import pytest
from sqlalchemy import select

import audit
from app.core import etags
from app.core.versioning import ImmutableRecordChanged, is_immutable, is_versioned
from app.extensions import db
from app.lots.models import Lot
from app.signatures.models import Signature
from tests.helpers import PASSWORD, count_audit


def _audited_mappers():
    return [m for m in db.Model.registry.mappers if audit.is_audited(m)]


def test_every_audited_model_is_versioned_or_immutable():
    for mapper in _audited_mappers():
        assert is_versioned(mapper) != is_immutable(mapper), mapper.class_.__name__


def test_every_api_record_url_is_covered_by_etags(app):
    """A new route naming a record by id must register that id argument (so GET answers an ETag, If-Match holds)."""
    registered = etags.registered()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for argument in rule.arguments:
                assert argument in registered, f"{rule.rule}: register {argument!r} in app.core.etags"
    assert all(is_versioned(model.__mapper__) for model in registered.values())


def test_an_immutable_record_is_never_changed(bank, session):
    signature = session.scalars(select(Signature)).first()  # QA's "donor eligible"
    with pytest.raises(ImmutableRecordChanged), audit.action(session, "forge", "rewrite history"):
        signature.meaning = "nothing happened"
    session.rollback()


def test_a_write_based_on_a_stale_read_is_refused(bank, drug_product, session):
    """Read a lot, let someone else change it, then write from the stale read: StaleDataError, nothing written."""
    from sqlalchemy.orm.exc import StaleDataError

    stale = session.get(Lot, drug_product["id"])
    assert stale.state == "quarantine"
    bank.as_user("qa2").post(f"/api/v1/lots/{drug_product['id']}/reject",
                             {"password": PASSWORD, "reason": "someone else first"}, expect=200)
    with pytest.raises(StaleDataError), audit.action(session, "lot.released", "from a stale read"):
        stale.state = "released"
    session.rollback()


def test_get_answers_an_etag_and_a_stale_if_match_is_412(bank, drug_product, session):
    bank.as_user("qa1")
    url = f"/api/v1/lots/{drug_product['id']}"
    first = bank.client.get(url)
    assert first.status_code == 200 and first.headers["ETag"] == f'"lots-{drug_product["id"]}-v{_version(session)}"'
    deviation = bank.client.get(f"/api/v1/lots/{drug_product['id']}/release").headers["ETag"]
    assert deviation == first.headers["ETag"]  # the lot's sub-resources answer the lot's ETag
    bank.post(f"/api/v1/lots/{drug_product['id']}/deviations", {"description": "label smudged"})
    assert bank.client.get(url).headers["ETag"] == first.headers["ETag"]  # a deviation is not the lot
    bank.as_user("qa2").post(f"/api/v1/lots/{drug_product['id']}/reject",
                             {"password": PASSWORD, "reason": "label smudged"}, expect=200)
    bank.as_user("qa1")
    entries, state = count_audit(session), bank.client.get(url).json["state"]
    stale = bank.client.post(f"{url}/retire", json={"state": "expired", "reason": "old"},
                             headers={"If-Match": first.headers["ETag"]})
    assert stale.status_code == 412 and "changed since you read it" in stale.json["message"]
    assert set(stale.json) == {"code", "status", "message", "errors"}
    assert count_audit(session) == entries and bank.client.get(url).json["state"] == state


def test_a_current_if_match_lets_the_change_through(bank, drug_product, session):
    bank.full_qc(drug_product["id"])
    bank.as_user("qa2")
    url = f"/api/v1/lots/{drug_product['id']}"
    tag = bank.client.get(url).headers["ETag"]
    released = bank.client.post(f"{url}/release", json={"password": PASSWORD}, headers={"If-Match": tag})
    assert released.status_code == 200 and released.json["state"] == "released"
    assert bank.client.get(url).headers["ETag"] != tag


def _version(session) -> int:
    session.expire_all()
    return session.scalars(select(Lot.row_version).where(Lot.number == "DP-0001")).one()
