"""Forward and backward traces over the branching two-donor bank: exactly the right nodes and edges."""

from app.signatures.models import Signature
from tests.helpers import audit_rows
from tests.trace.helpers import keys_of as _keys
from tests.trace.helpers import trace as _trace


def k(node_type: str, *records: dict) -> set[str]:
    return {f"{node_type}:{r['id']}" for r in records}


def test_forward_from_each_donor_reaches_its_own_lots_and_units_only(branching, bank):
    b = branching
    one = _trace(bank, f"donor:{b.donor1['id']}", "forward")
    assert _keys(one) == (k("donor", b.donor1) | k("procurement", b.procurement1)
                          | k("lot", b.t1, b.p1, b.mcb1, b.wcb1, b.dp1, b.dp2) | k("unit", b.u1, b.u2, b.u3))
    two = _trace(bank, f"donor:{b.donor2['id']}", "forward")
    assert _keys(two) == (k("donor", b.donor2) | k("procurement", b.procurement2) | k("lot", b.t2, b.p2, b.dp3)
                          | k("unit", b.u4))
    assert one["summary"]["counts"] == {"lot": 6, "procurement": 1, "unit": 3}
    assert one["summary"]["by_state"] == {"lot": {"in_process": 5, "released": 1}, "unit": {"in_storage": 3}}
    assert one["summary"]["donors"] == ["ASC-D001"]
    assert one["summary"]["dins"] == [b.procurement1["din"]]


def test_forward_edges_are_exactly_the_genealogy(branching, bank):
    b = branching
    edges = {(e["from"], e["to"], e["kind"]) for e in _trace(bank, f"lot:{b.p1['id']}", "forward")["edges"]}
    lot, unit = (lambda r: f"lot:{r['id']}"), (lambda r: f"unit:{r['id']}")
    assert edges == {(lot(b.p1), lot(b.mcb1), "derived_into"), (lot(b.p1), lot(b.wcb1), "derived_into"),
                     (lot(b.mcb1), lot(b.dp1), "derived_into"), (lot(b.wcb1), lot(b.dp2), "derived_into"),
                     (lot(b.dp1), unit(b.u1), "filled_into"), (lot(b.dp1), unit(b.u2), "filled_into"),
                     (lot(b.dp2), unit(b.u3), "filled_into")}


def test_forward_from_one_branch_stays_in_it(branching, bank):
    b = branching
    assert _keys(_trace(bank, f"lot:{b.mcb1['id']}", "forward")) == k("lot", b.mcb1, b.dp1) | k("unit", b.u1, b.u2)
    assert _keys(_trace(bank, f"procurement:{b.procurement2['id']}", "forward")) == (
        k("procurement", b.procurement2) | k("lot", b.t2, b.p2, b.dp3) | k("unit", b.u4))
    assert _keys(_trace(bank, f"unit:{b.u3['id']}", "forward")) == k("unit", b.u3)


def test_forward_from_a_material_reaches_both_donors_products_and_nothing_upstream(branching, bank):
    b = branching
    shared = _trace(bank, f"material:{b.hpl['id']}", "forward")
    assert _keys(shared) == (k("material", b.hpl) | k("lot", b.p1, b.mcb1, b.wcb1, b.dp1, b.dp2, b.p2, b.dp3)
                             | k("unit", b.u1, b.u2, b.u3, b.u4))
    assert _keys(_trace(bank, f"material:{b.trypsin['id']}", "forward")) == (
        k("material", b.trypsin) | k("lot", b.dp1) | k("unit", b.u1, b.u2))


def test_units_carry_their_state_and_place_in_words(branching, bank):
    b = branching
    units = {n["id"]: n for n in _trace(bank, f"lot:{b.dp1['id']}", "forward")["nodes"] if n["type"] == "unit"}
    stored, loose = units[b.u1["id"]], units[b.u2["id"]]
    assert stored["state"] == "in_storage" and stored["location"].startswith(f"{b.box['name']}, ")
    assert stored["label"] == b.u1["barcode"] and stored["lot_id"] == b.dp1["id"]
    assert loose["location"] == "the laboratory"


