package answer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// ExtractiveConfig tunes the extractive answerer.
type ExtractiveConfig struct {
	// TopK is how many passages are searched for sentences (default 6).
	TopK int
	// MinCoverage is the share of the question's weighted terms (by IDF)
	// that the best sentence must contain, or the answerer abstains
	// (default [DefaultMinCoverage]).
	MinCoverage float64
	// MaxSentences caps the sentences quoted (default 3).
	MaxSentences int
	// RareRank: a question word the corpus never uses, and rarer in
	// everyday English than this rank, makes the answerer abstain (default
	// [DefaultRareRank]).
	RareRank int
	// FocusSimilarity is how similar a word must be to stand for the
	// asked thing ("tourists" for "holidaymakers") in a sentence that
	// answers (default [DefaultFocusSimilarity]).
	FocusSimilarity float64
	// Similarity, when set, lets a question's common words be matched by
	// their near synonyms ([retrieval.LoadSimilarity]); names never are.
	// Without it a word matches only itself and its inflections.
	Similarity Similarity
	// Thesaurus, when set, lets a question's common words be matched by
	// their synonyms in WordNet ([retrieval.LoadThesaurus]): "closed" for
	// "shut", "struck" for "hit". Unlike near words in Similarity, these
	// are never the word's opposites.
	Thesaurus Thesaurus
	// Names, when set, gives a country's names for one another
	// ([retrieval.LoadThesaurus]): "American officials" are named by "US
	// officials", "Islamabad" by "Pakistan". Without it a name matches
	// only its own forms.
	Names Gazetteer
	// Kinds, when set, tells which asked nouns a name answers alone
	// ([retrieval.LoadThesaurus]): "which city" is answered by "Muridke",
	// but "which mosque" only by a sentence that says which mosque.
	Kinds NounKinds
}

// Abstention defaults. The rare-word rank was set on ../shared/eval; the
// coverage floor and the synonym floor on ../shared/eval/v2, and checked on
// ../shared/eval, as the README's "How it answers" reports. A sentence must
// hold 40% of the question's words besides its names (a near synonym
// counting by its similarity) and pass every check in verify.go; a word
// rarer than the 8,000th most common in English that no article uses
// refuses outright: sources that never say "warheads" cannot say how many
// there are.
const (
	DefaultMinCoverage     = 0.4
	DefaultRareRank        = 8000
	DefaultFocusSimilarity = 0.65
)

// WordRanker ranks index terms by how common they are in everyday English
// (1 is the most common); [retrieval.WordRanks] is one.
type WordRanker interface {
	Rank(term string) int
}

// ErrNoIndex means no corpus has been indexed yet.
var ErrNoIndex = errors.New("no index loaded")

// Extractive answers by quoting the source sentences that best cover the
// question's terms, each followed by its citation marker. It needs no model,
// and it abstains when no sentence covers enough of the question.
type Extractive struct {
	cfg    ExtractiveConfig
	src    IndexSource
	ranks  WordRanker
	sim    Similarity
	checks checks
	now    func() time.Time
	people *peopleCache
}

var _ Answerer = (*Extractive)(nil)

// NewExtractive returns an extractive answerer over the index src serves.
// ranks may be nil; then only names the corpus never mentions, not rare
// words, make it abstain.
func NewExtractive(cfg ExtractiveConfig, src IndexSource, ranks WordRanker) *Extractive {
	if cfg.TopK <= 0 {
		cfg.TopK = 6
	}
	if cfg.MinCoverage <= 0 {
		cfg.MinCoverage = DefaultMinCoverage
	}
	if cfg.MaxSentences <= 0 {
		cfg.MaxSentences = 3
	}
	if cfg.RareRank <= 0 {
		cfg.RareRank = DefaultRareRank
	}
	if cfg.FocusSimilarity <= 0 {
		cfg.FocusSimilarity = DefaultFocusSimilarity
	}
	return &Extractive{cfg: cfg, src: src, ranks: ranks, sim: cfg.Similarity, now: time.Now, people: &peopleCache{},
		checks: checks{minCoverage: cfg.MinCoverage, focusFloor: cfg.FocusSimilarity, sim: newCountsApart(cfg.Similarity), syns: newSynonymCache(cfg.Thesaurus), stems: &stemmer{}, titles: &titleCache{}, names: cfg.Names, kinds: cfg.Kinds}}
}

