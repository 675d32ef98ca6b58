# Two commands do everything on a fresh clone:
#   make demo   grade the bundled example submissions (SQLite gradebook + HTML reports)
#   make test   lint, type-check, validate every assignment, run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint validate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[all]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/grade examples/submissions --db sqlite:///gradebook.db --out reports \
		--json reports/results.json --junit reports/results.xml --force
	@echo "open reports/index.html"

lint: $(STAMP)
	$(BIN)/ruff check grader tests benchmarks
	$(BIN)/mypy

validate: $(STAMP)
	$(BIN)/grade validate -a softmax -a cross_entropy -a kfold -a early_stopping \
		-a classifier_metrics -a titanic
	# The jet suite draws no cases from the secret (its held-out split is fixed data), and
	# each extra secret would train every variant again: one secret is enough for it.
	GRADER_JET_N_SAMPLES=60000 $(BIN)/grade validate -a jet_classifier --secrets 1
	# The Iris split is fixed data too, and each variant trains a network: one secret.
	$(BIN)/grade validate -a iris_classifier --secrets 1

test: $(STAMP) lint validate
	$(BIN)/python -m pytest -q -ra

clean:
	rm -rf $(VENV) reports gradebook.db exports
