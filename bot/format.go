package bot

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

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
	for discordLen(text) > limit {
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
		title := escapeMarkdownLinkText(c.Title)
		if title == "" {
			title = c.Article
		}
		b.WriteString("\n")
		if c.URL != "" {
			fmt.Fprintf(&b, "[%d] [%s](<%s>)", c.N, title, c.URL)
		} else {
			fmt.Fprintf(&b, "[%d] %s", c.N, title)
		}
		if !c.Published.IsZero() {
			b.WriteString(" — " + c.Published.Format("2 January 2006"))
		}
		if c.Quote != "" {
			b.WriteString("\n> " + strings.ReplaceAll(c.Quote, "\n", " "))
		}
	}
	return b.String()
}

// RenderAnswer lays an answer out as Discord messages, each within limit:
// the answer (with any notice first), then the sources, which always go in
// the last part or parts.
func RenderAnswer(a answer.Answer, limit int) []string {
	body := a.Text
	if a.Notice != "" {
		body = "_" + a.Notice + "_\n\n" + body
	}
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
