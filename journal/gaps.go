package journal

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/retrieval"
)

// Similarity tells how near two lower-case words are in meaning, 0 for
// unrelated, and lists a word's nearest; [retrieval.Similarity] is one.
type Similarity interface {
	Similar(a, b string) float32
	Neighbours(word string) []retrieval.Neighbour
}

// Ranks tells how common an index term is in English, 1 for the most
// common; [retrieval.WordRanks] is one.
type Ranks interface {
	Rank(term string) int
}

// Gap is a group of questions that were refused or got a 👎 and ask the
// same thing, in the same words or others: something the sources don't
// answer yet.
type Gap struct {
	// Wordings are the group's distinct questions, most asked first.
	Wordings []Wording
	Asked    int // questions in the group
	Refused  int // of which refused
	Down     int // 👎 votes on the group's answers
	// Nearest is the article the retrieval ranked first for most of the
	// group's questions, "" when none came close (a question naming
	// something no source mentions is refused before any search).
	Nearest      string
	NearestTitle string
	// Reason is the commonest reason the group's refusals gave.
	Reason string
	Last   time.Time // when the latest was asked
}

// Wording is one way a gap was asked, and how often.
type Wording struct {
	Text  string
	Count int
}

// gapRows caps the questions /gaps reads: the newest are kept. A
// moderator reads the top of the list, and the grouping's time grows with
// the square of the questions that share words.
const gapRows = 5000

// groupThreshold is the similarity, from 0 to 1, at which a question joins
// a group: on average, half of each question's weight is matched by the
// other's words (the same stem, a misspelling, or a near synonym scaled by
// its similarity).
const groupThreshold = 0.5

// groupSample is how many of a group's first members a question is
// compared with: a group is what its first askings asked, and comparing
// with every member of a large group made /gaps quadratic in its size.
const groupSample = 8

// gapQuestion is a question read for grouping.
type gapQuestion struct {
	text         string
	at           time.Time
	refused      bool
	down         int
	reason       string
	nearest      string
	nearestTitle string
	norm         string // text as [normalise] has it
	words        []gapWord
}

// gapWord is a content word of a question, as a [grouper] numbers it,
// with its weight.
type gapWord struct {
	id     int32
	weight float64
}

