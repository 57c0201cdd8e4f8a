package corpus

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/crisisbot/crisisbot/internal/usererr"
)

// MinArticleChars is the least text, in characters, that [ParsePage] accepts
// as an article; anything shorter is a stub, a paywall or an error page.
const MinArticleChars = 200

// Page is an article read from a web page or from a file handed over for
// adding, by [ParsePage] or [ParseUpload]: not yet part of the corpus.
type Page struct {
	// URL is the article's address: for HTML, its canonical link (or
	// og:url) when it gives one, and for a fetched page otherwise the final
	// URL after redirects.
	URL string
	// Canonical is the address a fetched page gives as its own — its
	// canonical link or og:url — when that is on another host than the page
	// came from: a page may not claim another site's article, so URL stays
	// the fetched address, and Canonical is kept only to be shown. It is ""
	// when the page's own address was taken, or it gives none.
	Canonical string
	Title     string
	Source    string // the outlet: og:site_name, or the host name
	Author    string
	Published time.Time // zero when the page does not say
	Tags      []string
	// Text is the article's readable text, paragraphs separated by a blank
	// line, without navigation, ads, related links or footers.
	Text string
	// Length is the number of characters in Text.
	Length int
}

// Article returns the new article the page describes, ready for
// [Store.Add].
func (p Page) Article() NewArticle {
	return NewArticle{Title: p.Title, URL: p.URL, Source: p.Source, Author: p.Author, Published: p.Published, Text: p.Text, Tags: p.Tags}
}

// ParsePage reads the article in body, a page served from pageURL with the
// given content type. HTML and XHTML go through the reader corpus files go
// through (see [Parse]); plain text is kept as it is, its first line the
// title. An empty contentType is sniffed. When the page names no address
// or outlet of its own, pageURL and its host name stand in. Text of fewer
// than [MinArticleChars] characters is an error.
func ParsePage(pageURL string, body []byte, contentType string) (Page, error) {
	page, err := parsePage(pageURL, body, contentType)
	return page, explain(err, "page")
}

// parsePage is [ParsePage] without the messages for people.
func parsePage(pageURL string, body []byte, contentType string) (Page, error) {
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
	src, err := pageText(body, contentType)
	if err != nil {
		return Page{}, fmt.Errorf("extract: %w", err)
	}
	var page Page
	switch mt {
	case "text/html", "application/xhtml+xml":
		page = htmlToPage(readHTML(src, base))
	case "text/plain":
		page = extractText(src)
	default:
		return Page{}, usererr.Wrap(fmt.Errorf("extract: content type %s is not HTML or plain text", mt),
			"That page is not HTML or plain text, so it can't be read as an article.")
	}
	if page.URL == "" && base != nil {
		page.URL = base.String()
	}
	if page.Source == "" && base != nil {
		page.Source = strings.TrimPrefix(base.Hostname(), "www.")
	}
	return checkLength(page)
}

// htmlToPage returns what readHTML read as a Page.
func htmlToPage(h htmlPage) Page {
	return Page{Title: h.Title, URL: h.URL, Canonical: h.Canonical, Source: h.Source, Author: h.Author, Published: h.Published, Tags: h.Tags, Text: h.Text}
}

// checkLength counts the page's characters and refuses a page with too few
// to be an article.
func checkLength(page Page) (Page, error) {
	page.Length = utf8.RuneCountInString(page.Text)
	if page.Length < MinArticleChars {
		return Page{}, usererr.Wrap(fmt.Errorf("extract: extracted only %d characters; not an article?", page.Length),
			fmt.Sprintf("Only %d characters of text were found there: too few for an article (a paywall, a stub or an error page?).", page.Length))
	}
	return page, nil
}

// pageText returns body as text: decoded from the character set the
// content type or the page itself declares (a byte-order mark, <meta
// charset>), and otherwise taken as UTF-8. Before and after decoding it
// gets the checks a file of the corpus gets ([checkText]), so binary data
// served as text, or text that is not what it says, is refused rather than
// saved as an article of mojibake. A character set only guessed at is not
// used: a body that declares none must be UTF-8, as a corpus file must.
func pageText(body []byte, contentType string) (string, error) {
	if err := sniffText(body); err != nil {
		return "", err
	}
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	// DetermineEncoding is not certain of a <meta charset>, nor of its own
	// guess when nothing is declared; only the guess is passed over.
	if !certain {
		certain = metaCharset(body)
	}
	if certain && name != "utf-8" && enc != nil {
		b, err := enc.NewDecoder().Bytes(body)
		if err != nil {
			return "", fmt.Errorf("%w: cannot decode it as %s: %w", ErrEncoding, name, err)
		}
		body = b
	}
	if err := checkText(body); err != nil {
		return "", err
	}
	return normalizeNewlines(string(trimBOM(body))), nil
}

// metaCharset reports whether an HTML page declares its character set in
// a <meta> tag (charset, or a Content-Type with a charset) within its first
// 1024 bytes, where [charset.DetermineEncoding] looks for one.
func metaCharset(body []byte) bool {
	z := html.NewTokenizer(bytes.NewReader(body[:min(len(body), 1024)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if string(name) != "meta" {
				continue
			}
			for more {
				var key, val []byte
				key, val, more = z.TagAttr()
				if string(key) == "charset" || (string(key) == "content" && bytes.Contains(bytes.ToLower(val), []byte("charset="))) {
					return true
				}
			}
		}
	}
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
