package answer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
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
}

// Abstention defaults, calibrated on ../shared/eval as the README explains.
// The coverage floor only catches questions the corpus barely touches; the
// decisive signal is a specific word — a name, or a word rarer than the
// 8,000th most common in English — that no article uses: sources that never
// say "warheads" cannot say how many there are.
const (
	DefaultMinCoverage = 0.15
	DefaultRareRank    = 8000
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
	cfg   ExtractiveConfig
	src   IndexSource
	ranks WordRanker
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
	return &Extractive{cfg: cfg, src: src, ranks: ranks}
}

// candidate is one sentence (with any sentence that continues it) of a
// retrieved passage.
type candidate struct {
	hit      int // rank of the passage among the hits
	article  string
	span     corpus.Span
	terms    map[string]bool
	coverage float64
}

// Answer implements [Answerer].
func (e *Extractive) Answer(ctx context.Context, q Question, _ func(string)) (Answer, error) {
	ix := e.src.Current()
	if ix == nil {
		return Answer{}, ErrNoIndex
	}
	// The corpus alone can show the question is not covered; then there is
	// nothing to search for.
	if ans, ok := e.abstainUncovered(q, ix); ok {
		return ans, nil
	}
	hits, err := ix.Search(ctx, searchQuery(q), e.cfg.TopK)
	if err != nil {
		return Answer{}, fmt.Errorf("extractive: %w", err)
	}
	return composeExtractive(q, ix, hits, e.cfg), nil
}

// answerFrom answers from passages already retrieved from ix, as the LLM
// answerer's fallback does: the answer then rests on the same index and
// hits as the failed attempt, and nothing is searched twice.
func (e *Extractive) answerFrom(q Question, ix *retrieval.Index, hits []retrieval.Hit) Answer {
	if ans, ok := e.abstainUncovered(q, ix); ok {
		return ans
	}
	return composeExtractive(q, ix, hits[:min(len(hits), e.cfg.TopK)], e.cfg)
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
			for _, t := range retrieval.Terms(w) {
				terms++
				if !mentioned && ix.Mentions(t) {
					mentioned = true
				}
			}
		}
		if terms > 0 && !mentioned {
			return strings.Join(run, " "), true
		}
	}
	if e.ranks == nil {
		return "", false
	}
	for _, t := range retrieval.Terms(question) {
		// Rank is a map lookup; Mentions may scan the vocabulary for a
		// near spelling, so it goes second.
		if e.ranks.Rank(t) > e.cfg.RareRank && !ix.Mentions(t) {
			return t, true
		}
	}
	return "", false
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
		// A run ends at punctuation that ends a phrase.
		if len(cur) > 0 && strings.ContainsAny(w[len(w)-1:], ",.;:?!") {
			runs = append(runs, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
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

// weightedTerms gives each question term its weight: its IDF, halved for
// terms borrowed from the previous question.
func weightedTerms(q Question, ix *retrieval.Index) map[string]float64 {
	w := map[string]float64{}
	for _, t := range retrieval.Terms(dropAskingWords(q.Text)) {
		w[t] = ix.IDF(t)
	}
	if len(q.History) > 0 {
		for _, t := range retrieval.Terms(dropAskingWords(q.History[len(q.History)-1].Question)) {
			if _, ok := w[t]; !ok {
				w[t] = ix.IDF(t) / 2
			}
		}
	}
	return w
}

func composeExtractive(q Question, ix *retrieval.Index, hits []retrieval.Hit, cfg ExtractiveConfig) Answer {
	ans := Answer{Question: q.Text, Mode: ModeExtractive}
	weights := weightedTerms(q, ix)
	var total float64
	for _, w := range weights {
		total += w
	}
	kind := expectedKind(q.Text)
	var cands []candidate
	if total > 0 {
		for r, h := range hits {
			for _, c := range sentenceCandidates(r, h, weights, total) {
				// A sentence that cannot be the kind of answer asked for
				// ("how many" and no number) is no answer, however well
				// it matches the question's subject.
				if kind.fits(h.Article.Text[c.span.Start:c.span.End]) {
					cands = append(cands, c)
				}
			}
		}
	}
	// Best coverage first; among equals, the better-ranked passage.
	slices.SortStableFunc(cands, func(a, b candidate) int {
		switch {
		case a.coverage > b.coverage+1e-9:
			return -1
		case b.coverage > a.coverage+1e-9:
			return 1
		}
		return a.hit - b.hit
	})
	if len(cands) > 0 {
		ans.Support = cands[0].coverage
	}
	if len(cands) == 0 || cands[0].coverage < cfg.MinCoverage {
		ans.Abstained = true
		ans.Text = NoAnswer
		return ans
	}
	best := cands[0]
	chosen := []candidate{best}
	covered := maps.Clone(best.terms)
	for _, c := range cands[1:] {
		if len(chosen) >= cfg.MaxSentences {
			break
		}
		// A further sentence must be nearly as well supported and add a
		// question term the answer does not have yet, or it is padding.
		if c.coverage < 0.75*best.coverage || overlaps(chosen, c) || !addsTerm(c.terms, covered, weights) {
			continue
		}
		chosen = append(chosen, c)
		for t := range c.terms {
			covered[t] = true
		}
	}
	var b strings.Builder
	for i, c := range chosen {
		h := hits[c.hit]
		quote := strings.TrimSpace(h.Article.Text[c.span.Start:c.span.End])
		n := i + 1
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%s [%d]", quote, n)
		ans.Citations = append(ans.Citations, citationFor(n, h.Article, quote))
	}
	ans.Text = b.String()
	return ans
}

// sentenceCandidates scores every sentence of a hit by the IDF-weighted
// share of question terms it contains. A sentence that the next one
// continues ("He is scheduled to visit…") is taken together with it, since
// the answer is often in the continuation.
func sentenceCandidates(rank int, h retrieval.Hit, weights map[string]float64, total float64) []candidate {
	text := h.Article.Text
	sents := h.Passage.Sentences
	out := make([]candidate, 0, len(sents))
	for i, s := range sents {
		span := s
		if i+1 < len(sents) && continues(text, s, sents[i+1]) {
			span.End = sents[i+1].End
		} else if i+1 == len(sents) {
			// The continuation may open the next passage.
			if next, ok := nextSentence(text, s); ok {
				span.End = next.End
			}
		}
		terms := map[string]bool{}
		for _, t := range retrieval.Terms(text[span.Start:span.End]) {
			if _, ok := weights[t]; ok {
				terms[t] = true
			}
		}
		var got float64
		for t := range terms {
			got += weights[t]
		}
		out = append(out, candidate{hit: rank, article: h.Article.ID, span: span, terms: terms, coverage: got / total})
	}
	return out
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

func overlaps(chosen []candidate, c candidate) bool {
	for _, o := range chosen {
		// Spans are offsets in the article, so this also catches the same
		// sentence reached through two passages.
		if o.article == c.article && o.span.Start < c.span.End && c.span.Start < o.span.End {
			return true
		}
	}
	return false
}

func addsTerm(terms, covered map[string]bool, weights map[string]float64) bool {
	for t := range terms {
		if !covered[t] && weights[t] > 0 {
			return true
		}
	}
	return false
}

// citationFor builds citation n for a quote from article a.
func citationFor(n int, a *corpus.Article, quote string) Citation {
	return Citation{N: n, Article: a.ID, Title: a.Title, URL: a.URL, Published: a.Published, Quote: quote}
}
