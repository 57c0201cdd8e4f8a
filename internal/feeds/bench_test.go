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
	"github.com/crisisbot/crisisbot/retrieval"
)

// benchCorpusSize is the corpus the benchmarks start from: a crisis
// followed for months by a busy team.
const benchCorpusSize = 2000

// words is the vocabulary of synthetic articles.
var words = strings.Fields("army border ceasefire talks drone strike airspace minister pilgrims corridor officials shelling villages artillery diplomats envoy statement hotline airport flights market shares refugees shelter curfew protest parliament")

// syntheticText is article n's text: distinct sentences from a small
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

// benchCorpus writes a corpus of size articles and returns its directory
// and a library over it, opened.
func benchCorpus(b *testing.B, size int) (string, *retrieval.Library) {
	b.Helper()
	dir := b.TempDir()
	for n := 0; n < size; n++ {
		md := fmt.Sprintf("---\ntitle: Report %d\nurl: https://archive.example.com/%d\npublished: 2025-05-%02d\n---\n%s", n, n, 1+n%28, syntheticText(n))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("report-%d.md", n)), []byte(md), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir, openLibrary(b, dir)
}

func openLibrary(b *testing.B, dir string) *retrieval.Library {
	b.Helper()
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "h"}}, retrieval.HashEmbedder(64),
		func(ctx context.Context) (*corpus.Result, error) { return corpus.LoadDir(ctx, dir, corpus.Options{}) }, nil)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	return lib
}

// BenchmarkPoll20IntoLargeCorpus is one poll bringing 20 new articles
// into a corpus of benchCorpusSize: 20 page fetches, 20 adds (each checks
// the corpus for duplicates) and one incremental reload.
func BenchmarkPoll20IntoLargeCorpus(b *testing.B) {
	dir, lib := benchCorpus(b, benchCorpusSize)
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
	store, err := corpus.NewStore(dir, filepath.Join(b.TempDir(), "trash"), corpus.Options{}, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := feeds.New(feeds.Config{}, b.TempDir(), store, fetch.New(fetch.Config{}, fetchtest.AllowLoopback(b)), lib, nil, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Add(context.Background(), srv.URL+"/feed.xml", "", 0); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		round.Store(int64(i))
		rep, err := svc.Poll(context.Background(), true)
		if err != nil || len(rep.Arrived) != feeds.DefaultMaxItems {
			b.Fatalf("poll: %d arrived, err %v, skipped %+v", len(rep.Arrived), err, rep.Skipped)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/poll")
}

// BenchmarkFullRebuild indexes the same corpus from nothing, for
// comparison with a poll's incremental reload.
func BenchmarkFullRebuild(b *testing.B) {
	dir, _ := benchCorpus(b, benchCorpusSize)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		openLibrary(b, dir)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/rebuild")
}
