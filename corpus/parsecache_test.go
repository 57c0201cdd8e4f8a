package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name, body string, mtime time.Time) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	write("a.md", "# A\n\nThe first text.", old)
	write("b.md", "# B\n\nThe second text.", old)
	c := NewParseCache()
	load := func() map[string]Article {
		t.Helper()
		res, err := LoadDir(ctx, dir, Options{Cache: c})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]Article{}
		for _, a := range res.Articles {
			out[a.ID] = a
		}
		return out
	}
	first := load()
	if c.hits != 0 {
		t.Fatalf("a first load hit the cache %d times", c.hits)
	}
	again := load()
	if c.hits != 2 || again["a"].Text != first["a"].Text || again["b"].Hash != first["b"].Hash {
		t.Fatalf("second load: %d hits, articles %v", c.hits, again)
	}

	// Same size, new time: parsed again. New size: parsed again.
	write("a.md", "# A\n\nThe FIRST text.", old.Add(time.Minute))
	write("b.md", "# B\n\nThe second text, longer.", old)
	c.hits = 0
	got := load()
	if c.hits != 0 || !strings.Contains(got["a"].Text, "FIRST") || !strings.Contains(got["b"].Text, "longer") {
		t.Fatalf("after edits: %d hits, %q, %q", c.hits, got["a"].Text, got["b"].Text)
	}

	// A file written just before it was read is not trusted on its
	// size and time: it could be rewritten within the same tick.
	write("a.md", "# A\n\nThe other text.", time.Now())
	load()
	c.hits = 0
	load()
	if c.hits != 1 {
		t.Errorf("a file modified just before loading: %d hits, want only b's", c.hits)
	}

	// A removed file leaves the cache and the corpus.
	if err := os.Remove(filepath.Join(dir, "b.md")); err != nil {
		t.Fatal(err)
	}
	if got := load(); len(got) != 1 || len(c.cur) != 1 {
		t.Errorf("after removing b: %d articles, %d cache entries", len(got), len(c.cur))
	}
}

// TestParseCacheSeed: a cache seeded with the stamps another cache gave
// (what an index saves) parses none of the files still matching them, and
// parses a file replaced by another of the same size and time.
func TestParseCacheSeed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{"a.md", "b.md"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("# "+name+"\n\nSome text."), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	first := NewParseCache()
	res, err := LoadDir(ctx, dir, Options{Cache: first})
	if err != nil {
		t.Fatal(err)
	}
	seeded := NewParseCache()
	for _, a := range res.Articles {
		st, ok := first.Stamp(&a)
		if !ok {
			t.Fatalf("no stamp for %s", a.ID)
		}
		seeded.Seed(a, st)
	}
	changed := res.Articles[0]
	changed.Hash = "another"
	if _, ok := first.Stamp(&changed); ok {
		t.Error("a stamp for an article of another hash")
	}

	// b.md is replaced by a file of the same size and time: a new inode.
	p := filepath.Join(dir, "b.md")
	tmp := filepath.Join(dir, ".b.tmp")
	if err := os.WriteFile(tmp, []byte("# b.md\n\nSome TEXT."), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	got, err := LoadDir(ctx, dir, Options{Cache: seeded})
	if err != nil {
		t.Fatal(err)
	}
	wantHits := 1
	if inode(statOf(t, p)) == 0 {
		wantHits = 2 // no inodes here: size and time alone
	}
	if seeded.hits != wantHits {
		t.Errorf("seeded cache: %d hits, want %d", seeded.hits, wantHits)
	}
	if wantHits == 1 && !strings.Contains(got.Articles[1].Text, "TEXT") {
		t.Errorf("the replaced file was not parsed again: %q", got.Articles[1].Text)
	}
}

// TestParseCacheOverlappingLoads: two loads that overlap keep every entry
// either saw.
func TestParseCacheOverlappingLoads(t *testing.T) {
	c := NewParseCache()
	st := FileStamp{Size: 1, ModTime: 1, Checked: int64(time.Hour)}
	c.begin()
	c.begin()
	c.put("a.md", parsed{stamp: st, article: Article{ID: "a", Path: "a.md"}})
	c.end()
	c.put("b.md", parsed{stamp: st, article: Article{ID: "b", Path: "b.md"}})
	c.end()
	if len(c.cur) != 2 {
		t.Errorf("%d entries after two overlapping loads, want 2", len(c.cur))
	}
}

func statOf(tb testing.TB, p string) os.FileInfo {
	tb.Helper()
	st, err := os.Stat(p)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}
