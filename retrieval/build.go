package retrieval

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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
	if reusable && sameArticles(prev, articles) {
		// The common case of a start or a reload: nothing changed, and
		// the index would be prev over again.
		d.Unchanged = len(articles)
		return prev, d, nil
	}

	// Where each previous article's passages are in prev: an article's
	// passages are always consecutive.
	type span struct{ start, end int }
	prevByID := map[string]span{}
	if prev != nil {
		for i := range prev.passages {
			id := prev.passages[i].ArticleID
			o, ok := prevByID[id]
			if !ok {
				o.start = i
			}
			o.end = i + 1
			prevByID[id] = o
		}
	}
	// remap[i] is where prev's passage i lands in the new index, -1 if it
	// does not; BM25 postings follow it instead of being rebuilt.
	var remap []int32
	if reusable {
		remap = make([]int32, len(prev.passages))
		for i := range remap {
			remap[i] = -1
		}
	}

	// Chunking (with its date extraction) is most of a build's time after
	// embedding: chunk every new and changed article on all cores first.
	var toChunk []int
	for i := range articles {
		a := &articles[i]
		if pa := prevArticle(prev, a.ID); pa == nil || pa.Hash != a.Hash || !reusable {
			toChunk = append(toChunk, i)
		}
	}
	chunked := make([][]corpus.Passage, len(articles))
	parallel(len(toChunk), func(j int) {
		chunked[toChunk[j]] = corpus.Chunk(articles[toChunk[j]], s.Chunking)
	})

	arts := make([]*corpus.Article, len(articles))
	// Sized exactly up front: at 100k passages, growing by appending
	// would leave copies for the collector on top of the index.
	total := 0
	for i := range articles {
		if chunked[i] != nil {
			total += len(chunked[i])
		} else if o, ok := prevByID[articles[i].ID]; ok {
			total += o.end - o.start
		}
	}
	passages := make([]corpus.Passage, 0, total)
	vectors := make([][]float32, 0, total)
	var todo []int // indexes into passages that need a vector
	var todoArt []*corpus.Article
	seen := map[string]bool{}
	for i := range articles {
		a := &articles[i]
		arts[i] = a
		seen[a.ID] = true
		pa := prevArticle(prev, a.ID)
		switch {
		case pa == nil:
			d.Added = append(d.Added, a.ID)
		case pa.Hash != a.Hash:
			d.Changed = append(d.Changed, a.ID)
		case reusable:
			o := prevByID[a.ID]
			for j := o.start; j < o.end; j++ {
				remap[j] = int32(len(passages))
				passages = append(passages, prev.passages[j])
				vectors = append(vectors, prev.vectors[j])
			}
			d.Unchanged++
			continue
		}
		for _, p := range chunked[i] {
			todo = append(todo, len(passages))
			todoArt = append(todoArt, a)
			passages = append(passages, p)
			vectors = append(vectors, nil)
		}
		chunked[i] = nil // copied; let the collector have it
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
		// throw away — or prev with the new origin labels, when only
		// sources.yaml changed.
		return prev.relabelled(arts), d, nil
	}
	slices.SortFunc(arts, func(a, b *corpus.Article) int { return strings.Compare(a.ID, b.ID) })

	// Batches go to the embedder from one goroutine per core: the offline
	// embedder is CPU-bound, and a remote one serves requests side by side.
	batches := (len(todo) + embedBatch - 1) / embedBatch
	errs := make([]error, batches)
	ectx, cancel := context.WithCancel(ctx)
	defer cancel()
	parallel(batches, func(bi int) {
		if ectx.Err() != nil {
			errs[bi] = ectx.Err()
			return
		}
		start := bi * embedBatch
		end := min(start+embedBatch, len(todo))
		batch := todo[start:end]
		texts := make([]string, len(batch))
		for j, pi := range batch {
			texts[j] = indexedText(todoArt[start+j], &passages[pi])
		}
		vecs, err := embed(ectx, texts)
		if err == nil && len(vecs) != len(batch) {
			err = fmt.Errorf("embedder returned %d vectors for %d texts", len(vecs), len(batch))
		}
		if err != nil {
			errs[bi] = err
			cancel()
			return
		}
		for j, pi := range batch {
			vectors[pi] = normalize(vecs[j])
		}
	})
	// The first failure is the cause; later batches failed from its cancel.
	for _, err := range errs {
		if err != nil {
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			return nil, d, fmt.Errorf("embed passages: %w", err)
		}
	}
	d.Embedded = len(todo)
	var lex *lexical
	if reusable {
		fresh := make([]freshDoc, len(todo))
		for j, pi := range todo {
			fresh[j] = newFreshDoc(pi, todoArt[j], &passages[pi])
		}
		lex = prev.lex.update(remap, len(passages), fresh)
	}
	var change *storeChange
	if reusable {
		// The previous collection is updated in place at commit: drop
		// the passages of removed and changed articles, add the fresh.
		change = &storeChange{from: prev.store, add: todo}
		for _, id := range append(slices.Clone(d.Removed), d.Changed...) {
			o := prevByID[id]
			for j := o.start; j < o.end; j++ {
				change.del = append(change.del, prev.passages[j].ID)
			}
		}
		if prev.pending != nil {
			return nil, d, errors.New("index: the previous index's collection was never brought up to date")
		}
	}
	ix, err := newIndex(ctx, s, embed, arts, passages, vectors, lex, now)
	if err != nil {
		return nil, d, err
	}
	if change != nil {
		ix.store, ix.pending = nil, change
	}
	return ix, d, nil
}

// sameArticles reports whether articles are prev's, each with the same
// hash.
func sameArticles(prev *Index, articles []corpus.Article) bool {
	if len(articles) != len(prev.articles) {
		return false
	}
	for i := range articles {
		if pa := prev.byID[articles[i].ID]; pa == nil || pa.Hash != articles[i].Hash {
			return false
		}
	}
	return true
}

func prevArticle(prev *Index, id string) *corpus.Article {
	if prev == nil {
		return nil
	}
	return prev.byID[id]
}

// parallel calls fn(0) … fn(n-1) from one goroutine per core and waits
// for them all.
func parallel(n int, fn func(i int)) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
