# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install lexicons clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Analyze the bundled examples and print their analysis, store them, then serve the dashboard over them.
demo: $(STAMP)
	$(BIN)/tidings analyze examples/*.txt --format pretty
	$(BIN)/tidings dyad RUS PRK $(foreach f,$(wildcard examples/*.txt),-f $(f))
	rm -f demo.duckdb
	$(BIN)/tidings ingest examples/*.txt --db demo.duckdb
	@echo "Dashboard: http://127.0.0.1:8000/  (Ctrl-C to stop)"
	$(BIN)/tidings serve --db demo.duckdb --host 127.0.0.1 --port 8000

# The browser tests drive Debian's Chromium; install it when missing (as root, from the Debian registry).
chromium:
	@test -x $(CHROMIUM) || apt-get install -y chromium || (apt-get update && apt-get install -y chromium) \
		|| { echo "the browser tests need Chromium: apt-get install -y chromium"; exit 1; }

test: $(STAMP) chromium
	$(BIN)/ruff check src scripts benchmarks tests
	$(BIN)/mypy src/tidings
	$(BIN)/python -m pytest

# Rebuild the package's data files from ../shared/data and the registries (outputs are committed).
lexicons: $(STAMP)
	$(BIN)/pip install --quiet -e '.[build]'
	$(BIN)/python scripts/build_lexicons.py
	$(BIN)/python scripts/build_people.py
	$(BIN)/python scripts/build_cameo.py
	$(BIN)/python scripts/build_gazetteer.py

clean:
	rm -rf $(VENV) build src/*.egg-info
