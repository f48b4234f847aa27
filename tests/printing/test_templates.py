"""Label templates: versions are drafts until QA approves them with an e-signature (not their author); an approval
supersedes the version approved before, which never prints again though its sample stays viewable."""

from sqlalchemy import func, select

from app.printing.models import PrintJob, TemplateVersion
from app.signatures.models import Signature
from tests.helpers import PASSWORD, audit_rows, count_audit
from tests.printing.helpers import approve, new_template, print_job, set_expiry, stock_body


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_version_is_a_draft_with_its_sample_until_qa_approves_it(bank, session):
    draft = new_template(bank, "cryovial")
    assert (draft["number"], draft["state"], draft["approval_signature_id"]) == (1, "draft", None)
    assert len(draft["sample_sha256"]) == 64
    sample = bank.client.get(f"/api/v1/label-template-versions/{draft['id']}/sample.png")
    assert sample.status_code == 200 and sample.headers["Content-Type"] == "image/png"
    assert sample.data[:8] == b"\x89PNG\r\n\x1a\n"
    approved = approve(bank, draft["id"], "qa1")
    assert approved["state"] == "approved" and approved["approved_at"]
    signature = session.get(Signature, approved["approval_signature_id"])
    assert (signature.meaning, signature.printed_name, signature.record_type) == (
        "label template approved", "Qa1 Tester", "label_template_versions")
    actions = [row["action"] for row in audit_rows(session, entity_type="label_template_versions",
                                                    entity_id=str(draft["id"]))]
    assert actions == ["label_template.version", "label_template.approve", "label_template.approve_signed"]
    template = bank.client.get(f"/api/v1/label-templates/{draft['template_id']}").json
    assert template["approved_number"] == 1


def test_the_author_cannot_approve_a_wrong_password_signs_nothing_and_only_qa_approves(bank, session):
    draft = new_template(bank, "box", author="qa1")
    entries, signatures = count_audit(session), _count(session, Signature)
    own = approve(bank, draft["id"], "qa1", expect=409)
    assert "author of a label template version cannot approve it" in own["message"]
    wrong = bank.as_user("qa2").client.post(f"/api/v1/label-template-versions/{draft['id']}/approve",
                                            json={"password": "not the password"})
    assert wrong.status_code == 401
    assert approve(bank, draft["id"], "tech1", expect=403)["status"] == "Forbidden"
    assert _count(session, Signature) == signatures
    assert session.get(TemplateVersion, draft["id"]).state == "draft"
    since = audit_rows(session)[entries:]
    assert not [row for row in since if row["entity_type"] in ("label_templates", "label_template_versions",
                                                                "signatures")]
    assert "auth.signature_failed" in [row["action"] for row in since]  # the wrong password counts toward lockout
    generic = bank.as_user("qa2").client.post("/api/v1/signatures", json={
        "record_type": "label_template_versions", "record_id": draft["id"], "meaning": "label template approved",
        "password": PASSWORD})
    assert generic.status_code == 409 and f"/label-template-versions/{draft['id']}/approve" in generic.json["message"]


def test_nothing_prints_before_approval(bank, vials, drug_product, session):
    draft = new_template(bank, "cryovial", name="cryovial 2")  # a second cryovial template, not approved
    bank.as_user("tech1")
    refused = print_job(bank, "unit", [vials[0]["id"]], template_id=draft["template_id"], expect=409)
    assert "has no approved version" in refused.json["message"]
    several = print_job(bank, "unit", [vials[0]["id"]], expect=201)  # the one approved cryovial template prints
    assert several.headers["X-Print-Job"]


def test_no_approved_template_of_the_kind_refuses_printing(bank, drug_product, units, tank, session):
    set_expiry(bank.as_user("tech1"), drug_product["id"])
    refused = print_job(bank, "unit", [units[0]["id"]], expect=409)
    assert "no approved cryovial label template" in refused.json["message"]
    assert _count(session, PrintJob) == 0


def test_an_approval_supersedes_the_previous_version_which_never_prints_again(bank, vials, session, approved):
    first = approved["cryovial"]
    bank.as_user("admin1")
    second = bank.post(f"/api/v1/label-templates/{first['template_id']}/versions",
                       {**stock_body("cryovial", "wider margin"), "margin_mm": "1.0"})
    assert second["number"] == 2 and second["state"] == "draft"
    printed = print_job(bank.as_user("tech1"), "unit", [vials[0]["id"]])
    assert session.get(PrintJob, int(printed.headers["X-Print-Job"])).template_version_id == first["id"]
    approve(bank, second["id"], "qa2")
    versions = {v["number"]: v for v in bank.client.get(f"/api/v1/label-templates/{first['template_id']}").json[
        "versions"]}
    assert (versions[1]["state"], versions[2]["state"]) == ("superseded", "approved")
    assert versions[1]["superseded_at"]
    again = print_job(bank.as_user("tech1"), "unit", [vials[1]["id"]])
    assert session.get(PrintJob, int(again.headers["X-Print-Job"])).template_version_id == second["id"]
    assert bank.client.get(f"/api/v1/label-template-versions/{first['id']}/sample.png").status_code == 200
    back = approve(bank, first["id"], "qa1", expect=409)
    assert "is superseded: only a draft is approved" in back["message"]


def test_an_older_draft_cannot_replace_a_newer_approved_version(bank, approved, session):
    template = approved["box"]["template_id"]
    bank.as_user("admin1")
    older = bank.post(f"/api/v1/label-templates/{template}/versions", stock_body("box", "draft 2"))
    newer = bank.post(f"/api/v1/label-templates/{template}/versions", stock_body("box", "draft 3"))
    approve(bank, newer["id"], "qa1")
    refused = approve(bank, older["id"], "qa2", expect=409)
    assert "the older version 2 cannot replace it" in refused["message"]


def test_a_stock_too_small_for_the_template_is_refused_and_nothing_is_recorded(bank, session):
    bank.as_user("admin1")
    template = bank.post("/api/v1/label-templates", {"name": "tiny vial", "kind": "cryovial"})
    entries = count_audit(session)
    response = bank.client.post(f"/api/v1/label-templates/{template['id']}/versions", json={
        "stock_name": "tiny", "width_mm": "12.0", "height_mm": "8.0", "margin_mm": "0.5", "change_note": "too small"})
    assert response.status_code == 422 and "does not fit this stock" in response.json["message"]
    assert count_audit(session) == entries and _count(session, TemplateVersion) == 0


def test_template_names_are_unique_and_kinds_known(bank, session):
    bank.as_user("qa1")
    bank.post("/api/v1/label-templates", {"name": "bag label", "kind": "bag"})
    again = bank.client.post("/api/v1/label-templates", json={"name": "bag label", "kind": "bag"})
    assert again.status_code == 409 and "already named" in again.json["message"]
    unknown = bank.client.post("/api/v1/label-templates", json={"name": "tube", "kind": "tube"})
    assert unknown.status_code == 422
    assert bank.as_user("tech1").client.post("/api/v1/label-templates", json={
        "name": "tech's", "kind": "bag"}).status_code == 403
