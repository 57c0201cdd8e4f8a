package retrieval

import (
	"container/heap"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/crisisbot/crisisbot/corpus"
)

// BM25 parameters: the usual defaults, which suit news paragraphs.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

type posting struct {
	doc int32
	tf  uint16
}

// lexical is an inverted index scored with Okapi BM25. It is immutable once
// built, so searches need no lock; a reload derives the next one from it
// with [lexical.update], sharing every posting list the change leaves alone.
type lexical struct {
	// postings lists, for each term, the documents that contain it in
	// increasing document order.
	postings map[string][]posting
	docLen   []float32
	avgLen   float32
	// norm is BM25's length normalisation of each document, which depends
	// only on the document: worked out once here, not per posting per query.
	norm []float32
	// byLen lists the vocabulary by length in bytes, so that [lexical.near]
	// compares a term only with the terms one edit could turn it into.
	byLen [][]string
}

func newLexical(docs []string) *lexical {
	fresh := make([]freshDoc, len(docs))
	for i, d := range docs {
		fresh[i] = freshDoc{doc: int32(i), body: d}
	}
	return (*lexical)(nil).update(nil, len(docs), fresh)
}

// freshDoc is a document a reload must tokenise: its number in the new
// index and its indexed text (see [indexedText]) as its two parts, the
// article's title and the passage's text, which are tokenised one after
// the other: the terms are those of the two joined by a line break,
// without a build making 100k such strings.
type freshDoc struct {
	doc         int32
	title, body string
}

// newFreshDoc is passage p of article a as a document numbered doc.
func newFreshDoc(doc int, a *corpus.Article, p *corpus.Passage) freshDoc {
	d := freshDoc{doc: int32(doc), body: p.Text}
	if a != nil {
		d.title = a.Title
	}
	return d
}

// postingsOf tokenises the fresh documents, sorted by number, on all
// cores, and returns each term's postings in increasing document order
// and each document's length in terms (parallel to fresh). Each core takes
// a run of consecutive documents, so its lists follow one another; no
// document's terms are kept beyond its own counting.
func postingsOf(fresh []freshDoc) (map[string][]posting, []float32) {
	lens := make([]float32, len(fresh))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(fresh)/64))
	parts := make([]map[string][]posting, workers)
	per := (len(fresh) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			cache := &termCache{}
			counts := map[string]int{}
			var order []string
			out := map[string][]posting{}
			for i := w * per; i < min((w+1)*per, len(fresh)); i++ {
				clear(counts)
				order = order[:0]
				n := 0
				count := func(word string) {
					t := cache.term(word)
					if t == "" {
						return
					}
					n++
					if counts[t] == 0 {
						order = append(order, t)
					}
					counts[t]++
				}
				forEachWord(fresh[i].title, count)
				forEachWord(fresh[i].body, count)
				lens[i] = float32(n)
				for _, t := range order {
					out[t] = append(out[t], posting{doc: fresh[i].doc, tf: uint16(min(counts[t], math.MaxUint16))})
				}
			}
			parts[w] = out
		})
	}
	wg.Wait()
	add := parts[0]
	for _, part := range parts[1:] {
		for t, ps := range part {
			if prev, ok := add[t]; ok {
				merged := make([]posting, 0, len(prev)+len(ps))
				add[t] = append(append(merged, prev...), ps...)
			} else {
				add[t] = ps
			}
		}
	}
	return add, lens
}

// update returns the index of a corpus of n documents made of lx's
// documents renumbered by remap (remap[old] is the new number, or -1 for a
// document that is gone; nil when lx is nil) and the fresh documents, which
// it tokenises. Only fresh documents are tokenised, and a term's posting
// list is copied only when a document of it was renumbered or removed, or
// a fresh one contains the term; every other list is shared with lx, which
// is left as it was and can keep serving. The result is the index
// newLexical would build from all n texts, posting for posting.
func (lx *lexical) update(remap []int32, n int, fresh []freshDoc) *lexical {
	slices.SortFunc(fresh, func(a, b freshDoc) int { return int(a.doc - b.doc) })
	// Fresh postings per term, in increasing document order.
	add, lens := postingsOf(fresh)
	next := &lexical{docLen: make([]float32, n)}
	for i, l := range lens {
		next.docLen[fresh[i].doc] = l
	}
	if lx == nil {
		next.postings = add
		next.finish()
		return next
	}
	for old, d := range remap {
		if d >= 0 {
			next.docLen[d] = lx.docLen[old]
		}
	}
	next.postings = make(map[string][]posting, len(lx.postings)+len(add)/8)
	for t, ps := range lx.postings {
		kept := renumber(ps, remap)
		if extra := add[t]; len(extra) > 0 {
			kept = mergePostings(kept, extra)
			delete(add, t)
		}
		if len(kept) > 0 {
			next.postings[t] = kept
		}
	}
	for t, ps := range add {
		next.postings[t] = ps
	}
	next.finish()
	return next
}

