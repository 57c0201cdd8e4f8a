package corpus

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// MinArticleChars is the least text, in characters, that [ParsePage] accepts
// as an article; anything shorter is a stub, a paywall or an error page.
const MinArticleChars = 200

// Page is the article read from a web page, a file handed over for adding,
// by [ParsePage] or [ParseUpload]: not yet part of the corpus.
type Page struct {
	// URL is the page's canonical link when it gives one, otherwise the
	// final URL after redirects.
	URL       string
	Title     string
	Source    string // the outlet: og:site_name, or the host name
	Author    string
	Published time.Time // zero when the page does not say
	// Text is the article's readable text, paragraphs separated by a blank
	// line, without navigation, ads, related links or footers.
	Text string
	// Length is the number of characters in Text.
	Length int
}

// ParsePage reads the article in body, a page served from pageURL (which may
// be empty, for a local file) with the given content type. HTML and XHTML
// go through readability, which keeps the story and drops navigation, ads,
// related links, cookie banners and footers; title, byline, site name,
// publication time and canonical URL come from readability and the page's
// metadata. Plain text is kept as it is, its first line the title. An empty
// contentType is sniffed. Text of fewer than [MinArticleChars] characters is
// an error.
func ParsePage(pageURL string, body []byte, contentType string) (Page, error) {
	if strings.TrimSpace(contentType) == "" {
		contentType = http.DetectContentType(body)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return Page{}, fmt.Errorf("extract: content type %q unreadable: %w", contentType, err)
	}
	var base *url.URL
	if pageURL != "" {
		if base, err = url.Parse(pageURL); err != nil {
			return Page{}, fmt.Errorf("extract: page URL: %w", err)
		}
	}
	src := toUTF8(body, contentType)
	var page Page
	switch mt {
	case "text/html", "application/xhtml+xml":
		page, err = extractHTML(base, src)
		if err != nil {
			return Page{}, fmt.Errorf("extract: %w", err)
		}
	case "text/plain":
		page = extractText(src)
	default:
		return Page{}, fmt.Errorf("extract: content type %s is not HTML or plain text", mt)
	}
	if page.URL == "" && base != nil {
		page.URL = base.String()
	}
	if page.Source == "" && base != nil {
		page.Source = strings.TrimPrefix(base.Hostname(), "www.")
	}
	page.Length = utf8.RuneCountInString(page.Text)
	if page.Length < MinArticleChars {
		return Page{}, fmt.Errorf("extract: extracted only %d characters; not an article?", page.Length)
	}
	return page, nil
}

// toUTF8 decodes body from the character set the content type declares or
// the page's <meta charset> names, and replaces invalid bytes.
func toUTF8(body []byte, contentType string) string {
	if enc, name, _ := charset.DetermineEncoding(body, contentType); name != "utf-8" && enc != nil {
		if b, err := enc.NewDecoder().Bytes(body); err == nil {
			body = b
		}
	}
	s := string(trimBOM(body))
	return strings.ToValidUTF8(normalizeNewlines(s), "\uFFFD")
}

// extractHTML extracts the article of an HTML page: readability finds the
// story, and the corpus's own extractor turns it into paragraphs, dropping
// any furniture readability kept. When readability finds too little, the
// whole page goes through the corpus's extractor instead.
func extractHTML(base *url.URL, src string) (Page, error) {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return Page{}, fmt.Errorf("parse HTML: %w", err)
	}
	m := readHTMLMeta(doc)
	var page Page
	var h1 string
	// Classes are kept so that the corpus's extractor can still spot ads
	// and share bars readability left inside the story.
	parser := readability.NewParser()
	parser.KeepClasses = true
	art, rerr := parser.ParseDocument(doc, base)
	if rerr == nil && art.Node != nil {
		x := extractor{}
		x.walk(art.Node)
		page.Text, h1 = x.text(), x.h1
	}
	if utf8.RuneCountInString(page.Text) < MinArticleChars {
		x := extractor{}
		x.walk(bodyOf(doc))
		if t := x.text(); len(t) > len(page.Text) {
			page.Text, h1 = t, x.h1
		}
	}

	page.Source = firstOf(collapseSpace(art.SiteName()), m.meta["og:site_name"])
	page.Title = trimSiteName(firstOf(collapseSpace(art.Title()), m.meta["og:title"], trimSiteName(m.title, page.Source), h1), page.Source)
	page.Author = firstOf(cleanByline(art.Byline()), m.meta["author"], nonURL(m.meta["article:author"]))
	if t, err := art.PublishedTime(); err == nil {
		page.Published = t
	} else {
		page.Published = m.published()
	}
	page.URL = firstOf(absoluteHTTP(base, m.canonical), absoluteHTTP(base, m.meta["og:url"]))
	return page, nil
}

// cleanByline turns a byline like "By Priya Raman" into "Priya Raman"; a
// byline too long to be names is dropped.
func cleanByline(s string) string {
	s = collapseSpace(s)
	for _, p := range [...]string{"By ", "by ", "BY "} {
		s = strings.TrimPrefix(s, p)
	}
	if utf8.RuneCountInString(s) > 100 {
		return ""
	}
	return s
}

// nonURL returns s unless it is a URL, as article:author often is.
func nonURL(s string) string {
	if strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") {
		return ""
	}
	return s
}

// absoluteHTTP resolves ref against base and returns it when it is an
// absolute http or https URL, or "".
func absoluteHTTP(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}

// extractText reads a plain-text article: the first non-blank line is the
// title and the rest the text. Blank lines separate paragraphs; a text
// without any has one paragraph per line.
func extractText(src string) Page {
	lines := strings.Split(strings.TrimSpace(src), "\n")
	title := collapseSpace(lines[0])
	rest := strings.Join(lines[1:], "\n")
	if strings.TrimSpace(rest) == "" {
		rest, title = src, ""
	}
	var w paraWriter
	blank := false
	for line := range strings.Lines(rest) {
		if strings.TrimSpace(line) == "" {
			blank = true
			break
		}
	}
	for line := range strings.Lines(rest) {
		if !blank || strings.TrimSpace(line) == "" {
			w.para()
		}
		w.write(line)
	}
	return Page{Title: title, Text: w.String()}
}

// Article returns the new article the page describes, ready for
// [Store.Add].
func (p Page) Article() NewArticle {
	return NewArticle{Title: p.Title, URL: p.URL, Source: p.Source, Author: p.Author, Published: p.Published, Text: p.Text}
}
