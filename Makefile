# workreport-progress — `make help` lists the targets.
# Two commands set everything up on a fresh machine: `make report` and `make test`.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
YEAR   ?= 2022
QUARTER ?= 3
JOBS   ?= 2
STAMP   = $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv report test test-fast lab kernel data tables accuracy accuracy-judgement bench lint format clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@# pip byte-compiles every package it installs but the pack itself (an editable install):
	@# where bytecode is not written on import (PYTHONDONTWRITEBYTECODE=1, as in many
	@# containers) every notebook's kernel would compile the pack's modules again.
	$(BIN)/python -m compileall -q src/helpers
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the pack (done by the other targets when needed)

report: $(STAMP) ## Produce the report: reports/$(YEAR)-Q$(QUARTER)/index.html (YEAR=, QUARTER=, JOBS=)
	$(BIN)/workreport run --year $(YEAR) --quarter $(QUARTER) --jobs $(JOBS)

test: $(STAMP) ## Run the whole test suite (unit, notebooks through papermill, nbval)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Run the tests that do not start a Jupyter kernel
	$(BIN)/python -m pytest tests -m "not notebook"

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

kernel: $(STAMP) ## Register the named Jupyter kernel "workreport" for analysts
	$(BIN)/python -m ipykernel install --user --name workreport --display-name "Python (workreport)"

data: $(STAMP) ## Rebuild data/2022 CSVs from the raw report text
	$(BIN)/workreport build-data --year 2022 --quarter 3

tables: $(STAMP) ## Write the engine's CSV tables only, to reports/tables-$(YEAR)-Q$(QUARTER)/
	$(BIN)/workreport tables --year $(YEAR) --quarter $(QUARTER) --out reports/tables-$(YEAR)-Q$(QUARTER)

accuracy: $(STAMP) ## Score the reader against the hand golds (data/corpus/, built-in source)
	$(BIN)/python -m helpers.run.accuracy

accuracy-judgement: $(STAMP) ## Score the slippage reading against the hand labels (recall, precision, misses)
	$(BIN)/python -m helpers.run.judgement_accuracy

bench: $(STAMP) ## Run the benchmarks (prints ratios; see README)
	$(BIN)/python benchmarks/run.py

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP) ## ruff format and fix
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf reports .pytest_cache .ruff_cache .hypothesis
