"""Importing a monitor's CSV export: readings applied in time order; any bad line refuses the whole file."""

import datetime as dt
from zoneinfo import ZoneInfo

from tests.helpers import count_audit
from tests.monitoring.helpers import counts, excursions, flagged, now, reading


def _import(bank, text: str, expect: int = 201) -> dict:
    response = bank.client.post("/api/v1/temperature-readings/import", json={"csv": text})
    assert response.status_code == expect, response.json
    return response.json


def test_an_export_is_imported_in_time_order_and_opens_and_ends_excursions(app, bank, stored, tank, session):
    latest = now()
    times = [latest - dt.timedelta(minutes=m) for m in (30, 20, 10)]
    site_local = times[1].astimezone(ZoneInfo(app.config["TIMEZONE"])).replace(tzinfo=None)
    code = tank["barcode"]
    text = ("\ufeffTimestamp, Sensor ,temperature_c,alarm\n"       # BOM, any case, spaces, extra column
            f"{latest.isoformat()},{code},-145.5,HIGH\n"             # lines in any order
            f"{times[0].isoformat()},{code},-190.0,\n"
            f"{site_local.isoformat()},{code},-140,HIGH\n"          # no offset: site-local time
            "\n"
            f"{times[2].strftime('%Y-%m-%dT%H:%M:%S.%fZ')},{code},-185,\n")
    result = _import(bank, text)
    assert result["recorded"] == 4 and len(result["excursions"]) == 2
    going_on, ended = excursions(bank)
    assert dt.datetime.fromisoformat(ended["started_at"]) == times[1]
    assert dt.datetime.fromisoformat(ended["ended_at"]) == times[2] and flagged(ended) == set()  # before storage
    assert going_on["ended_at"] is None and going_on["highest_c"] == "-145.5"
    assert flagged(going_on) == {u["id"] for u in stored[:3]}
    listed = bank.client.get(f"/api/v1/temperature-readings?storage_unit_id={tank['id']}").json["items"]
    assert [r["value_c"] for r in listed] == ["-190.0", "-140.0", "-185.0", "-145.5"]
    assert {r["source"] for r in listed} == {"csv"}


def test_a_file_with_bad_lines_is_refused_entirely_naming_each_line(bank, stored, tank, session):
    at = now() - dt.timedelta(minutes=5)
    reading(bank, tank, "-185", at=at - dt.timedelta(minutes=1))
    before, audit_before = counts(session), count_audit(session)
    code = tank["barcode"]
    text = ("timestamp,sensor,temperature_c\n"
            f"{at.isoformat()},{code},-120\n"                         # good, and out of range
            f"yesterday noon,{code},-180\n"                            # line 3
            f"{at.isoformat()},SU-UNKNOWN,-180\n"                      # line 4
            f"{(at + dt.timedelta(seconds=1)).isoformat()},{code},-180.25\n"  # line 5
            f"{at.isoformat()},{code},-121\n"                          # line 6: same as line 2
            f"{(at - dt.timedelta(minutes=1)).isoformat()},{code},-186\n"    # line 7: already recorded
            f"{(at + dt.timedelta(seconds=2)).isoformat()},{code}\n")  # line 8
    refused = _import(bank, text, expect=422)
    message = refused["message"]
    assert message.startswith("the file was refused, nothing was recorded: line 3: 'yesterday noon' is not an ISO")
    for expected in ("line 4: no storage unit has the barcode 'SU-UNKNOWN'", "line 5: -180.25 °C: temperatures",
                     "line 6: same sensor and time as line 2", "line 7: a reading of LN2-1 at",
                     "line 8: empty temperature_c"):
        assert expected in message
    assert sorted(refused["errors"]) == [f"line {n}" for n in range(3, 9)]
    assert counts(session) == before and count_audit(session) == audit_before


def test_a_file_without_the_columns_or_of_a_box_is_refused(bank, tank, session):
    header = _import(bank, "time,probe,value\n2026-05-01T10:00:00+02:00,X,-180\n", expect=422)
    assert header["message"] == "line 1: the header lacks timestamp, sensor, temperature_c " \
                                "(needs timestamp, sensor, temperature_c)"
    box = tank["children"][0]["children"][0]
    line = _import(bank, f"timestamp,sensor,temperature_c\n{now().isoformat()},{box['barcode']},-180\n", expect=422)
    assert "line 2: " in line["message"] and "is a box: readings are of storage units" in line["message"]
    assert _import(bank, "timestamp,sensor,temperature_c\n", expect=422)["message"] == "the file holds no readings"
    assert counts(session) == (0, 0, 0)


def test_an_export_continues_an_excursion_going_on_or_fills_in_its_past(bank, stored, tank):
    opened = now() - dt.timedelta(minutes=10)
    reading(bank, tank, "-140", at=opened)
    code = tank["barcode"]
    minutes = [(opened + dt.timedelta(minutes=m)).isoformat() for m in (-5, -1, 2, 4)]
    after = _import(bank, f"timestamp,sensor,temperature_c\n{minutes[2]},{code},-110\n{minutes[3]},{code},-180\n")
    [excursion] = after["excursions"]
    assert (excursion["highest_c"], excursion["ended_at"]) == ("-110.0", minutes[3])
    assert flagged(excursion) == {u["id"] for u in stored[:3]}
    before = _import(bank, f"timestamp,sensor,temperature_c\n{minutes[0]},{code},-185\n{minutes[1]},{code},-130\n")
    assert before["recorded"] == 2 and [e["id"] for e in before["excursions"]] == [excursion["id"]]
    [widened] = excursions(bank)
    assert (widened["started_at"], widened["lowest_c"], widened["highest_c"]) == (minutes[1], "-140.0", "-110.0")
