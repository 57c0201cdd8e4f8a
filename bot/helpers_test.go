package bot

import (
	"context"
	"sync"
	"testing"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
	"github.com/crisisbot/crisisbot/retrieval"
)

// builtinLibrary indexes the built-in corpus in memory.
func builtinLibrary(tb testing.TB) *retrieval.Library {
	tb.Helper()
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(256),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.Load(ctx, corpus.Builtin(), corpus.Options{})
		}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return lib
}

// newTestExtractive returns the offline answerer over the built-in corpus.
func newTestExtractive(tb testing.TB) (*answer.Extractive, *retrieval.Library) {
	tb.Helper()
	lib := builtinLibrary(tb)
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		tb.Fatal(err)
	}
	return answer.NewExtractive(answer.ExtractiveConfig{}, lib, ranks), lib
}

// openAISpec loads OpenAI's document once per test binary.
var openAISpec = sync.OnceValues(specvalidate.LoadOpenAI)
