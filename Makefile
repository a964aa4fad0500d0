# Two entry points: `make run` (set up, demo store, open the app) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-data

.PHONY: run test demo check bench clean

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
	$(BIN)/vaccinnet --data $(DEMO) check

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/store_bench.py --scale regional

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