// analyse reads the question, with a follow-up's previous question for
// terms it points back to. Relative dates in the question count from the
// newest article, which in a crisis corpus is about now; an empty corpus
// falls back on the clock.
func (e *Extractive) analyse(q Question, ix *retrieval.Index) analysis {
	ref := e.now()
	if n := newestArticle(ix); !n.IsZero() {
		ref = n
	}
	text, contested := q.Text, q.disputed
	if t, ok := withoutDispute(text); ok {
		text, contested = t, true
	}
	text = truecase(text, ix.Spelling, e.everyday)
	a := analyseFirst(text, ref, ix.IDF, ix.Has, e.firstIsName(text, ix.Spelling))
	a.contested = contested
	if e.cfg.Names != nil {
		for _, n := range a.nameWords {
			a.nameAlts = append(a.nameAlts, otherNames(e.cfg.Names, n))
		}
		if a.owner != "" {
			a.ownerAlts = otherNames(e.cfg.Names, []string{a.owner})
		}
		if i := a.speaker; i >= 0 && !a.speaks[i] && len(a.nameWords[i]) == 1 && len(a.nameAlts[i]) == 0 {
			// "What did Guterres tell them" asks for his words: a name
			// that is no country or capital speaks for itself, not
			// through whoever the report quotes.
			a.speaks[i] = true
		}
	}
	if a.event != "" {
		e.dateEvent(ix, &a)
	}
	if len(q.History) > 0 {
		prev := analyse(truecase(q.History[len(q.History)-1].Question, ix.Spelling, e.everyday), ref, ix.IDF, ix.Has)
		have := map[string]bool{}
		for _, k := range a.key {
			have[k.term] = true
		}
		for _, k := range prev.key {
			if !have[k.term] {
				k.weight /= 2
				k.name = false
				a.key = append(a.key, k)
			}
		}
		a.search += "\n" + prev.search
	}
	a.people = e.people.forArticles(e.checks.stems, ix.Articles())
	return a
}

// firstIsName reports whether a question's first word is a name: one the
// corpus always capitalises inside its sentences and no everyday word, so
// "Pahalgam - is that on the Indian side?" names Pahalgam, and "Which",
// "Did" and "The" name nothing.
func (e *Extractive) firstIsName(text string, spell Spelling) bool {
	fields := strings.Fields(text)
	if len(fields) == 0 || spell == nil {
		return false
	}
	w := strings.TrimFunc(fields[0], func(r rune) bool { return !unicode.IsLetter(r) })
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	lower := strings.ToLower(w)
	if lower == "" || w == lower || auxiliaries[lower] || frameWords[lower] || e.everyday(lower) {
		return false
	}
	switch lower {
	case "who", "whom", "whose", "what", "which", "when", "where", "why", "how":
		return false
	}
	form, _ := spell(lower)
	return form != "" && form != lower
}

// everyday reports whether w is among the commonest English words (see
// [everydayRank]); without ranks, none is.
func (e *Extractive) everyday(w string) bool {
	if e.ranks == nil {
		return false
	}
	t := term1(w)
	return t == "" || e.ranks.Rank(t) <= everydayRank
}

