package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

// TestOpenReportsAnUnsavedIndex: when the first save fails, the new index
// serves from memory and the report says so, so the caller does not claim
// a saved index is serving.
func TestOpenReportsAnUnsavedIndex(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "index")
	// A file where the index directory should be: every save fails.
	if err := os.WriteFile(dir, []byte("not a directory"), 0o600); err != nil {
		t.Fatal(err)
	}
	lib, err := NewLibrary(LibraryConfig{Dir: dir, Settings: Settings{Embedder: "hash-test"}}, HashEmbedder(16),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.Load(ctx, corpus.Builtin(), corpus.Options{})
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := lib.Open(context.Background())
	if err == nil {
		t.Fatal("open succeeded with an unwritable index directory")
	}
	if !rep.ServingUnsaved || rep.Saved || lib.Current() == nil {
		t.Errorf("report %+v, current %v: want the unsaved index serving and said so", rep, lib.Current() != nil)
	}
}
