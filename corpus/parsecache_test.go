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