// dateEvent dates the event a question is bounded by ("before the
// ceasefire") from the corpus: the day its sentences most often give, among
// the sentences that name it, and turns it into the question's date — the
// day before it for "before", the day after for "after", so the event's own
// day, which holds both, answers neither. An event the corpus does not date
// leaves the question undated.
func (e *Extractive) dateEvent(ix *retrieval.Index, a *analysis) {
	terms := retrieval.Terms(a.event)
	if len(terms) == 0 {
		return
	}
	count := map[time.Time]int{}
	for _, h := range ix.Lexical(a.event, 30) {
		sents := h.Passage.Sentences
		for _, d := range h.Passage.Dates {
			if d.Sentence < 0 || d.Sentence >= len(sents) || d.Precision != corpus.DayPrecision || !d.YearKnown || !d.From.Equal(d.To) {
				continue
			}
			s := sents[d.Sentence]
			have := map[string]bool{}
			for _, t := range retrieval.Terms(h.Article.Text[s.Start:s.End]) {
				have[t] = true
			}
			all := true
			for _, t := range terms {
				all = all && have[t]
			}
			if all {
				count[d.From]++
			}
		}
	}
	var day time.Time
	for d, n := range count {
		if day.IsZero() || n > count[day] || n == count[day] && d.Before(day) {
			day = d
		}
	}
	if day.IsZero() {
		return
	}
	switch a.eventRel {
	case dateBy:
		day = day.AddDate(0, 0, -1)
	case dateAfter:
		day = day.AddDate(0, 0, 1)
	}
	a.dates = []corpus.EventDate{{Start: a.eventAt[0], End: a.eventAt[1], From: day, To: day, Precision: corpus.DayPrecision, YearKnown: true}}
	a.rel = a.eventRel
	// The event's words now say when, not what: a sentence about that
	// time need not name it.
	drop := map[string]bool{}
	for _, t := range terms {
		drop[t] = true
	}
	a.key = slices.DeleteFunc(a.key, func(k keyTerm) bool { return drop[k.term] })
	a.content = nil
}

// newestArticle is the publication date of the newest article in ix.
func newestArticle(ix *retrieval.Index) time.Time {
	var t time.Time
	for _, a := range ix.Articles() {
		if a.Published.After(t) {
			t = a.Published
		}
	}
	return t
}

// Answer implements [Answerer].
func (e *Extractive) Answer(ctx context.Context, q Question, _ func(string)) (Answer, error) {
	t, ok := withoutDispute(q.Text)
	if !ok {
		return e.answer(ctx, q)
	}
	// "…on 10 May? what's each side saying" asks the question before it,
	// from every side: the rest of the question is answered, each
	// source's account quoted.
	asked := q.Text
	q.Text, q.disputed = t, true
	ans, err := e.answer(ctx, q)
	ans.Question = asked
	return ans, err
}

func (e *Extractive) answer(ctx context.Context, q Question) (Answer, error) {
	ix := e.src.Current()
	if ix == nil {
		return Answer{}, ErrNoIndex
	}
	// The corpus alone can show the question is not covered; then there is
	// nothing to search for.
	if ans, ok := e.abstainUncovered(q, ix); ok {
		return ans, nil
	}
	if g, ok := readGap(q.Text); ok {
		return e.answerGap(ctx, q, g, ix)
	}
	if main, clause, focus, ok := relativeParts(q.Text); ok {
		return e.answerJoined(ctx, q, main, clause, focus, ix)
	}
	parts := splitQuestion(q.Text)
	if len(parts) < 2 {
		// Every sentence is checked before it is quoted, so a deeper pool
		// costs little and finds the answer a looser ranking put lower.
		hits, err := ix.Search(ctx, e.expand(searchQuery(q), ix), 2*e.cfg.TopK)
		if err != nil {
			return Answer{}, fmt.Errorf("extractive: %w", err)
		}
		ans := e.composeExtractive(q, ix, hits)
		ans.Retrieved = hits
		return ans, nil
	}

	// "Which crossing did India close, and which did Pakistan close?" is
	// two questions: each is searched and checked on its own.
	as, pool, err := e.searchParts(ctx, q, ix, parts, nil)
	if err != nil {
		return Answer{}, err
	}
	fs := make([]finding, len(parts))
	for i := range parts {
		fs[i] = e.findEvidence(as[i], pool)
	}
	ans := assemble(q.Text, as, fs)
	ans.Retrieved = pool
	return ans, nil
}

