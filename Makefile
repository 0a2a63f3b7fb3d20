# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test sample clean wheel bundle

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

# The installable package (models and training corpus inside) and an offline bundle with every dependency
# for this platform: `pip install --no-index --find-links bundle duty-analyzer` on a machine without network.
wheel: install
	rm -rf build dist
	$(BIN)/pip wheel --quiet --disable-pip-version-check --no-deps -w dist .
	rm -rf build

bundle: wheel
	rm -rf bundle
	$(BIN)/pip wheel --quiet --disable-pip-version-check -w bundle dist/*.whl

clean:
	rm -rf $(VENV) out build dist bundle
