# Two entry points: `make run` (set up, demo store, open the app) and `make test`;
# `make admin` opens the administrators' console on the same demo store.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-data
# The demo's Dr Jean Dupont, linked to a GP practice and a nursing home.
DEMO_NISS ?= 76.04.12-137.60
# The demo's administrator Anne Lambert.
DEMO_ADMIN ?= admin

.PHONY: run admin test demo check bench clean i18n

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(DEMO)/manifest.json: | $(VENV)/.installed
	$(BIN)/vaccinnet --data $(DEMO) demo

demo: $(DEMO)/manifest.json

run: $(VENV)/.installed $(DEMO)/manifest.json
	$(BIN)/vaccinnet --data $(DEMO) --niss $(DEMO_NISS)

admin: $(VENV)/.installed $(DEMO)/manifest.json
	$(BIN)/vaccinnet --data $(DEMO) admin --admin $(DEMO_ADMIN)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.store_bench --scale regional
	$(BIN)/python -m benchmarks.tui_bench

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache

# Re-extract messages, merge them into the catalogs, and compile (translators edit the .po files).
i18n: $(VENV)/.installed-test
	$(BIN)/pybabel -q extract -F babel.cfg -k _ -k N_ --no-location --omit-header -o tui/locale/vaccinnet.pot .
	$(BIN)/pybabel -q update -i tui/locale/vaccinnet.pot -d tui/locale -D vaccinnet --no-fuzzy-matching --omit-header
	$(BIN)/pybabel -q compile -d tui/locale -D vaccinnet
