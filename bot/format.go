package bot

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
)

// MessageLimit is Discord's cap on a message's content. discordgo checks
// nothing, so every message the bot sends goes through [SplitMessage].
const MessageLimit = 2000

// protectedRE matches what a split must never cut: a citation marker, or a
// Markdown link whose URL is in angle brackets (as the sources are written).
var protectedRE = regexp.MustCompile(`\[\d+(?:\s*,\s*\d+)*\]|\[[^\[\]\n]*\]\(<[^<>\s]*>\)`)

// discordLen is a message's length as Discord counts it: UTF-16 code units.
func discordLen(s string) int {
	n := 0
	for _, r := range s {
		n += units(r)
	}
	return n
}

// units is r's length in UTF-16 code units. Invalid bytes decode as
// U+FFFD, one unit.
func units(r rune) int {
	return max(utf16.RuneLen(r), 1)
}

// fits reports whether s is at most limit characters as Discord counts
// them, reading no further than the limit.
func fits(s string, limit int) bool {
	return len(truncateForDiscord(s, limit)) == len(s)
}

// truncateForDiscord cuts s to its longest prefix of at most limit
// characters as Discord counts them, never inside a rune.
func truncateForDiscord(s string, limit int) string {
	n := 0
	for i, r := range s {
		if n += units(r); n > limit {
			return s[:i]
		}
	}
	return s
}

// SplitMessage splits text into parts of at most limit characters (as
// Discord counts them), cutting at a paragraph break if it can, then a line
// break, then a sentence end, then a space, and never inside a citation
// marker or a link. Only the white space at a cut is dropped: joining the
// parts gives back the text (with any invalid UTF-8 replaced).
func SplitMessage(text string, limit int) []string {
	// Invalid bytes would be replaced when the message is encoded anyway;
	// replacing them first keeps a cut from splicing two into a new rune.
	text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
	if text == "" {
		return nil
	}
	var parts []string
	for !fits(text, limit) {
		cut := cutPoint(text, limit)
		parts = append(parts, strings.TrimRightFunc(text[:cut], unicode.IsSpace))
		text = strings.TrimLeftFunc(text[cut:], unicode.IsSpace)
	}
	if text != "" {
		parts = append(parts, text)
	}
	return parts
}

// cutPoint returns the byte offset to cut text at, so that text[:cut] fits
// in limit and cut falls at the best boundary outside protected spans.
func cutPoint(text string, limit int) int {
	fit := len(truncateForDiscord(text, limit))
	protected := protectedRE.FindAllStringIndex(text[:min(len(text), fit+200)], -1)
	inside := func(pos int) bool {
		for _, p := range protected {
			if p[0] < pos && pos < p[1] {
				return true
			}
		}
		return false
	}
	window := text[:fit]
	// Boundaries from best to worst; each returns the cut after the break.
	finders := []func() int{
		func() int { return lastCut(window, "\n\n", inside) },
		func() int { return lastCut(window, "\n", inside) },
		func() int { return lastSentenceEnd(window, inside) },
		func() int { return lastCut(window, " ", inside) },
	}
	for _, f := range finders {
		// A cut in the first quarter would leave a stub; try a worse
		// boundary that keeps the parts full.
		if c := f(); c > len(window)/4 {
			return c
		}
	}
	for _, f := range finders {
		if c := f(); c > 0 {
			return c
		}
	}
	// No boundary at all: cut at the limit, outside any protected span if
	// one starts inside the window.
	cut := fit
	for _, p := range protected {
		if p[0] < cut && cut < p[1] && p[0] > 0 {
			cut = p[0]
		}
	}
	if cut == 0 {
		cut = fit
	}
	if cut == 0 { // a single rune wider than the limit cannot happen for limit >= 2
		_, size := utf8.DecodeRuneInString(text)
		cut = size
	}
	return cut
}

func lastCut(window, sep string, inside func(int) bool) int {
	for end := len(window); end > 0; {
		i := strings.LastIndex(window[:end], sep)
		if i <= 0 {
			return 0
		}
		if !inside(i) {
			return i + len(sep)
		}
		end = i
	}
	return 0
}

