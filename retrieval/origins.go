package retrieval

import (
	"slices"
	"strings"

	"github.com/crisisbot/crisisbot/corpus"
)

// relabelled returns ix, or, when arts — the same articles, freshly loaded
// — label some outlet with another origin, a copy of ix that serves them
// instead. Origins come from the corpus's sources.yaml, not from the
// articles' files, so relabelling an outlet changes no passage, vector or
// posting and re-embeds nothing; the saved index keeps the old labels,
// which the next load puts right.
func (ix *Index) relabelled(arts []*corpus.Article) *Index {
	changed := false
	for _, a := range arts {
		if old := ix.byID[a.ID]; old != nil && old.Origin != a.Origin {
			changed = true
			break
		}
	}
	if !changed {
		return ix
	}
	sorted := slices.Clone(arts)
	slices.SortFunc(sorted, func(a, b *corpus.Article) int { return strings.Compare(a.ID, b.ID) })
	cp := *ix
	cp.articles = sorted
	cp.byID = make(map[string]*corpus.Article, len(sorted))
	for _, a := range sorted {
		cp.byID[a.ID] = a
	}
	return &cp
}

// Passages returns every indexed passage, an article's passages together
// and in order. The caller must not modify them.
func (ix *Index) Passages() []corpus.Passage { return ix.passages }
