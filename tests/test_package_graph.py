"""No import cycles between the feature packages of app/: imports go one way (DESIGN §2).

The graph is read from the source with ast: every import, at module level or inside a function, absolute or
relative, of one app/<package> by another. A lower package that must tell a higher one what happened sends a
blinker signal (app/storage/signals.py) instead of importing it.
"""

from pathlib import Path

from app import create_app
from config import TestConfig as AppConfig
from tests.imports import cycles, edges_within, package_graph

APP = Path(__file__).resolve().parent.parent / "app"


def test_the_feature_packages_import_each_other_without_a_cycle():
    graph = package_graph(APP)
    assert {"core", "storage", "custody", "monitoring", "lots", "qc", "release", "auth", "signatures"} <= set(graph)
    found = cycles(graph)
    assert not found, "package cycles:\n" + "\n".join(
        f"{' ⇄ '.join(tangle)}:\n  " + "\n  ".join(edges_within(graph, tangle)) for tangle in found)


def test_the_graph_sees_imports_inside_functions_and_relative_ones_and_names_the_cycle(tmp_path):
    """The detector itself: a cycle hidden in a function-level relative import is found and named."""
    for package, source in {"low": "from app.core import x\n",
                            "high": "from app.low import y\n",
                            "core": "",
                            "low/inner": "def f():\n    from ...high import z\n"}.items():
        path = tmp_path / package
        path.mkdir(parents=True, exist_ok=True)
        (path / "__init__.py").write_text("")
        (path / "module.py").write_text(source)
    graph = package_graph(tmp_path)
    assert set(graph["high"]) == {"low"} and set(graph["low"]) == {"core", "high"}
    assert "low/inner/module.py:2" in graph["low"]["high"]
    assert cycles(graph) == [["high", "low"]]


def test_every_signal_has_its_receiver():
    """A lower package does not know who listens: without monitoring's receivers excursion flags would silently
    lapse, without storage's a new lot could take a division one of its family's units holds, without recalls' a
    recalled vial could be thawed, allocated or dispensed."""
    from app.dispensing.signals import units_in_use
    from app.lots.signals import divisions_held
    from app.storage import signals

    create_app(AppConfig("sqlite://"))
    expected = {signals.units_placed: {"app.monitoring.receivers"},
                signals.unit_leaving: {"app.monitoring.receivers", "app.recalls.receivers"},
                signals.flagged_units: {"app.monitoring.receivers"}, divisions_held: {"app.storage.receivers"},
                units_in_use: {"app.recalls.receivers"}}
    for signal, receiver_modules in expected.items():
        assert receiver_modules <= {receiver.__module__ for receiver in signal.receivers_for(None)}, signal.name
