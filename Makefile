# The two commands in the README: `make demo` and `make test`. Everything else supports them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export KMRL_STATE_DIR ?= $(CURDIR)/.state

.PHONY: install services stop lint test test-fast demo demo-stop bench eval docs clean

install:
	bash scripts/install.sh

services: install
	bash scripts/services.sh start

stop:
	-bash scripts/demo.sh stop
	-bash scripts/dovecot.sh stop
	-bash scripts/sshd.sh stop
	bash scripts/services.sh stop

## make lint: ruff, mypy (strict on the extension API) and the import-linter layer contracts.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

## make test: lint, install, start the real services, run the whole suite against them.
test: lint services
	bash scripts/airflow_test_home.sh
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

## make test-fast: skip the slow large-file and crash tests.
test-fast: services
	bash scripts/airflow_test_home.sh
	$(PY) -m pytest -p no:cacheprovider -m "not slow" $(PYTEST_ARGS)

## make demo: install, start services and Airflow, ingest a sample corpus, print what landed where.
demo: services
	bash scripts/demo.sh start

demo-stop:
	bash scripts/demo.sh stop

## make bench: performance goals as ratios against baselines run side by side (not part of make test).
bench: services
	$(PY) -m benchmarks

## make docs: the documentation site (docs/, mkdocs.yml), warnings as errors.
docs: install
	$(VENV)/bin/mkdocs build --strict --site-dir $(KMRL_STATE_DIR)/site

## make eval: accuracy of the classifier on the labeled set under tests/eval.
eval: install
	$(PY) -m airflow_provider_kmrl.maintenance.evaluate tests/eval

clean: stop
	rm -rf $(KMRL_STATE_DIR)