// lastSentenceEnd finds the last space after a sentence stop. Citation
// markers may sit between the stop and the space ("…talks. [2] Next").
func lastSentenceEnd(window string, inside func(int) bool) int {
	for i := len(window) - 1; i > 0; i-- {
		if window[i] == ' ' && !inside(i) && endsSentence(window[:i]) {
			return i + 1
		}
	}
	return 0
}

// endsSentence reports whether s ends with . ! or ? (optionally closed by a
// quote), ignoring trailing citation markers.
func endsSentence(s string) bool {
	for {
		s = strings.TrimRight(s, " ")
		loc := trailingMarkerRE.FindStringIndex(s)
		if loc == nil {
			break
		}
		s = s[:loc[0]]
	}
	s = strings.TrimRight(s, `"'”’)`)
	return s != "" && strings.ContainsAny(s[len(s)-1:], ".!?")
}

// trailingMarkerRE matches a citation marker at the end of a string.
var trailingMarkerRE = regexp.MustCompile(`\[\d+(?:\s*,\s*\d+)*\]$`)

// escapeMarkdownLinkText keeps a title from breaking the link it sits in.
func escapeMarkdownLinkText(s string) string {
	return strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(s)
}

// escapeTitle readies an article's title for a message: no brackets to
// break the link it sits in, no Markdown, no live link.
func escapeTitle(s string) string {
	return escapeMarkdown(escapeMarkdownLinkText(s))
}

// bareURLRE matches what Discord turns into a link by itself.
var bareURLRE = regexp.MustCompile(`(?i)\bhttps?://\S+`)

// markdownEscaper backslash-escapes the characters Discord's Markdown
// acts on anywhere in a line: emphasis, strike-through, spoilers (||),
// code, masked links ([text](url)), and mentions, channels and timestamps
// (<@id>, <#id>, <t:…>). Discord shows an escaped character as itself.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "*", `\*`, "_", `\_`, "~", `\~`, "|", `\|`, "`", "\\`",
	"[", `\[`, "]", `\]`, "<", `\<`,
)

// lineStartRE matches what Discord's Markdown acts on at the start of a
// line: headings (#, and -# subtext), quotes (>), and list markers.
var lineStartRE = regexp.MustCompile(`(?m)^(\s*)([#>]|[-+](\s|$)|\d+\.(\s|$))`)

// escapeMarkdown readies text that comes from an article or a user — a
// title, a quote, an answer made of quotes — for a message, so it shows as
// written instead of as Discord Markdown: a quote could otherwise carry a
// masked link to anywhere, a spoiler or a heading. Bare web addresses are
// set as code, which Discord does not make clickable.
func escapeMarkdown(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range bareURLRE.FindAllStringIndex(s, -1) {
		b.WriteString(escapeMarkdownText(s[last:loc[0]]))
		b.WriteString("`" + strings.ReplaceAll(s[loc[0]:loc[1]], "`", "") + "`")
		last = loc[1]
	}
	b.WriteString(escapeMarkdownText(s[last:]))
	return b.String()
}

