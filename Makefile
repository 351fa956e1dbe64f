# Everything a fresh clone needs: `make test` and `make demo`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test test-sqlite test-postgres lint docs demo bench venv clean

venv: $(STAMP)

# uv installs what pip would, from the same pins, in a fifth of the time.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The documentation site, with every link and anchor checked (mkdocs.yml: strict).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir build/site

# The static checks, the docs, and the whole suite twice (on SQLite files and on a throwaway
# PostgreSQL server), all side by side: the two suites take a core each, and the checks fill
# the time a core would otherwise wait. Each job's output is printed whole when it ends.
test: $(STAMP)
	$(MAKE) --no-print-directory --output-sync=target -j4 lint docs test-sqlite test-postgres

test-sqlite: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider

test-postgres: $(STAMP)
	tests/with_postgres.sh $(BIN)/pytest -p no:cacheprovider

# Every benchmark against its limit, on SQLite and on a throwaway PostgreSQL (fsync on);
# writes bench/results.json and bench/RESULTS.md.
bench: $(STAMP)
	QUALITY_PG_FSYNC=on tests/with_postgres.sh $(BIN)/python -m bench

demo: $(STAMP)
	$(BIN)/quality-bot demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
