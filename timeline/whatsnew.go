package timeline

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Articles is what [WhatsNew] needs of the index: its articles and the
// weight of a term. [*retrieval.Index] is one.
type Articles interface {
	Articles() []*corpus.Article
	IDF(term string) float64
}

var _ Articles = (*retrieval.Index)(nil)

// New is one article that arrived or changed.
type New struct {
	Article *corpus.Article
	// When is when it arrived or last changed: the later of its added_at
	// and its file's modification time.
	When time.Time
	// Changed is true when the file changed after it was added.
	Changed bool
	// Sentences are its most informative sentences, at most
	// [newSentences], in the article's order.
	Sentences []string
}

// newSentences is how many sentences [WhatsNew] quotes of each article.
const newSentences = 2

// changedAfterAdd is how long after added_at a modification time must be
// to count as a change: writing a file and renaming it into place take a
// moment.
const changedAfterAdd = 2 * time.Second

// WhatsNew returns the articles of ix added or changed since, newest
// first, each with its two most informative sentences. When an article
// arrived is its added_at (set when it came through crisisbot: /add, a
// feed) or its file's modification time, whichever is later; an article
// with neither is never new.
func WhatsNew(ix Articles, since time.Time) []New {
	var out []New
	for _, a := range ix.Articles() {
		when := a.AddedAt
		if a.Modified.After(when) {
			when = a.Modified
		}
		changed := !a.AddedAt.IsZero() && a.Modified.After(a.AddedAt.Add(changedAfterAdd))
		if when.IsZero() || when.Before(since) {
			continue
		}
		out = append(out, New{Article: a, When: when, Changed: changed})
	}
	slices.SortStableFunc(out, func(a, b New) int {
		return cmp.Or(b.When.Compare(a.When), strings.Compare(a.Article.ID, b.Article.ID))
	})
	for i := range out {
		out[i].Sentences = informative(ix, out[i].Article, newSentences)
	}
	return out
}

// informative picks the n sentences of a that say most: the sum of the
// IDF weights of their distinct terms, over the square root of how many
// they hold, so that a long sentence does not win by length alone and a
// short one of rare names does not win by rarity alone. A sentence that
// repeats the headline counts for less, since the headline is shown; an
// early one for more, since news puts what matters first.
func informative(ix Articles, a *corpus.Article, n int) []string {
	spans := corpus.SplitSentences(a.Text)
	head := map[string]bool{}
	for _, t := range retrieval.Terms(a.Title) {
		head[t] = true
	}
	type scored struct {
		i     int
		score float64
	}
	var ss []scored
	for i, s := range spans {
		seen := map[string]bool{}
		var sum, dup float64
		for _, t := range retrieval.Terms(a.Text[s.Start:s.End]) {
			if seen[t] {
				continue
			}
			seen[t] = true
			w := ix.IDF(t)
			sum += w
			if head[t] {
				dup += w
			}
		}
		if len(seen) < minTerms {
			continue
		}
		score := (sum - dup/2) / math.Sqrt(float64(len(seen))) * (1 + 0.5/float64(1+i))
		ss = append(ss, scored{i, score})
	}
	slices.SortStableFunc(ss, func(x, y scored) int { return cmp.Compare(y.score, x.score) })
	ss = ss[:min(n, len(ss))]
	slices.SortFunc(ss, func(x, y scored) int { return cmp.Compare(x.i, y.i) })
	out := make([]string, len(ss))
	for k, s := range ss {
		out[k] = strings.Join(strings.Fields(a.Text[spans[s.i].Start:spans[s.i].End]), " ")
	}
	return out
}
