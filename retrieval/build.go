package retrieval

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// embedBatch is how many passages go to the embedder at once: large enough
// to amortise a request to a remote server, small enough to report progress
// and notice a cancelled context.
const embedBatch = 128

// Diff says what a build changed relative to the index it started from.
type Diff struct {
	Added     []string // article IDs new to the index
	Changed   []string // article IDs whose file changed
	Removed   []string // article IDs no longer in the corpus
	Unchanged int      // articles whose passages and vectors were reused
	Embedded  int      // passages embedded by this build
	Rebuilt   bool     // settings changed, so nothing could be reused
}

// Empty reports whether the build changed nothing.
func (d Diff) Empty() bool {
	return len(d.Added) == 0 && len(d.Changed) == 0 && len(d.Removed) == 0 && !d.Rebuilt
}

// build indexes articles, reusing prev's passages and vectors for every
// article whose file is byte-for-byte unchanged under the same settings.
// When nothing changed it returns prev itself.
func build(ctx context.Context, s Settings, embed EmbedFunc, articles []corpus.Article, prev *Index, now time.Time) (*Index, Diff, error) {
	var d Diff
	reusable := prev != nil && prev.settings.key() == s.key()
	d.Rebuilt = prev != nil && !reusable

	// Passages of one previous article, with their vectors.
	type old struct {
		passages []corpus.Passage
		vectors  [][]float32
	}
	prevByID := map[string]old{}
	if prev != nil {
		for i := range prev.passages {
			p := prev.passages[i]
			o := prevByID[p.ArticleID]
			o.passages = append(o.passages, p)
			o.vectors = append(o.vectors, prev.vectors[i])
			prevByID[p.ArticleID] = o
		}
	}

	arts := make([]*corpus.Article, len(articles))
	var passages []corpus.Passage
	var vectors [][]float32
	var todo []int // indexes into passages that need a vector
	var todoArt []*corpus.Article
	seen := map[string]bool{}
	for i := range articles {
		a := &articles[i]
		arts[i] = a
		seen[a.ID] = true
		var pa *corpus.Article
		if prev != nil {
			pa = prev.byID[a.ID]
		}
		switch {
		case pa == nil:
			d.Added = append(d.Added, a.ID)
		case pa.Hash != a.Hash:
			d.Changed = append(d.Changed, a.ID)
		case reusable:
			o := prevByID[a.ID]
			passages = append(passages, o.passages...)
			vectors = append(vectors, o.vectors...)
			d.Unchanged++
			continue
		}
		for _, p := range corpus.Chunk(*a, s.Chunking) {
			todo = append(todo, len(passages))
			todoArt = append(todoArt, a)
			passages = append(passages, p)
			vectors = append(vectors, nil)
		}
	}
	if prev != nil {
		for _, a := range prev.articles {
			if !seen[a.ID] {
				d.Removed = append(d.Removed, a.ID)
			}
		}
	}
	if prev != nil && d.Empty() {
		// Every article is prev's, unchanged under the same settings, so
		// the index would be prev over again: return prev rather than build
		// a chromem collection and BM25 over every passage for Reload to
		// throw away.
		return prev, d, nil
	}
	slices.SortFunc(arts, func(a, b *corpus.Article) int { return strings.Compare(a.ID, b.ID) })

	for start := 0; start < len(todo); start += embedBatch {
		end := min(start+embedBatch, len(todo))
		batch := todo[start:end]
		texts := make([]string, len(batch))
		for j, pi := range batch {
			texts[j] = indexedText(todoArt[start+j], &passages[pi])
		}
		vecs, err := embed(ctx, texts)
		if err != nil {
			return nil, d, fmt.Errorf("embed passages: %w", err)
		}
		if len(vecs) != len(batch) {
			return nil, d, fmt.Errorf("embed passages: embedder returned %d vectors for %d texts", len(vecs), len(batch))
		}
		for j, pi := range batch {
			vectors[pi] = normalize(vecs[j])
		}
		d.Embedded += len(batch)
	}
	ix, err := newIndex(ctx, s, embed, arts, passages, vectors, now)
	if err != nil {
		return nil, d, err
	}
	return ix, d, nil
}
