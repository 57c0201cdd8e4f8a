package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// readNewsPage returns testdata/fetch-news-page.html.
func readNewsPage(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "fetch-news-page.html"))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// checkNewsPage checks what was extracted from testdata/fetch-news-page.html.
func checkNewsPage(tb testing.TB, got corpus.Fetched, wantURL string) {
	tb.Helper()
	if want := "Ceasefire holds on first night along the Line of Control"; got.Title != want {
		tb.Errorf("Title = %q, want %q", got.Title, want)
	}
	if want := "The Frontier Post"; got.Source != want {
		tb.Errorf("Source = %q, want %q", got.Source, want)
	}
	if want := "Amina Qureshi"; got.Author != want {
		tb.Errorf("Author = %q, want %q", got.Author, want)
	}
	if want := time.Date(2025, 5, 11, 2, 0, 0, 0, time.UTC); !got.Published.Equal(want) {
		tb.Errorf("Published = %v, want %v", got.Published, want)
	}
	if got.URL != wantURL {
		tb.Errorf("URL = %q, want the canonical link %q", got.URL, wantURL)
	}
	// A sentence from each paragraph of the story.
	paragraphs := []string{
		"Guns fell silent along most of the Line of Control on Saturday night",
		"Residents of Uri and Poonch, who had spent four nights in bunkers",
		"the directors general of military operations of the two armies spoke by telephone",
		"There were reports of violations late on Saturday",
		"Secretary of State Marco Rubio said he and Vice President JD Vance",
		"Pakistan’s prime minister thanked the United States for its role",
		"Analysts in both countries cautioned that the ceasefire remained fragile",
	}
	// Strings of the page's navigation, ads, cookie banner, related links,
	// share bar, newsletter box, scripts and footer.
	boilerplate := []string{
		"MARKER", "Related articles", "Operation Sindoor", "Markets rally", "Accept all cookies",
		"Advertisement", "Sponsored", "All rights reserved", "Privacy policy", "Sign up",
		"Share on X", "Subscribe", "gtag", "The Frontier Post",
	}
	for _, p := range paragraphs {
		if !strings.Contains(got.Text, p) {
			tb.Errorf("Text lacks the paragraph with %q", p)
		}
	}
	for _, b := range boilerplate {
		if strings.Contains(got.Text, b) {
			tb.Errorf("Text holds boilerplate %q", b)
		}
	}
	if n := len(strings.Split(got.Text, "\n\n")); n < len(paragraphs) {
		tb.Errorf("Text has %d paragraphs, want at least %d:\n%s", n, len(paragraphs), got.Text)
	}
	if got.Length != len([]rune(got.Text)) {
		tb.Errorf("Length = %d, want %d", got.Length, len([]rune(got.Text)))
	}
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
func testFetcher(tb testing.TB, cfg corpus.FetchConfig) *corpus.Fetcher {
	tb.Helper()
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	return corpus.NewFetcher(cfg, corpus.AllowLoopbackForTesting(tb))
}

// plainArticle is a plain-text article long enough to be accepted.
func plainArticle(title string) string {
	return title + "\n\n" + strings.Repeat("India and Pakistan agreed to a ceasefire on Saturday afternoon after four days of fighting. ", 4) + "\n"
}

func TestExtractNewsPage(t *testing.T) {
	got, err := corpus.Extract("https://frontier.example.com/world/ceasefire-holds?utm_source=x", readNewsPage(t), "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	checkNewsPage(t, got, "https://frontier.example.com/world/2025/05/11/ceasefire-holds")
}

func TestExtract(t *testing.T) {
	long := strings.Repeat("The ceasefire held through the night. ", 10)
	tests := []struct {
		name, url, body, contentType string
		wantTitle, wantSource        string
		wantText                     string   // a substring
		notInText                    []string // substrings
		wantErr                      string
	}{
		{
			name: "plain text", url: "https://news.example.org/a.txt", contentType: "text/plain; charset=utf-8",
			body:      "Ceasefire holds\n\n" + long + "\n\nSecond paragraph.\n",
			wantTitle: "Ceasefire holds", wantSource: "news.example.org", wantText: "night.\n\nSecond paragraph.",
			notInText: []string{"Ceasefire holds"},
		},
		{
			name: "plain text in Latin-1", contentType: "text/plain; charset=iso-8859-1",
			body:      "Caf\xe9 talks\n" + long,
			wantTitle: "Café talks", wantText: "The ceasefire held",
		},
		{
			name: "html without metadata", url: "https://www.example.net/story", contentType: "text/html",
			body:      "<html><head><title>Talks resume</title></head><body><nav>Home NAVLINK</nav><article><h1>Talks resume</h1><p>" + long + "</p><p>" + long + "</p></article></body></html>",
			wantTitle: "Talks resume", wantSource: "example.net", wantText: "The ceasefire held",
			notInText: []string{"NAVLINK"},
		},
		{
			name: "sniffed html", contentType: "",
			body:      "<!DOCTYPE html><html><head><title>Sniffed</title></head><body><article><p>" + long + "</p></article></body></html>",
			wantTitle: "Sniffed", wantText: "The ceasefire held",
		},
		{
			name: "too short", contentType: "text/html",
			body:    "<html><body><nav>" + long + "</nav><p>Page not found.</p></body></html>",
			wantErr: "extracted only 15 characters; not an article?",
		},
		{
			name: "not text", contentType: "application/pdf", body: "%PDF-1.7",
			wantErr: "application/pdf",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := corpus.Extract(tt.url, []byte(tt.body), tt.contentType)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Extract error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", got.Title, tt.wantTitle)
			}
			if got.Source != tt.wantSource {
				t.Errorf("Source = %q, want %q", got.Source, tt.wantSource)
			}
			if !strings.Contains(got.Text, tt.wantText) {
				t.Errorf("Text = %q, want it to contain %q", got.Text, tt.wantText)
			}
			for _, n := range tt.notInText {
				if strings.Contains(got.Text, n) {
					t.Errorf("Text = %q holds %q", got.Text, n)
				}
			}
		})
	}
}

