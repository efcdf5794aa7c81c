# make demo: a short offline demonstration.   make test: the whole fast suite.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-slow lint bench golden clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q --upgrade pip >/dev/null
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/demo.py

test: $(STAMP)
	$(BIN)/ruff check tensorflux tests benchmarks examples
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -q -n auto tests
	OPENBLAS_NUM_THREADS=1 TFX_FAKE_GPU=1 $(BIN)/python -m pytest -q -n auto tests/ops -k GPU

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -n auto -m slow tests

lint: $(STAMP)
	$(BIN)/ruff check tensorflux tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(if $(TF_PYTHON),--tf-python $(TF_PYTHON),)

clean:
	rm -rf $(VENV) build *.egg-info

golden: $(STAMP)
	$(BIN)/python tests/test_public_api.py --update
