# Every target does its own set-up: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-all eval gate bench lint clean constraints fuzz reliability

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/factledger demo

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q
	$(BIN)/factledger evaluate all --processes 2 --gate

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m ''

eval: $(STAMP)
	$(BIN)/factledger evaluate all --processes 2

gate: $(STAMP)
	$(BIN)/factledger evaluate all --processes 2 --gate

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py

# Long hardening campaigns (minutes; CI runs short versions inside `make test`).
FUZZ_SECONDS ?= 300
fuzz: $(STAMP)
	$(BIN)/python -m benchmarks.reliability.fuzz --seconds $(FUZZ_SECONDS)

# Every figure of docs/reliability.md, measured again; rewrites its table.
reliability: $(STAMP)
	$(BIN)/python -m benchmarks.reliability

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) build dist src/*.egg-info

# Re-pin the exact library versions (after a deliberate upgrade; then re-run `make gate`).
constraints: $(STAMP)
	{ sed -n '1,2p' constraints.txt; $(BIN)/pip freeze | grep -v -i -e '^factledger' -e '^-e ' -e '@ file'; } > constraints.new
	mv constraints.new constraints.txt
