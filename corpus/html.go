package corpus

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlPage is what an HTML page says about itself: its metadata and its
// readable text.
type htmlPage struct {
	Title     string
	URL       string
	Canonical string // an address the page claims on another host than base; see [Page.Canonical]
	Source    string
	Author    string
	Published time.Time
	Tags      []string
	Text      string
}

// readHTML reads the HTML page src, served from base (nil for a file of the
// corpus or one handed over for adding). It is the one reader of HTML in
// crisisbot, so the same bytes give the same article whether they sit in
// the corpus directory, arrive as an upload or are fetched.
//
// The [extractor]'s rules first prune the page's furniture (navigation,
// scripts, hidden elements, ads, share bars…); readability then finds the
// story in what is left, and the extractor turns it into paragraphs. When
// readability finds too little (a short page, or one it does not
// recognise), the whole body goes through the extractor instead. Metadata
// comes from the page's meta tags first and from readability after:
//   - Title: og:title, readability's title (JSON-LD headline and the like),
//     <title> without the site name, the first <h1>.
//   - URL: <link rel=canonical>, then og:url, when absolute http(s) (a
//     relative one resolved against base). The canonical link comes first
//     because it is the page's own statement of its address (RFC 6596);
//     og:url is written for sharing. A fetched page's claim is taken only
//     on the host it was fetched from (see [sameSite]); one on another host
//     is kept as Canonical, to be shown, not recorded.
//   - Source: og:site_name, readability's site name.
//   - Author: the author meta, readability's byline, article:author unless
//     it is a link.
//   - Published: article:published_time and the other date metas, JSON-LD
//     datePublished, <time datetime>, then readability's date.
//
// Pages nested deeper than html.Parse allows are read token by token.
// Readability walks the page a few times: an 8 MiB page takes seconds, not
// minutes (TestParseHTMLLargePage).
func readHTML(src string, base *url.URL) htmlPage {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		// html.Parse refuses pages nested deeper than 512 elements; the
		// tokenizer still reads their title and text.
		var p htmlPage
		p.Text, p.Title = tokenText(src)
		return p
	}
	m := readHTMLMeta(doc)
	// Furniture goes before readability sees the page: the attributes that
	// mark it (hidden, role, style) are gone from readability's output.
	(&extractor{}).prune(bodyOf(doc))
	// Classes are kept so that the extractor can still spot ads and share
	// bars readability left inside the story. A parser holds state, so
	// each page gets its own.
	parser := readability.NewParser()
	parser.KeepClasses = true
	art, rerr := parser.ParseDocument(doc, base)
	var text, h1 string
	if rerr == nil && art.Node != nil {
		x := extractor{}
		x.walk(art.Node)
		text, h1 = x.text(), x.h1
	}
	if utf8.RuneCountInString(text) < MinArticleChars {
		x := extractor{}
		x.walk(bodyOf(doc))
		if t := x.text(); len(t) > len(text) {
			text, h1 = t, x.h1
		}
	}

	p := htmlPage{Text: text, Tags: m.tags}
	p.Source = firstOf(m.meta["og:site_name"], collapseSpace(art.SiteName()))
	p.Title = trimSiteName(firstOf(m.meta["og:title"], collapseSpace(art.Title()), trimSiteName(m.title, p.Source), h1), p.Source)
	p.Author = firstOf(m.meta["author"], cleanByline(art.Byline()), nonURL(m.meta["article:author"]))
	p.Published = m.published()
	if t, err := art.PublishedTime(); err == nil && p.Published.IsZero() {
		p.Published = t
	}
	for _, ref := range [...]string{m.canonical, m.meta["og:url"]} {
		u := absoluteHTTP(base, ref)
		switch {
		case u == "":
		case base == nil || sameSite(base, u):
			p.URL, p.Canonical = u, ""
			return p
		case p.Canonical == "":
			p.Canonical = u
		}
	}
	return p
}

// sameSite reports whether the absolute URL u is on the host of base,
// ignoring case and a leading "www.": a page at news.example.com may call
// itself www.news.example.com, not other.example.org.
func sameSite(base *url.URL, u string) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	host := func(h string) string { return strings.TrimPrefix(strings.ToLower(h), "www.") }
	return host(pu.Hostname()) == host(base.Hostname())
}

// htmlMeta is what the <head> (and the odd tag in the body) says about a
// page.
type htmlMeta struct {
	meta      map[string]string // first content of each meta property, name or itemprop, lower-cased
	tags      []string          // article:tag values
	canonical string            // <link rel=canonical href>
	title     string            // <title>
	ldDates   []string          // datePublished values from JSON-LD
	timeAttr  string            // the first <time datetime>
}

