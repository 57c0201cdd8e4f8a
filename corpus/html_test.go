package corpus_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestParseHTMLGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "news-page.html"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := corpus.Parse("world/news-page.html", data)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "news-page.golden", []byte(describe(a)))

	// The golden file is reviewed by eye; these are the points that matter.
	for _, junk := range []string{
		"Skip to content", "cookies", "Business", "Search", "Advertisement", "not article text",
		"Share on X", "morning briefing", "Related", "Pahalgam attack", "Comments", "First!",
		"All rights reserved", "Topics:", "loadAd",
	} {
		if strings.Contains(a.Text, junk) {
			t.Errorf("Text contains page furniture %q", junk)
		}
	}
	// The headline is the article's title, not a sentence of its text.
	for _, keep := range []string{
		"JAMMU — Explosions were heard",
		"“Most of the drones were intercepted,” an Indian army spokesman said.",
		"Lt. Gen. D. S. Rana",
		"Pakistan's military says",
		"The U.S. Secretary of State",
	} {
		if !strings.Contains(a.Text, keep) {
			t.Errorf("Text lacks %q", keep)
		}
	}
	if want := time.Date(2025, 5, 9, 1, 15, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
}

func TestParseHTMLMetadata(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want corpus.Article // Title URL Source Author Published Tags Text; ID etc. ignored
	}{
		{
			name: "og metadata wins, but the canonical link before og:url",
			src: `<html><head><title>T | Site</title><meta property="og:title" content="OG title">
<meta property="og:url" content="https://x/og"><link rel="canonical" href="https://x/canon">
<meta property="og:site_name" content="Site"><meta name="author" content="A. Writer">
<meta property="article:author" content="https://x/author"><meta property="article:published_time" content="2025-05-07T01:30:00Z">
<meta property="og:published_time" content="2020-01-01"></head><body><time datetime="2019-01-01">old</time><p>Body.</p></body></html>`,
			want: corpus.Article{Title: "OG title", URL: "https://x/canon", Source: "Site", Author: "A. Writer",
				Published: time.Date(2025, 5, 7, 1, 30, 0, 0, time.UTC), Text: "old\n\nBody."},
		},
		{
			name: "fallbacks: title tag without site suffix, canonical, article:author, time element",
			src: `<html><head><title>The headline – Site</title><meta property="og:site_name" content="Site">
<link rel="Canonical stylesheet" href=" https://x/canon "><meta property="article:author" content="B. Writer">
<meta name="date" content="not a date"></head><body><h1>H1 title</h1><p>Text <time datetime="2025-05-08">8 May</time>.</p></body></html>`,
			want: corpus.Article{Title: "The headline", URL: "https://x/canon", Source: "Site", Author: "B. Writer",
				Published: time.Date(2025, 5, 8, 0, 0, 0, 0, time.UTC), Text: "H1 title\n\nText 8 May."},
		},
		{
			name: "first h1 when there is no title",
			src:  `<body><nav><h1>Site name</h1></nav><h1>Real <em>headline</em></h1><p>Body.</p><meta itemprop="datePublished" content="2025-05-06T10:00:00+0530"></body>`,
			want: corpus.Article{Title: "Real headline", Published: time.Date(2025, 5, 6, 4, 30, 0, 0, time.UTC), Text: "Real headline\n\nBody."},
		},
		{
			name: "tags, entities and block elements",
			src: `<head><meta property="article:tag" content="a"><meta property="article:tag" content=" b "></head>
<body><div>One&nbsp;&amp;&#160;two<br>three</div><ul><li>four</li><li>five</li></ul><table><tr><td>six</td><td>seven</td></tr></table>
<blockquote>eight</blockquote><p>nine<span>ten</span></p></body>`,
			want: corpus.Article{Title: "doc", Tags: []string{"a", "b"},
				Text: "One & two\n\nthree\n\nfour\n\nfive\n\nsix seven\n\neight\n\nnineten"},
		},
		{
			name: "the story's article, not teaser cards",
			src: `<body><article><p>Teaser one.</p></article><div><p>` + strings.Repeat("Page text. ", 20) + `</p></div>
<article><p>Teaser two.</p></article></body>`,
			want: corpus.Article{Title: "doc", Text: "Teaser one.\n\n" + strings.TrimSpace(strings.Repeat("Page text. ", 20)) + "\n\nTeaser two."},
		},
		{
			name: "main when there is no article",
			src:  `<body><div class="top">Masthead words</div><main><p>Main text.</p></main></body>`,
			want: corpus.Article{Title: "doc", Text: "Main text."},
		},
		{
			name: "hidden elements and boilerplate class names",
			src: `<body><article><p>Kept.</p><p hidden>Hidden.</p><div aria-hidden="true">Aria.</div>
<div style="display: none">None.</div><div class="has-related">Also kept.</div><div class="social-links">Social.</div>
<div id="taboola-below">Taboola.</div><div role="complementary">Aside.</div></article></body>`,
			want: corpus.Article{Title: "doc", Text: "Kept.\n\nAlso kept."},
		},
		{
			name: "a form wrapping the whole page is kept",
			src:  `<body><form id="aspnetForm"><div><p>Story text.</p></div></form><div><form><input value="x"><p>Search box.</p></form></div></body>`,
			want: corpus.Article{Title: "doc", Text: "Story text."},
		},
		{
			name: "svg titles and templates are not text",
			src:  `<title>Page</title><body><svg><title>icon</title><text>svg text</text></svg><template><p>tpl</p></template><p>Text.</p></body>`,
			want: corpus.Article{Title: "Page", Text: "Text."},
		},
		{
			name: "nested deeper than the HTML parser allows",
			src:  `<title>Deep</title>` + strings.Repeat("<div>", 600) + "Deep text.<script>var x;</script>" + strings.Repeat("</div>", 600),
			want: corpus.Article{Title: "Deep", Text: "Deep text."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParse(t, "doc.html", tt.src)
			got.ID, got.Path, got.Hash = "", "", ""
			if !articleEqual(got, tt.want) {
				t.Errorf("Parse:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// bigPage returns an HTML page of about n bytes: a large inline script and
// style, deep-ish markup and many paragraphs, as the heavier news sites
// serve.
func bigPage(n int) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>Big</title><script>")
	for b.Len() < n/3 {
		b.WriteString(`var a = "<p>not text</p>"; if (x < y && y > z) { f("</div>"); }` + "\n")
	}
	b.WriteString("</script><style>")
	for b.Len() < n/2 {
		b.WriteString(".c { color: red; } ")
	}
	b.WriteString("</style></head><body><nav>" + strings.Repeat("<a href=/x>Link</a> ", 100) + "</nav><article>")
	for b.Len() < n {
		b.WriteString(`<div class="row"><span>Dr. Who</span> said <b>3.5</b> &amp; more. <p>A paragraph with a <a href="/l">link</a>.</p></div>` + "\n")
	}
	b.WriteString("</article></body></html>")
	return []byte(b.String())
}

func TestParseHTMLLargePage(t *testing.T) {
	if testing.Short() {
		t.Skip("large page: skipped in -short mode")
	}
	data := bigPage(8 << 20)
	start := time.Now()
	a, err := corpus.Parse("big.html", data)
	if err != nil {
		t.Fatal(err)
	}
	// Generous: the point is to catch super-linear behaviour, which would
	// take minutes on 8 MiB, not to measure speed.
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("Parse of an 8 MiB page took %v", d)
	}
	if strings.Contains(a.Text, "not text") || strings.Contains(a.Text, "Link") {
		t.Error("script or nav text leaked into the article")
	}
	if !strings.HasPrefix(a.Text, "Dr. Who said 3.5 & more.") {
		t.Errorf("Text starts %q", a.Text[:min(len(a.Text), 80)])
	}
}

func BenchmarkParseHTML(b *testing.B) {
	for _, size := range []int{1 << 20, 4 << 20} {
		data := bigPage(size)
		b.Run(byteLabel(size), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := corpus.Parse("big.html", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSplitSentences(b *testing.B) {
	text := strings.Repeat(builtinText(b)+"\n\n", 50)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		corpus.SplitSentences(text)
	}
}

// byteLabel names a size for sub-benchmarks: "1MiB".
func byteLabel(n int) string { return fmt.Sprintf("%dMiB", n>>20) }

// TestHTMLReadsTheSameOnEveryPath: an HTML file gives the same article
// whether it sits in the corpus directory, is handed over for adding, or
// is read as a fetched page: there is one reader of HTML.
func TestHTMLReadsTheSameOnEveryPath(t *testing.T) {
	for _, name := range []string{"news-page.html", "fetch-news-page.html"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
			if err != nil || len(res.Articles) != 1 {
				t.Fatalf("LoadDir = %+v, %v; want one article", res, err)
			}
			loaded := res.Articles[0]
			upload, err := corpus.ParseUpload(name, data)
			if err != nil {
				t.Fatal(err)
			}
			page, err := corpus.ParsePage("https://news.example.com/story", data, "text/html; charset=utf-8")
			if err != nil {
				t.Fatal(err)
			}
			for _, got := range []struct {
				path string
				p    corpus.Page
			}{{"upload", upload}, {"page", page}} {
				if got.p.Text != loaded.Text {
					t.Errorf("%s: Text differs from the loaded file's:\n%s\n--- loaded\n%s", got.path, got.p.Text, loaded.Text)
				}
				if got.p.Title != loaded.Title || got.p.Author != loaded.Author || !got.p.Published.Equal(loaded.Published) ||
					got.p.Source != loaded.Source || !slices.Equal(got.p.Tags, loaded.Tags) {
					t.Errorf("%s: metadata %q %q %v %q %q differs from the loaded file's %q %q %v %q %q", got.path,
						got.p.Title, got.p.Author, got.p.Published, got.p.Source, got.p.Tags,
						loaded.Title, loaded.Author, loaded.Published, loaded.Source, loaded.Tags)
				}
			}
			if upload.URL != loaded.URL {
				t.Errorf("upload URL %q, loaded %q", upload.URL, loaded.URL)
			}
		})
	}
}
