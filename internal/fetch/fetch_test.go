package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// newsPage is a news page with its furniture around the story, shared with
// the corpus tests.
func newsPage(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "corpus", "testdata", "fetch-news-page.html"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// pageServer starts a loopback HTTP server that the test closes.
func pageServer(tb testing.TB, h http.Handler) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// testFetcher returns a fetcher allowed to reach the test's loopback
// servers, with a short time limit.
func testFetcher(tb testing.TB, cfg fetch.Config) *fetch.Fetcher {
	tb.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	return fetch.New(cfg, fetchtest.AllowLoopback(tb))
}

// plainArticle is a plain-text article long enough to be accepted.
func plainArticle(title string) string {
	return title + "\n\n" + strings.Repeat("India and Pakistan agreed to a ceasefire on Saturday afternoon after four days of fighting. ", 4) + "\n"
}

func TestFetchNewsPage(t *testing.T) {
	page := newsPage(t)
	var gotUA, gotMethod atomic.Value
	srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA.Store(r.UserAgent())
		gotMethod.Store(r.Method)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	f := testFetcher(t, fetch.Config{UserAgent: "crisisbot-test/1"})
	got, err := f.Fetch(context.Background(), srv.URL+"/world/ceasefire-holds")
	if err != nil {
		t.Fatal(err)
	}
	// The fetcher reads the page as corpus.ParsePage does; the corpus tests
	// check what that gives.
	want, err := corpus.ParsePage(srv.URL+"/world/ceasefire-holds", page, "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fetch = %+v\nwant what ParsePage reads: %+v", got, want)
	}
	// The canonical link is relative, so it resolves against the server.
	if want := srv.URL + "/world/2025/05/11/ceasefire-holds"; got.URL != want {
		t.Errorf("URL = %q, want the canonical link %q", got.URL, want)
	}
	if ua := gotUA.Load(); ua != "crisisbot-test/1" {
		t.Errorf("User-Agent = %v, want crisisbot-test/1", ua)
	}
	if m := gotMethod.Load(); m != http.MethodGet {
		t.Errorf("method = %v, want GET", m)
	}
}

func TestFetchRedirects(t *testing.T) {
	srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n > 0 {
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, plainArticle("Arrived"))
	}))
	tests := []struct {
		maxRedirects, hops int
		wantErr            string
	}{
		{maxRedirects: 3, hops: 0},
		{maxRedirects: 3, hops: 1},
		{maxRedirects: 3, hops: 3},
		{maxRedirects: 3, hops: 4, wantErr: "too many redirects: refused to follow more than 3"},
		{maxRedirects: 0, hops: 5}, // the default, 5
		{maxRedirects: 0, hops: 6, wantErr: "more than 5"},
		{maxRedirects: -1, hops: 1, wantErr: "more than 0"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("max %d hops %d", tt.maxRedirects, tt.hops), func(t *testing.T) {
			f := testFetcher(t, fetch.Config{MaxRedirects: tt.maxRedirects})
			got, err := f.Fetch(context.Background(), fmt.Sprintf("%s/hop/%d", srv.URL, tt.hops))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Fetch error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := srv.URL + "/hop/0"; got.URL != want {
				t.Errorf("URL = %q, want the final URL %q", got.URL, want)
			}
			if got.Title != "Arrived" {
				t.Errorf("Title = %q, want Arrived", got.Title)
			}
		})
	}
}

