package answer

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// composeExtractive answers from the retrieved passages: it checks every
// sentence of them against the question, quotes the best one that passes,
// and — when sentences from other sources that also pass give another
// value for what was asked — quotes those too, saying that sources differ.
func (e *Extractive) composeExtractive(q Question, ix *retrieval.Index, hits []retrieval.Hit) Answer {
	a := e.analyse(q, ix)
	f := e.findEvidence(&a, hits)
	return assemble(q.Text, []*analysis{&a}, []finding{f})
}

// finding is what the checks found for one question, or one part of it.
type finding struct {
	chosen  []evidence // what to quote, best first; empty when refused
	passed  []evidence // every sentence that answers, best first
	support float64
	reason  string // why it was refused
	trace   []string
}

// findEvidence checks every sentence of the hits against the question and
// picks what to quote.
func (e *Extractive) findEvidence(a *analysis, hits []retrieval.Hit) finding {
	var f finding
	if a.event != "" {
		if len(a.dates) > 0 {
			f.trace = append(f.trace, fmt.Sprintf("dated %q by the corpus: %s %s", a.event, map[dateRelation]string{dateBy: "up to", dateAfter: "from"}[a.rel], a.dates[0].From.Format("2 January 2006")))
		} else {
			f.trace = append(f.trace, fmt.Sprintf("the corpus does not date %q", a.event))
		}
	}
	for _, h := range hits {
		f.trace = append(f.trace, fmt.Sprintf("retrieved %s", h.Passage.ID))
	}

	var passed, failed []evidence
	seen := map[string]bool{}
	heads := map[string]*headWords{}
	for r, h := range hits {
		vs := e.checks.stems.views(r, h, heads, a.speakerAsked())
		if !seen[h.Article.ID] {
			// The headline is the report's own sentence too, and often the
			// one that gives its figure.
			seen[h.Article.ID] = true
			if v, ok := e.checks.stems.headlineView(r, h.Article, heads[h.Article.ID]); ok {
				vs = append(vs, v)
			}
		}
		for _, v := range vs {
			key := v.key()
			if seen[key] {
				continue // the same sentence reached through two passages
			}
			seen[key] = true
			ev := e.checks.verify(a, v)
			if ev.fail == "" {
				passed = append(passed, ev)
			} else {
				failed = append(failed, ev)
			}
		}
	}
	passed = preferOwnVerb(a, preferBody(preferExactFocus(a, passed)))
	slices.SortStableFunc(passed, strongerFirst)
	slices.SortStableFunc(failed, strongerFirst)

	if len(passed) == 0 {
		if len(failed) > 0 {
			best := failed[0]
			f.support = best.coverage
			f.reason = fmt.Sprintf("the closest sentence (%s) does not answer: %s", best.view.article.ID, best.fail)
			for _, x := range failed[:min(3, len(failed))] {
				f.trace = append(f.trace, fmt.Sprintf("refused %s: %s: %q", x.view.article.ID, x.fail, clip(quoteOf(x.view), 120)))
			}
		} else {
			f.reason = "no passage was retrieved"
		}
		return f
	}
	if a.latest {
		passed = newestFirst(passed)
	}
	f.support = passed[0].coverage
	f.passed = passed
	f.chosen = e.choose(a, passed)
	for _, c := range f.chosen {
		missing := ""
		if len(c.missing) > 0 {
			missing = fmt.Sprintf(", without %q", strings.Join(c.missing, " "))
		}
		f.trace = append(f.trace, fmt.Sprintf("chose %s (coverage %.2f, value %q%s): %q", c.view.article.ID, c.coverage, c.value, missing, clip(quoteOf(c.view), 120)))
	}
	return f
}

// strongerFirst orders candidates: first those that lack fewer of the
// question's words in every form, then by coverage, then by the rank of
// their passage. Coverage weighs words by rarity, so a sentence with the
// question's rarest word can outweigh one that says more of what was
// asked; the one that says more is the better answer.
func strongerFirst(x, y evidence) int {
	switch {
	case len(x.missing) != len(y.missing):
		return len(x.missing) - len(y.missing)
	case x.coverage > y.coverage+1e-9:
		return -1
	case y.coverage > x.coverage+1e-9:
		return 1
	}
	return x.view.hit - y.view.hit
}

