package retrieval

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/gencorpus"
)

// scaleSizes are the corpus sizes of issue #12: 1k and 10k articles of 600
// words (some 12k and 125k passages).
var scaleSizes = []int{1_000, 10_000}

const scaleDims = 384

// scaleCorpus is a generated corpus, parsed once, that a benchmark edits
// through an in-memory loader, so that what is timed is retrieval's work
// and not the file system's (BenchmarkScaleParse times that).
type scaleCorpus struct {
	opts     gencorpus.Options
	mu       sync.Mutex
	articles []corpus.Article // sorted by ID, as corpus.Load returns them
	revision []int
}

func newScaleCorpus(tb testing.TB, n int) *scaleCorpus {
	tb.Helper()
	o := gencorpus.Options{Articles: n, Seed: 12}
	files := gencorpus.Generate(o)
	c := &scaleCorpus{opts: o, articles: make([]corpus.Article, n), revision: make([]int, n)}
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				a, err := corpus.Parse(files[i].Name, files[i].Data)
				if err != nil {
					errs[w] = err
					return
				}
				c.articles[i] = a
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	// gencorpus names sort by folder first; Load returns articles by ID.
	sortArticles(c.articles)
	return c
}

func sortArticles(as []corpus.Article) {
	slices.SortFunc(as, func(a, b corpus.Article) int { return strings.Compare(a.ID, b.ID) })
}

// edit replaces article i with its next revision, as an editor saving it
// would.
func (c *scaleCorpus) edit(tb testing.TB, i int) {
	tb.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.articles[i].ID
	c.revision[i]++
	var num int
	if _, err := fmt.Sscanf(id[3:], "a%05d", &num); err != nil {
		tb.Fatalf("article id %q: %v", id, err)
	}
	f := gencorpus.Article(c.opts, num, c.revision[i])
	a, err := corpus.Parse(f.Name, f.Data)
	if err != nil {
		tb.Fatal(err)
	}
	c.articles[i] = a
}

