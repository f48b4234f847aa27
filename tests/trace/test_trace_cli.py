"""`flask trace`: the same trace as the API, in words or as its JSON."""

import json


def test_the_command_answers_what_the_api_answers(app, branching, bank):
    start = f"material:{branching.hpl['id']}"
    api = bank.client.get(f"/api/v1/trace?from={start}&direction=forward").json
    runner = app.test_cli_runner()
    as_json = runner.invoke(args=["trace", start, "--direction", "forward", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == api
    text = runner.invoke(args=["trace", f"unit:{branching.u1['id']}", "--direction", "backward"])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].startswith(f"Backward trace from unit:{branching.u1['id']}: 1 donor, 4 lot, 2 material, ")
    assert lines[1] == f"donors: ASC-D001; DINs: {branching.procurement1['din']}"
    assert f"  lot:{branching.mcb1['id']}" in text.output and "MCB-0001  (master_cell_bank; in_process)" in text.output
    assert f"lot:{branching.wcb1['id']} " not in text.output
    assert f"  donor:{branching.donor1['id']} -[donated]-> procurement:{branching.procurement1['id']}" in lines


def test_the_command_refuses_a_bad_start_in_words(app, branching):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["trace", "recall:1", "--direction", "forward"])
    assert bad.exit_code == 2 and "must be <type>:<id> with type one of donor, procurement" in bad.output
    missing = runner.invoke(args=["trace", "lot:987654", "--direction", "forward"])
    assert missing.exit_code == 1 and "no lot with id 987654" in missing.output
    assert runner.invoke(args=["trace", "lot:1", "--direction", "up"]).exit_code == 2
