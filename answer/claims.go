package answer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// A model's answer is checked sentence by sentence: a marker that names a
// real passage proves nothing by itself, and one valid marker must not carry
// the sentences around it. Each sentence must cite a passage, and a passage
// it cites must hold its names, its numbers, its dates and enough of its
// words; a sentence that fails is removed and the answer says how many
// were. The same checks decide, without a model, what a sentence of a
// source may answer, so both answerers rest on one notion of support.

// claimCheck is the verdict on one sentence of a model's answer.
type claimCheck struct {
	text    string // the sentence, markers included
	markers []int  // passage numbers it cites, as the prompt numbered them
	reason  string // why it was removed; "" when kept
}

// minClaimCoverage is the share of a claim's words besides its names that a
// cited passage must hold. It is lower than the extractive floor's purpose
// would suggest because a model paraphrases: it is the names, numbers and
// dates that must match exactly.
const minClaimCoverage = 0.34

// checkClaims checks every sentence of text (markers numbered as the
// prompt numbered hits) against the passages it cites and returns the
// sentences, each with its verdict.
func (c checks) checkClaims(text string, ix *retrieval.Index, hits []retrieval.Hit) []claimCheck {
	var out []claimCheck
	var sentences []string
	// A line break ends a statement too: a model's list items and code
	// blocks are statements of their own.
	for _, line := range strings.Split(text, "\n") {
		for _, s := range corpus.SplitSentences(line) {
			sentences = append(sentences, line[s.Start:s.End])
		}
	}
	for _, sentence := range sentences {
		sentence = strings.TrimSpace(sentence)
		if sentence == "" {
			continue
		}
		cc := claimCheck{text: sentence, markers: markersIn(sentence)}
		switch {
		case len(cc.markers) == 0:
			cc.reason = "it cites no source"
		default:
			cc.reason = c.claimSupported(plainClaim(stripMarkers(sentence)), cc.markers, ix, hits)
		}
		out = append(out, cc)
	}
	return mergeTrailingMarkers(out)
}

// mergeTrailingMarkers joins a sentence that is only markers ("[2].") to
// the one before it, where a model sometimes puts them.
func mergeTrailingMarkers(cs []claimCheck) []claimCheck {
	var out []claimCheck
	for _, c := range cs {
		if len(out) > 0 && strings.Trim(stripMarkers(c.text), " .") == "" {
			prev := &out[len(out)-1]
			prev.text += " " + c.text
			prev.markers = append(prev.markers, c.markers...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// markupRE matches what a model may wrap around a statement without
// changing what it says: Discord mentions, Markdown emphasis and code
// marks, and a masked link's address.
var markupRE = regexp.MustCompile("<[@#][!&]?\\d+>|@everyone|@here|\\*\\*|__|`+|\\]\\([^)]*\\)|\\[")

// plainClaim is a statement without its markup, for checking: the bot
// neutralises mentions and Markdown when it sends the answer, and they are
// no claim a source must hold.
func plainClaim(s string) string {
	return strings.Join(strings.Fields(markupRE.ReplaceAllString(s, " ")), " ")
}

// markersIn returns the passage numbers a sentence's markers name.
func markersIn(s string) []int {
	var out []int
	for _, m := range markerRE.FindAllString(s, -1) {
		for _, f := range strings.Split(strings.Trim(m, "[] "), ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// claimSupported returns "" when one of the cited passages supports the
// claim, else why none does (for the first cited passage).
func (c checks) claimSupported(claim string, markers []int, ix *retrieval.Index, hits []retrieval.Hit) string {
	first := ""
	for _, n := range markers {
		if n < 1 || n > len(hits) {
			continue
		}
		why := c.supports(claim, hits[n-1], ix)
		if why == "" {
			return ""
		}
		if first == "" {
			first = why
		}
	}
	if first == "" {
		first = "it cites no passage that exists"
	}
	return first
}

// supports checks one claim against one passage (with its article's
// headline): "" when the passage holds the claim's names, numbers, dates
// and enough of its words.
func (c checks) supports(claim string, h retrieval.Hit, ix *retrieval.Index) string {
	a := h.Article
	ptext := h.Passage.Text
	pws := splitWords(ptext, 0, len(ptext))
	pws = append(pws, splitWords(a.Title, 0, len(a.Title))...)
	terms := map[string]bool{}
	for _, w := range pws {
		if w.term != "" {
			terms[w.term] = true
		}
	}

	q := analyse(claim, a.Published, ix.IDF, ix.Has)
	for i := range q.names {
		if !nameMatched(q.nameWords[i], pws) {
			return fmt.Sprintf("the source does not mention %q", q.nameText[i])
		}
	}

	// Every number of the claim must be a number of the passage: a model
	// writing "about 40 were killed" over a passage that says 26 is
	// inventing a figure.
	have := map[string]bool{}
	for i, w := range pws {
		if w.num {
			have[normaliseNumber(pws, i)] = true
			have[numberValue(w.lower)] = true
		}
	}
	cws := splitWords(claim, 0, len(claim))
	dates := corpus.ExtractDates(claim, a.Published)
	for i, w := range cws {
		if !w.num || inMention(w, dates) || isHandle(claim, w) {
			continue
		}
		if !have[numberValue(w.lower)] && !have[normaliseNumber(cws, i)] {
			return fmt.Sprintf("the source does not give the figure %q", w.raw)
		}
	}

	// Every date of the claim must be a date of the passage, each resolved
	// against its own text's date.
	pdates := corpus.ExtractDates(ptext, a.Published)
	for _, d := range dates {
		if !dateIn(d, pdates) {
			return fmt.Sprintf("the source does not give the date %q", claim[d.Start:d.End])
		}
	}

	if cov := c.contentCoverage(&q, pws, terms, nil); cov < minClaimCoverage {
		return fmt.Sprintf("the source holds %.0f%% of its words", 100*cov)
	}
	return ""
}

// isHandle reports whether a number is part of markup rather than prose:
// a Discord mention or channel ("<@789>", "<@&123>", "<#55>") or a
// handle. The bot neutralises those when it sends the answer; they are no
// figure a source must give.
func isHandle(text string, w word) bool {
	if w.start == 0 {
		return false
	}
	switch text[w.start-1] {
	case '@', '&', '#', ':':
		return true
	}
	return false
}

// inMention reports whether a word lies inside one of the date mentions.
func inMention(w word, ds []corpus.EventDate) bool {
	for _, d := range ds {
		if w.start >= d.Start && w.end <= d.End {
			return true
		}
	}
	return false
}

// dateIn reports whether d names a day that one of ds covers.
func dateIn(d corpus.EventDate, ds []corpus.EventDate) bool {
	for _, p := range ds {
		if d.Overlaps(p) {
			return true
		}
	}
	return false
}

// resolveClaimDates adds the calendar date after each relative date of a
// kept sentence ("on Wednesday (30 April 2025)"), counted from the date of
// the article the sentence cites first: a model copies "on Wednesday" from
// a passage whose Wednesday the reader cannot know.
func resolveClaimDates(sentence string, published time.Time) string {
	if published.IsZero() {
		return sentence
	}
	var b strings.Builder
	last := 0
	for _, d := range corpus.ExtractDates(sentence, published) {
		if !d.Relative || !d.YearKnown || insideQuote(sentence, d.Start) {
			continue
		}
		b.WriteString(sentence[last:d.End])
		fmt.Fprintf(&b, " (%s)", d.String())
		last = d.End
	}
	b.WriteString(sentence[last:])
	return b.String()
}
