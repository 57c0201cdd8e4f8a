package timeline

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// indexOf builds an in-memory index over res.
func indexOf(tb testing.TB, res *corpus.Result) *retrieval.Index {
	tb.Helper()
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: retrieval.HashEmbedderID(64)}},
		retrieval.HashEmbedder(64), func(context.Context) (*corpus.Result, error) { return res, nil }, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := lib.Reload(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return lib.Current()
}

// parse reads articles given as path → file text.
func parse(tb testing.TB, files map[string]string) *corpus.Result {
	tb.Helper()
	res := &corpus.Result{}
	for p, text := range files {
		a, err := corpus.Parse(p, []byte(text))
		if err != nil {
			tb.Fatalf("parse %s: %v", p, err)
		}
		res.Articles = append(res.Articles, a)
	}
	slices.SortFunc(res.Articles, func(a, b corpus.Article) int { return strings.Compare(a.ID, b.ID) })
	return res
}