// assemble writes the answer to a question from the findings for its
// parts: each part's quotes in turn, numbered on from the part before; the
// refusal when no part is answered.
func assemble(question string, parts []*analysis, fs []finding) Answer {
	ans := Answer{Question: question, Mode: ModeExtractive}
	var texts, reasons []string
	answered := 0
	quoted := map[string]bool{}
	numbered := map[string]int{}
	for i, f := range fs {
		ans.Trace = append(ans.Trace, f.trace...)
		if len(f.chosen) == 0 {
			reasons = append(reasons, f.reason)
			continue
		}
		answered++
		if ans.Support == 0 || f.support < ans.Support {
			ans.Support = f.support
		}
		fresh := false
		for _, c := range f.chosen {
			key := c.view.key()
			if !quoted[key] {
				fresh = true
			}
			quoted[key] = true
		}
		if !fresh {
			continue // the quotes for an earlier part answer this one too
		}
		text, cites := render(parts[i], f.chosen, len(ans.Citations), numbered)
		texts = append(texts, text)
		ans.Citations = append(ans.Citations, cites...)
	}
	if answered == 0 {
		ans.Abstained = true
		ans.Text = NoAnswer
		ans.Support = fs[0].support
		ans.Reason = strings.Join(reasons, "; ")
		return ans
	}
	if answered < len(fs) {
		texts = append(texts, "The sources I have don't answer the rest of the question.")
	}
	ans.Text = strings.Join(texts, " ")
	return ans
}

// preferExactFocus keeps, when some sentences name the asked thing by its
// own word, only those: a near synonym stands in only where the word
// itself is missing, since GloVe's neighbours include opposites ("soldiers",
// "civilians").
func preferExactFocus(a *analysis, passed []evidence) []evidence {
	if a.focus == "" || !slices.ContainsFunc(passed, func(ev evidence) bool { return ev.focusExact }) {
		return passed
	}
	return slices.DeleteFunc(passed, func(ev evidence) bool { return !ev.focusExact })
}

// preferOwnVerb keeps, of the sentences that passed, those that say the
// verb of a "who" question in its own word, when any does: "the committee
// rejected the measures" passes for "who chaired the committee" only
// because the verb is not required, and the sentence that says who chaired
// it is the answer.
func preferOwnVerb(a *analysis, passed []evidence) []evidence {
	has := func(ev evidence) bool { return hasTerm(ev.view.words, a.verbWeighed) }
	if a.verbWeighed == "" || !slices.ContainsFunc(passed, has) {
		return passed
	}
	return slices.DeleteFunc(passed, func(ev evidence) bool { return !has(ev) })
}

// preferBody drops a headline that passed where a sentence of the same
// report passed too: a headline is the report's summary, its body says
// the same more exactly ("Harop drones", not "Israeli-made drones").
func preferBody(passed []evidence) []evidence {
	body := map[string]bool{}
	for _, ev := range passed {
		if !ev.view.headline {
			body[ev.view.article.ID] = true
		}
	}
	return slices.DeleteFunc(passed, func(ev evidence) bool { return ev.view.headline && body[ev.view.article.ID] })
}

