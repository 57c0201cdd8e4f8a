package retrieval

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/philippgille/chromem-go"

	"github.com/crisisbot/crisisbot/corpus"
)

// rrfK is the constant of reciprocal rank fusion: large enough that the top
// few ranks of either list do not drown the other list.
const rrfK = 60

// Hit is one ranked passage.
type Hit struct {
	Passage *corpus.Passage
	Article *corpus.Article
	// Score is the fused reciprocal-rank score; only its order means much.
	Score float64
	// Similarity is the cosine similarity to the question, Lexical the BM25
	// score; either is zero when the passage was not in that list.
	Similarity float32
	Lexical    float64
}

// Index is an immutable, searchable snapshot of a corpus. Reloading builds a
// new Index and swaps it in (see [Library]), so a search never sees a
// half-built index and needs no lock.
type Index struct {
	settings Settings
	embed    EmbedFunc
	articles []*corpus.Article // sorted by ID
	byID     map[string]*corpus.Article
	passages []corpus.Passage
	vectors  [][]float32 // normalised, parallel to passages
	// store holds every passage by its ID in chromem-go. Searches do not
	// query it (see [vectorTop]), so it is made on first use rather than
	// on every start, and a reload updates it in place, shared with the
	// index it replaces, instead of copying 100k documents.
	store *storeCell
	// pending is what the store still lacks of this index until
	// commitStore.
	pending *storeChange
	lex     *lexical
	// spell gives the corpus's spellings of the words it capitalises (see
	// [Index.Spelling]), read on first use.
	spell func() spellings
	built time.Time
}

// storeCell is an index's chromem-go collection, made from the index's
// passages when first asked for. Once made, it is shared with the indexes
// reloads derive from it.
type storeCell struct {
	mu    sync.Mutex
	build func(context.Context) (*chromem.Collection, error)
	coll  *chromem.Collection
}

// collection returns the cell's collection, making it on the first call
// that succeeds.
func (c *storeCell) collection(ctx context.Context) (*chromem.Collection, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.coll == nil {
		coll, err := c.build(ctx)
		if err != nil {
			return nil, err
		}
		c.coll, c.build = coll, nil
	}
	return c.coll, nil
}

// made reports whether the collection exists.
func (c *storeCell) made() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.coll != nil
}

// lazyStore is the cell of a collection of the passages, made when first
// asked for.
func lazyStore(passages []corpus.Passage, vectors [][]float32) *storeCell {
	return &storeCell{build: func(ctx context.Context) (*chromem.Collection, error) {
		return newStore(ctx, passages, vectors)
	}}
}

// madeStore is the cell of a collection that exists.
func madeStore(coll *chromem.Collection) *storeCell { return &storeCell{coll: coll} }

// Collection returns the chromem-go collection that holds the index's
// passages by ID, each with its vector, making it on the first call.
func (ix *Index) Collection(ctx context.Context) (*chromem.Collection, error) {
	if ix.pending != nil {
		return nil, errors.New("index: not yet committed")
	}
	return ix.store.collection(ctx)
}

// Settings are what the vectors depend on: when either changes, nothing of
// the old index can be reused.
type Settings struct {
	// Embedder names the embedding model and its settings.
	Embedder string
	// Chunking is the chunker's fingerprint.
	Chunking corpus.ChunkOptions
	// cutBy is, for an index loaded from disk, the fingerprint of the
	// chunker that cut its passages and dated their sentences, which may
	// be older code than this; "" for an index built here.
	cutBy string
}

// key is what an index must share with the settings of a reload for its
// passages and vectors to be reused.
func (s Settings) key() string { return s.Embedder + "|" + s.chunker() }

// chunker is the fingerprint of the chunker that cut the passages.
func (s Settings) chunker() string {
	if s.cutBy != "" {
		return s.cutBy
	}
	return s.Chunking.Fingerprint()
}

