package feeds_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Server is a loopback news site: feeds whose documents a test changes
// between polls, answering conditional GETs, and the article pages they
// link to.
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	docs     map[string]doc    // path → feed document
	pages    map[string]string // path → article HTML
	hits     map[string]int
	notMod   atomic.Int64
	Status   map[string]int // path → forced status
	rawBytes atomic.Int64   // bytes of the huge feed written
}

type doc struct {
	body, ctype, etag string
}

func newServer(tb testing.TB) *Server {
	tb.Helper()
	s := &Server{docs: map[string]doc{}, pages: map[string]string{}, hits: map[string]int{}, Status: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	d, isDoc := s.docs[r.URL.Path]
	page, isPage := s.pages[r.URL.Path]
	status := s.Status[r.URL.Path]
	s.mu.Unlock()
	switch {
	case status != 0:
		http.Error(w, "broken", status)
	case r.URL.Path == "/huge.xml":
		// 50 MB, streamed without a length: the client must stop reading.
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>`)
		chunk := []byte(strings.Repeat("<item><title>x</title><link>https://example.com/x</link></item>", 1000))
		for n := 0; n < 50<<20; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			s.rawBytes.Add(int64(len(chunk)))
		}
	case isDoc:
		if d.etag != "" && r.Header.Get("If-None-Match") == d.etag {
			s.notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", d.ctype)
		if d.etag != "" {
			w.Header().Set("ETag", d.etag)
		}
		io.WriteString(w, d.body)
	case isPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) setDoc(path, ctype, etag, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[path] = doc{body: body, ctype: ctype, etag: etag}
}

func (s *Server) setPage(path, html string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = html
}

func (s *Server) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Page is an article page whose text is body.
func Page(title, body string) string {
	return fmt.Sprintf(`<!DOCTYPE html><html><head><title>%s</title></head><body><article><h1>%s</h1><p>%s</p><p>%s</p></article></body></html>`,
		title, title, body, "Officials on both sides said talks would continue through the week, and observers along the frontier reported calm.")
}

// RSS is an RSS 2.0 document with items of (guid, title, link, date).
func RSS(title string, items ...[4]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title><link>https://wire.example.com/</link>`, title)
	for _, it := range items {
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">%s</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate><description>&lt;p&gt;Summary of %s.&lt;/p&gt;</description></item>`, it[0], it[1], it[2], it[3], it[1])
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// Atom is an Atom document with entries of (id, title, link, date).
func Atom(title string, entries ...[4]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><id>urn:x</id><updated>2025-05-11T00:00:00Z</updated>`, title)
	for _, e := range entries {
		fmt.Fprintf(&b, `<entry><id>%s</id><title>%s</title><link rel="alternate" href="%s"/><published>%s</published><updated>%s</updated><summary>Summary of %s.</summary></entry>`, e[0], e[1], e[2], e[3], e[3], e[1])
	}
	b.WriteString(`</feed>`)
	return b.String()
}

// countingReloader counts reloads.
type countingReloader struct{ n atomic.Int64 }

func (c *countingReloader) Reload(context.Context) (retrieval.Report, error) {
	c.n.Add(1)
	return retrieval.Report{}, nil
}

type env struct {
	svc    *feeds.Service
	lib    *countingReloader
	corpus string
	data   string
	now    *time.Time
}

// newEnv is a service over a new corpus holding one seed article, its
// state in the journal's database as serve keeps it; pages,
// when not nil, fetches items' pages, and maxBytes, when not zero, caps a
// feed document.
func newEnv(tb testing.TB, pages *fetch.Fetcher, maxBytes int64) *env {
	tb.Helper()
	dir, data := tb.TempDir(), tb.TempDir()
	seed := "---\ntitle: Seed\n---\nSecretary of State Marco Rubio spoke with Pakistan's army chief and urged de-escalation on Thursday.\n"
	if err := os.WriteFile(filepath.Join(dir, "seed.md"), []byte(seed), 0o644); err != nil {
		tb.Fatal(err)
	}
	now := time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)
	e := &env{lib: &countingReloader{}, corpus: dir, data: data, now: &now}
	clock := func() time.Time { return *e.now }
	store, err := corpus.NewStore(dir, filepath.Join(data, "trash"), corpus.Options{}, clock)
	if err != nil {
		tb.Fatal(err)
	}
	f := fetch.New(fetch.Config{MaxBytes: maxBytes}, fetchtest.AllowLoopback(tb))
	svc, err := feeds.New(feeds.Config{}, data, store, f, e.lib, nil, clock, feeds.WithPageFetcher(pages), feeds.WithState(feeds.NewDBState(openDB(tb, data))))
	if err != nil {
		tb.Fatal(err)
	}
	e.svc = svc
	return e
}

func (e *env) articles(tb testing.TB) []corpus.Article {
	tb.Helper()
	res, err := corpus.LoadDir(context.Background(), e.corpus, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return res.Articles
}

func mustAdd(tb testing.TB, svc *feeds.Service, url, label string) feeds.Feed {
	tb.Helper()
	f, err := svc.Add(context.Background(), url, label, 0)
	if err != nil {
		tb.Fatalf("Add(%s): %v", url, err)
	}
	return f
}

const (
	para1 = "Indian and Pakistani military officers spoke by hotline on Monday and agreed to keep the ceasefire along the Line of Control."
	para2 = "Airlines resumed flights over northern Pakistan as the airspace closure ended on Tuesday morning after four days."
	para3 = "The foreign ministers met in Riyadh to discuss the release of prisoners taken during the week of clashes."
)

func TestPollRSSAndAtom(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, nil, 0)
	ctx := context.Background()
	srv.setPage("/a1", Page("Hotline talks", para1))
	srv.setPage("/a2", Page("Flights resume", para2))
	srv.setPage("/b1", Page("Riyadh meeting", para3))
	srv.setDoc("/rss.xml", "application/rss+xml", `"r1"`, RSS("Wire News",
		[4]string{"g1", "Hotline talks", srv.URL + "/a1", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"g2", "Flights resume", srv.URL + "/a2", "Tue, 13 May 2025 08:00:00 +0000"}))
	srv.setDoc("/atom.xml", "application/atom+xml", `"a1"`, Atom("Atom Daily",
		[4]string{"urn:b1", "Riyadh meeting", srv.URL + "/b1", "2025-05-14T10:00:00+05:00"}))
	mustAdd(t, e.svc, srv.URL+"/rss.xml", "")
	mustAdd(t, e.svc, srv.URL+"/atom.xml", "The Atom")

	rep, err := e.svc.Poll(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rep.Arrived); got != 3 {
		t.Fatalf("first poll: %d arrived, want 3; skipped %+v failed %+v", got, rep.Skipped, rep.Failed)
	}
	if got := e.lib.n.Load(); got != 1 {
		t.Errorf("reloads after first poll = %d, want 1", got)
	}
	want := map[string][3]string{ // title → source, published, feed
		"Hotline talks":  {"Wire News", "2025-05-12", srv.URL + "/rss.xml"},
		"Flights resume": {"Wire News", "2025-05-13", srv.URL + "/rss.xml"},
		"Riyadh meeting": {"The Atom", "2025-05-14", srv.URL + "/atom.xml"},
	}
	for _, a := range rep.Arrived {
		w, ok := want[a.Article.Title]
		if !ok {
			t.Errorf("unexpected article %q", a.Article.Title)
			continue
		}
		if a.Article.Source != w[0] || a.Article.Published.Format("2006-01-02") != w[1] {
			t.Errorf("%q: source %q published %s, want %q %s", a.Article.Title, a.Article.Source, a.Article.Published.Format("2006-01-02"), w[0], w[1])
		}
		data, err := os.ReadFile(filepath.Join(e.corpus, a.Article.Path))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range []string{"feed: " + w[2], `added_at: "2025-05-12T09:00:00Z"`, "url: " + srv.URL} {
			if !strings.Contains(string(data), line) {
				t.Errorf("%s lacks %q:\n%s", a.Article.Path, line, data)
			}
		}
		if strings.Contains(string(data), "summary_only") {
			t.Errorf("%s is marked summary_only, but its page arrived", a.Article.Path)
		}
	}

	// Unchanged feeds answer 304: nothing is fetched, nothing reloaded.
	pageHits := srv.hitsOf("/a1")
	*e.now = e.now.Add(time.Hour)
	rep, err = e.svc.Poll(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Polled != 2 || rep.NotModified != 2 || len(rep.Arrived) != 0 {
		t.Errorf("second poll: polled %d, not modified %d, arrived %d; want 2, 2, 0", rep.Polled, rep.NotModified, len(rep.Arrived))
	}
	if srv.hitsOf("/a1") != pageHits || e.lib.n.Load() != 1 {
		t.Errorf("a 304 poll fetched pages or reloaded")
	}

	// The feeds change: one new item, the same link under a new GUID, the
	// same text under another link, a new Atom entry whose page is gone.
	srv.setPage("/a1-copy", Page("Hotline talks (copy)", para1))
	srv.setPage("/a3", Page("Prisoners freed", "Pakistan freed an Indian border guard held since April, handing him over at the Wagah crossing on Wednesday."))
	srv.setDoc("/rss.xml", "application/rss+xml", `"r2"`, RSS("Wire News",
		[4]string{"g3", "Prisoners freed", srv.URL + "/a3", "Wed, 14 May 2025 08:00:00 GMT"},
		[4]string{"g1-again", "Hotline talks", srv.URL + "/a1", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"g4", "Hotline talks (copy)", srv.URL + "/a1-copy", "Mon, 12 May 2025 09:00:00 GMT"},
		[4]string{"g1", "Hotline talks", srv.URL + "/a1", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"g2", "Flights resume", srv.URL + "/a2", "Tue, 13 May 2025 08:00:00 GMT"}))
	srv.setDoc("/atom.xml", "application/atom+xml", `"a2"`, Atom("Atom Daily",
		[4]string{"urn:b2", "Gone page", srv.URL + "/gone", "2025-05-15T10:00:00Z"},
		[4]string{"urn:b1", "Riyadh meeting", srv.URL + "/b1", "2025-05-14T10:00:00+05:00"}))
	*e.now = e.now.Add(time.Hour)
	rep, err = e.svc.Poll(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range rep.Arrived {
		titles = append(titles, a.Article.Title)
	}
	if strings.Join(titles, "|") != "Prisoners freed|Gone page" {
		t.Errorf("third poll arrived %q, want Prisoners freed and Gone page; skipped %+v", titles, rep.Skipped)
	}
	if len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "already in the corpus") {
		t.Errorf("skipped %+v, want the copy under another link as a duplicate", rep.Skipped)
	}
	if got := e.lib.n.Load(); got != 2 {
		t.Errorf("reloads = %d, want 2 (one per poll that found something)", got)
	}
	for _, a := range rep.Arrived {
		if a.Article.Title != "Gone page" {
			continue
		}
		data, _ := os.ReadFile(filepath.Join(e.corpus, a.Article.Path))
		if !a.SummaryOnly || !strings.Contains(string(data), "summary_only: true") || !strings.Contains(string(data), "Summary of Gone page.") {
			t.Errorf("gone page not kept as its summary:\n%s", data)
		}
	}
	if got := len(e.articles(t)); got != 6 {
		t.Errorf("corpus holds %d articles, want 6 (seed and five)", got)
	}

	// A restart — a new service over the same data — fetches nothing new.
	e2 := newEnvAt(t, e)
	*e.now = e.now.Add(time.Hour)
	rep, err = e2.Poll(ctx, true)
	if err != nil || len(rep.Arrived) != 0 || rep.NotModified != 2 {
		t.Errorf("after restart: arrived %d, not modified %d, err %v; want 0, 2, nil", len(rep.Arrived), rep.NotModified, err)
	}
}

// newEnvAt is a new service over e's corpus and data directories, as after
// a restart.
func newEnvAt(tb testing.TB, e *env) *feeds.Service {
	tb.Helper()
	clock := func() time.Time { return *e.now }
	store, err := corpus.NewStore(e.corpus, filepath.Join(e.data, "trash"), corpus.Options{}, clock)
	if err != nil {
		tb.Fatal(err)
	}
	// A journal of its own on the same database, as a new process opens.
	svc, err := feeds.New(feeds.Config{}, e.data, store, fetch.New(fetch.Config{}, fetchtest.AllowLoopback(tb)), e.lib, nil, clock, feeds.WithState(feeds.NewDBState(openDB(tb, e.data))))
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

func TestFailingFeedBacksOff(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, nil, 0)
	ctx := context.Background()
	srv.Status["/down.xml"] = http.StatusInternalServerError
	mustAdd(t, e.svc, srv.URL+"/down.xml", "Down")
	var waits []time.Duration
	for i := 0; i < 4; i++ {
		rep, err := e.svc.Poll(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Failed) != 1 {
			t.Fatalf("poll %d: failed %+v, want the feed", i, rep.Failed)
		}
		list, _ := e.svc.List(ctx)
		f := list[0]
		if f.Failures != i+1 || !strings.Contains(f.LastError, "500") {
			t.Errorf("poll %d: failures %d, last error %q; want %d and the 500", i, f.Failures, f.LastError, i+1)
		}
		waits = append(waits, f.NextPoll.Sub(*e.now))
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] < waits[i-1]*3/2 {
			t.Errorf("waits %v do not grow exponentially", waits)
		}
	}
	if waits[0] < 30*time.Minute {
		t.Errorf("first wait after a failure %v, want at least twice the interval", waits[0])
	}
	// Not due: a poll of due feeds leaves it alone.
	hits := srv.hitsOf("/down.xml")
	*e.now = e.now.Add(10 * time.Minute)
	if rep, _ := e.svc.Poll(ctx, false); rep.Polled != 0 || srv.hitsOf("/down.xml") != hits {
		t.Errorf("a backing-off feed was polled again after 10 minutes")
	}
	// It recovers.
	delete(srv.Status, "/down.xml")
	srv.setDoc("/down.xml", "application/rss+xml", "", RSS("Up again"))
	if _, err := e.svc.Poll(ctx, true); err != nil {
		t.Fatal(err)
	}
	list, _ := e.svc.List(ctx)
	if list[0].Failures != 0 || list[0].LastError != "" || list[0].LastSuccess.IsZero() {
		t.Errorf("after recovery: %+v", list[0])
	}
}

func TestRefusedFeedsChangeNothing(t *testing.T) {
	srv := newServer(t)
	ctx := context.Background()
	// The items' pages meet the real policy; only the feed is on loopback.
	// Feeds are capped at 1 MiB rather than 5 so that parsing up to the
	// cap stays within the parse time under the race detector.
	e := newEnv(t, fetch.New(fetch.Config{}), 1<<20)
	host := strings.TrimPrefix(srv.URL, "http://127.0.0.1")
	srv.setPage("/p", Page("Local page", para1))
	srv.setDoc("/bad.xml", "application/rss+xml", "", `<rss version="2.0"><channel><title>Broken<item><title>`)
	srv.setDoc("/html.xml", "text/html", "", `<html><body>not a feed</body></html>`)
	srv.setDoc("/private.xml", "application/rss+xml", "", RSS("Private",
		[4]string{"p1", "Loopback", srv.URL + "/p", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"p2", "Localhost", "http://localhost" + host + "/p", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"p3", "Private", "http://10.1.2.3/p", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"p4", "Metadata", "http://169.254.169.254/latest/meta-data/", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"p5", "IPv6 loopback", "http://[::1]" + host + "/p", "Mon, 12 May 2025 08:00:00 GMT"},
		[4]string{"p6", "File", "file:///etc/passwd", "Mon, 12 May 2025 08:00:00 GMT"}))
	for _, p := range []string{"/bad.xml", "/html.xml", "/huge.xml", "/private.xml"} {
		mustAdd(t, e.svc, srv.URL+p, "")
	}
	rep, err := e.svc.Poll(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Arrived) != 0 || e.lib.n.Load() != 0 {
		t.Errorf("arrived %+v, reloads %d; want nothing", rep.Arrived, e.lib.n.Load())
	}
	if got := len(e.articles(t)); got != 1 {
		t.Errorf("corpus holds %d articles, want only the seed", got)
	}
	reasons := map[string]string{}
	for _, f := range rep.Failed {
		reasons[strings.TrimPrefix(f.Feed.URL, srv.URL)] = f.Err.Error()
	}
	for path, want := range map[string]string{"/bad.xml": "not RSS or Atom", "/html.xml": "not RSS or Atom", "/huge.xml": "over the size limit"} {
		if !strings.Contains(reasons[path], want) {
			t.Errorf("%s: error %q, want %q", path, reasons[path], want)
		}
	}
	if n := srv.rawBytes.Load(); n > 10<<20 {
		t.Errorf("the server wrote %d bytes of the huge feed before the client stopped", n)
	}
	if len(rep.Skipped) != 6 {
		t.Fatalf("skipped %d items, want 6: %+v", len(rep.Skipped), rep.Skipped)
	}
	for _, s := range rep.Skipped {
		if !strings.HasPrefix(s.Reason, "Refused:") {
			t.Errorf("%s: reason %q, want a refusal", s.Title, s.Reason)
		}
	}
	if srv.hitsOf("/p") != 0 {
		t.Errorf("the loopback page was fetched")
	}
	list, _ := e.svc.List(ctx)
	for _, f := range list {
		if strings.HasSuffix(f.URL, "/private.xml") {
			continue
		}
		if f.LastError == "" || f.Failures != 1 {
			t.Errorf("%s: last error %q failures %d, want the failure recorded", f.URL, f.LastError, f.Failures)
		}
	}
}

func TestFloodIsCapped(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, nil, 0)
	ctx := context.Background()
	var items [][4]string
	for i := 0; i < 10000; i++ {
		// The same link, repeated under new GUIDs, after 30 distinct ones.
		link := srv.URL + "/same"
		if i < 30 {
			link = fmt.Sprintf("%s/n%d", srv.URL, i)
		}
		items = append(items, [4]string{fmt.Sprintf("guid-%d", i), fmt.Sprintf("Item %d", i), link, "Mon, 12 May 2025 08:00:00 GMT"})
	}
	srv.setDoc("/flood.xml", "application/rss+xml", "", RSS("Flood", items...))
	mustAdd(t, e.svc, srv.URL+"/flood.xml", "")
	rep, err := e.svc.Poll(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rep.Arrived) + len(rep.Skipped); got != feeds.DefaultMaxItems {
		t.Errorf("first poll took %d items, want %d", got, feeds.DefaultMaxItems)
	}
	rep, _ = e.svc.Poll(ctx, true)
	rep2, _ := e.svc.Poll(ctx, true)
	if got := len(rep.Arrived) + len(rep.Skipped) + len(rep2.Arrived) + len(rep2.Skipped); got != 11 {
		t.Errorf("later polls took %d items, want 11: the 10 distinct links left and the repeated link once", got)
	}
}

func TestAddListRemove(t *testing.T) {
	e := newEnv(t, nil, 0)
	ctx := context.Background()
	f := mustAdd(t, e.svc, "https://news.example.com/feed.xml", "  News   Example ")
	if f.Label != "News Example" || f.ID == "" {
		t.Errorf("added %+v", f)
	}
	if _, err := e.svc.Add(ctx, "https://news.example.com/feed.xml#x", "", 0); err == nil || !strings.Contains(err.Error(), "followed already") {
		t.Errorf("second add: %v, want followed already", err)
	}
	for _, bad := range []string{"ftp://x.example.com/f", "http://10.0.0.1/feed", "not a url"} {
		if _, err := e.svc.Add(ctx, bad, "", 0); err == nil {
			t.Errorf("Add(%q) succeeded", bad)
		}
	}
	if _, err := e.svc.Remove(ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := e.svc.List(ctx); len(list) != 0 {
		t.Errorf("after remove: %+v", list)
	}
	if _, err := e.svc.Remove(ctx, f.ID); err == nil {
		t.Errorf("removing twice succeeded")
	}
}

func TestAnnouncement(t *testing.T) {
	rep := feeds.Report{Arrived: []feeds.Arrival{
		{Article: corpus.Article{Title: "Talks @everyone", Source: "Wire", URL: "https://wire.example.com/a"}},
		{Article: corpus.Article{Title: "Flights", Source: "Atom", URL: "https://atom.example.com/b"}, SummaryOnly: true},
	}}
	got := feeds.Announcement(rep)
	want := "2 new articles:\n• Talks @\u200beveryone — Wire <https://wire.example.com/a>\n• Flights — Atom <https://atom.example.com/b> (summary only)"
	if got != want {
		t.Errorf("Announcement =\n%q\nwant\n%q", got, want)
	}
	if feeds.Announcement(feeds.Report{}) != "" {
		t.Errorf("an empty poll is announced")
	}
}