// searchParts analyses and searches each part of a question, with
// adjust given the chance to amend a part's analysis first, and pools the
// passages found for all of them: the parts speak of related things, so
// each is checked against them all.
func (e *Extractive) searchParts(ctx context.Context, q Question, ix *retrieval.Index, parts []string, adjust func(int, *analysis)) ([]*analysis, []retrieval.Hit, error) {
	as := make([]*analysis, len(parts))
	var pool []retrieval.Hit
	seen := map[string]bool{}
	for i, p := range parts {
		pq := Question{Text: p, History: q.History}
		a := e.analyse(pq, ix)
		if adjust != nil {
			adjust(i, &a)
		}
		as[i] = &a
		hits, err := ix.Search(ctx, e.expand(searchQuery(pq), ix), 2*e.cfg.TopK)
		if err != nil {
			return nil, nil, fmt.Errorf("extractive: %w", err)
		}
		for _, h := range hits {
			if !seen[h.Passage.ID] {
				seen[h.Passage.ID] = true
				pool = append(pool, h)
			}
		}
	}
	return as, pool, nil
}

// relativeRE reads a question whose asked thing a relative clause
// describes: "Which country that Modi left early in April did Trump
// travel to after the ceasefire?"
var relativeRE = regexp.MustCompile(`(?i)^\s*(which|what)\s+([\p{L}-]+)\s+(?:that|which|whom|who)\s+(.+?)\s+(did|does|do|was|were|is|are|has|have|had|will)\s+(.+)$`)

// relativeParts splits such a question into its main question ("Which
// country did Trump travel to after the ceasefire?"), the clause that
// describes the answer ("Which country Modi left early in April?") and
// the asked thing ("country").
func relativeParts(text string) (main, clause, focus string, ok bool) {
	m := relativeRE.FindStringSubmatch(text)
	if m == nil || len(strings.Fields(m[3])) < 2 {
		return "", "", "", false
	}
	main = m[1] + " " + m[2] + " " + m[4] + " " + m[5]
	clause = m[1] + " " + m[2] + " " + strings.TrimRight(m[3], " ,") + "?"
	return main, clause, strings.ToLower(m[2]), true
}

// answerJoined answers a question whose answer a relative clause
// describes: the main question's answer must be one the clause's
// sentences say too, often in another report. Each finding is quoted;
// without a name both share, nothing is.
func (e *Extractive) answerJoined(ctx context.Context, q Question, main, clause, focus string, ix *retrieval.Index) (Answer, error) {
	as, pool, err := e.searchParts(ctx, q, ix, []string{main, clause}, func(i int, a *analysis) {
		if i == 1 {
			// The clause has no question word of its own: what it
			// describes is the asked thing.
			a.slot, a.focus, a.focusTerm = slotName, focus, term1(focus)
		}
	})
	if err != nil {
		return Answer{}, err
	}
	fm, fc := e.findEvidence(as[0], pool), e.findEvidence(as[1], pool)
	m, c, ok := joinFindings(fm.passed, fc.passed)
	if ok {
		fm.chosen, fc.chosen = []evidence{m}, []evidence{c}
	} else {
		if len(fm.chosen) > 0 || len(fc.chosen) > 0 {
			fm.reason = fmt.Sprintf("no source says of one %s both what the question asks and what it says of it", focus)
		}
		fm.chosen, fc.chosen = nil, nil
	}
	ans := assemble(q.Text, as, []finding{fm, fc})
	if ok {
		ans.Trace = append(ans.Trace, fmt.Sprintf("joined on %q", sharedName(m, c)))
	}
	ans.Retrieved = pool
	return ans, nil
}

