package retrieval

import (
	"container/heap"
	"math"
	"slices"
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
// built, so searches need no lock.
type lexical struct {
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
	lx := &lexical{postings: map[string][]posting{}, docLen: make([]float32, len(docs))}
	var total float64
	counts := map[string]int{}
	cache := &termCache{}
	for i, d := range docs {
		clear(counts)
		terms := cache.terms(d)
		for _, t := range terms {
			counts[t]++
		}
		for t, c := range counts {
			lx.postings[t] = append(lx.postings[t], posting{doc: int32(i), tf: uint16(min(c, math.MaxUint16))})
		}
		lx.docLen[i] = float32(len(terms))
		total += float64(len(terms))
	}
	if len(docs) > 0 {
		lx.avgLen = float32(total / float64(len(docs)))
	}
	if lx.avgLen == 0 {
		lx.avgLen = 1
	}
	lx.norm = make([]float32, len(docs))
	for i, l := range lx.docLen {
		lx.norm[i] = bm25K1 * (1 - bm25B + bm25B*l/lx.avgLen)
	}
	for t := range lx.postings {
		for len(lx.byLen) <= len(t) {
			lx.byLen = append(lx.byLen, nil)
		}
		lx.byLen[len(t)] = append(lx.byLen[len(t)], t)
	}
	return lx
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
			if oneEdit(t, cand) {
				return true
			}
		}
	}
	return false
}

// oneEdit reports whether a and b differ by at most one edit.
func oneEdit(a, b string) bool {
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
