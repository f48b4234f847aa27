# Two commands on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export FLASK_APP := wsgi

.PHONY: install run test lint bench zpl-renderer

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The offline ZPL renderer the label tests decode from (Node.js); without it those tests skip.
ZPL_RENDERER := tests/labels/zpl/node_modules/.package-lock.json
$(ZPL_RENDERER): tests/labels/zpl/package-lock.json
	npm ci --prefix tests/labels/zpl --no-audit --no-fund --loglevel=error
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --loglevel=error

zpl-renderer: $(ZPL_RENDERER)

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	$(BIN)/flask demo info
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:5000 --access-logfile - wsgi:app

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/audit_bench.py
	$(BIN)/python bench/storage_bench.py
	$(BIN)/python bench/labels_bench.py
	$(BIN)/python bench/printing_bench.py
	$(BIN)/python bench/dispense_bench.py
	$(BIN)/python bench/trace_bench.py
	$(BIN)/python bench/recall_bench.py