// joinFindings finds the strongest answer to the main question whose name
// a sentence answering the clause also gives.
func joinFindings(main, clause []evidence) (evidence, evidence, bool) {
	for _, m := range main {
		for _, c := range clause {
			if sharedName(m, c) != "" {
				return m, c, true
			}
		}
	}
	return evidence{}, evidence{}, false
}

// sharedName returns a name of m's value that c's sentence gives, or "".
func sharedName(m, c evidence) string {
	if m.value == "" {
		return ""
	}
	for _, n := range strings.Split(m.value, "; ") {
		var name []string
		for _, w := range lowerWords(n) {
			if term1(w) != "" {
				name = append(name, w)
			}
		}
		if len(name) > 0 && (nameIn(name, c.view.words) || strings.Contains(c.value, n)) {
			return n
		}
	}
	return ""
}

// answerFrom answers from passages already retrieved from ix, as the LLM
// answerer's fallback does: the answer then rests on the same index and
// hits as the failed attempt, and nothing is searched twice.
func (e *Extractive) answerFrom(q Question, ix *retrieval.Index, hits []retrieval.Hit) Answer {
	if ans, ok := e.abstainUncovered(q, ix); ok {
		return ans
	}
	return e.composeExtractive(q, ix, hits[:min(len(hits), e.cfg.TopK)])
}

// abstainUncovered returns the abstention for a question that names
// something the corpus never mentions.
func (e *Extractive) abstainUncovered(q Question, ix *retrieval.Index) (Answer, bool) {
	term, ok := e.uncovered(q.Text, ix)
	if !ok {
		return Answer{}, false
	}
	return Answer{Question: q.Text, Mode: ModeExtractive, Abstained: true, Text: NoAnswer, Unknown: term}, true
}

// uncovered finds a word of the question that the corpus never uses and
// that is specific enough that its absence means the corpus does not cover
// the question: part of a name (a run of capitalised words none of which
// the corpus mentions), or a word rarer than RareRank in everyday English.
// Everyday words ("take", "give", "behind") are often just phrased
// differently in the sources, so their absence proves nothing.
func (e *Extractive) uncovered(question string, ix *retrieval.Index) (string, bool) {
	for _, run := range nameRuns(question) {
		mentioned, terms := false, 0
		for _, w := range run {
			if isCalendarWord(strings.ToLower(w)) {
				continue // a date: the date check decides
			}
			if initialism(w) {
				// Initials the sources may spell out ("Director General
				// of Military Operations" for DGMO, "prime minister" for
				// PM): the checks decide.
				continue
			}
			for _, t := range retrieval.Terms(w) {
				terms++
				if !mentioned && ix.Mentions(t) {
					mentioned = true
				}
			}
		}
		if terms > 0 && !mentioned && !e.otherNameMentioned(run, ix) {
			return strings.Join(run, " "), true
		}
	}
	if e.ranks == nil {
		return "", false
	}
	for _, raw := range strings.FieldsFunc(question, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\'' && r != '’'
	}) {
		if initialism(raw) {
			continue // initials: the checks decide, as above
		}
		w := strings.ToLower(surface(raw))
		if frameWords[w] || auxiliaries[w] {
			continue // "via", "among": words of no subject
		}
		t := term1(w)
		// Rank is a map lookup; Mentions may scan the vocabulary for a
		// near spelling, so it goes second.
		if t == "" || e.ranks.Rank(t) <= e.cfg.RareRank || ix.Mentions(t) {
			continue
		}
		// The sources may say it in another word: "holidaymakers" asked,
		// "tourists" written.
		if e.nearSynonymMentioned(w, ix) {
			continue
		}
		return t, true
	}
	return "", false
}

// runWords are a name run's words as names are compared: lower-cased,
// without a possessive.
func runWords(run []string) []string {
	out := make([]string, 0, len(run))
	for _, w := range run {
		out = append(out, surface(w))
	}
	return out
}

