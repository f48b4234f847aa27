"""Excursion pages through HTTP: the list, one excursion with QA signing flags, typing and importing readings."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.monitoring.models import Excursion, ExcursionFlag, TemperatureReading
from app.signatures.models import Signature
from tests.helpers import PASSWORD, audit_rows, count_audit
from tests.monitoring.helpers import counts, excursions, now, reading

ASSESSMENT = "LN2 vapour phase kept the vials below -130 °C; no impact on viability expected"


@pytest.fixture
def ended(bank, stored, tank):
    """An excursion that flagged the three stored units, then ended; tech1 logged in."""
    reading(bank, tank, "-130")
    reading(bank, tank, "-188")
    return excursions(bank)[0]


def text(html: str) -> str:
    """Markup without its tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def site(app, moment: str) -> str:
    """An API time as the pages show it."""
    zone = ZoneInfo(app.config["TIMEZONE"])
    return dt.datetime.fromisoformat(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")


def row(page: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, f"no row {row_id} on the page"
    return match.group(0)


def close(bank, flag_id: int, password: str = PASSWORD, assessment: str = ASSESSMENT):
    return bank.client.post(f"/excursion-flags/{flag_id}/close", data={"assessment": assessment,
                                                                       "password": password})


def test_the_list_shows_excursions_newest_first_with_span_extremes_range_and_flags(app, bank, ended, tank):
    reading(bank, tank, "-120.5")
    going_on = excursions(bank)[0]
    assert close(bank.as_user("qa1"), ended["flags"][0]["id"]).status_code == 302
    response = bank.as_user("admin1").client.get("/excursions")
    assert response.status_code == 200
    rows = re.findall(r'<tr class="(going-on|ended)">(.*?)</tr>', response.data.decode(), re.S)
    assert [kind for kind, _ in rows] == ["going-on", "ended"]
    assert text(rows[0][1]) == (f"{going_on['id']} LN2-1 {site(app, going_on['started_at'])} going on "
                                "-120.5 to -120.5 °C -196.0 to -150.0 °C 3 open , 0 closed")
    assert text(rows[1][1]) == (f"{ended['id']} LN2-1 {site(app, ended['started_at'])} {site(app, ended['ended_at'])} "
                                "-130.0 to -130.0 °C -196.0 to -150.0 °C 2 open , 1 closed")
    assert f'href="/excursions/{ended["id"]}"' in rows[1][1] and 'href="/excursions">Excursions</a>' in response.text
    assert "Record or import readings" not in response.text  # admin records no reading
    assert "Record or import readings" in bank.as_user("tech1").client.get("/excursions").text
    bank.client.post("/api/v1/auth/logout")
    assert bank.client.get("/excursions").status_code == 302


def test_the_excursion_page_shows_its_readings_over_the_span_and_its_flags(app, bank, ended, stored, tank):
    reading(bank, tank, "-186", at=now() - dt.timedelta(hours=1))  # before the excursion: not in its table
    response = bank.client.get(f"/excursions/{ended['id']}")
    page = response.data.decode()
    assert response.status_code == 200 and f"Excursion {ended['id']} of LN2-1" in page
    assert text(re.search(r'<dl class="facts".*?</dl>', page, re.S).group(0)) == (
        f"Storage unit LN2-1 {tank['barcode']} Started {site(app, ended['started_at'])} "
        f"Ended {site(app, ended['ended_at'])} Extremes -130.0 to -130.0 °C "
        "Range -196.0 to -150.0 °C (as set when the excursion opened)")
    readings = re.findall(r'<tr class="(in-range|out-of-range)"><td>([^<]*)</td>\s*<td>([^<]*)</td>', page)
    assert readings == [("out-of-range", site(app, ended["started_at"]), "-130.0"),
                        ("in-range", site(app, ended["ended_at"]), "-188.0")]
    for flag, unit in zip(ended["flags"], stored, strict=False):
        flag_row = row(page, f"flag-{flag['id']}")
        assert f'<a href="/units/{unit["id"]}">{unit["barcode"]}</a>' in flag_row and "DP-0001" in flag_row
        assert ">open<" in flag_row
    assert "<dialog" not in page and "/close" not in page  # a technician signs nothing
    qa_page = bank.as_user("qa1").client.get(f"/excursions/{ended['id']}").text
    assert re.findall(r'<form class="stacked" method="post" action="/excursion-flags/(\d+)/close">', qa_page) == [
        str(flag["id"]) for flag in ended["flags"]]
    assert f'<button type="button" data-open-dialog="assess-{ended["flags"][0]["id"]}">' \
           f'Assess {stored[0]["barcode"]}…</button>' in qa_page
    assert bank.client.get("/excursions/999999").status_code == 404


def test_an_excursion_going_on_offers_qa_no_assessment(bank, stored, tank):
    reading(bank, tank, "-140")
    [excursion] = excursions(bank)
    page = bank.as_user("qa1").client.get(f"/excursions/{excursion['id']}").text
    assert "going on" in page and 'id="flags-wait"' in page and "/close" not in page
    assert page.count('class="open"') == 3


def test_qa_closes_a_flag_on_the_page_with_a_signed_assessment(bank, ended, stored, session):
    flag = ended["flags"][0]
    response = close(bank.as_user("qa1"), flag["id"])
    assert response.status_code == 302 and response.location.endswith(f"/excursions/{ended['id']}#flag-{flag['id']}")
    page = bank.client.get(response.location).text
    assert f"Flag of unit {stored[0]['barcode']} closed: your assessment is signed." in page
    closed = text(row(page, f"flag-{flag['id']}"))
    assert "closed" in closed and ASSESSMENT in closed and "Qa1 Tester, excursion assessed" in closed
    assert "unchanged since signing" in closed and "Assess" not in closed
    assert page.count("Sign: excursion assessed") == 3  # the two open flags, and all of them at once
    stored_flag = session.get(ExcursionFlag, flag["id"])
    assert stored_flag.closed_at is not None and stored_flag.assessment == ASSESSMENT
    signature = session.get(Signature, stored_flag.closure_signature_id)
    assert (signature.printed_name, signature.meaning, signature.record_type, signature.record_id) == (
        "Qa1 Tester", "excursion assessed", "excursion_flags", flag["id"])
    assert [e["action"] for e in audit_rows(session, entity_type="excursion_flags", entity_id=str(flag["id"]))] == [
        "excursion.flag", "excursion_flag.close", "excursion_flag.close_signed"]
    assert [e["reason"] for e in audit_rows(session, action="excursion_flag.close")] == [ASSESSMENT]
    assert len(audit_rows(session, action="signature.excursion_assessed")) == 1


def _unchanged(session, flag_id: int) -> None:
    session.expire_all()
    flag = session.get(ExcursionFlag, flag_id)
    assert (flag.closed_at, flag.assessment, flag.closure_signature_id) == (None, None, None)
    assert session.scalars(select(Signature).where(Signature.record_type == "excursion_flags")).all() == []
    assert [e["action"] for e in audit_rows(session, entity_type="excursion_flags")] == ["excursion.flag"] * 3


def test_a_wrong_password_shows_the_error_keeps_the_assessment_and_signs_nothing(bank, ended, session):
    flag_id = ended["flags"][0]["id"]
    response = close(bank.as_user("qa1"), flag_id, password="not the password")
    page = response.data.decode()
    assert response.status_code == 401
    assert re.search(r'id="page-error">signature refused: wrong password<', page)
    dialog = re.search(rf'<dialog id="assess-{flag_id}".*?</dialog>', page, re.S).group(0)
    assert "signature refused" in dialog and f">{ASSESSMENT}</textarea>" in dialog
    assert f'<dialog id="assess-{flag_id}" aria-labelledby="assess-title-{flag_id}" data-open-on-load>' in page
    _unchanged(session, flag_id)
    assert session.scalar(select(User.failed_logins).where(User.username == "qa1")) == 1  # counts toward lockout


def test_a_technician_a_missing_assessment_and_an_excursion_going_on_close_nothing(bank, stored, tank, session):
    reading(bank, tank, "-130")
    flag_id = excursions(bank)[0]["flags"][0]["id"]
    excursion_id = excursions(bank)[0]["id"]
    before = count_audit(session)
    refused = close(bank, flag_id)
    assert refused.status_code == 403 and "this needs the role qa" in refused.text
    assert count_audit(session) == before
    bank.as_user("qa1")
    before = count_audit(session)
    going_on = close(bank, flag_id)
    assert going_on.status_code == 409 and 'id="page-error"' in going_on.text
    assert f"excursion {excursion_id} is still going on: its flags are assessed once it ends" in going_on.text
    assert count_audit(session) == before
    reading(bank.as_user("tech1"), tank, "-190")
    bank.as_user("qa1")
    before = count_audit(session)
    empty = close(bank, flag_id, assessment="  ")
    assert empty.status_code == 422 and "invalid input: assessment: This field is required." in empty.text
    assert close(bank, 999999).status_code == 404
    assert count_audit(session) == before
    _unchanged(session, flag_id)


def test_qa_assesses_every_open_flag_at_once_with_one_password(bank, ended, stored, session):
    qa = bank.as_user("qa1")
    assert close(qa, ended["flags"][0]["id"]).status_code == 302
    page = qa.client.get(f"/excursions/{ended['id']}").text
    assert "Assess all 2 open flags…" in page
    wrong = qa.client.post(f"/excursions/{ended['id']}/assess", data={"assessment": ASSESSMENT, "password": "nope"})
    reopened = '<dialog id="assess-all" aria-labelledby="assess-title-all" data-open-on-load>'
    assert wrong.status_code == 401 and reopened in wrong.text
    flag_signatures = select(Signature).where(Signature.record_type == "excursion_flags")
    assert len(session.scalars(flag_signatures).all()) == 1
    response = qa.client.post(f"/excursions/{ended['id']}/assess", data={"assessment": ASSESSMENT,
                                                                         "password": PASSWORD})
    assert response.status_code == 302
    page = qa.client.get(response.location).text
    assert "2 flag(s) closed: your assessment is signed for each unit." in page and "Assess all" not in page
    session.expire_all()
    flags = session.scalars(select(ExcursionFlag).order_by(ExcursionFlag.id)).all()
    assert all(f.closed_at is not None and f.assessment == ASSESSMENT for f in flags)
    signatures = {s.record_id: s for s in session.scalars(flag_signatures)}
    assert sorted(signatures) == sorted(f.id for f in flags)
    assert {f.closure_signature_id for f in flags} == {s.id for s in signatures.values()}
    assert len(audit_rows(session, action="signature.excursion_assessed")) == 3
    assert session.scalar(select(User.failed_logins).where(User.username == "qa1")) == 0


def _post_reading(bank, place_id, measured_at: str, value: str):
    return bank.client.post("/temperature/readings", data={"storage_unit_id": place_id, "measured_at": measured_at,
                                                           "value_c": value})


def test_a_reading_typed_on_the_page_is_recorded_in_site_time(app, bank, stored, tank, session):
    page = bank.client.get("/temperature").text
    assert re.findall(r'<option value="(\d+)">([^<]*)</option>', page) == [
        (str(tank["id"]), "LN2-1 (-196.0 to -150.0 °C)")]
    zone = ZoneInfo(app.config["TIMEZONE"])
    at = (now() - dt.timedelta(minutes=3)).astimezone(zone).replace(second=0, microsecond=0)
    response = _post_reading(bank, tank["id"], at.strftime("%Y-%m-%dT%H:%M"), "-141.5")
    assert response.status_code == 302 and response.location.endswith("/temperature")
    [recorded] = session.scalars(select(TemperatureReading)).all()
    assert (recorded.measured_at, str(recorded.value_c), recorded.in_range, recorded.source) == (
        at, "-141.5", False, "manual")
    assert recorded.recorded_by_id == session.scalar(select(User.id).where(User.username == "tech1"))
    [excursion] = session.scalars(select(Excursion)).all()
    assert len(excursion.flags) == 3 and excursion.is_open
    page = bank.client.get(response.location).text
    assert (f"Reading of LN2-1 at {at.strftime('%Y-%m-%d %H:%M:%S %Z')} recorded: -141.5 °C, out of range; "
            f"excursion {excursion.id} goes on.") in page
    assert "<td>-141.5</td>" in page
    assert [e["action"] for e in audit_rows(session, entity_type="temperature_readings")] == [
        "temperature.reading_manual"]


def test_bad_readings_on_the_page_show_why_and_record_nothing(app, bank, tank, session):
    zone = ZoneInfo(app.config["TIMEZONE"])
    fine = (now() - dt.timedelta(minutes=3)).astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    future = (now() + dt.timedelta(hours=1)).astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    rack = tank["children"][0]["id"]
    before = count_audit(session)
    for place, measured_at, value, status, message in (
            (tank["id"], fine, "-180.25", 422, "-180.25 °C: temperatures are recorded to 0.1 °C"),
            (tank["id"], fine, "warm", 422, "invalid input: value_c: Not a valid decimal value."),
            (tank["id"], future, "-180", 422, "is in the future"),
            (tank["id"], "yesterday", "-180", 422, "invalid input: measured_at: Not a valid datetime value."),
            (rack, fine, "-180", 409, "LN2-1 rack 1 is a rack: readings are of storage units"),
            (999999, fine, "-180", 404, "no storage location with id 999999"),
            ("", fine, "-180", 422, "invalid input: storage_unit_id: This field is required.")):
        response = _post_reading(bank, place, measured_at, value)
        assert response.status_code == status, (value, response.text)
        error = re.search(r'id="page-error">([^<]*)<', response.text)
        assert error and message in error.group(1)
        assert f'inputmode="decimal" name="value_c" required type="text" value="{value}"' in response.text
    assert counts(session) == (0, 0, 0) and count_audit(session) == before
    bank.as_user("admin1")
    before = count_audit(session)
    assert _post_reading(bank, tank["id"], fine, "-180").status_code == 403
    assert 'id="reading-form"' not in bank.client.get("/temperature").text
    assert counts(session) == (0, 0, 0) and count_audit(session) == before


def _import(bank, csv_text: str = "", file: bytes | None = None):
    data = {"csv_text": csv_text}
    if file is not None:
        data["csv_file"] = (io.BytesIO(file), "export.csv")
    return bank.client.post("/temperature/import", data=data, content_type="multipart/form-data")


def test_an_export_pasted_or_uploaded_on_the_page_is_imported(bank, tank, session):
    code, times = tank["barcode"], [now() - dt.timedelta(minutes=m) for m in (10, 5, 2)]
    pasted = (f"timestamp,sensor,temperature_c\n{times[0].isoformat()},{code},-140\n"
              f"{times[1].isoformat()},{code},-185\n")
    response = _import(bank, pasted)
    assert response.status_code == 302 and response.location.endswith("/temperature")
    [excursion] = session.scalars(select(Excursion)).all()
    assert excursion.ended_at == times[1]
    page = bank.client.get(response.location).text
    assert f"2 reading(s) imported; excursions opened, widened or ended: {excursion.id}." in page
    uploaded = _import(bank, file=f"\ufefftimestamp,sensor,temperature_c\n{times[2].isoformat()},{code},-186\n"
                       .encode())
    assert uploaded.status_code == 302
    assert "1 reading(s) imported; excursions opened, widened or ended: none." in bank.client.get("/temperature").text
    listed = session.scalars(select(TemperatureReading).order_by(TemperatureReading.measured_at)).all()
    assert [(r.measured_at, str(r.value_c), r.source) for r in listed] == [
        (times[0], "-140.0", "csv"), (times[1], "-185.0", "csv"), (times[2], "-186.0", "csv")]


def test_a_bad_export_on_the_page_shows_why_and_records_nothing(bank, tank, session):
    code, at = tank["barcode"], now() - dt.timedelta(minutes=5)
    bad = f"timestamp,sensor,temperature_c\n{at.isoformat()},{code},-140\nyesterday noon,{code},-180\n"
    before = count_audit(session)
    for response, status, message in (
            (_import(bank, bad), 422, "the file was refused, nothing was recorded: line 3: 'yesterday noon' is not "
                                      "an ISO-8601 time"),
            (_import(bank, "  "), 422, "choose the monitor's export file or paste its text"),
            (_import(bank, file="température".encode("latin-1")), 422, "export.csv is not UTF-8 text"),
            (_import(bank, file=b"timestamp,sensor\n"), 422, "line 1: the header lacks temperature_c")):
        assert response.status_code == status, response.text
        error = re.search(r'id="page-error">([^<]*)<', response.text)
        assert error and message in error.group(1).replace("&#39;", "'")
    assert "yesterday noon" in re.search(r'<textarea id="csv_text".*?</textarea>', _import(bank, bad).text,
                                         re.S).group(0)  # the pasted text is kept
    assert counts(session) == (0, 0, 0) and count_audit(session) == before
    bank.as_user("admin1")
    before = count_audit(session)
    assert _import(bank, f"timestamp,sensor,temperature_c\n{at.isoformat()},{code},-140\n").status_code == 403
    assert counts(session) == (0, 0, 0) and count_audit(session) == before
