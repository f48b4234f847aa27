# Two commands on a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export FLASK_APP := wsgi

.PHONY: install run test lint bench zpl-renderer translations

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

# The suite is split over the cores by pytest-xdist, a file per worker at a time (each worker has its own test
# databases); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

# Developers: extract every message of the code and templates (babel.cfg), merge them into the French catalogue
# (new ones come with an empty msgstr for the translator; tests/test_translations.py fails until each is translated)
# and compile it. The app compiles a stale catalogue itself at start, so `make run` needs none of this.
POT := build/messages.pot
translations: install
	mkdir -p build
	$(BIN)/pybabel extract -F babel.cfg -k _l -k gettext --no-location --sort-output --omit-header -o $(POT) .
	$(BIN)/pybabel update -i $(POT) -d app/translations --no-fuzzy-matching --ignore-obsolete -w 120
	$(BIN)/pybabel compile -d app/translations

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
