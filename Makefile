# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install lexicons clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Analyze the bundled examples and print their analysis.
demo: $(STAMP)
	$(BIN)/tidings analyze examples/*.txt --format pretty
	$(BIN)/tidings dyad RUS PRK $(foreach f,$(wildcard examples/*.txt),-f $(f))

test: $(STAMP)
	$(BIN)/ruff check src scripts benchmarks
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