func TestFetchNewsPage(t *testing.T) {
	page := readNewsPage(t)
	var gotUA, gotMethod atomic.Value
	srv := pageServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotUA.Store(r.UserAgent())
		gotMethod.Store(r.Method)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	f := testFetcher(t, corpus.FetchConfig{UserAgent: "crisisbot-test/1"})
	got, err := f.Fetch(context.Background(), srv.URL+"/world/ceasefire-holds")
	if err != nil {
		t.Fatal(err)
	}
	// The canonical link is relative, so it resolves against the server.
	checkNewsPage(t, got, srv.URL+"/world/2025/05/11/ceasefire-holds")
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
			f := testFetcher(t, corpus.FetchConfig{MaxRedirects: tt.maxRedirects})
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
	f := testFetcher(t, corpus.FetchConfig{Timeout: 2 * time.Second})
	for _, tt := range tests {
		t.Run(tt.to, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), srv.URL+"/?to="+url.QueryEscape(tt.to))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Fetch error = %v, want one containing %q", err, tt.wantErr)
			}
			if got := errors.Is(err, corpus.ErrForbiddenAddress); got != tt.forbidden {
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
	f := corpus.NewFetcher(corpus.FetchConfig{Timeout: 2 * time.Second})
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Fetch error = %v, want one containing %q", err, tt.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "fetch ") {
				t.Errorf("error %q does not start with \"fetch \"", err)
			}
			if got := errors.Is(err, corpus.ErrForbiddenAddress); got != tt.forbidden {
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

func TestAllowLoopbackForTestingAllowsOnlyLoopback(t *testing.T) {
	f := testFetcher(t, corpus.FetchConfig{Timeout: 2 * time.Second})
	for _, u := range []string{"http://10.1.2.3/", "http://192.168.0.1/", "http://169.254.169.254/", "http://0.0.0.0/", "http://100.64.0.1/"} {
		if _, err := f.Fetch(context.Background(), u); !errors.Is(err, corpus.ErrForbiddenAddress) {
			t.Errorf("Fetch(%s) error = %v, want ErrForbiddenAddress", u, err)
		}
	}
}

func TestFetchRefusesResponses(t *testing.T) {
	big := strings.Repeat("x", 4096)
	tests := []struct {
		name    string
		cfg     corpus.FetchConfig
		handler http.HandlerFunc
		wantErr string
	}{
		{
			name: "body over MaxBytes with Content-Length",
			cfg:  corpus.FetchConfig{MaxBytes: 1024},
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Length", strconv.Itoa(len(big)))
				fmt.Fprint(w, big)
			},
			wantErr: "body of 4.0 KiB (4096 bytes) is over the 1.0 KiB (1024 bytes) limit",
		},
		{
			name: "body over MaxBytes streamed",
			cfg:  corpus.FetchConfig{MaxBytes: 1024},
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
			f := testFetcher(t, corpus.FetchConfig{Timeout: 200 * time.Millisecond})
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

func TestAllowLoopbackForTestingNeedsTB(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("AllowLoopbackForTesting(nil) did not panic")
		}
	}()
	corpus.AllowLoopbackForTesting(nil)
}
