# goci-resample: `make demo` and `make test` are all a newcomer needs (see README.md).
SHELL := /bin/bash
VENV := .venv
PYTHON := /usr/bin/python3
QGIS_PLUGINS ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default/python/plugins
PLUGIN_DIR ?= $(QGIS_PLUGINS)
DEMO_DIR ?= demo_output
PYTEST_ARGS ?=

.PHONY: help setup setup-runtime lint test demo bench docs translations package deploy clean

help:
	@echo "make demo     generate a sample pair, resample it with qgis_process, write a quick-look"
	@echo "make test     install what is missing, then run the whole test suite"
	@echo "make bench    time the engines against GDAL's geolocation warp (bench/results.md)"
	@echo "make lint     ruff (lint and format) and bandit; make test runs it too"
	@echo "make docs     re-render the screenshots in docs/img (real dialogs, headless)"
	@echo "make translations  update i18n/*.ts from the code and compile .qm"
	@echo "make package  write dist/goci_resample_plugin.zip (QGIS: Install from ZIP)"
	@echo "make deploy   install the plugin into PLUGIN_DIR=$(PLUGIN_DIR)"
	@echo "make clean    remove build products, demo output and caches"

setup:
	@scripts/setup.sh

setup-runtime:
	@scripts/setup.sh --runtime-only

lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check --quiet goci_resample_plugin scripts tests
	@$(VENV)/bin/bandit --quiet -c pyproject.toml -r goci_resample_plugin scripts

# Tests run headless in a throw-away QGIS profile, two workers (one per core).
test: setup lint
	@profile=$$(mktemp -d) && chmod 700 $$profile && \
	QT_QPA_PLATFORM=offscreen QGIS_CUSTOM_CONFIG_PATH=$$profile XDG_CONFIG_HOME=$$profile \
	XDG_RUNTIME_DIR=$$profile XDG_CACHE_HOME=$$profile PROJ_DATA=$${PROJ_DATA:-/usr/share/proj} $(VENV)/bin/python -m pytest -n 2 -p no:cacheprovider tests $(PYTEST_ARGS); \
	status=$$?; rm -rf $$profile; exit $$status

demo: setup-runtime
	@$(PYTHON) scripts/demo.py $(DEMO_DIR)

bench: setup
	@$(PYTHON) scripts/bench.py $(BENCH_ARGS)
	@$(PYTHON) scripts/bench_kernel.py
	@$(PYTHON) scripts/bench_batch.py

# Update the .ts sources from the tr() calls (pylupdate5 keeps existing translations), then
# compile them to .qm (make package and make deploy compile them too).
translations: setup-runtime
	@pylupdate5 -noobsolete goci_resample_plugin/*.py goci_resample_plugin/processing/*.py \
		-ts $(wildcard i18n/*.ts)
	@lrelease -silent i18n/*.ts

# Screenshots of the real dialogs and map for docs/ (headless, throw-away QGIS profile).
docs: setup
	@profile=$$(mktemp -d) && chmod 700 $$profile && \
	QT_QPA_PLATFORM=offscreen QGIS_CUSTOM_CONFIG_PATH=$$profile XDG_CONFIG_HOME=$$profile \
	XDG_RUNTIME_DIR=$$profile $(VENV)/bin/python -m pytest -q -p no:xdist -p no:cacheprovider \
	scripts/screenshots.py && GOCI_DOCS_IMG=$(CURDIR)/docs/img QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$$profile \
	QGIS_CUSTOM_CONFIG_PATH=$$profile XDG_CONFIG_HOME=$$profile $(VENV)/bin/python -m pytest -q \
	-p no:xdist -p no:cacheprovider tests/test_desktop.py && $(PYTHON) scripts/policies.py \
	bench/cache/policies docs/img/invalid_policies.png && $(PYTHON) scripts/methods.py \
	bench/cache/methods docs/img/methods.png; status=$$?; rm -rf $$profile; exit $$status

package:
	@$(PYTHON) scripts/package.py zip dist/goci_resample_plugin.zip

deploy:
	@$(PYTHON) scripts/package.py deploy "$(PLUGIN_DIR)"

clean:
	rm -rf dist build $(DEMO_DIR) .pytest_cache .qgis-settings
	find . -name __pycache__ -prune -exec rm -rf {} +
