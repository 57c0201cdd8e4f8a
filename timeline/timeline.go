// Package timeline builds the crisis desk's views of the corpus over time:
// a chronology of the dated events its articles report ([Build]) and the
// articles that arrived or changed since a moment ([WhatsNew]). It sits
// beside answer/: it reads the index's passages, their sentences' resolved
// dates and the index's search, and knows nothing of Discord.
package timeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Index is what a timeline needs of the index: its passages with their
// dates, their articles, its search (to narrow to a topic) and its term
// weights. [*retrieval.Index] is one.
type Index interface {
	Passages() []corpus.Passage
	Article(id string) *corpus.Article
	Search(ctx context.Context, question string, k int) ([]retrieval.Hit, error)
	IDF(term string) float64
	Len() int
}

var _ Index = (*retrieval.Index)(nil)

// Options narrow a timeline.
type Options struct {
	// Topic, when not blank, keeps the events a question about it would
	// be answered from: sentences of passages the index's search finds by
	// its words, that name at least one of them and hold at least half of
	// the topic's weight (a word of the article's headline counting half).
	Topic string
	// From and To keep the events on or after From and on or before To,
	// by calendar day; a zero time leaves that end open.
	From, To time.Time
}

// ErrEmptyTopic is returned when a topic has no word to search by (only
// stop words or punctuation).
var ErrEmptyTopic = errors.New("timeline: the topic has no word to search by")

// Event is one line of a timeline: something that happened on a date, as
// one or more articles report it.
type Event struct {
	// Date is when it happened, as the first report's sentence gives it
	// (resolved: "on Wednesday" is a calendar date here).
	Date corpus.EventDate
	// Reports are the articles that report it, one each, the report
	// whose sentence the line shows first, then by publication.
	Reports []Report
	// Differ lists the figures the reports give differently for the
	// same counted thing; nil when they agree or give none.
	Differ []Disagreement
}

// Sentence is the sentence the line shows: the first report's.
func (e Event) Sentence() string { return e.Reports[0].Sentence }

// Report is one article's sentence about an event.
type Report struct {
	Article  *corpus.Article
	Sentence string
	// Span is where the sentence is in the article's Text.
	Span corpus.Span
	// Date is the sentence's date mention, resolved; its Start and End
	// are offsets in the article's Text.
	Date corpus.EventDate
}

// Disagreement is one counted thing the reports of an event give
// different figures for.
type Disagreement struct {
	// Thing is the counted noun as the first report writes it ("tourists").
	Thing   string
	Figures []Figure
}

// Figure is one report's figure for a counted thing.
type Figure struct {
	Value   string // as written: "26", "35 to 40", "five"
	Article *corpus.Article
}

// sameEvent is the least similarity, by the cosine of the IDF-weighted
// stems of their words (dates left out), at which two sentences of the
// same day from different articles are taken for one event. News reports
// of one event share its rare words — names, places, the act — while two
// events of one day in a crisis share mostly its common ones, which IDF
// weighs down.
const sameEvent = 0.25

// candidate is one dated sentence of the corpus before clustering.
type candidate struct {
	report Report
	pos    int                // order in the corpus, for stable ties
	vec    map[string]float64 // normalised IDF weights of the sentence's stems
	names  map[string]bool    // the stems of its capitalised words but the first
	// find and index are the posting keys it looks its likes up by and
	// is found by (see pairKeysOf).
	find, index []string
	figs        []figure
}

