package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/gencorpus"
)

// memCorpus is a corpus in memory that a test edits between reloads.
type memCorpus struct {
	tb   testing.TB
	o    gencorpus.Options
	mu   sync.Mutex
	revs map[int]int // article number → revision; absent means removed
}

func newMemCorpus(tb testing.TB, n int) *memCorpus {
	c := &memCorpus{tb: tb, o: gencorpus.Options{Articles: n, Words: 250, Seed: 3}, revs: map[int]int{}}
	for i := range n {
		c.revs[i] = 0
	}
	return c
}

func (c *memCorpus) articles() []corpus.Article {
	c.mu.Lock()
	defer c.mu.Unlock()
	var ids []int
	for i := range c.revs {
		ids = append(ids, i)
	}
	return genArticles(c.tb, c.o, ids, func(i int) int { return c.revs[i] })
}

func (c *memCorpus) load(context.Context) (*corpus.Result, error) {
	return &corpus.Result{Articles: c.articles()}, nil
}

func (c *memCorpus) set(i, rev int) { c.mu.Lock(); c.revs[i] = rev; c.mu.Unlock() }
func (c *memCorpus) remove(i int)   { c.mu.Lock(); delete(c.revs, i); c.mu.Unlock() }

// rebuilt is the index a build from nothing gives for the corpus as it is.
func (c *memCorpus) rebuilt(tb testing.TB) *Index {
	tb.Helper()
	ix, _, err := build(context.Background(), Settings{Embedder: HashEmbedderID(64)}, HashEmbedder(64), c.articles(), nil, time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

func (c *memCorpus) library(tb testing.TB, dir string, embed EmbedFunc) *Library {
	tb.Helper()
	lib, err := NewLibrary(LibraryConfig{Dir: dir, Settings: Settings{Embedder: HashEmbedderID(64)}}, embed, c.load, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

func reload(tb testing.TB, lib *Library) Report {
	tb.Helper()
	rep, err := lib.Reload(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}

func statFile(tb testing.TB, p string) os.FileInfo {
	tb.Helper()
	info, err := os.Stat(p)
	if err != nil {
		tb.Fatal(err)
	}
	return info
}

// TestLogAppendsAndReplays reloads small changes, which must append to the
// log and leave the snapshot alone, then starts a new library on the same
// directory: it must embed nothing and hold the index a build from nothing
// gives, hit for hit.
func TestLogAppendsAndReplays(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := newMemCorpus(t, 40)
	lib := c.library(t, dir, HashEmbedder(64))
	if _, err := lib.Open(ctx); err != nil {
		t.Fatal(err)
	}
	// Made now, the collection is then updated in place by each reload.
	if err := lib.WarmStore(ctx); err != nil {
		t.Fatal(err)
	}
	snap := statFile(t, filepath.Join(dir, snapshotName))

	c.set(5, 1)
	reload(t, lib)
	c.remove(11)
	c.set(39, 2)
	reload(t, lib)
	c.set(40, 0) // a new article
	c.set(5, 0)  // back to the text the snapshot has
	reload(t, lib)

	if now := statFile(t, filepath.Join(dir, snapshotName)); !os.SameFile(now, snap) || now.ModTime() != snap.ModTime() {
		t.Error("a small reload rewrote the snapshot")
	}
	statFile(t, filepath.Join(dir, logName))
	assertSameIndex(t, lib.Current(), c.rebuilt(t))
	assertStore(t, lib.Current())

	var embedded atomic.Int64
	again := c.library(t, dir, countingEmbedder(&embedded))
	rep, err := again.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := embedded.Load(); n != 0 || !rep.Empty() {
		t.Errorf("reopening embedded %d passages (diff %+v), want nothing", n, rep.Diff)
	}
	assertSameIndex(t, again.Current(), c.rebuilt(t))
	if again.Current().store.coll != nil {
		t.Error("loading the index made its collection, which only a reload needs")
	}
	if err := again.WarmStore(ctx); err != nil {
		t.Fatal(err)
	}
	assertStore(t, again.Current())
}

// TestLogTornRecord cuts the log inside its last record, as a crash while
// appending would: loading gives the index as it was before that reload,
// and the next reload appends after the last whole record.
func TestLogTornRecord(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := newMemCorpus(t, 30)
	lib := c.library(t, dir, HashEmbedder(64))
	if _, err := lib.Open(ctx); err != nil {
		t.Fatal(err)
	}
	c.set(3, 1)
	reload(t, lib)
	before := c.rebuilt(t)
	logPath := filepath.Join(dir, logName)
	whole := statFile(t, logPath).Size()
	c.set(20, 1)
	reload(t, lib)
	size := statFile(t, logPath).Size()
	for _, cut := range []int64{whole + 3, whole + 8, (whole + size) / 2, size - 1} {
		if err := os.Truncate(logPath, cut); err != nil {
			t.Fatal(err)
		}
		saved, st, err := loadSaved(ctx, dir, HashEmbedder(64))
		if err != nil {
			t.Fatal(err)
		}
		ix := saved.idx
		if st.logLen != whole {
			t.Errorf("cut at %d: log of %d whole bytes, want %d", cut, st.logLen, whole)
		}
		assertSameIndex(t, ix, before)
	}

	// A library opened on the torn log refreshes, appends, and a third
	// one reads it all back.
	again := c.library(t, dir, HashEmbedder(64))
	if _, err := again.Open(ctx); err != nil {
		t.Fatal(err)
	}
	c.set(7, 1)
	reload(t, again)
	saved, _, err := loadSaved(ctx, dir, HashEmbedder(64))
	if err != nil {
		t.Fatal(err)
	}
	ix := saved.idx
	assertSameIndex(t, ix, c.rebuilt(t))
}

// TestLogCompacts reloads until the log outgrows a quarter of the snapshot:
// the reload that finds it so writes a new snapshot and the log goes.
func TestLogCompacts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := newMemCorpus(t, 12)
	lib := c.library(t, dir, HashEmbedder(64))
	if _, err := lib.Open(ctx); err != nil {
		t.Fatal(err)
	}
	gen := lib.disk.gen
	for i := range 12 {
		c.set(i, 1)
		reload(t, lib)
		if lib.disk.gen != gen {
			break
		}
	}
	if lib.disk.gen == gen {
		t.Fatal("twelve one-article reloads of a twelve-article corpus never wrote a new snapshot")
	}
	if lib.disk.logLen != 0 {
		if _, err := os.Stat(filepath.Join(dir, logName)); err == nil {
			recs, _, _ := readLog(dir, lib.disk.gen)
			t.Logf("log after compaction holds %d records", len(recs))
		}
	}
	saved, _, err := loadSaved(ctx, dir, HashEmbedder(64))
	if err != nil {
		t.Fatal(err)
	}
	ix := saved.idx
	assertSameIndex(t, ix, c.rebuilt(t))
}

// TestLogOfOtherGeneration is a log left beside a newer snapshot, as a
// crash between writing a snapshot and removing the log leaves it: it is
// ignored.
func TestLogOfOtherGeneration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c := newMemCorpus(t, 10)
	lib := c.library(t, dir, HashEmbedder(64))
	if _, err := lib.Open(ctx); err != nil {
		t.Fatal(err)
	}
	c.set(2, 1)
	reload(t, lib)
	old, err := os.ReadFile(filepath.Join(dir, logName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := saveFull(dir, c.rebuilt(t), nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, logName), old, 0o600); err != nil {
		t.Fatal(err)
	}
	saved, st, err := loadSaved(ctx, dir, HashEmbedder(64))
	if err != nil {
		t.Fatal(err)
	}
	ix := saved.idx
	if st.logLen != 0 {
		t.Errorf("a log of another generation counted %d bytes", st.logLen)
	}
	assertSameIndex(t, ix, c.rebuilt(t))
}

// assertStore checks that the chromem-go collection, updated in place by
// reloads, holds exactly the index's passages with their vectors.
func assertStore(t *testing.T, ix *Index) {
	t.Helper()
	if ix.pending != nil || ix.store.coll == nil {
		t.Fatal("the index's collection is not made")
	}
	coll := ix.store.coll
	if n := coll.Count(); n != ix.Len() {
		t.Fatalf("collection holds %d documents, index %d passages", n, ix.Len())
	}
	for i, p := range ix.passages {
		doc, err := coll.GetByID(context.Background(), p.ID)
		if err != nil {
			t.Fatalf("passage %s: %v", p.ID, err)
		}
		if !isZero(ix.vectors[i]) && !slices.Equal(doc.Embedding, ix.vectors[i]) {
			t.Fatalf("passage %s: the collection has another vector", p.ID)
		}
	}
}