// otherNameMentioned reports whether the corpus names the country a name
// run names by another of its names ("US" for "American"). It is not
// searched by them: every question that names India would then search
// for Bharat and New Delhi too, and find less of what it asks.
func (e *Extractive) otherNameMentioned(run []string, ix *retrieval.Index) bool {
	for _, alt := range otherNames(e.cfg.Names, runWords(run)) {
		all := true
		for _, w := range alt {
			for _, t := range retrieval.Terms(w) {
				all = all && ix.Mentions(t)
			}
		}
		if all {
			return true
		}
	}
	return false
}

// expand adds to a search the corpus's words for the question's common
// words ("tourists" for "holidaymakers"): a near synonym the sources use
// finds the passage the question's own word would miss. Names are not
// expanded, and each word brings at most one neighbour, a close one.
func (e *Extractive) expand(query string, ix *retrieval.Index) string {
	n := e.sim
	if n == nil {
		return query
	}
	names := map[string]bool{}
	var extra []string
	for _, run := range nameRuns(query) {
		for _, w := range run {
			names[strings.ToLower(w)] = true
		}
		// A name of several words is searched by its initials too, which
		// reports use after the first mention ("UN" for United Nations).
		if ini := initials(run); len(ini) >= 2 && ix.Has(strings.ToLower(ini)) {
			extra = append(extra, ini)
		}
	}
	for _, w := range lowerWords(query) {
		t := term1(w)
		if t == "" || names[w] || frameWords[w] || frameWords[t] {
			continue
		}
		added := 0
		for _, nb := range n.Neighbours(w) {
			if added == 1 || !reaches(float64(nb.Sim), expandSimilarity) {
				break
			}
			nt := term1(nb.Word)
			if nt == "" || nt == t || !ix.Mentions(nt) {
				continue
			}
			extra = append(extra, nb.Word)
			added++
		}
	}
	if len(extra) == 0 {
		return query
	}
	return query + "\n" + strings.Join(extra, " ")
}

// initials are the first letters of a name's words, joining words left
// out ("United Nations" → "UN", "Director General of Military Operations"
// → "DGMO"); "" for a name of one word.
func initials(run []string) string {
	var b strings.Builder
	words := 0
	for _, w := range run {
		lw := strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s"))
		if isJoiner(lw) || lw == "the" || lw == "and" || lw == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		words++
	}
	if words < 2 {
		return ""
	}
	return b.String()
}

// expandSimilarity is how near a word must be to join a search.
const expandSimilarity = 0.8

// nearSynonymMentioned reports whether the corpus uses a word close in
// meaning to w.
func (e *Extractive) nearSynonymMentioned(w string, ix *retrieval.Index) bool {
	n := e.sim
	if n == nil && e.cfg.Thesaurus == nil {
		return false
	}
	for _, form := range spellings(w) {
		if t := term1(form); form != w && t != "" && ix.Mentions(t) {
			return true
		}
		for _, nb := range n.Neighbours(form) {
			if !reaches(float64(nb.Sim), e.cfg.FocusSimilarity) {
				break
			}
			if t := term1(nb.Word); t != "" && ix.Mentions(t) {
				return true
			}
		}
		if e.cfg.Thesaurus != nil {
			// Many forms share a stem, and Mentions may scan the
			// vocabulary: each stem is asked once.
			asked := map[string]bool{}
			for _, syn := range e.cfg.Thesaurus.Related(form) {
				t := term1(syn)
				if t == "" || asked[t] {
					continue
				}
				asked[t] = true
				if ix.Mentions(t) {
					return true
				}
			}
		}
	}
	return false
}