// Build returns the timeline of ix's corpus narrowed by opts, oldest
// first. Only sentences that carry a date expression of their own (a date,
// a weekday, "yesterday", "the previous night") make events, resolved to a
// day or a night, and only for what had happened by the article's
// publication: a date the article looks ahead to is a plan, not an event.
// Sentences of different articles on overlapping days and similar in
// content are one event, with all their citations.
func Build(ctx context.Context, ix Index, opts Options) ([]Event, error) {
	if ix == nil || ix.Len() == 0 {
		return nil, nil
	}
	keep, topic, err := selectPassages(ctx, ix, opts.Topic)
	if err != nil {
		return nil, err
	}
	var cands []candidate
	tc := &retrieval.TermCache{}
	ps := ix.Passages()
	for pi := range ps {
		p := &ps[pi]
		if keep != nil && !keep[p.ID] {
			continue
		}
		a := ix.Article(p.ArticleID)
		if a == nil {
			continue
		}
		for si, s := range p.Sentences {
			d, ok := eventDate(p, si, a)
			if !ok || !within(d, opts.From, opts.To) {
				continue
			}
			text := a.Text[s.Start:s.End]
			masked := maskDates(a.Text, s, p.Dates, si)
			if topic != nil && !topic.covers(tc, masked, a.Title) {
				continue
			}
			vec := weights(tc, ix, masked)
			if len(vec) < minTerms {
				continue
			}
			cands = append(cands, candidate{
				report: Report{Article: a, Sentence: strings.Join(strings.Fields(text), " "), Span: s, Date: d},
				pos:    len(cands),
				vec:    vec,
				names:  names(tc, masked),
				figs:   figures(tc, masked),
			})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range cands {
		cands[i].find, cands[i].index = pairKeysOf(&cands[i])
	}
	return cluster(cands), nil
}

// minTerms is the fewest content words a sentence needs to be an event:
// "On 7 May." or a dateline says nothing happened.
const minTerms = 3

// eventDate is the date sentence si of p is about: its first mention of
// a day (or a night) in a known year that is not after the article's
// publication.
func eventDate(p *corpus.Passage, si int, a *corpus.Article) (corpus.EventDate, bool) {
	for _, sd := range p.Dates {
		if sd.Sentence != si {
			continue
		}
		d := sd.EventDate
		if bound(a.Text, d.Start) {
			continue
		}
		if d.Precision != corpus.DayPrecision || !d.YearKnown || d.To.Sub(d.From) > 24*time.Hour {
			continue
		}
		if !a.Published.IsZero() && d.From.After(day(a.Published)) {
			continue
		}
		return d, true
	}
	return corpus.EventDate{}, false
}

// bound reports whether the mention at off of text only bounds a span
// ("since 23 April", "until Saturday", "by Friday"): the sentence is about
// something else that happened within it.
func bound(text string, off int) bool {
	w := strings.Fields(text[max(0, off-12):off])
	if len(w) == 0 {
		return false
	}
	switch strings.ToLower(w[len(w)-1]) {
	case "since", "until", "till", "by":
		return true
	}
	return false
}

// day is t's calendar day at midnight UTC, as dates are resolved.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// within reports whether d meets the days from..to (either may be zero).
func within(d corpus.EventDate, from, to time.Time) bool {
	if !from.IsZero() && d.To.Before(day(from)) {
		return false
	}
	if !to.IsZero() && d.From.After(day(to)) {
		return false
	}
	return true
}

// maskDates returns sentence s of text with every date mention in it
// blanked, so that two reports are compared on what happened, not on the
// day they share, and no date is read as a figure.
func maskDates(text string, s corpus.Span, dates []corpus.SentenceDate, si int) string {
	b := []byte(text[s.Start:s.End])
	for _, sd := range dates {
		if sd.Sentence != si {
			continue
		}
		for i := max(sd.Start, s.Start); i < min(sd.End, s.End); i++ {
			b[i-s.Start] = ' '
		}
	}
	return string(b)
}

// weights is the unit vector of IDF weights of the distinct stems of text.
func weights(tc *retrieval.TermCache, ix Index, text string) map[string]float64 {
	v := map[string]float64{}
	for _, t := range tc.Terms(text) {
		if isNumber(t) {
			continue // figures are compared apart; see figures
		}
		v[t] = ix.IDF(t)
	}
	var n float64
	for _, w := range v {
		n += w * w
	}
	n = math.Sqrt(n)
	if n == 0 {
		return nil
	}
	for t := range v {
		v[t] /= n
	}
	return v
}

func isNumber(t string) bool {
	for _, r := range t {
		if r < '0' || r > '9' {
			return false
		}
	}
	return t != ""
}

// names returns the index terms of the capitalised words of a sentence
// after its first: the people, places and bodies it is about.
func names(tc *retrieval.TermCache, s string) map[string]bool {
	out := map[string]bool{}
	first := true
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' }) {
		r, _ := utf8.DecodeRuneInString(w)
		if !first && unicode.IsUpper(r) {
			for _, t := range tc.Terms(w) {
				out[t] = true
			}
		}
		first = false
	}
	return out
}

// shareNames reports whether two sentences that both name someone or
// somewhere name one in common: two sentences of one day alike in their
// words but about different places or people are two events.
func shareNames(a, b map[string]bool) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for n := range a {
		if b[n] {
			return true
		}
	}
	return false
}

// pairKeys is how many of a sentence's rarest words it is found by.
const pairKeys = 5