// choose picks the sentences to quote: the best, then any from other
// articles that give a different value for the asked slot (the sides of a
// disagreement), then, for open questions, a sentence from another source
// that is nearly as well supported.
func (e *Extractive) choose(a *analysis, passed []evidence) []evidence {
	best := passed[0]
	chosen := []evidence{best}
	has := func(ev evidence) bool {
		for _, c := range chosen {
			if c.view.article.ID == ev.view.article.ID && c.view.headline == ev.view.headline && c.view.span.Start < ev.view.span.End && ev.view.span.Start < c.view.span.End {
				return true
			}
		}
		return false
	}
	values := map[string]bool{best.value: true}
	sources := map[string]bool{sourceOf(best.view.article): true}
	articles := map[string]bool{best.view.article.ID: true}
	for _, ev := range passed[1:] {
		if len(chosen) >= e.cfg.MaxSentences {
			break
		}
		if has(ev) {
			continue
		}
		switch {
		case comparable(a.slot) && ev.value != "" && !values[ev.value] && !sources[sourceOf(ev.view.article)] && (a.slot != slotTime || ev.coverage >= 0.75*best.coverage):
			// Another source gives another figure or time for what passed
			// every check: a disagreement the reader must see, even when
			// that source words the rest of the question differently. A
			// figure is held to the asked thing by the checks; any dated
			// sentence has a time, so another time must also speak of
			// about as much of the question.
		case comparable(a.slot) && a.speakerAsked() && ev.value != "" && !values[ev.value] && !articles[ev.view.article.ID]:
			// The asked speaker's figure in another report, by the same
			// outlet too: a revision the reader must see.
		case !comparable(a.slot) && !sources[sourceOf(ev.view.article)] && ev.coverage >= 0.9*best.coverage && ev.coverage >= 0.75*best.coverage:
			// Another source's account of the same thing.
		default:
			continue
		}
		chosen = append(chosen, ev)
		values[ev.value] = true
		sources[sourceOf(ev.view.article)] = true
		articles[ev.view.article.ID] = true
	}
	return chosen
}

// comparable reports whether two sentences' values for a slot can be told
// apart as a disagreement: figures and times can; the names a sentence
// holds differ from sentence to sentence without anyone disagreeing.
func comparable(k slotKind) bool {
	return k == slotCount || k == slotTime || k == slotDuration || k == slotDistance || k == slotAge || k == slotSize
}

// render writes the answer: one quote, or — when the sources give
// different values for what was asked — each source's quote, attributed.
// A "when" answer leads with the resolved date; relative dates in quotes
// are resolved in brackets; counts and "latest" answers say as of when.
func render(a *analysis, chosen []evidence, offset int, cited map[string]int) (string, []Citation) {
	var cites []Citation
	if cited == nil {
		cited = map[string]int{}
	}
	var b strings.Builder
	differ := false
	if comparable(a.slot) && len(chosen) > 1 {
		for _, c := range chosen[1:] {
			if c.value != chosen[0].value {
				differ = true
			}
		}
	}
	// One speaker's figures, or one side's, that differ between reports
	// are revisions: the newest leads and the earlier ones follow as such.
	revised := differ && (a.speakerAsked() || oneSide(chosen))
	if revised {
		chosen = newestPublishedFirst(chosen)
	}
	switch {
	case revised:
		b.WriteString("Latest: ")
	case differ:
		b.WriteString("Sources differ: ")
	}
	if !differ && len(chosen) > 1 {
		// A quote an earlier part of the answer gave is not given again
		// beside this part's own.
		rest := slices.DeleteFunc(slices.Clone(chosen), func(c evidence) bool { _, ok := cited[c.view.key()]; return ok })
		if len(rest) > 0 {
			chosen = rest
		}
	}
	for i, c := range chosen {
		quote := quoteOf(c.view)
		// A quote an earlier part of the answer cited keeps its number.
		n, ok := cited[c.view.key()]
		if !ok {
			n = offset + len(cites) + 1
			cited[c.view.key()] = n
			cites = append(cites, citationFor(n, c.view.article, quote))
		}
		if i > 0 {
			switch {
			case revised && i == 1:
				b.WriteString("; earlier: ")
			case differ:
				b.WriteString("; ")
			default:
				b.WriteString(" ")
			}
		}
		if differ {
			fmt.Fprintf(&b, "%s: ", attribution(c.view.article))
		}
		// A "when" answer leads with its date; a length worked out from
		// two times leads with it too, since the quote does not say it.
		if i == 0 && !differ && c.value != "" && (a.slot == slotTime ||
			a.slot == slotDuration && !strings.Contains(strings.ToLower(quote), strings.ToLower(c.value))) {
			fmt.Fprintf(&b, "%s: ", c.value)
		}
		fmt.Fprintf(&b, "%s [%d]%s", quote, n, resolvedNote(c.view))
	}
	if differ {
		b.WriteString(".")
	}
	if a.contested && oneSource(chosen) {
		// The asker wants every side's account; one outlet's alone must
		// not read as the whole story.
		fmt.Fprintf(&b, " (Only %s's account answers this; the other sources I have don't give theirs.)", sourceOf(chosen[0].view.article))
	}
	if a.slot == slotCount || a.latest {
		if d := newestPublished(chosen); !d.IsZero() {
			fmt.Fprintf(&b, " (As of %s.)", d.Format("2 January 2006"))
		}
	}
	return b.String(), cites
}

