package feeds_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
	"github.com/crisisbot/crisisbot/internal/gencorpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// benchCorpusSize is the corpus the benchmark starts from: a crisis
// followed for months by a busy team (issue #14: 10,000 articles).
const benchCorpusSize = 10_000

// words is the vocabulary of the items' pages.
var words = strings.Fields("army border ceasefire talks drone strike airspace minister pilgrims corridor officials shelling villages artillery diplomats envoy statement hotline airport flights market shares refugees shelter curfew protest parliament")

// syntheticText is item n's text: distinct sentences from a small
// vocabulary, long enough to chunk into a few passages.
func syntheticText(n int) string {
	var b strings.Builder
	for p := 0; p < 4; p++ {
		for s := 0; s < 4; s++ {
			for w := 0; w < 12; w++ {
				b.WriteString(words[(n*7+p*5+s*3+w*w)%len(words)])
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "report %d-%d-%d. ", n, p, s)
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// benchCorpus writes a generated corpus of size articles (see
// internal/gencorpus), dated an hour back as files saved earlier are, and
// returns its directory.
func benchCorpus(b *testing.B, size int) string {
	b.Helper()
	dir := b.TempDir()
	if err := gencorpus.WriteDir(context.Background(), dir, gencorpus.Options{Articles: size, Seed: 14}); err != nil {
		b.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for i := range size {
		if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(gencorpus.Name(i))), old, old); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// openLibrary opens a library over the corpus in dir, saved in data, as
// crisisbot serve does: one parse cache shared by the index and files, the
// store's cache.
func openLibrary(b *testing.B, dir, data string, files *corpus.ParseCache) *retrieval.Library {
	b.Helper()
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Dir: data, Settings: retrieval.Settings{Embedder: retrieval.HashEmbedderID(384)}, Files: files},
		retrieval.HashEmbedder(384),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.LoadDir(ctx, dir, corpus.Options{Cache: files})
		}, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	return lib
}

// BenchmarkPoll20IntoLargeCorpus is one poll bringing 20 new articles
// into a corpus of benchCorpusSize, in a running bot: 20 page fetches,
// the articles saved after one duplicate check of the corpus, and one
// incremental reload, saved. Beside it, in the same run, rebuild-ms is
// indexing the corpus, those articles included, from nothing, and x-full
// the poll's time over that.
//
//	go test ./internal/feeds -run '^$' -bench Poll20 -benchtime 3x -timeout 20m
func BenchmarkPoll20IntoLargeCorpus(b *testing.B) {
	dir := benchCorpus(b, benchCorpusSize)
	files := corpus.NewParseCache()
	lib := openLibrary(b, dir, b.TempDir(), files)
	if err := lib.WarmStore(context.Background()); err != nil {
		b.Fatal(err)
	}
	var round atomic.Int64
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			var items [][4]string
			k := int(round.Load())
			for i := 0; i < feeds.DefaultMaxItems; i++ {
				items = append(items, [4]string{fmt.Sprintf("g%d-%d", k, i), fmt.Sprintf("News %d-%d", k, i), fmt.Sprintf("%s/p/%d/%d", srv.URL, k, i), "Mon, 12 May 2025 08:00:00 GMT"})
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, RSS("Bench Wire", items...))
			return
		}
		var k, i int
		fmt.Sscanf(r.URL.Path, "/p/%d/%d", &k, &i)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, Page(fmt.Sprintf("News %d-%d", k, i), syntheticText(100000+k*100+i)))
	}))
	defer srv.Close()
	store, err := corpus.NewStore(dir, filepath.Join(b.TempDir(), "trash"), corpus.Options{Cache: files}, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	data := b.TempDir()
	svc, err := feeds.New(feeds.Config{}, data, store, fetch.New(fetch.Config{}, fetchtest.AllowLoopback(b)), lib, nil, time.Now, feeds.WithState(feeds.NewDBState(openDB(b, data))))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Add(context.Background(), srv.URL+"/feed.xml", "", 0); err != nil {
		b.Fatal(err)
	}
	var took time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		round.Store(int64(i))
		t0 := time.Now()
		rep, err := svc.Poll(context.Background(), true)
		took += time.Since(t0)
		if err != nil || len(rep.Arrived) != feeds.DefaultMaxItems || rep.Index.Embedded == 0 || !rep.Index.Saved {
			b.Fatalf("poll: %d arrived, err %v, index %+v, skipped %+v", len(rep.Arrived), err, rep.Index, rep.Skipped)
		}
	}
	b.StopTimer()
	perPoll := took / time.Duration(b.N)
	t0 := time.Now()
	openLibrary(b, dir, b.TempDir(), corpus.NewParseCache())
	rebuild := time.Since(t0)
	b.ReportMetric(float64(perPoll.Microseconds())/1e3, "ms/poll")
	b.ReportMetric(float64(rebuild.Microseconds())/1e3, "rebuild-ms")
	b.ReportMetric(float64(perPoll)/float64(rebuild), "x-full")
}