// pairKeysOf says how a candidate meets the others it is compared with.
// Two sentences that both name someone are one event only if they share a
// name, so a sentence with names meets those sharing one of its rarest
// [pairKeys] names, and the sentences without names that share one of its
// rarest words; a sentence without names meets every sentence sharing one
// of its rarest words. A day of a large corpus holds thousands of dated
// sentences, and comparing each with each would take minutes.
func pairKeysOf(c *candidate) (find, index []string) {
	words := rarest(c.vec, pairKeys)
	if len(c.names) == 0 {
		for _, w := range words {
			find = append(find, "w:"+w)
			index = append(index, "w:"+w, "u:"+w)
		}
		return find, index
	}
	named := map[string]float64{}
	for n := range c.names {
		named[n] = c.vec[n]
	}
	for _, n := range rarest(named, pairKeys) {
		find = append(find, "n:"+n)
		index = append(index, "n:"+n)
	}
	for _, w := range words {
		find = append(find, "u:"+w)
		index = append(index, "w:"+w)
	}
	return find, index
}

// rarest returns the n terms of v with the highest weights.
func rarest(v map[string]float64, n int) []string {
	keys := make([]string, 0, len(v))
	for t := range v {
		keys = append(keys, t)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(v[b], v[a]), strings.Compare(a, b)) })
	return keys[:min(n, len(keys))]
}

// cosine of two unit vectors.
func cosine(a, b map[string]float64) float64 {
	if len(b) < len(a) {
		a, b = b, a
	}
	var s float64
	for t, w := range a {
		s += w * b[t]
	}
	return s
}

// group is an event being gathered.
type group struct {
	members []*candidate
}

// linkage is the mean similarity of the members of two groups, or 0 when
// they cannot be one event: an article in both, days that do not overlap,
// or two members that name no one in common.
func linkage(g, h *group) float64 {
	var s float64
	for _, a := range g.members {
		for _, b := range h.members {
			if a.report.Article == b.report.Article || !a.report.Date.Overlaps(b.report.Date) || !shareNames(a.names, b.names) {
				return 0
			}
			s += cosine(a.vec, b.vec)
		}
	}
	return s / float64(len(g.members)*len(h.members))
}

// cluster gathers the candidates into events, oldest first, by average
// linkage: the most similar pair of sentences first, two groups joining
// while the mean similarity of their members reaches [sameEvent]. A
// sentence as like another of its own article is the article saying it
// again, and is dropped.
func cluster(cands []candidate) []Event {
	slices.SortStableFunc(cands, func(a, b candidate) int {
		return cmp.Or(a.report.Date.From.Compare(b.report.Date.From), cmp.Compare(a.pos, b.pos))
	})
	for i := range cands {
		cands[i].pos = i // from here on, pos is the index in cands
	}
	type pair struct {
		i, j int
		sim  float64
	}
	// Only sentences that meet by their rarest names or words (see
	// pairKeysOf) are compared.
	var pairs []pair
	postings := map[string][]int{}
	seen := map[int]bool{}
	for i := range cands {
		b := &cands[i]
		clear(seen)
		for _, k := range b.find {
			list := postings[k]
			for n := len(list) - 1; n >= 0; n-- {
				j := list[n]
				a := &cands[j]
				if a.report.Date.From.Before(b.report.Date.From.AddDate(0, 0, -2)) {
					break // sorted by day: no earlier candidate overlaps b
				}
				if seen[j] {
					continue
				}
				seen[j] = true
				if !a.report.Date.Overlaps(b.report.Date) || !shareNames(a.names, b.names) {
					continue
				}
				if sim := cosine(a.vec, b.vec); sim >= sameEvent {
					pairs = append(pairs, pair{j, i, sim})
				}
			}
		}
		for _, k := range b.index {
			postings[k] = append(postings[k], i)
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Compare(y.sim, x.sim) })
	of := make([]*group, len(cands))
	for i := range cands {
		of[i] = &group{members: []*candidate{&cands[i]}}
	}
	dropped := make([]bool, len(cands))
	for _, p := range pairs {
		g, h := of[p.i], of[p.j]
		if g == h || dropped[p.i] || dropped[p.j] {
			continue
		}
		if cands[p.i].report.Article == cands[p.j].report.Article {
			if len(h.members) == 1 {
				dropped[p.j] = true
			}
			continue
		}
		if linkage(g, h) < sameEvent {
			continue
		}
		g.members = append(g.members, h.members...)
		for _, m := range h.members {
			of[m.pos] = g
		}
	}
	var events []Event
	done := map[*group]bool{}
	for i := range cands {
		g := of[i]
		if dropped[i] || done[g] {
			continue
		}
		done[g] = true
		g.members = slices.DeleteFunc(g.members, func(m *candidate) bool { return dropped[m.pos] })
		if len(g.members) > 0 {
			events = append(events, g.event())
		}
	}
	// Within a day, what more outlets report comes first, then what was
	// reported first.
	slices.SortStableFunc(events, func(a, b Event) int {
		ra, rb := a.Reports[0], b.Reports[0]
		return cmp.Or(
			a.Date.From.Compare(b.Date.From),
			a.Date.To.Compare(b.Date.To),
			cmp.Compare(a.Date.Clock, b.Date.Clock),
			cmp.Compare(len(b.Reports), len(a.Reports)),
			ra.Article.Published.Compare(rb.Article.Published),
			strings.Compare(ra.Article.ID, rb.Article.ID),
			cmp.Compare(ra.Span.Start, rb.Span.Start),
		)
	})
	return events
}

