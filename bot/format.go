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

// renderSources lists the citations as Discord shows them: a link with its
// URL in angle brackets so Discord adds no preview, the date, and the
// quoted sentence.
func renderSources(cs []answer.Citation) string {
	if len(cs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("**Sources**")
	for _, c := range cs {
		title := c.Title
		if title == "" {
			title = c.Article
		}
		title = escapeTitle(title)
		b.WriteString("\n")
		if u := linkURL(c.URL); u != "" {
			fmt.Fprintf(&b, "[%d] [%s](<%s>)", c.N, title, u)
		} else {
			fmt.Fprintf(&b, "[%d] %s", c.N, title)
		}
		if !c.Published.IsZero() {
			b.WriteString(" — " + c.Published.Format("2 January 2006"))
		}
		if c.Quote != "" {
			b.WriteString("\n> " + escapeMarkdown(clipQuote(strings.ReplaceAll(c.Quote, "\n", " "), quoteLimit)))
		}
	}
	return b.String()
}

// RenderAnswer lays an answer out as Discord messages, each within limit:
// the answer (with any notice first), then the sources, which always go in
// the last part or parts.
func RenderAnswer(a answer.Answer, limit int) []string {
	body := answerBody(a)
	sources := renderSources(a.Citations)
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
// a file to attach to the last of them.
type reply struct {
	parts []string
	file  *discordgo.File
	// components go on the last message: the feedback buttons.
	components []discordgo.MessageComponent
}

// renderReply lays an answer out as at most [MaxAnswerMessages] messages.
// When it does not fit, the sources keep the last messages, the answer
// fills those before them and says the rest is in the attached file, which
// holds the whole answer and its sources with their quotes in full.
func renderReply(a answer.Answer) reply {
	parts := RenderAnswer(a, MessageLimit)
	if len(parts) <= MaxAnswerMessages {
		return reply{parts: parts}
	}
	const note = "_The answer is longer than Discord shows; all of it, with the sources, is in the attached " + answerFileName + "._"
	var srcParts []string
	if sources := renderSources(a.Citations); sources != "" {
		srcParts = SplitMessage(sources, MessageLimit)
	}
	if len(srcParts) > MaxAnswerMessages-1 {
		srcParts = srcParts[:MaxAnswerMessages-1]
	}
	bodyParts := splitFirst(answerBody(a), MessageLimit, MaxAnswerMessages-len(srcParts))
	last := bodyParts[len(bodyParts)-1]
	bodyParts[len(bodyParts)-1] = clipQuote(last, MessageLimit-discordLen(note)-3) + "\n\n" + note
	return reply{parts: append(bodyParts, srcParts...), file: textFile(answerFileName, answerText(a))}
}

// answerBody is the answer as [RenderAnswer] shows it, before the
// sources: the notice (the bot's own words) in italics, then the text,
// which quotes or retells the articles and so is escaped.
func answerBody(a answer.Answer) string {
	body := escapeAnswer(a.Text)
	if a.Notice != "" {
		body = "_" + a.Notice + "_\n\n" + body
	}
	return body
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
func answerText(a answer.Answer) string {
	var b strings.Builder
	if a.Question != "" {
		b.WriteString("Question: " + a.Question + "\n\n")
	}
	if a.Notice != "" {
		b.WriteString(a.Notice + "\n\n")
	}
	b.WriteString(a.Text)
	if len(a.Citations) > 0 {
		b.WriteString("\n\nSources\n")
	}
	for _, c := range a.Citations {
		title := c.Title
		if title == "" {
			title = c.Article
		}
		fmt.Fprintf(&b, "\n[%d] %s", c.N, title)
		if !c.Published.IsZero() {
			b.WriteString(" — " + c.Published.Format("2 January 2006"))
		}
		if c.URL != "" {
			b.WriteString("\n" + c.URL)
		}
		if c.Quote != "" {
			b.WriteString("\n> " + strings.ReplaceAll(c.Quote, "\n", " "))
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
