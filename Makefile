# Aiguillage — set-up and everyday commands. Every target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: chat test lint bench load eval clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

## make chat: the terminal chat on the bundled knowledge base and ./aiguillage.sqlite3
chat: $(VENV)/.installed
	$(BIN)/aiguillage chat

## make test: lint (ruff), types (mypy --strict on bot/), then the whole test suite
test: $(STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check bot tests benchmarks evaluation tools
	$(BIN)/ruff format --check bot tests benchmarks evaluation tools
	$(BIN)/mypy

## make eval: orientation quality on the dev and holdout cases (evaluation/cases/)
eval: $(STAMP)
	$(BIN)/python -m evaluation

## make bench: speed and memory figures (not part of make test)
bench: $(STAMP)
	$(BIN)/python -m benchmarks

## make load: 200 simulated people through the real bot against a local Bot API (not in make test)
load: $(STAMP)
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