def test_backward_from_a_unit_gives_lineage_materials_qc_and_release(branching, bank, session):
    b = branching
    answer = _trace(bank, f"unit:{b.u1['id']}", "backward")
    by_type = {}
    for node in answer["nodes"]:
        by_type.setdefault(node["type"], set()).add(node["key"])
    qc_ids = {r["id"] for r in bank.client.get(f"/api/v1/lots/{b.dp1['id']}/qc-results").json}
    [release] = session.query(Signature).filter_by(record_type="lots", record_id=b.dp1["id"]).all()
    assert by_type == {"unit": k("unit", b.u1), "lot": k("lot", b.dp1, b.mcb1, b.p1, b.t1),
                       "procurement": k("procurement", b.procurement1), "donor": k("donor", b.donor1),
                       "material": k("material", b.hpl, b.trypsin), "qc_result": {f"qc_result:{i}" for i in qc_ids},
                       "signature": {f"signature:{release.id}"}}
    signature = next(n for n in answer["nodes"] if n["type"] == "signature")
    assert signature["meaning"] == "released for clinical use" and signature["lot_id"] == b.dp1["id"]
    edges = {(e["from"], e["to"], e["kind"]) for e in answer["edges"]}
    lot = lambda r: f"lot:{r['id']}"  # noqa: E731
    assert edges == {(f"donor:{b.donor1['id']}", f"procurement:{b.procurement1['id']}", "donated"),
                     (f"procurement:{b.procurement1['id']}", lot(b.t1), "procured_into"),
                     (lot(b.t1), lot(b.p1), "derived_into"), (lot(b.p1), lot(b.mcb1), "derived_into"),
                     (lot(b.mcb1), lot(b.dp1), "derived_into"), (lot(b.dp1), f"unit:{b.u1['id']}", "filled_into"),
                     (f"material:{b.hpl['id']}", lot(b.p1), "consumed_in"),
                     (f"material:{b.trypsin['id']}", lot(b.dp1), "consumed_in"),
                     (lot(b.dp1), f"signature:{release.id}", "signed_by"),
                     *((lot(b.dp1), f"qc_result:{i}", "tested_by") for i in qc_ids)}
    assert audit_rows(session, action="trace") == []


def test_backward_from_the_other_branch_leaves_the_master_bank_out(branching, bank):
    b = branching
    assert _keys(_trace(bank, f"unit:{b.u3['id']}", "backward")) == (
        k("unit", b.u3) | k("lot", b.dp2, b.wcb1, b.p1, b.t1) | k("procurement", b.procurement1)
        | k("donor", b.donor1) | k("material", b.hpl))
    assert _keys(_trace(bank, f"lot:{b.dp3['id']}", "backward")) == (
        k("lot", b.dp3, b.p2, b.t2) | k("procurement", b.procurement2) | k("donor", b.donor2) | k("material", b.hpl))
    assert _keys(_trace(bank, f"donor:{b.donor2['id']}", "backward")) == k("donor", b.donor2)


def test_bad_queries_are_refused_in_words(branching, bank):
    b = branching
    for query, field in (("from=recall:1&direction=forward", "from"), ("from=lot:x&direction=forward", "from"),
                         ("from=lot:0&direction=forward", "from"), ("from=lot:99999999999&direction=forward", "from"),
                         (f"from=lot:{b.dp1['id']}&direction=sideways", "direction"), ("direction=forward", "from"),
                         (f"from=lot:{b.dp1['id']}", "direction")):
        response = bank.client.get(f"/api/v1/trace?{query}")
        assert response.status_code == 422, (query, response.json)
        assert field in response.json["errors"]["query"], (query, response.json)
    missing = bank.client.get("/api/v1/trace?from=unit:987654&direction=backward")
    assert missing.status_code == 404 and missing.json["message"] == "no unit with id 987654"


def test_a_trace_needs_a_login(branching, bank):
    bank.client.post("/api/v1/auth/logout")
    assert bank.client.get(f"/api/v1/trace?from=donor:{branching.donor1['id']}&direction=forward").status_code == 401