// oneSource reports whether every quote comes from the same outlet.
func oneSource(chosen []evidence) bool {
	for _, c := range chosen[1:] {
		if sourceOf(c.view.article) != sourceOf(chosen[0].view.article) {
			return false
		}
	}
	return true
}

// attribution names a quote's source for a "Sources differ" line: its
// outlet, then its origin and date when known: "Potohar Post (Pakistani,
// 12 May 2025)".
func attribution(a *corpus.Article) string {
	var about []string
	if o := corpus.OriginLabel(a.Origin); o != "" {
		about = append(about, o)
	}
	if !a.Published.IsZero() {
		about = append(about, a.Published.Format("2 January 2006"))
	}
	if len(about) == 0 {
		return sourceOf(a)
	}
	return fmt.Sprintf("%s (%s)", sourceOf(a), strings.Join(about, ", "))
}

// sourceOf is who published an article: its outlet, else its site, else
// its ID.
func sourceOf(a *corpus.Article) string {
	if a.Source != "" {
		return a.Source
	}
	if a.URL != "" {
		if host := hostOf(a.URL); host != "" {
			return host
		}
	}
	return a.ID
}

func hostOf(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	return strings.TrimPrefix(host, "www.")
}

// resolvedNote says, after a quote, which days its relative dates are
// ("Friday: 9 May 2025"). The quote itself stays as the source wrote it,
// and a date inside quotation marks is left alone: "today" in a statement
// is the day it was made, which the article need not give.
func resolvedNote(v sentenceView) string {
	text := v.article.Text[v.span.Start:v.span.End]
	var notes []string
	seen := map[string]bool{}
	for _, d := range v.dates {
		if !d.Relative || !d.YearKnown || d.End > len(text) || insideQuote(text, d.Start) {
			continue
		}
		note := fmt.Sprintf("%s: %s", strings.TrimSpace(text[d.Start:d.End]), d.String())
		if !seen[note] {
			seen[note] = true
			notes = append(notes, note)
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

// insideQuote reports whether pos in text lies inside quotation marks.
func insideQuote(text string, pos int) bool {
	open := false
	for i, r := range text {
		if i >= pos {
			break
		}
		switch r {
		case '“':
			open = true
		case '”':
			open = false
		case '"':
			open = !open
		}
	}
	return open
}

func newestPublished(chosen []evidence) time.Time {
	var t time.Time
	for _, c := range chosen {
		if c.view.article.Published.After(t) {
			t = c.view.article.Published
		}
	}
	return t
}

// oneSide reports whether every quote comes from outlets of one origin,
// as sources.yaml labels them ("pakistani"): then differing figures are
// that side's reports over time, not a disagreement between sides.
// Unlabelled outlets are no side.
func oneSide(chosen []evidence) bool {
	origin := chosen[0].view.article.Origin
	if origin == "" {
		return false
	}
	for _, c := range chosen[1:] {
		if !strings.EqualFold(c.view.article.Origin, origin) || c.view.article.Published.Equal(chosen[0].view.article.Published) {
			return false
		}
	}
	return true
}

// newestPublishedFirst orders quotes by their articles' dates, newest
// first, keeping the order of quotes of the same day.
func newestPublishedFirst(evs []evidence) []evidence {
	out := slices.Clone(evs)
	slices.SortStableFunc(out, func(x, y evidence) int {
		return y.view.article.Published.Compare(x.view.article.Published)
	})
	return out
}

// newestFirst orders evidence that is about equally strong by its
// article's date, newest first: "latest" questions want the newest report.
func newestFirst(evs []evidence) []evidence {
	out := slices.Clone(evs)
	top := out[0].coverage
	slices.SortStableFunc(out, func(x, y evidence) int {
		xs, ys := x.coverage >= 0.9*top, y.coverage >= 0.9*top
		if xs != ys {
			if xs {
				return -1
			}
			return 1
		}
		if xs {
			return y.view.article.Published.Compare(x.view.article.Published)
		}
		return 0
	})
	return out
}

// quoteOf is the quoted text of a view.
func quoteOf(v sentenceView) string {
	start, end := v.span.Start, v.span.End
	if v.context.End > v.context.Start && v.context.End <= v.span.Start && (opensWithPronoun(v.words) || v.leansOnContext) {
		// "He said the two governments had agreed…" is quoted with the
		// sentence that says who he is: the answer must show whose words
		// it gives.
		start = v.context.Start
	}
	if v.refers.End > v.refers.Start && v.refers.End <= v.span.Start {
		start = min(start, v.refers.Start)
	}
	// The sentence beside it that holds the asked verb is shown too:
	// "what did Trump congratulate them on" is answered by the post's
	// next sentence, not by its first alone.
	if v.withPrev && v.prevSpan.End > v.prevSpan.Start && v.prevSpan.End <= v.span.Start {
		start = min(start, v.prevSpan.Start)
	}
	if v.withNext && v.next.Start >= v.span.End && v.next.End > v.next.Start {
		end = v.next.End
	}
	return strings.TrimSpace(v.article.Text[start:end])
}

// opensWithPronoun reports whether a sentence's first word is a pronoun
// that stands for someone or something named before it.
func opensWithPronoun(ws []word) bool {
	if len(ws) == 0 {
		return false
	}
	switch ws[0].lower {
	case "he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those":
		return true
	}
	return false
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// views returns the candidate sentences of a hit, each with its dates and
// the context a pronoun points back to. A sentence that the next one
// continues ("He said…") is taken together with it. With paragraphs, each
// also gets the words of its paragraph before it, which only questions
// about a speaker read.
func (st *stemmer) views(rank int, h retrieval.Hit, heads map[string]*headWords, paragraphs bool) []sentenceView {
	a := h.Article
	text := a.Text
	sents := h.Passage.Sentences
	out := make([]sentenceView, 0, len(sents))
	dates := make([][]corpus.EventDate, len(sents))
	if h.Passage.Dates != nil {
		// The index resolved them when it was built; a passage without
		// any is checked again, which costs little.
		for _, d := range h.Passage.Dates {
			if d.Sentence >= 0 && d.Sentence < len(sents) {
				e := d.EventDate
				e.Start -= sents[d.Sentence].Start
				e.End -= sents[d.Sentence].Start
				dates[d.Sentence] = append(dates[d.Sentence], e)
			}
		}
	} else {
		for i, s := range sents {
			dates[i] = sentenceDates(a, s)
		}
	}
	hw := heads[a.ID]
	if hw == nil {
		hw = st.headWords(a)
		if heads != nil {
			heads[a.ID] = hw
		}
	}
	title, headline, leadWords := hw.title, hw.both, hw.lead
	var prior time.Time // the day the passage's sentences before named
	for i, s := range sents {
		if i > 0 {
			prior = corpus.DayInView(text[sents[i-1].Start:sents[i-1].End], dates[i-1], prior)
		}
		span := s
		ds := dates[i]
		if i+1 < len(sents) && (continues(text, s, sents[i+1]) || tooShort(text, s) && !paragraphBreak(text, s, sents[i+1])) {
			// A sentence the next continues is quoted with it, and so is
			// one too short to say anything alone ("On Thursday night it
			// was Jammu's turn.").
			span.End = sents[i+1].End
			ds = append(slices.Clip(ds), shift(dates[i+1], sents[i+1].Start-s.Start)...)
		} else if i+1 == len(sents) {
			if next, ok := nextSentence(text, s); ok {
				// The sentence keeps the dates the index gave it; the next
				// one counts from the last day named by then.
				span.End = next.End
				more := corpus.ExtractDatesAfter(text[next.Start:next.End], a.Published, corpus.DayInView(text[s.Start:s.End], ds, prior))
				ds = append(slices.Clip(ds), shift(more, next.Start-s.Start)...)
			}
		}
		if start, ok := quoteStart(text, span.Start); ok {
			// A quotation split into sentences is quoted whole: its
			// speaker and its opening words belong to it.
			ds = corpus.ExtractDatesAfter(text[start:span.End], a.Published, prior)
			span.Start = start
		}
		if end, ok := quoteEnd(text, span); ok {
			// And so is one that the sentence opens: "said: \"It's a
			// shame." is not the whole of what was said.
			more := corpus.ExtractDatesAfter(text[span.End:end], a.Published, corpus.DayInView(text[span.Start:span.End], ds, prior))
			ds = append(slices.Clip(ds), shift(more, span.End-span.Start)...)
			span.End = end
		}
		v := sentenceView{hit: rank, article: a, span: span, dates: ds}
		v.words = st.words(text, span.Start, span.End)
		if para := strings.LastIndex(text[:span.Start], "\n\n") + 1; paragraphs && para < span.Start {
			v.before = st.words(text, para, span.Start)
		}
		v.around = headline
		v.title = title
		v.lead = leadWords
		if i > 0 && paragraphBreak(text, sents[i-1], s) && opensWithReference(text, s) {
			// A paragraph that opens by pointing back ("The decisions
			// were taken…", "He said…") continues the one before, which
			// is quoted with it; its words are not the sentence's, for
			// the checks: a paragraph on India's strikes does not make
			// the next one's "four soldiers" Indian.
			v.refers = sents[i-1]
		}
		if i > 0 && !paragraphBreak(text, sents[i-1], s) {
			if opensWithReference(text, s) {
				// Follow the pronoun back through a sentence that itself
				// points back ("Trump… Next week, he will… He is
				// scheduled to visit…").
				k := i - 1
				if k > 0 && !paragraphBreak(text, sents[k-1], sents[k]) && opensWithReference(text, sents[k]) {
					k--
				}
				v.context = corpus.Span{Start: sents[k].Start, End: sents[i-1].End}
				v.ctx = st.words(text, v.context.Start, v.context.End)
			}
			v.near = append(v.near, dates[i-1]...)
			v.prev = st.words(text, sents[i-1].Start, sents[i-1].End)
			v.prevSpan = sents[i-1]
			v.adjacent = append(v.adjacent, v.prev...)
		}
		if i+1 < len(sents) && !paragraphBreak(text, s, sents[i+1]) {
			v.near = append(v.near, dates[i+1]...)
			v.next = sents[i+1]
			v.nextWords = st.words(text, sents[i+1].Start, sents[i+1].End)
			v.adjacent = append(v.adjacent, v.nextWords...)
		}
		out = append(out, v)
	}
	return out
}

// key names a candidate: its article and where it starts, or its
// article's headline.
func (v sentenceView) key() string {
	if v.headline {
		return v.article.ID + "@headline"
	}
	return fmt.Sprintf("%s@%d", v.article.ID, v.span.Start)
}

// headlineView is a candidate made of an article's headline: a copy of
// the article whose text is the headline, so every check and the quote
// read it as they read a sentence.
func (st *stemmer) headlineView(rank int, a *corpus.Article, hw *headWords) (sentenceView, bool) {
	if strings.TrimSpace(a.Title) == "" || hw == nil {
		return sentenceView{}, false
	}
	h := *a
	h.Text = a.Title
	span := corpus.Span{Start: 0, End: len(a.Title)}
	v := sentenceView{hit: rank, article: &h, span: span, dates: sentenceDates(&h, span), headline: true, full: a}
	// The headline's words were read with the article's head words, at
	// the same offsets.
	v.words = hw.title
	v.around, v.title, v.lead = hw.both, hw.title, hw.lead
	return v, true
}

// quoteStart returns where the quotation that pos stands inside opens,
// when one opened earlier in the same paragraph and is still open.
func quoteStart(text string, pos int) (int, bool) {
	para := strings.LastIndex(text[:pos], "\n\n") + 1
	open, at := false, -1
	for i, r := range text[para:pos] {
		switch r {
		case '“':
			open, at = true, para+i
		case '”':
			open = false
		case '"':
			open = !open
			if open {
				at = para + i
			}
		}
	}
	if !open || at < 0 || pos-at > 600 {
		return 0, false
	}
	// Quote from the start of the sentence that holds the opening mark.
	spans := corpus.SplitSentences(text[para:pos])
	for i := len(spans) - 1; i >= 0; i-- {
		if para+spans[i].Start <= at {
			return para + spans[i].Start, true
		}
	}
	return at, true
}

// quoteEnd returns where the quotation left open at the end of span
// closes, just after its closing mark, when that is in the same paragraph
// and not far.
func quoteEnd(text string, span corpus.Span) (int, bool) {
	para := strings.LastIndex(text[:span.Start], "\n\n") + 1
	open, curly := false, false
	for _, r := range text[para:span.End] {
		switch r {
		case '“':
			open, curly = true, true
		case '”':
			open = false
		case '"':
			open, curly = !open, false
		}
	}
	if !open {
		return 0, false
	}
	rest := text[span.End:min(len(text), span.End+600)]
	if i := strings.Index(rest, "\n\n"); i >= 0 {
		rest = rest[:i]
	}
	mark := "\""
	if curly {
		mark = "”"
	}
	i := strings.Index(rest, mark)
	if i < 0 {
		return 0, false
	}
	end := i + len(mark)
	if strings.HasSuffix(strings.TrimSpace(rest[:i]), ",") {
		// "…studying there," a resident said. — the sentence goes on to
		// say whose words they were.
		if j := strings.Index(rest[end:], "."); j >= 0 {
			end += j + 1
		}
	}
	return span.End + end, true
}

// tooShort reports whether a sentence is too short to answer anything by
// itself: fewer than eight words.
func tooShort(text string, s corpus.Span) bool {
	return len(strings.Fields(text[s.Start:s.End])) < 8
}

// headWords are an article's headline and lead, split once per question.
type headWords struct {
	title, lead, both []word
}

func (st *stemmer) headWords(a *corpus.Article) *headWords {
	lead := a.Text
	if i := strings.Index(lead, "\n\n"); i >= 0 {
		lead = lead[:i]
	}
	hw := &headWords{title: st.words(a.Title, 0, len(a.Title)), lead: st.words(lead, 0, len(lead))}
	hw.both = append(slices.Clip(hw.title), hw.lead...)
	return hw
}

// sentenceDates resolves the dates a sentence names against its article's
// date; offsets are relative to the sentence.
func sentenceDates(a *corpus.Article, s corpus.Span) []corpus.EventDate {
	return corpus.ExtractDates(a.Text[s.Start:s.End], a.Published)
}

func shift(ds []corpus.EventDate, by int) []corpus.EventDate {
	out := make([]corpus.EventDate, len(ds))
	for i, d := range ds {
		d.Start += by
		d.End += by
		out[i] = d
	}
	return out
}

func paragraphBreak(text string, a, b corpus.Span) bool {
	return strings.Contains(text[a.End:b.Start], "\n\n")
}

// opensWithReference reports whether a sentence opens by pointing back at
// the one before: a pronoun ("He", "It", "They") or a definite phrase ("The
// move", "The group", "This").
func opensWithReference(text string, s corpus.Span) bool {
	ws := splitWords(text, s.Start, min(s.End, s.Start+40))
	if len(ws) == 0 {
		return false
	}
	if pointsBack(ws[0].lower) {
		// "The move", "The group" point back; "The third Test" and "The
		// Indian government" say what they are.
		return ws[0].lower != "the" || len(ws) < 2 || !isCapitalised(ws[1].raw) && !ordinalWords[ws[1].lower]
	}
	// After an opening phrase: "Next week, he will…", "On Friday, it said…".
	if comma := strings.IndexByte(text[s.Start:min(s.End, s.Start+40)], ','); comma > 0 {
		for _, w := range ws {
			if w.start > s.Start+comma {
				return pointsBack(w.lower) && w.lower != "the"
			}
		}
	}
	return false
}

// ordinalWords say which of several a noun is: "the third Test".
var ordinalWords = wordSet("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last", "next", "final", "latest")

func pointsBack(w string) bool {
	switch w {
	case "he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those", "that", "there", "the", "such", "both":
		return true
	}
	return false
}
