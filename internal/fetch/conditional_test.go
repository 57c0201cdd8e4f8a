package fetch_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
)

// TestOpenConditional: validators go out as If-None-Match and
// If-Modified-Since, a 304 keeps them, and a changed document brings new
// ones.
func TestOpenConditional(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") == "Mon, 12 May 2025 08:00:00 GMT" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 12 May 2025 08:00:00 GMT")
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, "<rss/>")
	}))
	defer srv.Close()
	f := fetch.New(fetch.Config{}, fetchtest.AllowLoopback(t))
	ctx := context.Background()

	s, err := f.Open(ctx, srv.URL+"/feed", "application/rss+xml", fetch.Validators{})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(s.Body)
	s.Body.Close()
	if string(body) != "<rss/>" || s.NotModified || s.Validators.ETag != `"v1"` || s.ContentType != "application/rss+xml" {
		t.Errorf("first open: %q %+v", body, s)
	}
	again, err := f.Open(ctx, srv.URL+"/feed", "application/rss+xml", s.Validators)
	if err != nil {
		t.Fatal(err)
	}
	if !again.NotModified || again.Body != nil || again.Validators != s.Validators {
		t.Errorf("second open: %+v, want not modified with the validators kept", again)
	}
}

// TestOpenRefuses: the address checks, redirects included, hold for
// Open as for Fetch; an error status fails; a body past the cap fails
// while it is read, without a length to refuse it up front.
func TestOpenRefuses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/down":
			http.Error(w, "down", http.StatusServiceUnavailable)
		case "/big":
			w.Header().Set("Content-Type", "application/rss+xml")
			for i := 0; i < 64; i++ {
				if _, err := w.Write([]byte(strings.Repeat("x", 1024))); err != nil {
					return
				}
			}
		}
	}))
	defer srv.Close()
	f := fetch.New(fetch.Config{MaxBytes: 10 << 10}, fetchtest.AllowLoopback(t))
	ctx := context.Background()
	if _, err := f.Open(ctx, srv.URL+"/to-metadata", "*/*", fetch.Validators{}); !errors.Is(err, fetch.ErrForbiddenAddress) {
		t.Errorf("redirect to the metadata service: %v", err)
	}
	if _, err := f.Open(ctx, "http://10.0.0.1/feed", "*/*", fetch.Validators{}); !errors.Is(err, fetch.ErrForbiddenAddress) {
		t.Errorf("private address: %v", err)
	}
	if _, err := f.Open(ctx, srv.URL+"/down", "*/*", fetch.Validators{}); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("503: %v", err)
	}
	s, err := f.Open(ctx, srv.URL+"/big", "*/*", fetch.Validators{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Body.Close()
	n, err := io.Copy(io.Discard, s.Body)
	if !errors.Is(err, fetch.ErrTooLarge) || n > 10<<10 {
		t.Errorf("big body: read %d bytes, err %v; want at most 10 KiB and ErrTooLarge", n, err)
	}
}