// initialism reports whether a word of the question is initials: two or
// more capitals, with a possessive or a lower-case letter between
// ("PM's", "LoC", "VP").
func initialism(w string) bool {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	upper := 0
	for _, r := range w {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper >= 2 && upper*2 >= len([]rune(w))
}

// spellings returns w and its other English spelling, British or
// American ("characterise", "characterize"; "organisation",
// "organization"): the word table and the sources may use either.
func spellings(w string) []string {
	out := []string{w}
	for _, p := range [][2]string{{"isation", "ization"}, {"ise", "ize"}, {"ised", "ized"}, {"ising", "izing"}, {"our", "or"}, {"ence", "ense"}} {
		for _, pair := range [][2]string{p, {p[1], p[0]}} {
			if i := strings.LastIndex(w, pair[0]); len(w) > 5 && i > 0 && i+len(pair[0]) >= len(w)-1 {
				out = append(out, w[:i]+pair[1]+w[i+len(pair[0]):])
			}
		}
	}
	return out
}

// nameRuns returns the runs of capitalised words in text, skipping the
// first word, whose capital says nothing.
func nameRuns(text string) [][]string {
	var runs [][]string
	var cur []string
	first := true
	for _, w := range strings.Fields(text) {
		word := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(word)
		if !first && word != "" && unicode.IsUpper(r) {
			cur = append(cur, word)
		} else if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
		first = false
		// A run ends at punctuation that ends a phrase, and at a
		// possessive: "Pakistan's National Security Committee" names two
		// things.
		if len(cur) > 0 && (strings.ContainsAny(w[len(w)-1:], ",.;:?!") || strings.HasSuffix(word, "'s") || strings.HasSuffix(word, "’s")) {
			runs = append(runs, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	// "The American VP": initials after a name are a name of their own,
	// which a report may spell out ("Vice President").
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		if n := len(r); n >= 2 && initialism(r[n-1]) && !initialism(r[n-2]) {
			runs[i] = r[:n-1]
			runs = slices.Insert(runs, i+1, []string{r[n-1]})
			i++
		}
	}
	return runs
}

// searchQuery is the text retrieval runs on: a follow-up borrows the previous
// question, since "what did he say next?" names nothing by itself.
func searchQuery(q Question) string {
	text := dropAskingWords(q.Text)
	if len(q.History) == 0 {
		return text
	}
	return text + "\n" + dropAskingWords(q.History[len(q.History)-1].Question)
}

// continues reports whether sentence b, in the same paragraph as a, opens
// with a pronoun that points back at a's subject.
func continues(text string, a, b corpus.Span) bool {
	if strings.Contains(text[a.End:b.Start], "\n\n") {
		return false
	}
	first := strings.ToLower(strings.TrimLeftFunc(text[b.Start:b.End], func(r rune) bool { return !unicode.IsLetter(r) }))
	end := strings.IndexFunc(first, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(first)
	}
	switch first[:end] {
	case "he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those":
		return true
	}
	return attributes(text[b.Start:b.End])
}

// attributes reports whether a sentence only says who said the one before
// it ("Chief Minister Omar Abdullah wrote on social media."): a quote split
// from its speaker.
func attributes(s string) bool {
	ws := strings.Fields(s)
	if len(ws) == 0 || len(ws) > 10 {
		return false
	}
	for _, w := range ws {
		if reportingVerbs[strings.ToLower(strings.Trim(w, ".,;:!?\"'“”"))] {
			return true
		}
	}
	return false
}

// nextSentence finds the sentence after s when it lies outside s's passage
// but in the same paragraph, and continues s.
func nextSentence(text string, s corpus.Span) (corpus.Span, bool) {
	rest := text[s.End:]
	para := strings.Index(rest, "\n\n")
	if para >= 0 {
		rest = rest[:para]
	}
	spans := corpus.SplitSentences(rest)
	if len(spans) == 0 {
		return corpus.Span{}, false
	}
	next := corpus.Span{Start: s.End + spans[0].Start, End: s.End + spans[0].End}
	if !continues(text, s, next) {
		return corpus.Span{}, false
	}
	return next, true
}

// citationFor builds citation n for a quote from article a.
func citationFor(n int, a *corpus.Article, quote string) Citation {
	return Citation{N: n, Article: a.ID, Title: a.Title, URL: a.URL, Published: a.Published, Quote: quote, Source: a.Outlet(), Origin: a.Origin}
}
