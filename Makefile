# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

# Tests cover the semantic backends too; torch is pinned first so that sentence-transformers takes the
# CPU build instead of downloading a CUDA one.
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,semantic,st]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/duty-analyzer analyze corpora/sample --out out/demo

test: install-test
	$(BIN)/python -m pytest -q

# Regenerate corpora/sample from corpora/sample-src (needs reportlab, the `build` extra).
sample: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[build]'
	$(BIN)/python corpora/build_sample.py
	$(BIN)/python corpora/build_background.py

clean:
	rm -rf $(VENV) out
