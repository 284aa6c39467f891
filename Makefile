# Every target does its own set-up: `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-all eval gate bench bench-web screenshots lint clean constraints train fuzz reliability

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

# Re-train the event coder's statistical head on the dev data in ../shared (deterministic,
# offline); writes src/factledger/data/event_model.{json,npz}. See docs/events.md.
train: $(STAMP)
	$(BIN)/python -m factledger.train events

# Dashboard: API response times on the demo ledger; screenshots of every page (needs /usr/bin/chromium).
bench-web: $(STAMP)
	$(BIN)/python benchmarks/bench_web.py

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

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