func escapeMarkdownText(s string) string {
	s = markdownEscaper.Replace(s)
	return lineStartRE.ReplaceAllStringFunc(s, func(m string) string {
		trimmed := strings.TrimLeftFunc(m, unicode.IsSpace)
		lead := m[:len(m)-len(trimmed)]
		if i := strings.IndexByte(trimmed, '.'); i > 0 { // "1. " → "1\. "
			return lead + trimmed[:i] + `\` + trimmed[i:]
		}
		return lead + `\` + trimmed
	})
}

// escapeAnswer is escapeMarkdown for an answer's text, leaving its
// citation markers as they are: [1] is not a link, and must stay [1].
func escapeAnswer(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range markerRE.FindAllStringIndex(s, -1) {
		b.WriteString(escapeMarkdown(s[last:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(escapeMarkdown(s[last:]))
	return b.String()
}

// markerRE matches a citation marker.
var markerRE = regexp.MustCompile(`\[\d+(?:\s*,\s*\d+)*\]`)

// urlEscaper percent-encodes what [url.URL.String] may leave in a query
// or fragment and what would end the <…> around a link's address, or the
// link itself, early.
var urlEscaper = strings.NewReplacer(
	" ", "%20", "<", "%3C", ">", "%3E", "(", "%28", ")", "%29", "[", "%5B", "]", "%5D",
	`"`, "%22", "`", "%60", "|", "%7C", `\`, "%5C",
)

// linkURL returns raw as an address safe inside a Markdown link's <…>, or
// "" when it is no http(s) address: a source's URL comes from an article's
// front matter or a page, and one like
// "https://x/a>) [Verify your account](https://phish.example/login) (<x"
// would otherwise end the link and start another. Credentials in the
// address go: they only serve to make one host look like another.
func linkURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.User = nil
	return urlEscaper.Replace(u.String())
}

// quoteLimit is about the most of a quoted sentence the sources list shows:
// an article's "sentence" can be a whole page without a full stop (one of
// 393 KB made an answer of 394 messages). The attached file of a long
// answer quotes in full.
const quoteLimit = 400

// clipQuote shortens q to at most limit characters as Discord counts them,
// cutting at a word boundary where one is near and marking the cut with
// "…".
func clipQuote(q string, limit int) string {
	if fits(q, limit) {
		return q
	}
	head := truncateForDiscord(q, limit-1) // room for the "…"
	if sp := strings.LastIndexFunc(head, unicode.IsSpace); sp > len(head)/2 {
		head = head[:sp]
	}
	return strings.TrimRightFunc(head, unicode.IsSpace) + "…"
}

// layout is what a reply shows besides the answer itself.
type layout struct {
	// question is shown above the answer: others see only "X used /ask",
	// not what X asked. Empty in a thread, where the question is the
	// message the thread opened on.
	question string
	// article returns the indexed article a citation points at, for its
	// outlet; nil, or a nil result, leaves the citation's own metadata.
	article func(id string) *corpus.Article
}

// maxLinkLen is the longest address a source's title links to: a longer
// one would crowd the message (the whole of a page of /sources), and no
// news site's article needs it. The title is then shown unlinked.
const maxLinkLen = 512

// headingDate is how a source's date is written.
const headingDate = "2 Jan 2006"

// sourceMeta is what names an article besides its title, as plain text
// in the order shown: its outlet, then its date. Every place that names a
// source — an answer's sources, /sources, the attached answer.txt — takes
// it from here, so a new piece of metadata (where the article came from,
// say) is added in one place.
func sourceMeta(a *corpus.Article) []string {
	var meta []string
	if outlet := strings.Join(strings.Fields(a.Source), " "); outlet != "" {
		meta = append(meta, clipQuote(outlet, 80))
	}
	if origin := corpus.OriginLabel(a.Origin); origin != "" {
		meta = append(meta, clipQuote(origin, 40))
	}
	if !a.Published.IsZero() {
		meta = append(meta, a.Published.Format(headingDate))
	}
	return meta
}

// sourceTitle is an article's title, or its ID when it has none.
func sourceTitle(a *corpus.Article) string {
	if strings.TrimSpace(a.Title) == "" {
		return a.ID
	}
	return a.Title
}

// sourceHeading names an article in a message: its [sourceMeta], then its
// title, linked to the article's address when it has one (in angle
// brackets, so Discord adds no preview). An article without an address —
// the built-in seed article, whose original is not known — gets no link:
// the bot never makes one up.
func sourceHeading(a *corpus.Article) string {
	var parts []string
	for _, m := range sourceMeta(a) {
		parts = append(parts, escapeMarkdown(m))
	}
	title := escapeTitle(clipQuote(sourceTitle(a), 200))
	if u := linkURL(a.URL); u != "" && len(u) <= maxLinkLen {
		title = fmt.Sprintf("[%s](<%s>)", title, u)
	}
	return strings.Join(append(parts, title), " · ")
}

// citedArticle is the article c points at: the index's, for the metadata
// a citation does not carry (the outlet), or one made of the citation's
// own fields when the index no longer has it (a reload mid-answer).
func citedArticle(c answer.Citation, l layout) *corpus.Article {
	if l.article != nil {
		if a := l.article(c.Article); a != nil {
			return a
		}
	}
	return &corpus.Article{ID: c.Article, Title: c.Title, URL: c.URL, Published: c.Published, Source: c.Source, Origin: c.Origin}
}

// sourceGroup is one cited article and its citations, in order of number.
type sourceGroup struct {
	article *corpus.Article
	cites   []answer.Citation
}

// groupCitations gathers the citations of one article under it, the
// articles in order of their first citation.
func groupCitations(cs []answer.Citation, l layout) []sourceGroup {
	var groups []sourceGroup
	at := map[string]int{}
	for _, c := range cs {
		if n, ok := at[c.Article]; ok && c.Article != "" {
			groups[n].cites = append(groups[n].cites, c)
			continue
		}
		at[c.Article] = len(groups)
		groups = append(groups, sourceGroup{article: citedArticle(c, l), cites: []answer.Citation{c}})
	}
	return groups
}

// markers writes the citation numbers "[1][3]".
func markers(cs []answer.Citation) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "[%d]", c.N)
	}
	return b.String()
}

// squash collapses white space, to compare a quote with an answer.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// renderSources lists the cited articles as Discord shows them: each
// once, its citation numbers and [sourceHeading], then the sentence each
// citation quotes — unless the answer already is that sentence, which an
// extractive answer mostly is: the reader would read it twice.
func renderSources(cs []answer.Citation, text string, l layout) string {
	if len(cs) == 0 {
		return ""
	}
	body := squash(text)
	var b strings.Builder
	b.WriteString("**Sources**")
	for _, g := range groupCitations(cs, l) {
		b.WriteString("\n" + markers(g.cites) + " " + sourceHeading(g.article))
		// Citations of one article that quote one sentence show it once.
		var quotes []string
		byQuote := map[string][]answer.Citation{}
		for _, c := range g.cites {
			q := squash(c.Quote)
			if q == "" || strings.Contains(body, q) {
				continue
			}
			if _, ok := byQuote[q]; !ok {
				quotes = append(quotes, q)
			}
			byQuote[q] = append(byQuote[q], c)
		}
		for _, q := range quotes {
			prefix := ""
			if len(g.cites) > 1 {
				prefix = markers(byQuote[q]) + " "
			}
			b.WriteString("\n> " + prefix + escapeMarkdown(clipQuote(q, quoteLimit)))
		}
	}
	return b.String()
}

// RenderAnswer lays an answer out as Discord messages, each within limit:
// the answer (with any notice first), then the sources, which always go in
// the last part or parts.
func RenderAnswer(a answer.Answer, limit int) []string {
	return renderAnswer(a, layout{}, limit)
}

func renderAnswer(a answer.Answer, l layout, limit int) []string {
	body := answerBody(a, l)
	sources := renderSources(a.Citations, a.Text, l)
	if sources == "" {
		return SplitMessage(body, limit)
	}
	if whole := body + "\n\n" + sources; discordLen(whole) <= limit {
		return []string{whole}
	}
	parts := SplitMessage(body, limit)
	srcParts := SplitMessage(sources, limit)
	// Let the first part of the sources share the last answer part's
	// message when both fit.
	if n := len(parts); n > 0 && discordLen(parts[n-1])+2+discordLen(srcParts[0]) <= limit {
		parts[n-1] += "\n\n" + srcParts[0]
		srcParts = srcParts[1:]
	}
	return append(parts, srcParts...)
}

// MaxAnswerMessages is the most messages one answer takes. An answer that
// would need more shows what fits, ends with a note, and comes with the
// whole answer as an attached text file: a file needs no state behind a
// button, survives a restart, and a reader can search it.
const MaxAnswerMessages = 4

// maxAnswerFile caps the attached file, far below Discord's upload limit.
const maxAnswerFile = 4 << 20

// answerFileName is the name of the attached file of a long answer.
const answerFileName = "answer.txt"

// reply is what the bot sends for one answer or report: its messages, and
// a file and buttons to attach to the last of them.
type reply struct {
	parts      []string
	file       *discordgo.File
	components []discordgo.MessageComponent
}

// renderReply lays an answer out as at most [MaxAnswerMessages] messages.
// When it does not fit, the sources keep the last messages, the answer
// fills those before them and says the rest is in the attached file, which
// holds the whole answer and its sources with their quotes in full.
func renderReply(a answer.Answer, l layout) reply {
	parts := renderAnswer(a, l, MessageLimit)
	if len(parts) <= MaxAnswerMessages {
		return reply{parts: parts}
	}
	const note = "_The answer is longer than Discord shows; all of it, with the sources, is in the attached " + answerFileName + "._"
	var srcParts []string
	if sources := renderSources(a.Citations, a.Text, l); sources != "" {
		srcParts = SplitMessage(sources, MessageLimit)
	}
	if len(srcParts) > MaxAnswerMessages-1 {
		srcParts = srcParts[:MaxAnswerMessages-1]
	}
	bodyParts := splitFirst(answerBody(a, l), MessageLimit, MaxAnswerMessages-len(srcParts))
	last := bodyParts[len(bodyParts)-1]
	bodyParts[len(bodyParts)-1] = clipQuote(last, MessageLimit-discordLen(note)-3) + "\n\n" + note
	return reply{parts: append(bodyParts, srcParts...), file: textFile(answerFileName, answerText(a, l))}
}

// answerBody is the answer as [RenderAnswer] shows it, before the
// sources: the question asked, the notice (the bot's own words) in
// italics, then the text, which quotes or retells the articles and so is
// escaped. A refusal says what was missing when that is known, and where
// to see what the sources cover.
func answerBody(a answer.Answer, l layout) string {
	body := escapeAnswer(a.Text)
	if a.Abstained {
		if missing := a.Missing(); missing != "" {
			body += " " + escapeMarkdown(capitalise(missing)+".")
		}
		body += " " + sourcesHint
	}
	if a.Notice != "" {
		body = "_" + a.Notice + "_\n\n" + body
	}
	if q := questionLine(l.question); q != "" {
		body = q + "\n\n" + body
	}
	return body
}

// sourcesHint ends a refusal: what the bot can answer from is one command
// away.
const sourcesHint = "`/sources` lists the articles I answer from."

// questionLine shows the question an answer answers, or "" for none.
func questionLine(q string) string {
	if q = strings.TrimSpace(q); q == "" {
		return ""
	}
	return "**Q:** " + escapeMarkdown(clipQuote(q, 600))
}

// capitalise upper-cases s's first letter.
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// splitFirst is the first n parts [SplitMessage] would give, without
// splitting the rest of a long text.
func splitFirst(text string, limit, n int) []string {
	text = strings.TrimSpace(strings.ToValidUTF8(text, "\uFFFD"))
	var parts []string
	for len(parts) < n-1 && !fits(text, limit) {
		cut := cutPoint(text, limit)
		parts = append(parts, strings.TrimRightFunc(text[:cut], unicode.IsSpace))
		text = strings.TrimLeftFunc(text[cut:], unicode.IsSpace)
	}
	if !fits(text, limit) {
		text = text[:cutPoint(text, limit)]
	}
	return append(parts, strings.TrimSpace(text))
}

// answerText is the whole answer as plain text, for the attached file:
// Discord shows a file as it is, so nothing is clipped or escaped.
func answerText(a answer.Answer, l layout) string {
	var b strings.Builder
	q := l.question
	if q == "" {
		q = a.Question
	}
	if q != "" {
		b.WriteString("Question: " + q + "\n\n")
	}
	if a.Notice != "" {
		b.WriteString(a.Notice + "\n\n")
	}
	b.WriteString(a.Text)
	if len(a.Citations) > 0 {
		b.WriteString("\n\nSources\n")
	}
	for _, g := range groupCitations(a.Citations, l) {
		art := g.article
		fmt.Fprintf(&b, "\n%s %s", markers(g.cites), strings.Join(append(sourceMeta(art), sourceTitle(art)), " · "))
		if art.URL != "" {
			b.WriteString("\n" + art.URL)
		}
		for _, c := range g.cites {
			if c.Quote != "" {
				b.WriteString("\n> ")
				if len(g.cites) > 1 {
					fmt.Fprintf(&b, "[%d] ", c.N)
				}
				b.WriteString(strings.ReplaceAll(c.Quote, "\n", " "))
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// textFile is an attachment holding text, cut to [maxAnswerFile].
func textFile(name, text string) *discordgo.File {
	if len(text) > maxAnswerFile {
		text = strings.ToValidUTF8(text[:maxAnswerFile], "") + "\n[cut at 4 MiB]\n"
	}
	return &discordgo.File{Name: name, ContentType: "text/plain; charset=utf-8", Reader: strings.NewReader(text)}
}