// event turns a group into an event: the member most like the others
// leads — of two, or near ties, the one that says more and was written
// nearer the event (a later article mentions it in passing), then the
// one that gives a time of day — and the rest follow by publication.
func (g *group) event() Event {
	lead := 0
	leadSim := -1.0
	for i, m := range g.members {
		var s float64
		for j, o := range g.members {
			if i != j {
				s += cosine(m.vec, o.vec)
			}
		}
		s += 1e-3 * float64(len(m.vec))
		if pub := m.report.Article.Published; !pub.IsZero() {
			s -= 2e-3 * max(0, day(pub).Sub(m.report.Date.From).Hours()/24)
		}
		if m.report.Date.Clock != "" {
			s += 1e-6
		}
		if s > leadSim+1e-9 {
			lead, leadSim = i, s
		}
	}
	ms := slices.Clone(g.members)
	ms[0], ms[lead] = ms[lead], ms[0]
	rest := ms[1:]
	slices.SortStableFunc(rest, func(a, b *candidate) int {
		return cmp.Or(a.report.Article.Published.Compare(b.report.Article.Published), strings.Compare(a.report.Article.ID, b.report.Article.ID))
	})
	e := Event{Date: ms[0].report.Date}
	for _, m := range ms {
		e.Reports = append(e.Reports, m.report)
	}
	e.Differ = disagreements(ms)
	return e
}

// topicFilter is a topic's words with their weights.
type topicFilter struct {
	weight map[string]float64
	total  float64
}

// covers reports whether a sentence names the topic — one of its words at
// least — and, with its article's headline counting half, holds at least
// half of the topic's weight: a line must say what it is listed for, not
// only stand in an article about it.
func (t *topicFilter) covers(tc *retrieval.TermCache, sentence, title string) bool {
	in := map[string]bool{}
	for _, w := range tc.Terms(sentence) {
		in[w] = true
	}
	head := map[string]bool{}
	for _, w := range tc.Terms(title) {
		head[w] = true
	}
	var got float64
	named := false
	for w, x := range t.weight {
		switch {
		case in[w]:
			got += x
			named = true
		case head[w]:
			got += x / 2
		}
	}
	return named && got >= t.total/2
}

// selectPassages returns the passages a question about topic retrieves by
// its words (all of them, when topic is blank: nil), and the filter the
// sentences must pass.
func selectPassages(ctx context.Context, ix Index, topic string) (map[string]bool, *topicFilter, error) {
	topic = strings.TrimSpace(topic)
	if topic == "" {
		return nil, nil, nil
	}
	f := &topicFilter{weight: map[string]float64{}}
	for _, w := range retrieval.Terms(topic) {
		if _, ok := f.weight[w]; !ok {
			f.weight[w] = ix.IDF(w)
			f.total += ix.IDF(w)
		}
	}
	if len(f.weight) == 0 {
		return nil, nil, usererr.Wrap(ErrEmptyTopic, "That topic has no word to search by; try a name, a place or a thing (“drones”, “ceasefire”).")
	}
	hits, err := ix.Search(ctx, topic, ix.Len())
	if err != nil {
		return nil, nil, fmt.Errorf("timeline: %w", err)
	}
	keep := map[string]bool{}
	for _, h := range hits {
		// The lexical score says the passage holds the topic's words; the
		// vector similarity alone says only that it is near them.
		if h.Lexical > 0 {
			keep[h.Passage.ID] = true
		}
	}
	return keep, f, nil
}
