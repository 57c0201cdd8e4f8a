package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestReloadRelabelsWithoutReembedding(t *testing.T) {
	t.Parallel()
	dir, data := t.TempDir(), t.TempDir()
	art := "---\ntitle: Dam bursts\nsource: Northern Herald\npublished: 2031-03-12\n---\nThe Kestrel dam burst on Monday.\n"
	if err := os.WriteFile(filepath.Join(dir, "dam.md"), []byte(art), 0o644); err != nil {
		t.Fatal(err)
	}
	open := func() *Library {
		lib, err := NewLibrary(LibraryConfig{Dir: data, Settings: Settings{Embedder: HashEmbedderID(32)}}, HashEmbedder(32),
			func(ctx context.Context) (*corpus.Result, error) { return corpus.LoadDir(ctx, dir, corpus.Options{}) }, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		return lib
	}
	lib := open()
	if o := lib.Current().Article("dam").Origin; o != "" {
		t.Fatalf("origin %q before any label", o)
	}
	if _, err := corpus.SetOrigin(dir, "Northern Herald", "northern"); err != nil {
		t.Fatal(err)
	}
	before := lib.Current()
	rep, err := lib.Reload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Embedded != 0 || !rep.Diff.Empty() {
		t.Errorf("a relabel re-embedded %d passages, diff %+v", rep.Embedded, rep.Diff)
	}
	if o := lib.Current().Article("dam").Origin; o != "northern" {
		t.Errorf("origin after the relabel: %q, want northern", o)
	}
	if before.Article("dam").Origin != "" {
		t.Error("the index that served before the relabel was changed in place")
	}
	if hits, err := lib.Current().Search(context.Background(), "Kestrel dam", 1); err != nil || len(hits) != 1 || hits[0].Article.Origin != "northern" {
		t.Errorf("a search's hit does not carry the new origin: %+v, %v", hits, err)
	}
	if o := open().Current().Article("dam").Origin; o != "northern" {
		t.Errorf("after a restart: origin %q, want northern", o)
	}
}