// newIndex assembles an index from articles, their passages and one vector per
// passage. Vectors must already be normalised. lex is the passages' BM25
// index when the caller has it (loaded, or derived from the previous
// index); when nil it is built from the passages' text. The index's
// chromem-go collection is made when first needed; a caller deriving the
// index from another sets store and pending instead.
func newIndex(ctx context.Context, s Settings, embed EmbedFunc, articles []*corpus.Article, passages []corpus.Passage, vectors [][]float32, lex *lexical, built time.Time) (*Index, error) {
	if len(vectors) != len(passages) {
		return nil, fmt.Errorf("index: %d vectors for %d passages", len(vectors), len(passages))
	}
	ix := &Index{
		settings: s,
		embed:    embed,
		articles: articles,
		byID:     make(map[string]*corpus.Article, len(articles)),
		passages: passages,
		vectors:  vectors,
		built:    built,
	}
	for _, a := range articles {
		ix.byID[a.ID] = a
	}
	for i := range passages {
		if len(vectors[i]) == 0 {
			return nil, fmt.Errorf("index: passage %s has no vector", passages[i].ID)
		}
	}
	ix.store = lazyStore(passages, vectors)
	if lex == nil {
		fresh := make([]freshDoc, len(passages))
		for i := range passages {
			fresh[i] = newFreshDoc(i, ix.byID[passages[i].ArticleID], &passages[i])
		}
		lex = (*lexical)(nil).update(nil, len(passages), fresh)
	}
	if len(lex.docLen) != len(passages) {
		return nil, fmt.Errorf("index: BM25 over %d passages, index of %d", len(lex.docLen), len(passages))
	}
	ix.lex = lex
	ix.spell = spellCell(ix)
	return ix, nil
}

// indexedText is what the embedder and BM25 see of a passage: its text and
// the article's title, because a title often names what the passage only
// implies.
func indexedText(a *corpus.Article, p *corpus.Passage) string {
	if a == nil {
		return p.Text
	}
	return a.Title + "\n" + p.Text
}

// Articles returns the indexed articles sorted by ID. The caller must not
// modify them.
func (ix *Index) Articles() []*corpus.Article { return ix.articles }

// Article returns the article with the given ID, or nil.
func (ix *Index) Article(id string) *corpus.Article { return ix.byID[id] }

// Len returns the number of passages.
func (ix *Index) Len() int { return len(ix.passages) }

// Built returns when the index was built or last refreshed.
func (ix *Index) Built() time.Time { return ix.built }

// IDF returns the inverse document frequency of an index term (see [Terms])
// over passages; an unknown term gets the highest value.
func (ix *Index) IDF(term string) float64 { return ix.lex.idf(term) }

// Has reports whether any passage contains the index term itself.
func (ix *Index) Has(term string) bool { return ix.lex.has(term) }

// Mentions reports whether any passage contains the index term, or, for a
// term of five letters or more, one a single typo away from it.
func (ix *Index) Mentions(term string) bool { return ix.lex.has(term) || ix.lex.near(term) }

// Search returns up to k passages for the question, best first: the vector
// ranking (an exact scan of the vectors chromem-go holds, see [vectorTop])
// and the BM25 ranking fused by reciprocal rank.
func (ix *Index) Search(ctx context.Context, question string, k int) ([]Hit, error) {
	if k <= 0 || len(ix.passages) == 0 {
		return nil, nil
	}
	vecs, err := ix.embed(ctx, []string{question})
	if err != nil {
		return nil, fmt.Errorf("search: embed question: %w", err)
	}
	if len(vecs) != 1 || len(vecs[0]) == 0 {
		return nil, errors.New("search: embedder returned no vector for the question")
	}
	return ix.search(ctx, question, normalize(vecs[0]), k)
}

// Lexical returns up to k passages by their BM25 score for text alone,
// best first, without embedding it: a lookup inside the corpus ("which
// passages speak of the ceasefire") that needs words, not meaning, and no
// call to a remote embedder.
func (ix *Index) Lexical(text string, k int) []Hit {
	var hits []Hit
	for _, s := range ix.lex.search(Terms(text), min(k, len(ix.passages))) {
		p := &ix.passages[s.doc]
		hits = append(hits, Hit{Passage: p, Article: ix.byID[p.ArticleID], Score: s.score, Lexical: s.score})
	}
	return hits
}

func (ix *Index) search(ctx context.Context, question string, qv []float32, k int) ([]Hit, error) {
	// Each list is cut deeper than k so a passage ranked modestly by both
	// can still win the fusion.
	depth := min(max(4*k, 50), len(ix.passages))
	type fused struct {
		score float64
		sim   float32
		lex   float64
	}
	acc := map[int]*fused{}
	get := func(doc int) *fused {
		f := acc[doc]
		if f == nil {
			f = &fused{}
			acc[doc] = f
		}
		return f
	}
	var vectorList, lexicalTop []int
	// A zero query vector (a question of stop words only) says nothing.
	if !isZero(qv) {
		res, err := vectorTop(ctx, ix.vectors, qv, depth)
		if err != nil {
			return nil, fmt.Errorf("search: vector query: %w", err)
		}
		for rank, r := range res {
			f := get(r.doc)
			f.score += 1 / float64(rrfK+rank+1)
			f.sim = r.sim
			vectorList = append(vectorList, r.doc)
		}
	}
	for rank, s := range ix.lex.search(Terms(question), depth) {
		f := get(s.doc)
		f.score += 1 / float64(rrfK+rank+1)
		f.lex = s.score
		lexicalTop = append(lexicalTop, s.doc)
	}
	ranked := make([]scored, 0, len(acc))
	for doc, f := range acc {
		ranked = append(ranked, scored{doc: doc, score: f.score})
	}
	ranked = topScored(ranked, len(ranked))
	ranked = reserveTop(ranked, k, vectorList, lexicalTop)
	hits := make([]Hit, len(ranked))
	for i, r := range ranked {
		p := &ix.passages[r.doc]
		f := acc[r.doc]
		hits[i] = Hit{Passage: p, Article: ix.byID[p.ArticleID], Score: f.score, Similarity: f.sim, Lexical: f.lex}
	}
	return hits, nil
}

