package feeds_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
	"github.com/crisisbot/crisisbot/journal"
)

// validatorSite serves one RSS feed that answers conditional GETs by ETag
// or by Last-Modified, as outlets do, and records the validators each
// request carried.
type validatorSite struct {
	*httptest.Server
	mu       sync.Mutex
	requests []http.Header // of the feed, in order
	pageHits int
}

const feedModified = "Mon, 12 May 2025 08:00:00 GMT"

func newValidatorSite(tb testing.TB) *validatorSite {
	tb.Helper()
	s := &validatorSite{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch r.URL.Path {
		case "/etag.xml", "/modified.xml":
			s.requests = append(s.requests, r.Header.Clone())
			if r.URL.Path == "/etag.xml" {
				if r.Header.Get("If-None-Match") == `"v1"` {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("ETag", `"v1"`)
			} else {
				if r.Header.Get("If-Modified-Since") == feedModified {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Header().Set("Last-Modified", feedModified)
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, RSS("Wire "+r.URL.Path, [4]string{"g" + r.URL.Path, "Hotline talks " + r.URL.Path, s.URL + "/page" + strings.TrimSuffix(r.URL.Path, ".xml"), feedModified}))
		case "/down.xml":
			http.Error(w, "down", http.StatusInternalServerError)
		default:
			s.pageHits++
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, Page("Hotline talks "+r.URL.Path, para1+" Reported at "+r.URL.Path+"."))
		}
	}))
	tb.Cleanup(s.Close)
	return s
}

