# Everything a fresh clone needs: `make test` and `make demo`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test lint demo bench venv clean

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

# Every benchmark against its limit, on SQLite and on a throwaway PostgreSQL (fsync on);
# writes bench/results.json and bench/RESULTS.md.
bench: $(STAMP)
	QUALITY_PG_FSYNC=on tests/with_postgres.sh $(BIN)/python -m bench

demo: $(STAMP)
	$(BIN)/quality-bot demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
