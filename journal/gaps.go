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

	"github.com/crisisbot/crisisbot/retrieval"
)

// Similarity tells how near two lower-case words are in meaning, 0 for
// unrelated; [retrieval.Similarity] is one.
type Similarity interface {
	Similar(a, b string) float32
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

// gapRows caps the questions /gaps reads: the newest are kept. Grouping
// compares every pair, and a moderator reads the top of the list anyway.
const gapRows = 5000

// groupThreshold is the similarity, from 0 to 1, at which a question joins
// a group: on average, half of each question's weight is matched by the
// other's words (the same stem, a misspelling, or a near synonym scaled by
// its similarity).
const groupThreshold = 0.5

// gapQuestion is a question read for grouping.
type gapQuestion struct {
	text         string
	at           time.Time
	refused      bool
	down         int
	reason       string
	nearest      string
	nearestTitle string
	words        []gapWord
}

// gapWord is a content word of a question: its form, for the similarity
// table, which lists word forms; its stem, for exact matches; its weight.
type gapWord struct {
	form, stem string
	weight     float64
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
	var qs []gapQuestion
	for rows.Next() {
		var q gapQuestion
		var at int64
		if err := rows.Scan(&at, &q.text, &q.refused, &q.reason, &q.nearest, &q.nearestTitle, &q.down); err != nil {
			return nil, fmt.Errorf("journal: gaps: %w", err)
		}
		q.at = fromMS(at)
		q.words = j.contentWords(q.text)
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: gaps: %w", err)
	}
	slices.Reverse(qs) // oldest first: a group's first member is its first asking
	return j.group(qs), nil
}

// contentWords are text's words that are not stop words, weighted by
// rarity: log of the English rank, so "Kartarpur" (past the list) weighs
// about twice "open" and nothing weighs nothing.
func (j *Journal) contentWords(text string) []gapWord {
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
		if j.cfg.Ranks != nil {
			weight = math.Log(float64(j.cfg.Ranks.Rank(ts[0])) + math.E)
		}
		out = append(out, gapWord{form: strings.Trim(w, "'’"), stem: ts[0], weight: weight})
	}
	return out
}

// group clusters qs (oldest first) greedily: each question joins the group
// it is most similar to on average, if that reaches groupThreshold, or
// starts its own.
func (j *Journal) group(qs []gapQuestion) []Gap {
	var groups [][]int
	for i := range qs {
		best, bestSim := -1, 0.0
		for g, members := range groups {
			sum := 0.0
			for _, m := range members {
				sum += j.similarity(&qs[i], &qs[m])
			}
			if s := sum / float64(len(members)); s > bestSim {
				best, bestSim = g, s
			}
		}
		if best >= 0 && bestSim >= groupThreshold {
			groups[best] = append(groups[best], i)
		} else {
			groups = append(groups, []int{i})
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
func (j *Journal) similarity(a, b *gapQuestion) float64 {
	if normalise(a.text) == normalise(b.text) {
		return 1
	}
	return (j.covered(a.words, b.words) + j.covered(b.words, a.words)) / 2
}

// covered is the share of as' weight that bs match.
func (j *Journal) covered(as, bs []gapWord) float64 {
	total, got := 0.0, 0.0
	for _, a := range as {
		total += a.weight
		best := 0.0
		for _, b := range bs {
			best = max(best, j.match(a, b))
		}
		got += a.weight * best
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// match is how well word b stands for word a.
func (j *Journal) match(a, b gapWord) float64 {
	switch {
	case a.stem == b.stem:
		return 1
	case len(a.form) >= 5 && len(b.form) >= 5 && retrieval.OneEdit(a.form, b.form):
		return 0.9 // a misspelling
	case j.cfg.Similarity != nil:
		return float64(j.cfg.Similarity.Similar(a.form, b.form))
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