// reserveTop keeps the first k of the fused ranking, except that the best
// ceil(k/3) of each single ranking are always kept: reciprocal rank fusion
// favours passages that are fair in both lists, and would otherwise drop
// the one passage that alone contains a rare exact term — a number, a
// name — because the vector ranking does not single it out.
func reserveTop(fused []scored, k int, lists ...[]int) []scored {
	if len(fused) <= k {
		return fused
	}
	reserved := map[int]bool{}
	for _, l := range lists {
		for _, doc := range l[:min(len(l), (k+2)/3)] {
			reserved[doc] = true
		}
	}
	out := make([]scored, 0, k)
	kept := map[int]bool{}
	// Reserved passages first claim their places, in fused order…
	for _, s := range fused {
		if reserved[s.doc] && len(out) < k {
			out = append(out, s)
			kept[s.doc] = true
		}
	}
	// …then the rest fill up, and the result is put back in fused order.
	for _, s := range fused {
		if len(out) >= k {
			break
		}
		if !kept[s.doc] {
			out = append(out, s)
		}
	}
	return topScored(out, k)
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// newStore makes a chromem-go collection of the passages, keyed by
// passage ID.
func newStore(ctx context.Context, passages []corpus.Passage, vectors [][]float32) (*chromem.Collection, error) {
	// The collection never embeds (every document arrives with its vector),
	// but chromem-go falls back to OpenAI when given no function: give it
	// one that says so instead of calling out.
	noEmbed := func(context.Context, string) ([]float32, error) {
		return nil, errors.New("index: chromem-go asked to embed; vectors are supplied by crisisbot")
	}
	coll, err := chromem.NewDB().CreateCollection("passages", nil, noEmbed)
	if err != nil {
		return nil, fmt.Errorf("index: create collection: %w", err)
	}
	// AddDocuments starts a goroutine per document; one at a time is as fast
	// for supplied vectors and does not hold 100k goroutines at once.
	for i := range passages {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if len(vectors[i]) == 0 {
			return nil, fmt.Errorf("index: passage %s has no vector", passages[i].ID)
		}
		err := coll.AddDocument(ctx, chromem.Document{ID: passages[i].ID, Embedding: vectors[i]})
		if err != nil {
			return nil, fmt.Errorf("index: add %s: %w", passages[i].ID, err)
		}
	}
	return coll, nil
}

// storeChange is what a reload changes in the shared collection: the
// passage IDs it drops and the passages (by number) it adds or replaces,
// in the collection of the index it derives from.
type storeChange struct {
	from *storeCell
	del  []string
	add  []int
}

// commitStore brings the shared chromem-go collection up to date with ix.
// It is called once ix is saved and about to serve: the index it replaces
// never reads the collection, so changing it under that index is safe, and
// a reload that failed earlier has left it untouched. The IDs are passed
// with nil filters, since chromem-go ignores them (or deletes everything)
// when a filter map is non-nil.
//
// When the index it derives from never made its collection, ix does not
// make it either: a process that answers or adds an article never needs
// one, and a bot makes it at start ([Library.WarmStore]).
func (ix *Index) commitStore(ctx context.Context) error {
	p := ix.pending
	if p == nil {
		return nil
	}
	if !p.from.made() {
		// Nothing has asked for the collection yet: ix makes its own when
		// something does, rather than now the one it would update.
		ix.store, ix.pending = lazyStore(ix.passages, ix.vectors), nil
		return nil
	}
	coll, err := p.from.collection(ctx)
	if err != nil {
		return err
	}
	if len(p.del) > 0 {
		if err := coll.Delete(ctx, nil, nil, p.del...); err != nil {
			return fmt.Errorf("index: delete from collection: %w", err)
		}
	}
	for _, i := range p.add {
		err := coll.AddDocument(ctx, chromem.Document{ID: ix.passages[i].ID, Embedding: ix.vectors[i]})
		if err != nil {
			return fmt.Errorf("index: add %s: %w", ix.passages[i].ID, err)
		}
	}
	ix.store = madeStore(coll)
	ix.pending = nil
	return nil
}
