package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/gencorpus"
)

// TestOpenSeedsParseCache: the index saves its files' stamps, snapshot and
// log alike, and a new library's Open seeds its parse cache with them, so
// that its first load parses no file unchanged since. To tell a parse from
// a cache hit, a file is overwritten in place with text of the same
// length and its time put back: only a load that trusted the stamp keeps
// the indexed text.
func TestOpenSeedsParseCache(t *testing.T) {
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	o := gencorpus.Options{Articles: 12, Words: 200, Seed: 4}
	if err := gencorpus.WriteDir(ctx, dir, o); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	age := func(name string) {
		t.Helper()
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(name)), old, old); err != nil {
			t.Fatal(err)
		}
	}
	for i := range o.Articles {
		age(gencorpus.Name(i))
	}
	open := func() *Library {
		t.Helper()
		files := corpus.NewParseCache()
		load := func(ctx context.Context) (*corpus.Result, error) {
			return corpus.LoadDir(ctx, dir, corpus.Options{Cache: files})
		}
		lib, err := NewLibrary(LibraryConfig{Dir: data, Settings: Settings{Embedder: HashEmbedderID(32)}, Files: files}, HashEmbedder(32), load, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Open(ctx); err != nil {
			t.Fatal(err)
		}
		return lib
	}
	lib := open()
	// A change recorded in the log carries its stamp too.
	if err := gencorpus.WriteFile(dir, gencorpus.Article(o, 3, 1)); err != nil {
		t.Fatal(err)
	}
	age(gencorpus.Name(3))
	if _, err := lib.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, logName)); err != nil {
		t.Fatalf("the edit was not logged: %v", err)
	}
	for _, i := range []int{0, 3} {
		a := lib.Current().Article(strings.TrimSuffix(gencorpus.Name(i), ".md"))
		p := filepath.Join(dir, filepath.FromSlash(gencorpus.Name(i)))
		body, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		mid := a.Text[len(a.Text)/2 : len(a.Text)/2+40]
		at := strings.Index(string(body), mid)
		if at < 0 || strings.ToUpper(mid) == mid {
			t.Fatalf("article %s: %q not found in its file, or has no lower case", a.ID, mid)
		}
		copy(body[at:], strings.ToUpper(mid))
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(body, 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
		age(gencorpus.Name(i))
	}

	again := open()
	for _, i := range []int{0, 3} {
		id := strings.TrimSuffix(gencorpus.Name(i), ".md")
		if got, want := again.Current().Article(id).Text, lib.Current().Article(id).Text; got != want {
			t.Errorf("article %s was parsed again, though its stamp matched", id)
		}
	}
}