func (c *scaleCorpus) load(context.Context) (*corpus.Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A real load returns fresh articles: copy the slice (the strings are
	// shared, as re-reading unchanged files would give equal ones).
	return &corpus.Result{Articles: append([]corpus.Article(nil), c.articles...)}, nil
}

// payload is the size of what the index must hold: the vectors and the text.
func (c *scaleCorpus) payload(passages int) float64 {
	n := passages * scaleDims * 4
	for _, a := range c.articles {
		n += len(a.Text)
	}
	return float64(n)
}

func scaleSettings() Settings {
	return Settings{Embedder: HashEmbedderID(scaleDims)}
}

func newScaleLibrary(tb testing.TB, c *scaleCorpus, dir string) *Library {
	tb.Helper()
	lib, err := NewLibrary(LibraryConfig{Dir: dir, Settings: scaleSettings()}, HashEmbedder(scaleDims), c.load, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

// fullBuild times building and saving c's index from nothing, as the
// baseline a case is reported beside: timed right after the case, so the
// ratio compares two figures from the same moment of a noisy machine.
func fullBuild(tb testing.TB, c *scaleCorpus) time.Duration {
	tb.Helper()
	runtime.GC()
	t0 := time.Now()
	lib := newScaleLibrary(tb, c, tb.TempDir())
	if _, err := lib.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return time.Since(t0)
}

// peakHeap samples the heap while fn runs and returns the highest heap in
// use above what was live before it started.
func peakHeap(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	peak := base
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				metrics.Read(s)
				peak = max(peak, s[0].Value.Uint64())
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	metrics.Read(sample)
	return float64(max(peak, sample[0].Value.Uint64()) - base)
}

var scaleQuestions = []string{
	"What did Rubio say to Sharif about the ceasefire on May 10?",
	"How many civilians were killed in the shelling near Poonch?",
	"Who warned of missile strikes across the line of control?",
}

// BenchmarkScale measures, at 1k and 10k generated articles, what issue #12
// is about, each beside a full build and save from nothing timed right
// after it in the same run:
//
//   - reload: one article edited, then [Library.Reload] in the running
//     process (build, save, swap); x-full is its time over the full
//     build's.
//   - warm: a new process's start, loading the saved index, plus one
//     search; x-full as above. peak-x is the highest heap in use while
//     loading over the bytes of vectors and text.
//   - index: building and saving from nothing; peak-x as above, x-one-core
//     its time over the same build with GOMAXPROCS=1.
//
// Run it with -benchtime=1x: one 10k full build takes seconds.
//
//	go test ./retrieval -run '^$' -bench Scale -benchtime 1x -timeout 30m
func BenchmarkScale(b *testing.B) {
	ctx := context.Background()
	for _, n := range scaleSizes {
		c := newScaleCorpus(b, n)
		dir := b.TempDir()

		// The full build, from nothing, saved: the baseline every case
		// is reported beside.
		var full time.Duration
		var passages int
		var indexPeak float64
		indexPeak = peakHeap(func() {
			t0 := time.Now()
			lib := newScaleLibrary(b, c, dir)
			if _, err := lib.Open(ctx); err != nil {
				b.Fatal(err)
			}
			full = time.Since(t0)
			passages = lib.Current().Len()
		})
		payload := c.payload(passages)

		b.Run(fmt.Sprintf("articles=%d/index", n), func(b *testing.B) {
			// The same build on one core, as indexing ran before it
			// chunked, embedded and tokenised in parallel.
			procs := runtime.GOMAXPROCS(1)
			one := fullBuild(b, c)
			runtime.GOMAXPROCS(procs)
			b.ReportMetric(full.Seconds()*1e3, "full-ms")
			b.ReportMetric(float64(full)/float64(one), "x-one-core")
			b.ReportMetric(float64(passages), "passages")
			b.ReportMetric(indexPeak/payload, "peak-x")
		})

		b.Run(fmt.Sprintf("articles=%d/warm", n), func(b *testing.B) {
			var took time.Duration
			var peak float64
			for range b.N {
				peak = max(peak, peakHeap(func() {
					t0 := time.Now()
					saved, _, err := loadSaved(ctx, dir, HashEmbedder(scaleDims))
					if err != nil {
						b.Fatal(err)
					}
					ix := saved.idx
					if _, err := ix.Search(ctx, scaleQuestions[0], 6); err != nil {
						b.Fatal(err)
					}
					took += time.Since(t0)
				}))
			}
			per := took / time.Duration(b.N)
			b.ReportMetric(per.Seconds()*1e3, "warm-ms")
			b.ReportMetric(float64(per)/float64(fullBuild(b, c)), "x-full")
			b.ReportMetric(peak/payload, "peak-x")
		})

		b.Run(fmt.Sprintf("articles=%d/reload", n), func(b *testing.B) {
			lib := newScaleLibrary(b, c, dir)
			if _, err := lib.Open(ctx); err != nil {
				b.Fatal(err)
			}
			var took time.Duration
			var peak float64
			for i := range b.N {
				c.edit(b, (i*7919)%n)
				peak = max(peak, peakHeap(func() {
					t0 := time.Now()
					rep, err := lib.Reload(ctx)
					if err != nil {
						b.Fatal(err)
					}
					took += time.Since(t0)
					if len(rep.Changed) != 1 {
						b.Fatalf("reload changed %d articles, want 1", len(rep.Changed))
					}
				}))
			}
			per := took / time.Duration(b.N)
			b.ReportMetric(per.Seconds()*1e3, "reload-ms")
			b.ReportMetric(float64(per)/float64(fullBuild(b, c)), "x-full")
			// The peak is above what was live before the reload, the
			// serving index included: what a reload adds to it.
			b.ReportMetric(peak/payload, "peak-x")
		})
		runtime.GC()
	}
}

// BenchmarkScaleParse times reading the generated corpus from disk with
// [corpus.LoadDir], which every start and reload does before retrieval sees
// an article, and the same with a warm [corpus.ParseCache], which stats
// every file and parses none; x-parse is the second over the first.
func BenchmarkScaleParse(b *testing.B) {
	ctx := context.Background()
	for _, n := range scaleSizes {
		dir := b.TempDir()
		if err := gencorpus.WriteDir(ctx, dir, gencorpus.Options{Articles: n, Seed: 12}); err != nil {
			b.Fatal(err)
		}
		// Files written a moment ago are not trusted on size and time
		// (corpus.ParseCache's racy window): date them an hour back.
		old := time.Now().Add(-time.Hour)
		for i := range n {
			p := filepath.Join(dir, filepath.FromSlash(gencorpus.Name(i)))
			if err := os.Chtimes(p, old, old); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			cache := corpus.NewParseCache()
			load := func(opts corpus.Options) time.Duration {
				t0 := time.Now()
				res, err := corpus.LoadDir(ctx, dir, opts)
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Articles) != n {
					b.Fatalf("loaded %d articles, want %d", len(res.Articles), n)
				}
				return time.Since(t0)
			}
			load(corpus.Options{Cache: cache}) // fills the cache
			var full, cached time.Duration
			for range b.N {
				full += load(corpus.Options{})
				cached += load(corpus.Options{Cache: cache})
			}
			b.ReportMetric(full.Seconds()*1e3/float64(b.N), "parse-ms")
			b.ReportMetric(cached.Seconds()*1e3/float64(b.N), "cached-ms")
			b.ReportMetric(float64(cached)/float64(full), "x-parse")
		})
	}
}

// BenchmarkEnglishWordRanks times loading the generated term table beside
// deriving it from the word list, as every start used to.
func BenchmarkEnglishWordRanks(b *testing.B) {
	words, err := os.ReadFile("data/english-words.txt.gz")
	if err != nil {
		b.Fatal(err)
	}
	var table, derive time.Duration
	for range b.N {
		t0 := time.Now()
		if _, err := EnglishWordRanks(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		zr, err := gzip.NewReader(bytes.NewReader(words))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := rankWords(zr); err != nil {
			b.Fatal(err)
		}
		derive += time.Since(t1)
		table += t1.Sub(t0)
	}
	b.ReportMetric(table.Seconds()*1e3/float64(b.N), "table-ms")
	b.ReportMetric(derive.Seconds()*1e3/float64(b.N), "derive-ms")
	b.ReportMetric(float64(table)/float64(derive), "x-derive")
}