// Gaps returns the questions asked since since that were refused or got a
// 👎, grouped when they ask the same thing, most asked group first.
func (j *Journal) Gaps(ctx context.Context, since time.Time) ([]Gap, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT a.at, a.question, a.refused, a.reason, a.nearest, a.nearest_title,
			(SELECT COUNT(*) FROM feedback f WHERE f.answer_id = a.id AND f.vote < 0) AS down
		FROM answers a
		WHERE a.at >= ? AND (a.refused OR EXISTS (SELECT 1 FROM feedback f WHERE f.answer_id = a.id AND f.vote < 0))
		ORDER BY a.at DESC LIMIT ?`, ms(since), gapRows)
	if err != nil {
		return nil, fmt.Errorf("journal: gaps: %w", err)
	}
	defer rows.Close()
	g := newGrouper(j.cfg.Similarity, j.cfg.Ranks)
	var qs []gapQuestion
	for rows.Next() {
		var q gapQuestion
		var at int64
		if err := rows.Scan(&at, &q.text, &q.refused, &q.reason, &q.nearest, &q.nearestTitle, &q.down); err != nil {
			return nil, fmt.Errorf("journal: gaps: %w", err)
		}
		q.at = fromMS(at)
		q.norm = normalise(q.text)
		q.words = g.contentWords(q.text)
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: gaps: %w", err)
	}
	// Free the one connection before grouping, which may take seconds:
	// answers being recorded meanwhile need it.
	rows.Close()
	slices.Reverse(qs) // oldest first: a group's first member is its first asking
	return g.group(qs), nil
}

// grouper groups the questions of one /gaps. It numbers their distinct
// word forms, remembers how well each pair of forms matched, and indexes
// groups by keys two matching words share, so that a question is compared
// only with groups it has a word in common with, or near one.
type grouper struct {
	sim   Similarity // nil: stems and misspellings only
	ranks Ranks      // nil: every word weighs 1

	ids   map[string]int32 // word form → id
	forms []string         // by id
	stems []string         // by id
	keys  [][]string       // by id: see [grouper.wordKeys]
	// matches are, by id, the other words that match it at all, with how
	// well: only words that share a key can, so there are few.
	matches [][]wordMatch
}

// wordMatch is a word that matches another, and how well.
type wordMatch struct {
	id int32
	v  float64
}

func newGrouper(sim Similarity, ranks Ranks) *grouper {
	return &grouper{sim: sim, ranks: ranks, ids: map[string]int32{}}
}

// contentWords are text's words that are not stop words, weighted by
// rarity: log of the English rank, so "Kartarpur" (past the list) weighs
// about twice "open" and nothing weighs nothing.
func (g *grouper) contentWords(text string) []gapWord {
	var out []gapWord
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	}) {
		ts := retrieval.Terms(w)
		if len(ts) == 0 || seen[ts[0]] {
			continue
		}
		seen[ts[0]] = true
		weight := 1.0
		if g.ranks != nil {
			weight = math.Log(float64(g.ranks.Rank(ts[0])) + math.E)
		}
		out = append(out, gapWord{id: g.intern(strings.Trim(w, "'’"), ts[0]), weight: weight})
	}
	return out
}

// intern numbers a word form.
func (g *grouper) intern(form, stem string) int32 {
	if id, ok := g.ids[form]; ok {
		return id
	}
	id := int32(len(g.forms))
	g.ids[form] = id
	g.forms = append(g.forms, form)
	g.stems = append(g.stems, stem)
	g.keys = append(g.keys, g.wordKeys(form, stem))
	return id
}

// wordKeys are the keys any word that matches form shares with it: its
// stem and its table neighbours' stems (the table lists word forms and
// looks both ways, so one of two similar words names the other's stem),
// and, for words long enough to count a misspelling, the word and its
// one-letter deletions (two words one edit apart share one of those).
func (g *grouper) wordKeys(form, stem string) []string {
	keys := []string{"s:" + stem}
	if g.sim != nil {
		for _, n := range g.sim.Neighbours(form) {
			if ts := retrieval.Terms(n.Word); len(ts) > 0 {
				keys = append(keys, "s:"+ts[0])
			}
		}
	}
	if len(form) >= misspeltMin {
		keys = append(keys, "d:"+form)
		for i := range form {
			_, size := utf8.DecodeRuneInString(form[i:])
			keys = append(keys, "d:"+form[:i]+form[i+size:])
		}
	}
	return keys
}

// misspeltMin is the shortest word, in bytes, a one-letter difference is
// read as a misspelling of: shorter ones are other words ("goat", "boat").
const misspeltMin = 5

// group clusters qs (oldest first) greedily: each question joins the group
// whose first members it is most similar to on average, if that reaches
// groupThreshold, or starts its own.
func (g *grouper) group(qs []gapQuestion) []Gap {
	g.findMatches()
	var groups [][]int
	byKey := map[string][]int{}  // key → groups whose sampled members have it
	keyed := []map[string]bool{} // by group: the keys in byKey
	candidate := map[int]bool{}
	for i := range qs {
		clear(candidate)
		for _, w := range qs[i].words {
			for _, k := range g.keys[w.id] {
				for _, gi := range byKey[k] {
					candidate[gi] = true
				}
			}
		}
		best, bestSim := -1, 0.0
		for gi := range candidate {
			members := groups[gi][:min(len(groups[gi]), groupSample)]
			sum := 0.0
			for _, m := range members {
				sum += g.similarity(&qs[i], &qs[m])
			}
			if s := sum / float64(len(members)); s > bestSim || (s == bestSim && gi < best) {
				best, bestSim = gi, s
			}
		}
		// The same text always joins, content words or none.
		if best < 0 || bestSim < groupThreshold {
			best = -1
			for gi, members := range groups {
				if qs[members[0]].norm == qs[i].norm {
					best = gi
					break
				}
			}
		}
		if best < 0 {
			best = len(groups)
			groups = append(groups, nil)
			keyed = append(keyed, map[string]bool{})
		}
		groups[best] = append(groups[best], i)
		if len(groups[best]) <= groupSample {
			for _, w := range qs[i].words {
				for _, k := range g.keys[w.id] {
					if !keyed[best][k] {
						keyed[best][k] = true
						byKey[k] = append(byKey[k], best)
					}
				}
			}
		}
	}
	gaps := make([]Gap, 0, len(groups))
	for _, members := range groups {
		gaps = append(gaps, summarise(qs, members))
	}
	slices.SortStableFunc(gaps, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(b.Asked, a.Asked), b.Last.Compare(a.Last))
	})
	return gaps
}

// similarity of two questions, from 0 to 1: how much of each one's weight
// the other's words match, averaged both ways. The same text is 1 even
// without content words.
func (g *grouper) similarity(a, b *gapQuestion) float64 {
	if a.norm == b.norm {
		return 1
	}
	return (g.covered(a.words, b.words) + g.covered(b.words, a.words)) / 2
}

// covered is the share of as' weight that bs match.
func (g *grouper) covered(as, bs []gapWord) float64 {
	total, got := 0.0, 0.0
	for _, a := range as {
		total += a.weight
		best := 0.0
		for _, b := range bs {
			best = max(best, g.match(a.id, b.id))
		}
		got += a.weight * best
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// match is how well word b stands for word a, the same both ways.
func (g *grouper) match(a, b int32) float64 {
	if a == b {
		return 1
	}
	for _, m := range g.matches[a] {
		if m.id == b {
			return m.v
		}
	}
	return 0
}

// findMatches works out, for every word, the words that match it: of
// those that share a key with it, the ones with a score.
func (g *grouper) findMatches() {
	byKey := map[string][]int32{}
	for id, keys := range g.keys {
		for _, k := range keys {
			byKey[k] = append(byKey[k], int32(id))
		}
	}
	g.matches = make([][]wordMatch, len(g.forms))
	for a, keys := range g.keys {
		seen := map[int32]bool{int32(a): true}
		for _, k := range keys {
			for _, b := range byKey[k] {
				if seen[b] {
					continue
				}
				seen[b] = true
				if v := g.score(int32(a), b); v > 0 {
					g.matches[a] = append(g.matches[a], wordMatch{id: b, v: v})
				}
			}
		}
	}
}

// score is how well two different words match: 1 for the same stem, 0.9
// for a misspelling, else their similarity in the table.
func (g *grouper) score(a, b int32) float64 {
	fa, fb := g.forms[a], g.forms[b]
	switch {
	case g.stems[a] == g.stems[b]:
		return 1
	case len(fa) >= misspeltMin && len(fb) >= misspeltMin && retrieval.OneEdit(fa, fb):
		return 0.9 // a misspelling
	case g.sim != nil:
		return float64(g.sim.Similar(fa, fb))
	}
	return 0
}

// normalise is a question's text for counting wordings: lower case, single
// spaces, no final punctuation.
func normalise(s string) string {
	return strings.TrimRight(strings.Join(strings.Fields(strings.ToLower(s)), " "), "?!. ")
}

// summarise makes the gap of qs[members].
func summarise(qs []gapQuestion, members []int) Gap {
	var g Gap
	wordings := map[string]int{} // normalised text → index in g.Wordings
	nearest := map[string]int{}
	reasons := map[string]int{}
	titles := map[string]string{}
	for _, m := range members {
		q := qs[m]
		g.Asked++
		if q.refused {
			g.Refused++
		}
		g.Down += q.down
		if q.at.After(g.Last) {
			g.Last = q.at
		}
		key := normalise(q.text)
		if n, ok := wordings[key]; ok {
			g.Wordings[n].Count++
		} else {
			wordings[key] = len(g.Wordings)
			g.Wordings = append(g.Wordings, Wording{Text: q.text, Count: 1})
		}
		if q.nearest != "" {
			nearest[q.nearest]++
			titles[q.nearest] = q.nearestTitle
		}
		if q.reason != "" {
			reasons[q.reason]++
		}
	}
	slices.SortStableFunc(g.Wordings, func(a, b Wording) int { return cmp.Compare(b.Count, a.Count) })
	g.Nearest = commonest(nearest)
	g.NearestTitle = titles[g.Nearest]
	g.Reason = commonest(reasons)
	return g
}

// commonest is the key counted most, the smallest such key on a tie so
// the answer does not depend on map order; "" for none.
func commonest(counts map[string]int) string {
	best, n := "", 0
	for k, c := range counts {
		if c > n || (c == n && k < best) {
			best, n = k, c
		}
	}
	return best
}
