"""The trace page: the graph as SVG with every node linked to its page, the summary, refusals in words."""

import re

from app.trace import drawing


def _page(bank, query: str):
    return bank.client.get(f"/trace?{query}")


def test_the_page_draws_the_graph_and_links_every_node(branching, bank):
    b = branching
    response = _page(bank, f"from=unit:{b.u1['id']}&direction=backward")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    svg = html[html.index("<svg class=\"trace\""):html.index("</svg>", html.index("<svg class=\"trace\""))]
    drawn = set(re.findall(r'data-node="([a-z_]+:\d+)"', svg))
    api = bank.client.get(f"/api/v1/trace?from=unit:{b.u1['id']}&direction=backward").json
    assert drawn == {n["key"] for n in api["nodes"]}
    assert svg.count("<line ") == len(api["edges"])
    for href, page in ((f"/lots/{b.mcb1['id']}", 200), (f"/donors/{b.donor1['id']}", 200),
                       (f"/procurements/{b.procurement1['id']}", 200), (f"/units/{b.u1['id']}", 200),
                       (f"/api/v1/materials/{b.trypsin['id']}", 200)):
        assert f'href="{href}"' in svg
        assert bank.client.get(href).status_code == page
    summary = html[html.index('id="trace-summary"'):html.index("</dl>", html.index('id="trace-summary"'))]
    assert "1 donor, 4 lot, 2 material, 1 procurement, 5 qc result, 1 signature" in summary
    assert "ASC-D001" in summary and b.procurement1["din"] in summary
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_a_big_trace_draws_its_lots_and_lists_every_unit(branching, bank, monkeypatch):
    monkeypatch.setattr(drawing, "MOST_DRAWN", 5)
    html = _page(bank, f"from=material:{branching.hpl['id']}&direction=forward").get_data(as_text=True)
    assert "4 units, QC results and signatures are not drawn" in html
    assert f'data-node="unit:{branching.u4["id"]}"' not in html and f'id="node-unit-{branching.u4["id"]}"' in html
    assert f'data-node="lot:{branching.dp3["id"]}"' in html


def test_record_pages_link_to_their_traces(branching, bank):
    b = branching
    for page, start in ((f"/lots/{b.wcb1['id']}", f"lot:{b.wcb1['id']}"),
                        (f"/donors/{b.donor2['id']}", f"donor:{b.donor2['id']}"),
                        (f"/procurements/{b.procurement2['id']}", f"procurement:{b.procurement2['id']}"),
                        (f"/units/{b.u3['id']}", f"unit:{b.u3['id']}")):
        html = bank.client.get(page).get_data(as_text=True)
        for direction in ("forward", "backward"):
            assert f'href="/trace?from={start}&amp;direction={direction}"' in html, page


def test_bad_or_unknown_starts_are_refused_in_words(branching, bank):
    bad = _page(bank, "from=lot:abc&direction=forward")
    assert bad.status_code == 422 and "must be &lt;type&gt;:&lt;id&gt;" in bad.get_data(as_text=True)
    unknown = _page(bank, "from=donor:987654&direction=backward")
    assert unknown.status_code == 404 and "no donor with id 987654" in unknown.get_data(as_text=True)
    assert _page(bank, "").status_code == 200
