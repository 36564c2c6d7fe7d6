# Two commands a user needs: `make run` and `make test`. Both set up .venv when missing.
# `make run`: letters in data/raw (the fictional sample when there are none) -> tables -> reports/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RAW := data/raw
PROCESSED := data/processed
REPORTS := reports

.PHONY: run test check mutation lab sample fetch bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	@if [ -z "$$(find $(RAW) -iname '*.pdf' -print -quit 2>/dev/null)" ]; then \
		echo "No letters in $(RAW): writing the fictional sample corpus first."; \
		$(BIN)/lgsco sample --out $(RAW)/sample; \
	elif [ -d $(RAW)/sample ] && [ -n "$$(find $(RAW) -path $(RAW)/sample -prune -o -iname '*.pdf' -print -quit)" ]; then \
		echo "Note: $(RAW) holds real letters and the fictional sample ($(RAW)/sample): the reports mix them" \
			"(each says how many of its letters are samples). Delete $(RAW)/sample to leave the sample out."; \
	fi
	$(BIN)/lgsco run $(RAW) --processed $(PROCESSED) --out $(REPORTS)
	@echo "Reports index: $(CURDIR)/$(REPORTS)/index.html"

# On a server: make lab LAB_ARGS="--no-browser --port=8888", then ssh -L 8888:localhost:8888 you@server
LAB_ARGS ?=
lab: $(VENV)/.installed
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

# The fast tier for the edit loop: lint, types, and every test that starts no worker process and renders no report.
check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -m "not slow" -q

# Mutation testing of the modules that compute or state numbers (configured in pyproject.toml).
mutation: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,mutation]'
	$(BIN)/mutmut run
	$(BIN)/mutmut results

sample: $(VENV)/.installed
	$(BIN)/lgsco sample --out $(RAW)/sample

# The letters from the Ombudsman's site into data/raw/lgsco/ (politely: see README); LGSCO_CONTACT names you.
fetch: $(VENV)/.installed
	$(BIN)/lgsco fetch --out $(RAW)/lgsco

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_parse.py
	$(BIN)/python benchmarks/bench_reports.py

clean:
	rm -rf $(PROCESSED)/*.parquet $(PROCESSED)/.cache $(REPORTS) mutants