// readHTMLMeta collects a page's metadata in one pass over its nodes.
func readHTMLMeta(doc *html.Node) htmlMeta {
	m := htmlMeta{meta: map[string]string{}}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Namespace != "" {
			continue
		}
		switch n.DataAtom {
		case atom.Meta:
			key := strings.ToLower(firstOf(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
			content := collapseSpace(attr(n, "content"))
			if key == "" || content == "" {
				continue
			}
			if key == "article:tag" {
				m.tags = append(m.tags, content)
			}
			if _, ok := m.meta[key]; !ok {
				m.meta[key] = content
			}
		case atom.Link:
			if m.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
				m.canonical = strings.TrimSpace(attr(n, "href"))
			}
		case atom.Title:
			if m.title == "" {
				m.title = collapseSpace(textContent(n))
			}
		case atom.Script:
			if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
				m.ldDates = append(m.ldDates, jsonLDDates(textContent(n))...)
			}
		case atom.Time:
			if m.timeAttr == "" {
				m.timeAttr = strings.TrimSpace(attr(n, "datetime"))
			}
		}
	}
	return m
}

// published returns the page's publication time: from the
// article:published_time meta, other publication-date metas, JSON-LD
// datePublished, then the first <time datetime>; values that are not dates
// are passed over.
func (m htmlMeta) published() time.Time {
	keys := [...]string{
		"article:published_time", "og:published_time", "datepublished",
		"published_time", "publishdate", "publish-date", "publish_date", "pubdate",
		"dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created",
		"sailthru.date", "parsely-pub-date", "date",
	}
	var candidates []string
	for _, k := range keys {
		if v, ok := m.meta[k]; ok {
			candidates = append(candidates, v)
		}
	}
	candidates = append(candidates, m.ldDates...)
	candidates = append(candidates, m.timeAttr)
	for _, c := range candidates {
		if t, ok := parseTime(c); ok {
			return t
		}
	}
	return time.Time{}
}

// jsonLDDates returns the datePublished strings of a JSON-LD script, looking
// through nested objects and arrays. Invalid JSON gives none.
func jsonLDDates(src string) []string {
	var v any
	if json.Unmarshal([]byte(src), &v) != nil {
		return nil
	}
	var dates []string
	stack := []any{v}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch v := v.(type) {
		case map[string]any:
			if d, ok := v["datePublished"].(string); ok {
				dates = append(dates, d)
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for i := len(keys) - 1; i >= 0; i-- {
				stack = append(stack, v[keys[i]])
			}
		case []any:
			for i := len(v) - 1; i >= 0; i-- {
				stack = append(stack, v[i])
			}
		}
	}
	return dates
}

// extractor walks a page's body and writes its readable text, remembering
// where each <article> and <main> element's text lies.
type extractor struct {
	w         paraWriter
	regions   []region
	inContent int    // depth of <article> and <main> elements around the walk
	h1        string // text of the first <h1> kept
}

// region is the text of one <article> or <main> element: w's bytes
// [start, end).
type region struct {
	tag        atom.Atom
	start, end int
}

// walk writes the text of n and its descendants.
func (x *extractor) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		x.w.write(n.Data)
		return
	case html.DocumentNode:
	case html.ElementNode:
		if x.drop(n) {
			return
		}
	default:
		return // comments, doctypes
	}
	tag := n.DataAtom
	switch {
	case tag == atom.Br || tag == atom.Hr:
		x.w.para()
		return
	case tag == atom.Td || tag == atom.Th || tag == atom.Img:
		x.w.wordBreak()
	case blockElement(tag):
		x.w.para()
	}
	start := x.w.len()
	content := tag == atom.Article || tag == atom.Main
	if content {
		x.inContent++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		x.walk(c)
	}
	if content {
		x.inContent--
		x.regions = append(x.regions, region{tag, start, x.w.len()})
	}
	if tag == atom.H1 && x.h1 == "" {
		x.h1 = collapseSpace(x.w.String()[start:])
	}
	switch {
	case tag == atom.Td || tag == atom.Th || tag == atom.Img:
		x.w.wordBreak()
	case blockElement(tag):
		x.w.para()
	}
}

// prune removes from n's subtree every element [extractor.drop] would
// drop, so that readability judges only what may be the story.
func (x *extractor) prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			if x.drop(c) {
				n.RemoveChild(c)
			} else {
				content := c.DataAtom == atom.Article || c.DataAtom == atom.Main
				if content {
					x.inContent++
				}
				x.prune(c)
				if content {
					x.inContent--
				}
			}
		}
		c = next
	}
}

// text returns the page's readable text: that of its largest <article>, or
// else of its largest <main>, when it holds a quarter of the page's text or
// is long enough to be the story on its own, and otherwise the whole text.
// The size test keeps a list of teaser <article> cards from standing in for
// the page.
func (x *extractor) text() string {
	all := x.w.String()
	for _, tag := range [...]atom.Atom{atom.Article, atom.Main} {
		best := ""
		for _, r := range x.regions {
			if t := strings.TrimSpace(all[r.start:r.end]); r.tag == tag && len(t) > len(best) {
				best = t
			}
		}
		if best != "" && (4*len(best) >= len(all) || len(best) >= 1500) {
			return best
		}
	}
	return all
}