func TestFetchRefusesForbiddenRedirects(t *testing.T) {
	var reached atomic.Int32
	tripwire := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, plainArticle("Should not be fetched"))
	}))
	tu, _ := url.Parse(tripwire.URL)
	srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	tests := []struct {
		to        string
		wantErr   string
		forbidden bool // wraps ErrForbiddenAddress
	}{
		{to: "http://10.0.0.1/admin", wantErr: "redirect to http://10.0.0.1/admin: address 10.0.0.1 is private", forbidden: true},
		{to: "http://169.254.169.254/latest/meta-data/", wantErr: "address 169.254.169.254 is link-local (the cloud metadata service)", forbidden: true},
		{to: "http://[fd12::1]/", wantErr: "address fd12::1 is private", forbidden: true},
		{to: "http://[::ffff:192.168.1.1]/", wantErr: "private (IPv4-mapped 192.168.1.1)", forbidden: true},
		{to: "ftp://example.com/file", wantErr: `redirect to ftp://example.com/file: scheme "ftp" refused`},
		{to: "http://user:secret@" + tu.Host + "/", wantErr: "user info"},
		// Loopback is allowed to this fetcher, but not dressed up as IPv4-mapped IPv6.
		{to: "http://[::ffff:127.0.0.1]:" + tu.Port() + "/", wantErr: "loopback (IPv4-mapped 127.0.0.1)", forbidden: true},
	}
	f := testFetcher(t, fetch.Config{Timeout: 2 * time.Second})
	for _, tt := range tests {
		t.Run(tt.to, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), srv.URL+"/?to="+url.QueryEscape(tt.to))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Fetch error = %v, want one containing %q", err, tt.wantErr)
			}
			if got := errors.Is(err, fetch.ErrForbiddenAddress); got != tt.forbidden {
				t.Errorf("errors.Is(err, ErrForbiddenAddress) = %v, want %v", got, tt.forbidden)
			}
			if strings.Contains(err.Error(), "user:secret@") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the tripwire server was reached %d times", n)
	}
}

func TestFetchRefusesURLs(t *testing.T) {
	var reached atomic.Int32
	tripwire := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, plainArticle("Should not be fetched"))
	}))
	port := strings.TrimPrefix(tripwire.URL, "http://127.0.0.1:")
	tests := []struct {
		url       string
		wantErr   string
		forbidden bool // wraps ErrForbiddenAddress
	}{
		{"http://127.0.0.1", "address 127.0.0.1 is loopback", true},
		{"http://127.0.0.1:" + port + "/", "address 127.0.0.1 is loopback", true},
		{"http://127.1.2.3/", "address 127.1.2.3 is loopback", true},
		{"http://localhost", "is loopback", true},
		{"http://localhost:" + port + "/", "is loopback", true},
		{"http://[::1]", "address ::1 is loopback", true},
		{"http://[::1]:" + port + "/", "address ::1 is loopback", true},
		{"http://[::ffff:127.0.0.1]:" + port + "/", "loopback (IPv4-mapped 127.0.0.1)", true},
		{"http://10.1.2.3", "address 10.1.2.3 is private", true},
		{"http://192.168.0.1", "address 192.168.0.1 is private", true},
		{"http://172.16.0.1", "address 172.16.0.1 is private", true},
		{"http://[::ffff:10.0.0.1]/", "private (IPv4-mapped 10.0.0.1)", true},
		{"http://[fd00::1]/", "address fd00::1 is private", true},
		{"http://169.254.169.254/latest/meta-data", "address 169.254.169.254 is link-local (the cloud metadata service)", true},
		{"http://169.254.1.1/", "address 169.254.1.1 is link-local", true},
		{"http://[fe80::1]", "address fe80::1 is link-local", true},
		{"http://[fe80::1%25eth0]/", "address fe80::1%eth0 is link-local", true},
		{"http://0.0.0.0", "address 0.0.0.0 is unspecified", true},
		{"http://[::]/", "address :: is unspecified", true},
		{"http://0.1.2.3/", `reserved for "this network"`, true},
		{"http://100.64.0.1", "address 100.64.0.1 is in the carrier-grade NAT range", true},
		{"http://224.0.0.1/", "is multicast", true},
		{"http://[ff02::1]/", "is multicast", true},
		{"http://255.255.255.255/", "reserved (or broadcast)", true},
		{"http://[64:ff9b::a00:1]/", "private (NAT64 for 10.0.0.1)", true},
		{"http://[2002:a9fe:a9fe::1]/", "6to4 for 169.254.169.254", true},
		{"http://192.0.2.1/", "reserved for documentation", true},
		{"ftp://x", `scheme "ftp" refused: only http and https are fetched`, false},
		{"file:///etc/passwd", `scheme "file" refused`, false},
		{"javascript:alert(1)", `scheme "javascript" refused`, false},
		{"gopher://127.0.0.1:" + port + "/", `scheme "gopher" refused`, false},
		{"http://user:pw@example.com", "user info (a name or password) in the URL refused", false},
		{"//example.com/a", "not an absolute URL", false},
		{"http:///path", "no host", false},
	}
	// No loopback allowance: this is the fetcher production code gets.
	f := fetch.New(fetch.Config{Timeout: 2 * time.Second})
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Fetch error = %v, want one containing %q", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "fetch ") {
				t.Errorf("error %q does not start with \"fetch \"", err)
			}
			if got := errors.Is(err, fetch.ErrForbiddenAddress); got != tt.forbidden {
				t.Errorf("errors.Is(err, ErrForbiddenAddress) = %v, want %v", got, tt.forbidden)
			}
			if strings.Contains(err.Error(), ":pw@") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the tripwire server was reached %d times", n)
	}
}

