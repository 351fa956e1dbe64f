# Everything a fresh clone needs: `make test` and `make demo`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint demo venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The whole suite twice: on SQLite files, then on a throwaway PostgreSQL server.
test: lint
	$(BIN)/pytest
	tests/with_postgres.sh $(BIN)/pytest

demo: $(STAMP)
	$(BIN)/quality-bot demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