// drop reports whether element n holds page furniture rather than the
// story: scripts, navigation, forms, asides, hidden elements, and elements
// whose class or id names them as ads, share bars, related links and the
// like.
func (x *extractor) drop(n *html.Node) bool {
	if n.Namespace != "" {
		return true // svg, math
	}
	switch n.DataAtom {
	case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav,
		atom.Footer, atom.Aside, atom.Iframe, atom.Svg, atom.Math, atom.Button, atom.Select,
		atom.Textarea, atom.Object, atom.Embed, atom.Canvas, atom.Video, atom.Audio,
		atom.Dialog, atom.Menu, atom.Input, atom.Label:
		return true
	case atom.Header:
		return x.inContent == 0 // an article's own header holds its headline
	case atom.Form:
		// Some sites wrap the whole page in one <form>; only smaller forms go.
		return n.Parent == nil || n.Parent.DataAtom != atom.Body
	}
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "role":
			switch strings.ToLower(strings.TrimSpace(a.Val)) {
			case "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar":
				return true
			}
		case "style":
			s := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		case "class", "id":
			switch n.DataAtom {
			case atom.Article, atom.Main, atom.Body, atom.Html:
				continue
			}
			if boilerplateName(a.Val) {
				return true
			}
		}
	}
	return false
}

// boilerplateName reports whether a class attribute or id names page
// furniture: one of its names equals or starts with "ad-", "related",
// "share", "newsletter" and the like. Only prefixes count, so "has-related"
// or "article-share-count" keep their element.
func boilerplateName(v string) bool {
	for _, name := range strings.Fields(strings.ToLower(v)) {
		switch name {
		case "ad", "ads", "advert", "advertisement", "adsbygoogle", "sponsored", "promo":
			return true
		}
		for _, p := range [...]string{
			"ad-", "ad_", "ads-", "ads_", "advert", "sponsor", "promo-", "related", "share",
			"sharing", "social", "newsletter", "subscribe", "cookie", "consent", "comments",
			"comment-", "breadcrumb", "paywall", "outbrain", "taboola", "popup", "modal",
			"sidebar", "skip-link", "most-read", "mostread", "recommended", "trending", "byline",
		} {
			if strings.HasPrefix(name, p) {
				return true
			}
		}
	}
	return false
}

// blockElement reports whether tag starts a new paragraph.
func blockElement(tag atom.Atom) bool {
	switch tag {
	case atom.Address, atom.Article, atom.Blockquote, atom.Body, atom.Caption, atom.Center,
		atom.Dd, atom.Details, atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption,
		atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5,
		atom.H6, atom.Header, atom.Hgroup, atom.Html, atom.Legend, atom.Li, atom.Main,
		atom.Ol, atom.P, atom.Pre, atom.Section, atom.Summary, atom.Table, atom.Tbody,
		atom.Tfoot, atom.Thead, atom.Tr, atom.Ul, atom.Search:
		return true
	}
	return false
}

// bodyOf returns the <body> of a parsed page, or the page itself.
func bodyOf(doc *html.Node) *html.Node {
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			return n
		}
	}
	return doc
}

// tokenText reads the text and the <title> of a page html.Parse refused,
// token by token: the content of script, style and other invisible elements
// is skipped and block elements break paragraphs.
func tokenText(src string) (text, title string) {
	z := html.NewTokenizer(strings.NewReader(src))
	var w paraWriter
	skip, inTitle := 0, false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return w.String(), title
		case html.TextToken:
			if inTitle && title == "" {
				title = collapseSpace(string(z.Text()))
			}
			if skip == 0 {
				w.write(string(z.Text()))
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			switch tag := atom.Lookup(name); tag {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea, atom.Title:
				inTitle = tag == atom.Title
				skip++
			case atom.Br:
				w.para()
			default:
				if blockElement(tag) {
					w.para()
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch tag := atom.Lookup(name); tag {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea, atom.Title:
				inTitle = false
				if skip > 0 {
					skip--
				}
			default:
				if blockElement(tag) {
					w.para()
				}
			}
		}
	}
}

// textContent returns the text of n's descendants.
func textContent(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// hasToken reports whether the space-separated list v holds tok, ignoring
// case.
func hasToken(v, tok string) bool {
	for _, f := range strings.Fields(v) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// trimSiteName removes a trailing " | Site", " - Site" or " — Site" from a
// <title> when Site is the page's site name.
func trimSiteName(title, site string) string {
	if site == "" {
		return title
	}
	for _, sep := range [...]string{" | ", " - ", " – ", " — ", " :: "} {
		if t, ok := strings.CutSuffix(title, sep+site); ok && strings.TrimSpace(t) != "" {
			return strings.TrimSpace(t)
		}
	}
	return title
}

// firstOf returns the first of vs that is not empty.
func firstOf(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
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

// absoluteHTTP resolves ref against base and returns it, in the form the
// store records (see [cleanURL]), when it is an absolute http or https URL,
// or "".
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
	clean, err := cleanURL(u.String())
	if err != nil {
		return ""
	}
	return clean
}