// renumber maps ps through remap, dropping removed documents. It returns
// ps itself when no document's number changes, so an unchanged list is
// shared rather than copied.
func renumber(ps []posting, remap []int32) []posting {
	for i, p := range ps {
		if remap[p.doc] == p.doc {
			continue
		}
		out := make([]posting, i, len(ps))
		copy(out, ps[:i])
		for _, p := range ps[i:] {
			if d := remap[p.doc]; d >= 0 {
				out = append(out, posting{doc: d, tf: p.tf})
			}
		}
		return out
	}
	return ps
}

// mergePostings merges two lists in increasing document order into a new
// one; neither input is changed.
func mergePostings(a, b []posting) []posting {
	out := make([]posting, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].doc < b[0].doc {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// finish works out what depends on every document: the average length,
// each document's normalisation and the vocabulary by length.
func (lx *lexical) finish() {
	var total float64
	for _, l := range lx.docLen {
		total += float64(l)
	}
	lx.avgLen = 0
	if len(lx.docLen) > 0 {
		lx.avgLen = float32(total / float64(len(lx.docLen)))
	}
	if lx.avgLen == 0 {
		lx.avgLen = 1
	}
	lx.norm = make([]float32, len(lx.docLen))
	for i, l := range lx.docLen {
		lx.norm[i] = bm25K1 * (1 - bm25B + bm25B*l/lx.avgLen)
	}
	lx.byLen = nil
	for t := range lx.postings {
		for len(lx.byLen) <= len(t) {
			lx.byLen = append(lx.byLen, nil)
		}
		lx.byLen[len(t)] = append(lx.byLen[len(t)], t)
	}
}

// idf is BM25's inverse document frequency. A term the corpus has never seen
// gets the highest value a term could have, because its absence is the
// strongest evidence that the corpus does not cover a question.
func (lx *lexical) idf(t string) float64 {
	n := float64(len(lx.docLen))
	df := float64(len(lx.postings[t]))
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

type scored struct {
	doc   int
	score float64
}

// search returns up to n documents with a positive BM25 score, best first.
// Scores accumulate in a dense array: at 100k passages a common term's
// postings would otherwise mean 100k map updates.
func (lx *lexical) search(terms []string, n int) []scored {
	if n <= 0 || len(lx.docLen) == 0 {
		return nil
	}
	acc := make([]float32, len(lx.docLen))
	var touched []int32
	seen := map[string]bool{}
	for _, t := range terms {
		if seen[t] {
			continue
		}
		seen[t] = true
		ps := lx.postings[t]
		if len(ps) == 0 {
			continue
		}
		idf := float32(lx.idf(t))
		for _, p := range ps {
			tf := float32(p.tf)
			if acc[p.doc] == 0 {
				touched = append(touched, p.doc)
			}
			acc[p.doc] += idf * tf * (bm25K1 + 1) / (tf + lx.norm[p.doc])
		}
	}
	// Keep the n best in a min-heap rather than sorting every touched doc.
	h := make(scoredHeap, 0, n)
	for _, d := range touched {
		sc := scored{doc: int(d), score: float64(acc[d])}
		if len(h) < n {
			heap.Push(&h, sc)
		} else if better(sc, h[0]) {
			h[0] = sc
			heap.Fix(&h, 0)
		}
	}
	return topScored(h, n)
}

// better orders results: higher score first, then lower document index.
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.doc < b.doc
}

// scoredHeap is a [heap.Interface] ordered by [better] with the worst
// result at the root: the one a better result replaces.
type scoredHeap []scored

// Len implements [heap.Interface].
func (h scoredHeap) Len() int { return len(h) }

// Less implements [heap.Interface]: i sorts first when it is the worse.
func (h scoredHeap) Less(i, j int) bool { return better(h[j], h[i]) }

// Swap implements [heap.Interface].
func (h scoredHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

// Push implements [heap.Interface].
func (h *scoredHeap) Push(x any) { *h = append(*h, x.(scored)) }

// Pop implements [heap.Interface].
func (h *scoredHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// topScored sorts by descending score, ties by document order so results
// are deterministic, and keeps the first n.
func topScored(s []scored, n int) []scored {
	slices.SortFunc(s, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return a.doc - b.doc
	})
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// has reports whether any passage contains the term.
func (lx *lexical) has(t string) bool { return len(lx.postings[t]) > 0 }

// near reports whether the corpus has a term one edit (insertion, deletion,
// substitution or transposition) away from t, so a misspelt question word
// still counts as covered. Short terms are exempt: at four letters or fewer
// one edit makes a different word.
func (lx *lexical) near(t string) bool {
	if len(t) <= 4 {
		return false
	}
	for n := len(t) - 1; n <= len(t)+1 && n < len(lx.byLen); n++ {
		for _, cand := range lx.byLen[n] {
			if OneEdit(t, cand) {
				return true
			}
		}
	}
	return false
}

// OneEdit reports whether a and b differ by at most one edit: an
// insertion, a deletion, a substitution or a transposition. The index and
// the answerer count a misspelt word the same way through it.
func OneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	switch {
	case len(a) == len(b):
		if i >= len(a)-1 {
			return true
		}
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // transposition
	case len(a)+1 == len(b):
		return a[i:] == b[i+1:]
	}
	return false
}
