# kcmap – two commands do all set-up: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
KCMAP := $(VENV)/bin/kcmap
STAMP := $(VENV)/.kcmap-installed
PYTHON ?= python3

.PHONY: run test bench lint system system-test venv db-stop clean-db

run: system venv ## install what is missing, start PostGIS, load data into an empty DB, serve
	$(KCMAP) setup
	KCMAP_PUBLIC_MAPS=$${KCMAP_PUBLIC_MAPS:-1} $(KCMAP) serve  # demo data: maps public unless set

test: system-test venv ## run the whole test suite on real PostGIS and Chromium
	$(VENV)/bin/pytest

lint: venv
	$(VENV)/bin/ruff check geo api maps data tests
	$(VENV)/bin/mypy --strict geo api maps

bench: system venv
	$(PY) -m benchmarks

system:
	@bash scripts/install-system.sh

system-test:
	@bash scripts/install-system.sh --browser

venv: $(STAMP)

# xstatic-* ship as sdists needing pkg_resources: build them without isolation, with
# setuptools<81 (which still has pkg_resources) in the venv.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check "setuptools>=77,<81" wheel
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-build-isolation -e ".[dev]"
	touch $(STAMP)

db-stop:
	$(KCMAP) db stop
