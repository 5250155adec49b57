# infogen — the two commands a fresh machine needs: `make render` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out
BENCH_ARGS ?=

.PHONY: help setup render test lint bench preview docs clean test-tools profiles fonts

help:
	@echo "make render   set up .venv and render every layout, language and format into $(OUT)/"
	@echo "make test     set up .venv and the test tools, then run the test suite"
	@echo "make profiles build the CMYK output-intent profile for PDF/X (profiles/)"
	@echo "make lint     ruff and mypy"
	@echo "make bench    the benchmark: cold, warm, batch, memory and sizes, each against a plain"
	@echo "              reportlab baseline; prints a table, writes benchmarks/results.json"
	@echo "              (BENCH_ARGS=--quick: fewer rounds; --profile: hot spots into benchmarks/profiles/)"
	@echo "make preview  refresh docs/preview*.png (the README's pictures)"
	@echo "make docs     regenerate the README's layout reference"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	PYTHON=$(BIN)/python scripts/compile-bytecode  # cold starts read bytecode, even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

setup: $(STAMP)

profiles:
	@scripts/build-profiles

render: setup fonts profiles
	@PYTHON=$(BIN)/python scripts/compile-bytecode
	$(BIN)/infogen render --layout all --lang all --format all --out $(OUT)

fonts:
	@scripts/ensure-packages fonts

test-tools:
	@scripts/ensure-packages fonts tools

test: setup test-tools profiles
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy src

bench: setup
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

docs: setup
	$(BIN)/python scripts/update-readme-reference
	scripts/update-schemas

preview: render test-tools
	mkdir -p docs
	pdftoppm -png -r 36 -singlefile $(OUT)/default-en.pdf docs/preview
	pdftoppm -png -r 36 -singlefile $(OUT)/default-nl.pdf docs/preview-nl
	pdftoppm -png -r 36 -singlefile $(OUT)/default-ar.pdf docs/preview-ar
	pdftoppm -png -r 36 -singlefile $(OUT)/handout-en.pdf docs/preview-handout
	pdftoppm -png -r 40 -singlefile $(OUT)/social-nl.pdf docs/preview-social-nl

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