func TestAllowLoopbackAllowsOnlyLoopback(t *testing.T) {
	f := testFetcher(t, fetch.Config{Timeout: 2 * time.Second})
	for _, u := range []string{"http://10.1.2.3/", "http://192.168.0.1/", "http://169.254.169.254/", "http://0.0.0.0/", "http://100.64.0.1/"} {
		if _, err := f.Fetch(context.Background(), u); !errors.Is(err, fetch.ErrForbiddenAddress) {
			t.Errorf("Fetch(%s) error = %v, want ErrForbiddenAddress", u, err)
		}
	}
}

func TestFetchRefusesResponses(t *testing.T) {
	big := strings.Repeat("x", 4096)
	tests := []struct {
		name    string
		cfg     fetch.Config
		handler http.HandlerFunc
		wantErr string
	}{
		{
			name: "body over MaxBytes with Content-Length",
			cfg:  fetch.Config{MaxBytes: 1024},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Length", strconv.Itoa(len(big)))
				fmt.Fprint(w, big)
			},
			wantErr: "body of 4.0 KiB (4096 bytes) is over the 1.0 KiB (1024 bytes) limit",
		},
		{
			name: "body over MaxBytes streamed",
			cfg:  fetch.Config{MaxBytes: 1024},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				for range 8 {
					fmt.Fprint(w, big[:512])
					w.(http.Flusher).Flush()
				}
			},
			wantErr: "body is over the 1.0 KiB (1024 bytes) limit",
		},
		{
			name: "pdf",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/pdf")
				fmt.Fprint(w, "%PDF-1.7 "+big)
			},
			wantErr: "content type application/pdf refused",
		},
		{
			name: "png",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "image/png")
				fmt.Fprint(w, "\x89PNG\r\n\x1a\n")
			},
			wantErr: "content type image/png refused",
		},
		{
			name: "no content type",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil // no sniffing
				fmt.Fprint(w, plainArticle("Untyped"))
			},
			wantErr: "no content type",
		},
		{
			name:    "not found",
			handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			wantErr: "server answered 404 Not Found",
		},
		{
			name: "no article",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, "<html><body><p>Please enable JavaScript.</p></body></html>")
			},
			wantErr: "extracted only 25 characters; not an article?",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pageServer(t, tt.handler)
			_, err := testFetcher(t, tt.cfg).Fetch(context.Background(), srv.URL+"/page")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Fetch error = %v, want one containing %q", err, tt.wantErr)
			}
			if want := "fetch " + srv.URL + "/page: "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("error %q does not start with %q", err, want)
			}
		})
	}
}

func TestFetchTimeout(t *testing.T) {
	for _, stage := range []string{"headers", "body"} {
		t.Run(stage, func(t *testing.T) {
			srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if stage == "body" {
					w.Header().Set("Content-Type", "text/plain")
					fmt.Fprint(w, "A slow start")
					w.(http.Flusher).Flush()
				}
				select {
				case <-r.Context().Done():
				case <-time.After(10 * time.Second):
				}
			}))
			f := testFetcher(t, fetch.Config{Timeout: 200 * time.Millisecond})
			start := time.Now()
			_, err := f.Fetch(context.Background(), srv.URL)
			if err == nil || !strings.Contains(err.Error(), "timed out after 200ms") {
				t.Fatalf("Fetch error = %v, want a time-out", err)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("Fetch took %s with a 200ms limit", took)
			}
		})
	}
}

func TestAllowLoopbackNeedsTB(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("AllowLoopback(nil) did not panic")
		}
	}()
	fetchtest.AllowLoopback(nil)
}