// openDB opens the journal in data, as serve does, and returns its feed
// store; the journal is closed at the end of the test.
func openDB(tb testing.TB, data string) *journal.FeedStore {
	tb.Helper()
	j, err := journal.Open(context.Background(), journal.Config{Dir: filepath.Join(data, "journal")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { j.Close() })
	return j.Feeds()
}

// newDBService is a feed service over corpusDir keeping its state in st,
// its clock at *now.
func newDBService(tb testing.TB, corpusDir, data string, st feeds.StateStore, now *time.Time) *feeds.Service {
	tb.Helper()
	clock := func() time.Time { return *now }
	store, err := corpus.NewStore(corpusDir, filepath.Join(data, "trash"), corpus.Options{}, clock)
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := feeds.New(feeds.Config{MaxFeeds: 1000}, data, store, fetch.New(fetch.Config{}, fetchtest.AllowLoopback(tb)), &countingReloader{}, nil, clock, feeds.WithState(st))
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

func seedCorpus(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "seed.md"), []byte("---\ntitle: Seed\n---\nA seed article about the border.\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// TestStateSurvivesRestart polls through one store, then opens a new
// journal on the same database, as a restarted process would: the feeds,
// their validators, errors and seen items are there, and a poll sends
// the stored ETag and Last-Modified, gets 304s and fetches no page.
func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	site := newValidatorSite(t)
	corpusDir, data := seedCorpus(t), t.TempDir()
	now := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	svc := newDBService(t, corpusDir, data, feeds.OpenState(ctx, data, openDB(t, data), nil), &now)
	for _, p := range []string{"/etag.xml", "/modified.xml", "/down.xml"} {
		mustAdd(t, svc, site.URL+p, "")
	}
	rep, err := svc.Poll(ctx, true)
	if err != nil || len(rep.Arrived) != 2 || len(rep.Failed) != 1 {
		t.Fatalf("first poll: %d arrived, %d failed, err %v; want 2, 1, nil", len(rep.Arrived), len(rep.Failed), err)
	}
	if _, err := os.Stat(filepath.Join(data, feeds.StateFile)); err == nil {
		t.Errorf("%s written beside the database", feeds.StateFile)
	}

	now = now.Add(time.Hour)
	restarted := newDBService(t, corpusDir, data, feeds.OpenState(ctx, data, openDB(t, data), nil), &now)
	list, err := restarted.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("after restart %d feeds, want 3", len(list))
	}
	polled := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	for _, f := range list {
		if !f.LastAttempt.Equal(polled) || f.NextPoll.IsZero() {
			t.Errorf("%s: last attempt %v, next poll %v; want %v and a time", f.URL, f.LastAttempt, f.NextPoll, polled)
		}
		switch {
		case strings.HasSuffix(f.URL, "/etag.xml"):
			if f.ETag != `"v1"` || len(f.Seen) != 2 || !f.LastSuccess.Equal(polled) {
				t.Errorf("etag feed after restart: etag %q, %d seen, last success %v", f.ETag, len(f.Seen), f.LastSuccess)
			}
		case strings.HasSuffix(f.URL, "/modified.xml"):
			if f.LastModified != feedModified || len(f.Seen) != 2 || f.Title != "Wire /modified.xml" {
				t.Errorf("modified feed after restart: last modified %q, %d seen, title %q", f.LastModified, len(f.Seen), f.Title)
			}
		default:
			if f.Failures != 1 || !strings.Contains(f.LastError, "500") || !f.FailingSince.Equal(polled) {
				t.Errorf("down feed after restart: %d failures, error %q, failing since %v", f.Failures, f.LastError, f.FailingSince)
			}
		}
	}

	site.mu.Lock()
	before, pages := len(site.requests), site.pageHits
	site.mu.Unlock()
	rep, err = restarted.Poll(ctx, true)
	if err != nil || len(rep.Arrived) != 0 || rep.NotModified != 2 {
		t.Errorf("poll after restart: %d arrived, %d not modified, err %v; want 0, 2, nil", len(rep.Arrived), rep.NotModified, err)
	}
	site.mu.Lock()
	defer site.mu.Unlock()
	if site.pageHits != pages {
		t.Errorf("the poll after restart fetched %d pages", site.pageHits-pages)
	}
	var sentETag, sentModified bool
	for _, h := range site.requests[before:] {
		sentETag = sentETag || h.Get("If-None-Match") == `"v1"`
		sentModified = sentModified || h.Get("If-Modified-Since") == feedModified
	}
	if !sentETag || !sentModified {
		t.Errorf("after restart If-None-Match sent %v, If-Modified-Since sent %v; want both", sentETag, sentModified)
	}
	list, _ = restarted.List(ctx)
	for _, f := range list {
		if strings.HasSuffix(f.URL, "/down.xml") && f.Failures != 2 {
			t.Errorf("down feed: %d failures after the second poll, want 2: the backoff restarted", f.Failures)
		}
	}
}

// TestImportStateFile writes the JSON state an earlier crisisbot kept,
// through the file store, then opens the database: the feeds arrive with
// their state, the file is renamed, and a second start imports nothing
// again (a feed removed in between stays removed).
func TestImportStateFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	site := newValidatorSite(t)
	corpusDir, data := seedCorpus(t), t.TempDir()
	now := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	old := newDBService(t, corpusDir, data, feeds.NewFileState(data), &now)
	mustAdd(t, old, site.URL+"/etag.xml", "Wire")
	mustAdd(t, old, site.URL+"/modified.xml", "")
	if rep, err := old.Poll(ctx, true); err != nil || len(rep.Arrived) != 2 {
		t.Fatalf("poll through the file: %d arrived, err %v", len(rep.Arrived), err)
	}
	want, err := old.List(ctx)
	if err != nil {
		t.Fatal(err)
	}

	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	db := openDB(t, data)
	svc := newDBService(t, corpusDir, data, feeds.OpenState(ctx, data, db, log), &now)
	got, err := svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("imported feeds differ:\n got %+v\nwant %+v", got, want)
	}
	if _, err := os.Stat(filepath.Join(data, feeds.StateFile)); err == nil {
		t.Errorf("%s still there after the import", feeds.StateFile)
	}
	if _, err := os.Stat(filepath.Join(data, feeds.StateFile+".imported")); err != nil {
		t.Errorf("no %s.imported: %v", feeds.StateFile, err)
	}
	if !strings.Contains(logs.String(), "imported") {
		t.Errorf("the import was not logged:\n%s", logs.String())
	}
	// The imported validators are sent: nothing is fetched again.
	now = now.Add(time.Hour)
	if rep, err := svc.Poll(ctx, true); err != nil || rep.NotModified != 2 || len(rep.Arrived) != 0 {
		t.Errorf("poll after import: %d not modified, %d arrived, err %v; want 2, 0, nil", rep.NotModified, len(rep.Arrived), err)
	}

	if _, err := svc.Remove(ctx, site.URL+"/modified.xml"); err != nil {
		t.Fatal(err)
	}
	again := newDBService(t, corpusDir, data, feeds.OpenState(ctx, data, db, nil), &now)
	if got, _ := again.List(ctx); len(got) != 1 {
		t.Errorf("second start: %d feeds, want 1: the file was imported twice", len(got))
	}
}

