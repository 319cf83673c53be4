# The two commands of the README: `make demo` and `make test`. Each sets itself up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The PostgreSQL server the suite creates its own throw-away database on.
COSYNTH_TEST_PG ?= postgresql://postgres@127.0.0.1:5432/postgres
# The slowest tests are named at the end of each pass, to keep the suite's time in view.
PYTEST_ARGS ?= -n 2 --durations=15

.PHONY: demo test lint docs test-sqlite test-postgres test-package postgres benchmarks translations clean

# The version is read from src/cosynth/__init__.py into the installed metadata.
$(STAMP): pyproject.toml src/cosynth/__init__.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "cosynth needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo
	$(BIN)/cosynth demo --out demo

test: lint docs test-sqlite test-postgres test-package

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The documentation (mkdocs.yml, docs/): the generated tables must be current, and
# `mkdocs build --strict` turns every warning (a broken link, a missing page) into a failure.
docs: $(STAMP)
	$(BIN)/python docs/generate.py --check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

test-sqlite: $(STAMP)
	COSYNTH_TEST_DB=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP) postgres
	COSYNTH_TEST_DB=$(COSYNTH_TEST_PG) $(BIN)/pytest $(PYTEST_ARGS)

# The sdist and the wheel, built from a clean copy of the tree and installed (no extras)
# in a fresh venv made with $(PYTHON), then used from outside the checkout: `cosynth
# --version`, `cosynth demo --no-serve`, `cosynth serve` (scripts/check-package.py).
test-package: $(STAMP)
	$(BIN)/python scripts/check-package.py --python "$(PYTHON)"

postgres:
	@scripts/ensure-postgres "$(COSYNTH_TEST_PG)"

benchmarks: $(STAMP)
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/dedup.py
	nice $(BIN)/python benchmarks/screening.py
	nice $(BIN)/python benchmarks/ranking_scale.py

# The web app's words: extract them from the code and templates into messages.pot,
# update each language's messages.po, and compile each to the messages.mo the app reads.
translations: $(STAMP)
	$(BIN)/python -m cosynth.web.catalogue

clean:
	rm -rf $(VENV) demo site .pytest_cache .mypy_cache .ruff_cache
