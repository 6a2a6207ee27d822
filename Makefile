# Every target works on a fresh machine with only python3, pip and git:
# the virtual environment is created and filled on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_STAMP := $(VENV)/.dev-installed
RUN_STAMP := $(VENV)/.run-installed
export HYPOTHESIS_PROFILE ?= ci

.PHONY: test lint typecheck pytest postgres demo docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[testing,dev]'
	touch $@ $(RUN_STAMP)

## test: lint, format check, mypy --strict, the whole pytest suite (CI profile), docs build.
## After lint, mypy and the docs build run beside pytest, which runs on every core
## (pytest-xdist): a 2-core machine stays busy. Their output is interleaved line by line.
test: lint
	$(MAKE) --no-print-directory --jobs=3 --output-sync=line typecheck pytest docs

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy --strict src tests

# Workers for pytest-xdist: `auto` is one per core; PYTEST_WORKERS=0 runs in one process.
# --dist loadfile keeps each file on one worker: a docs page's examples share one namespace,
# and a module's fixtures (the throw-away PostgreSQL cluster, Dask clusters) start once.
PYTEST_WORKERS ?= auto
pytest: $(DEV_STAMP) postgres
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

## postgres: Debian's PostgreSQL server for the PostgresStore tests (installed only when missing;
## the tests start and stop a throw-away cluster themselves, or use $$VA_POSTGRES_DSN)
postgres:
	bash scripts/install-postgres.sh

## demo: the library's main job: a synthetic Guangxi into the SQLite store, rules, the report
# The demo's routines and 包联 talks are in 2020; the bundled 包联 cadence (1 talk a quarter, from a
# 2021-02-03 report of Guangxi practice) is in force from that date only, so the demo gives the same
# figure as its own for 2020 (--talks-per-quarter), to show the compliance columns filled in.
demo: $(RUN_STAMP)
	$(BIN)/python -m veteran_affairs demo --replace --talks-per-quarter 1

## docs: the documentation site, warnings are errors
docs: $(DEV_STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

## bench: every benchmark script at full size, one after another (on demand, long: figures go
## into docs/benchmarks.md; bench_openfisca makes .venv-anchor/ with OpenFisca on first use).
## `make test` runs each one's --smoke mode instead (tests/test_benchmarks_smoke.py).
BENCHMARKS := foundation rules openfisca hierarchy routines synthetic import store postgres dask
bench: $(DEV_STAMP) postgres
	for name in $(BENCHMARKS); do \
		echo "== benchmarks/bench_$$name.py"; \
		$(BIN)/python benchmarks/bench_$$name.py || exit 1; \
	done

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .mypy_cache .ruff_cache .hypothesis