// TestFetchReadsWhatLoadReads: the same HTML bytes give the same article
// text, title and dates fetched by /add as loaded from the corpus
// directory.
func TestFetchReadsWhatLoadReads(t *testing.T) {
	for _, name := range []string{"news-page.html", "fetch-news-page.html"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "corpus", "testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(data)
			}))
			got, err := testFetcher(t, fetch.Config{}).Fetch(context.Background(), srv.URL+"/story")
			if err != nil {
				t.Fatal(err)
			}
			res, err := corpus.Load(context.Background(), fstest.MapFS{name: {Data: data}}, corpus.Options{})
			if err != nil || len(res.Articles) != 1 {
				t.Fatalf("Load = %+v, %v; want one article", res, err)
			}
			want := res.Articles[0]
			if got.Text != want.Text {
				t.Errorf("fetched Text differs from the loaded file's:\n%s\n--- loaded\n%s", got.Text, want.Text)
			}
			if got.Title != want.Title || got.Author != want.Author || !got.Published.Equal(want.Published) {
				t.Errorf("fetched %q %q %v, loaded %q %q %v", got.Title, got.Author, got.Published, want.Title, want.Author, want.Published)
			}
		})
	}
}

// TestFetchMessagesForPeople: every refusal carries a sentence for the
// moderator who pasted the link, naming no address or Go error.
func TestFetchMessagesForPeople(t *testing.T) {
	srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/private":
			http.Redirect(w, r, "http://10.0.0.1/admin", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			fmt.Fprint(w, "%PDF-1.7")
		case "/big":
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, strings.Repeat("x", 2048))
		case "/stub":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<p>Please enable JavaScript.</p>")
		case "/slow":
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	f := testFetcher(t, fetch.Config{MaxBytes: 1024, Timeout: 300 * time.Millisecond})
	prod := fetch.New(fetch.Config{Timeout: 2 * time.Second})
	tests := []struct {
		f    *fetch.Fetcher
		url  string
		want string
	}{
		{f, srv.URL + "/missing", "That page could not be fetched: the server answered 404."},
		{prod, srv.URL + "/missing", "That address is not public, so it can't be fetched."},
		{f, "http://169.254.169.254/latest/meta-data", "That address is not public, so it can't be fetched."},
		{f, srv.URL + "/private", "That page redirects to an address that is not public, so it can't be fetched."},
		{f, srv.URL + "/loop", "That page redirects too many times (more than 5)."},
		{f, "ftp://example.com/a", "Only http and https links can be fetched."},
		{f, "http://user:pw@example.com/a", "That link holds a name or password; give it without them."},
		{f, "example.com/a", "That is not a web link: give the whole address, starting https://."},
		{f, srv.URL + "/pdf", "That page is not HTML or plain text, so it can't be read as an article."},
		{f, srv.URL + "/big", "That page is larger than the 1.0 KiB (1024 bytes) limit."},
		{f, srv.URL + "/stub", "Only 25 characters of text were found there: too few for an article (a paywall, a stub or an error page?)."},
		{f, srv.URL + "/slow", "That page took longer than 300ms to arrive, so it was not fetched."},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := tt.f.Fetch(context.Background(), tt.url)
			msg, ok := usererr.Message(err)
			if !ok || msg != tt.want {
				t.Errorf("message %q (%v), want %q; the error: %v", msg, ok, tt.want, err)
			}
		})
	}
}

// TestFetchRefusesBinaryServedAsText: a server that calls a picture HTML,
// or Latin-1 bytes UTF-8, does not get them saved as an article.
func TestFetchRefusesBinaryServedAsText(t *testing.T) {
	story := strings.Repeat("The ceasefire held through the night along the Line of Control. ", 5)
	tests := []struct {
		name, contentType, body string
		wantIs                  error
		wantMsg                 string
	}{
		{"png as html", "text/html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + story, corpus.ErrBinary, "That page is not text: it holds binary data."},
		{"latin-1 as utf-8", "text/plain; charset=utf-8", "Caf\xe9 talks\n\n" + story, corpus.ErrEncoding, "That page is not UTF-8 text (nor in a character set it declares)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				fmt.Fprint(w, tt.body)
			}))
			page, err := testFetcher(t, fetch.Config{}).Fetch(context.Background(), srv.URL)
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("Fetch = %q, %v; want an error wrapping %v", page.Text, err, tt.wantIs)
			}
			if msg, _ := usererr.Message(err); msg != tt.wantMsg {
				t.Errorf("message %q, want %q", msg, tt.wantMsg)
			}
		})
	}
}
