# Everyday tasks; CI runs .ci/run, which runs the same checks.
.PHONY: build test vet fmt check eval bench fuzz specs

build:
	go build -o bin/crisisbot ./cmd/crisisbot

test:
	go test -race ./...

vet:
	go vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

check:
	bash .ci/run

eval: build
	bin/crisisbot eval --corpus ../shared/eval/corpus --questions ../shared/eval/questions.jsonl --data $$(mktemp -d)

bench:
	go test -run '^$$' -bench . -benchmem ./retrieval

fuzz:
	FUZZTIME=$${FUZZTIME:-200000x} bash .ci/fuzz

# Rewrite the pruned OpenAPI documents internal/specvalidate embeds from the
# official ones in ../shared/specs.
specs:
	go generate ./internal/specvalidate
