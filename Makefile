# The two commands of the README: `make run` and `make test`. Both set up .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast ingest score search-score bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

ingest: $(STAMP)
	$(BIN)/kehoach ingest corpus/samples

run: ingest
	$(BIN)/kehoach serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# the inner loop: every test but those marked slow (browser, crash, load, benchmark), < 1 minute
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

score: $(STAMP)
	$(BIN)/python ../shared/eval/score.py --gold ../shared/gold --texts ../shared/seeds --cmd '$(BIN)/kehoach extract --format json {path}'

# Two judged sets, each on a fresh archive of its own (build/search-score): the seed set over
# corpus/samples, and ours (tests/data/judged/queries.json) over corpus/samples + ../shared/realdev.
SCORE_DATA := build/search-score
search-score: $(STAMP)
	rm -rf $(SCORE_DATA)
	KEHOACH_DATA=$(SCORE_DATA)/seeds $(BIN)/kehoach ingest corpus/samples
	KEHOACH_DATA=$(SCORE_DATA)/seeds $(BIN)/python ../shared/eval/search_score.py --min-recall 0.95 \
		--judgments ../shared/relevance/seeds.json --cmd '$(BIN)/kehoach search --json {query}'
	KEHOACH_DATA=$(SCORE_DATA)/judged $(BIN)/kehoach ingest corpus/samples $(wildcard ../shared/realdev/*.txt)
	KEHOACH_DATA=$(SCORE_DATA)/judged $(BIN)/python ../shared/eval/search_score.py --min-recall 0.95 \
		--judgments tests/data/judged/queries.json --cmd '$(BIN)/kehoach search --json {query}'

bench: $(STAMP)
	$(BIN)/kehoach bench --plans 2000

clean:
	rm -rf $(VENV) data build *.egg-info
