package corpus_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/usererr"
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
func checkNewsPage(tb testing.TB, got corpus.Page, wantURL string) {
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

func TestParsePageNewsPage(t *testing.T) {
	got, err := corpus.ParsePage("https://frontier.example.com/world/ceasefire-holds?utm_source=x", readNewsPage(t), "text/html; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	checkNewsPage(t, got, "https://frontier.example.com/world/2025/05/11/ceasefire-holds")
}

func TestParsePage(t *testing.T) {
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
			got, err := corpus.ParsePage(tt.url, []byte(tt.body), tt.contentType)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParsePage error = %v, want one containing %q", err, tt.wantErr)
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

// TestParsePageCanonicalOnAnotherHost: a fetched page may not claim another
// site's address: its canonical link (or og:url) is recorded only when it
// is on the host the page came from, and is kept apart otherwise.
func TestParsePageCanonicalOnAnotherHost(t *testing.T) {
	body := func(head string) []byte {
		return []byte("<html><head><title>Talks</title>" + head + "</head><body><article><p>" +
			strings.Repeat("The two armies agreed to talk again on Monday. ", 8) + "</p></article></body></html>")
	}
	const fetched = "https://news.example.com/world/talks?utm_source=x"
	tests := []struct {
		name, head         string
		wantURL, wantCanon string
	}{
		{"same host", `<link rel="canonical" href="https://news.example.com/world/talks">`, "https://news.example.com/world/talks", ""},
		{"same host, www", `<link rel="canonical" href="https://www.news.example.com/world/talks">`, "https://www.news.example.com/world/talks", ""},
		{"relative", `<link rel="canonical" href="/world/talks">`, "https://news.example.com/world/talks", ""},
		{"another host", `<link rel="canonical" href="https://other.example.org/copied">`, fetched, "https://other.example.org/copied"},
		{"og:url on another host", `<meta property="og:url" content="https://other.example.org/og">`, fetched, "https://other.example.org/og"},
		{"another host, then og:url on this one", `<link rel="canonical" href="https://other.example.org/c"><meta property="og:url" content="https://news.example.com/og">`,
			"https://news.example.com/og", ""},
		{"none", ``, fetched, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := corpus.ParsePage(fetched, body(tt.head), "text/html; charset=utf-8")
			if err != nil {
				t.Fatal(err)
			}
			if got.URL != tt.wantURL || got.Canonical != tt.wantCanon {
				t.Errorf("URL, Canonical = %q, %q; want %q, %q", got.URL, got.Canonical, tt.wantURL, tt.wantCanon)
			}
		})
	}
}

// TestParsePageRefusesBinaryAndBadText: a body served as HTML or text gets
// the checks a corpus file gets — no NUL bytes, no binary data, UTF-8
// unless it declares another character set — rather than being saved as an
// article of mojibake.
func TestParsePageRefusesBinaryAndBadText(t *testing.T) {
	story := strings.Repeat("The ceasefire held through the night along the Line of Control. ", 5)
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00\xff\x10", 100)
	tests := []struct {
		name, contentType, body string
		wantIs                  error // nil: accepted
	}{
		{"png as html", "text/html", png, corpus.ErrBinary},
		{"png as text", "text/plain; charset=utf-8", png, corpus.ErrBinary},
		{"pdf as html", "text/html", "%PDF-1.7\n" + story, corpus.ErrBinary},
		{"control bytes as text", "text/plain", "\x01\x02\x03\x04\x05\x06\x07\x08" + story, corpus.ErrBinary},
		{"zip as text", "text/plain", "PK\x03\x04\x14\x00" + story, corpus.ErrBinary},
		{"invalid UTF-8 declared UTF-8", "text/plain; charset=utf-8", "Talks\n\n" + story + "\xff\xfe\xfd", corpus.ErrEncoding},
		{"invalid UTF-8 undeclared", "text/html", "<p>Caf\xe9 " + story + "</p>", corpus.ErrEncoding},
		{"Latin-1 declared", "text/plain; charset=iso-8859-1", "Caf\xe9 talks\n\n" + story, nil},
		{"Latin-1 declared in the page", "text/html", `<meta charset="iso-8859-1"><p>Caf` + "\xe9 " + story + "</p>", nil},
		{"UTF-8", "text/html; charset=utf-8", "<p>Café " + story + "</p>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := corpus.ParsePage("https://news.example.com/a", []byte(tt.body), tt.contentType)
			if tt.wantIs == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got := page.Title + " " + page.Text; !strings.Contains(got, "Café") || strings.ContainsRune(got, '\uFFFD') {
					t.Errorf("Title and Text %q, want them decoded", got)
				}
				return
			}
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("ParsePage = %q, %v; want an error wrapping %v", page.Text, err, tt.wantIs)
			}
			if msg, ok := usererr.Message(err); !ok || !strings.HasPrefix(msg, "That page is not") {
				t.Errorf("message for people %q", msg)
			}
		})
	}
}