// TestImportBadStateFile: a state file that cannot be read is left where
// it is, said so, and the database serves meanwhile.
func TestImportBadStateFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	data := t.TempDir()
	path := filepath.Join(data, feeds.StateFile)
	if err := os.WriteFile(path, []byte(`{"version": 1, "feeds": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	st := feeds.OpenState(ctx, data, openDB(t, data), slog.New(slog.NewTextHandler(&logs, nil)))
	if _, ok := st.(*feeds.DBState); !ok {
		t.Errorf("state is %T, want the database's", st)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the bad file was moved: %v", err)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), path) {
		t.Errorf("the failed import was not logged with its file:\n%s", logs.String())
	}
	now := time.Now()
	svc := newDBService(t, seedCorpus(t), data, st, &now)
	if _, err := svc.Add(ctx, "https://wire.example.com/feed.xml", "", 0); err != nil {
		t.Errorf("add beside a bad state file: %v", err)
	}
}

// TestStoresShareDatabase adds feeds through two journals on one
// database — two processes, as serve and "crisisbot feeds add" — while
// one of them polls: each change is a transaction on its own rows, so
// none overwrites another's.
func TestStoresShareDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	site := newValidatorSite(t)
	corpusDir, data := seedCorpus(t), t.TempDir()
	now := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	a := newDBService(t, corpusDir, data, feeds.NewDBState(openDB(t, data)), &now)
	b := newDBService(t, corpusDir, data, feeds.NewDBState(openDB(t, data)), &now)
	mustAdd(t, a, site.URL+"/etag.xml", "")
	const each = 20
	var wg sync.WaitGroup
	for i, svc := range []*feeds.Service{a, b} {
		wg.Go(func() {
			for n := range each {
				if _, err := svc.Add(ctx, fmt.Sprintf("%s/outlet/%d-%d.xml", site.URL, i, n), "", 0); err != nil {
					t.Errorf("add: %v", err)
				}
			}
		})
	}
	wg.Go(func() {
		for range 3 {
			// The outlets' feeds are pages, not feeds: each fails, and
			// its failure is saved over its own row.
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			if _, err := a.Poll(pctx, true); err != nil && pctx.Err() == nil {
				t.Errorf("poll: %v", err)
			}
			cancel()
		}
	})
	wg.Wait()
	list, err := b.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2*each+1 {
		t.Errorf("%d feeds in the database, want %d: changes overwrote each other", len(list), 2*each+1)
	}
	if list[0].ETag != `"v1"` || len(list[0].Seen) != 2 {
		t.Errorf("the polled feed's state was lost: etag %q, %d seen", list[0].ETag, len(list[0].Seen))
	}
	// A duplicate is refused across stores too.
	if _, err := b.Add(ctx, site.URL+"/etag.xml", "", 0); err == nil || !strings.Contains(err.Error(), "followed already") {
		t.Errorf("adding a feed the other store added: %v, want followed already", err)
	}
}

// TestFallbackToFile: without the database the feeds keep their state in
// the JSON file, with a warning, starting from the feeds an import left
// in the renamed file.
func TestFallbackToFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	corpusDir, data := seedCorpus(t), t.TempDir()
	now := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	old := newDBService(t, corpusDir, data, feeds.NewFileState(data), &now)
	mustAdd(t, old, "https://wire.example.com/feed.xml", "Wire")
	feeds.OpenState(ctx, data, openDB(t, data), nil) // imports and renames the file

	var logs bytes.Buffer
	st := feeds.OpenState(ctx, data, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	if _, ok := st.(*feeds.FileState); !ok {
		t.Fatalf("state is %T without a database, want the file", st)
	}
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), feeds.StateFile) {
		t.Errorf("no warning naming the file:\n%s", logs.String())
	}
	svc := newDBService(t, corpusDir, data, st, &now)
	mustAdd(t, svc, "https://valley.example.com/atom.xml", "")
	list, err := svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Label != "Wire" {
		t.Errorf("fallback lists %+v, want the imported feed and the new one", list)
	}
	if _, err := os.Stat(filepath.Join(data, feeds.StateFile)); err != nil {
		t.Errorf("the fallback wrote no %s: %v", feeds.StateFile, err)
	}
}
