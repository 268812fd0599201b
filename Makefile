# storytrace: the two commands of the README's quick start, and the steps behind them.
#   make demo   set up, then run storytrace on the bundled sample (examples/) and build its report
#   make test   set up, then run ruff, mypy and the whole pytest suite (browser tests in chromium)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEED_A := examples/seeds/002_b386addb4608aa0f.txt
SEED_B := examples/seeds/000_afb563e75b84724c.txt

.PHONY: setup demo test lint typecheck unit browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/storytrace run examples/seeds examples/reuters-sample.jsonl.gz -o runs/demo
	$(BIN)/storytrace story runs/demo $(notdir $(SEED_A))
	$(BIN)/storytrace report runs/demo
	@echo "(storytrace is installed in $(BIN): $(BIN)/storytrace serve runs/demo)"

lint: setup
	$(BIN)/ruff check src tests examples
	$(BIN)/ruff format --check src tests examples

typecheck: setup
	$(BIN)/mypy

# The report's tests drive Debian's chromium through Playwright (whose own browser download
# is not used). Installed here when missing; without it they fail under CI=true.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser:
	@command -v chromium >/dev/null 2>&1 || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium) || \
		echo "chromium could not be installed: the browser tests will not run"

unit: setup browser
	$(BIN)/python -m pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache
