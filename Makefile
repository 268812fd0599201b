# storytrace: the two commands of the README's quick start, and the steps behind them.
#   make demo   set up, then run storytrace on the bundled sample (examples/) and build its report
#   make test   set up, then run ruff, mypy and the whole pytest suite (browser tests in chromium)
#   make bench  set up every tool in its own venv, build the corpora, run the benchmark
#   make fuzz   fuzz every ingest reader (atheris), FUZZ_SECONDS each (default 60)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SEED_A := examples/seeds/002_b386addb4608aa0f.txt
SEED_B := examples/seeds/000_afb563e75b84724c.txt

.PHONY: setup demo test lint typecheck unit browser java clean bench bench-setup fuzz

BENCH      := bench/.work
BENCH_VENV := $(BENCH)/venvs
PEERS      := rensa datasketch text-dedup datatrove

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
	$(BIN)/ruff check src tests examples bench
	$(BIN)/ruff format --check src tests examples bench

typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy bench

# The report's tests drive Debian's chromium through Playwright (whose own browser download
# is not used). Installed here when missing; without it they fail under CI=true.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser:
	@command -v chromium >/dev/null 2>&1 || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium) || \
		echo "chromium could not be installed: the browser tests will not run"

# The Spark engine's tests need a Java runtime (17 is on the CI image); installed when missing.
java:
	@command -v java >/dev/null 2>&1 || \
		($(SUDO) apt-get update && $(SUDO) apt-get install -y openjdk-17-jre-headless) || \
		echo "java could not be installed: the Spark engine's tests will fail"

unit: setup browser java
	$(BIN)/python -m pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) runs .pytest_cache .mypy_cache .ruff_cache

# One venv per tool, each pinned by bench/requirements/<tool>.txt; bench.txt adds matplotlib
# for the plot to an environment holding storytrace itself.
$(BENCH_VENV)/%/.installed: bench/requirements/%.txt
	rm -rf $(BENCH_VENV)/$*
	$(PYTHON) -m venv $(BENCH_VENV)/$*
	$(BENCH_VENV)/$*/bin/python -m pip install --quiet -r bench/requirements/$*.txt
	touch $@

$(BENCH_VENV)/storytrace/.installed: bench/requirements/bench.txt pyproject.toml
	rm -rf $(BENCH_VENV)/storytrace
	$(PYTHON) -m venv $(BENCH_VENV)/storytrace
	$(BENCH_VENV)/storytrace/bin/python -m pip install --quiet -r bench/requirements/bench.txt -e '.[semantic]'
	touch $@

bench-setup: $(BENCH_VENV)/storytrace/.installed $(foreach p,$(PEERS),$(BENCH_VENV)/$(p)/.installed)

FUZZ_SECONDS ?= 60

# Coverage-guided fuzzing of the readers; crashes are saved under bench/.work/fuzz/.
fuzz: $(BENCH_VENV)/storytrace/.installed
	$(BENCH_VENV)/storytrace/bin/python -m bench.fuzz_readers --seconds $(FUZZ_SECONDS)

# Bad inputs first (the fuzzer, 10,000 generated bad inputs, legacy encodings); then real,
# replay (200k) and flood (20k): every tool, the full storytrace pipeline last; scale (1M):
# the fastest peer and storytrace's near-duplicate mode (the README says why the full
# pipeline is not run at 1M); then the replay corpus on the local engine and on Spark
# local[1] and local[2] (bench/spark_scaling.py); last, the semantic mode's cost per
# article on 20,000 replay documents (an embedding per article: linear in the corpus,
# see bench/semantic.py).
bench: bench-setup
	$(MAKE) fuzz FUZZ_SECONDS=10
	$(BENCH_VENV)/storytrace/bin/python -m bench.fuzz_ingest
	$(BENCH_VENV)/storytrace/bin/python -m bench.decoding
	$(BENCH_VENV)/storytrace/bin/python -m bench.match_latency
	$(BENCH_VENV)/storytrace/bin/python -m bench.guard --whole-run
	$(BENCH_VENV)/storytrace/bin/python -m bench.run real
	$(BENCH_VENV)/storytrace/bin/python -m bench.run replay
	$(BENCH_VENV)/storytrace/bin/python -m bench.run flood
	$(BENCH_VENV)/storytrace/bin/python -m bench.run scale --tools "storytrace near-dup" rensa \
		--settings "5-word, 128, 0.7"
	$(MAKE) java
	$(BENCH_VENV)/storytrace/bin/python -m bench.spark_scaling
	$(BENCH_VENV)/storytrace/bin/python -m bench.semantic --size 20000 --models
