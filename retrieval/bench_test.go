package retrieval

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// syntheticPassages makes n passages of about 60 words drawn from a
// Zipf-distributed vocabulary, like news text, grouped 10 to an article.
func syntheticPassages(n int) ([]*corpus.Article, []corpus.Passage) {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 30000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x%s", i, strings.Repeat("a", i%5))
	}
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	var arts []*corpus.Article
	passages := make([]corpus.Passage, n)
	for i := range passages {
		if i%10 == 0 {
			arts = append(arts, &corpus.Article{ID: fmt.Sprintf("a%06d", i/10), Title: vocab[zipf.Uint64()]})
		}
		words := make([]string, 60)
		for j := range words {
			words[j] = vocab[zipf.Uint64()]
		}
		text := strings.Join(words, " ") + "."
		a := arts[len(arts)-1]
		passages[i] = corpus.Passage{ID: fmt.Sprintf("%s#%d", a.ID, i%10), ArticleID: a.ID, Index: i % 10, Text: text,
			Span: corpus.Span{End: len(text)}, Sentences: []corpus.Span{{End: len(text)}}}
	}
	return arts, passages
}

func syntheticQuestions(n int) []string {
	rng := rand.New(rand.NewPCG(3, 4))
	qs := make([]string, n)
	for i := range qs {
		qs[i] = fmt.Sprintf("what about w%x and w%x or w%x?", rng.IntN(2000), rng.IntN(8000), 100+rng.IntN(200))
	}
	return qs
}

// BenchmarkRetrieval measures crisisbot's whole retrieval (embedding the
// question, chromem-go's vector query, BM25 and fusion) and, in the same
// run over the same vectors, chromem-go's bare QueryEmbedding and a plain
// brute-force dot-product scan with a top-k heap, reporting both ratios.
func BenchmarkRetrieval(b *testing.B) {
	const dims, k = 384, 6
	for _, n := range []int{1_000, 10_000, 100_000} {
		arts, passages := syntheticPassages(n)
		texts := make([]string, len(passages))
		for i := range passages {
			texts[i] = passages[i].Text
		}
		embed := HashEmbedder(dims)
		vecs, err := embed(context.Background(), texts)
		if err != nil {
			b.Fatal(err)
		}
		ix, err := newIndex(context.Background(), Settings{Embedder: "bench"}, embed, arts, passages, vecs, nil, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		coll, err := ix.Collection(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		qs := syntheticQuestions(64)
		qvecs, _ := embed(context.Background(), qs)
		b.Run(fmt.Sprintf("passages=%d", n), func(b *testing.B) {
			ctx := context.Background()
			var whole, bare, scan time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := i % len(qs)
				t0 := time.Now()
				if _, err := ix.Search(ctx, qs[q], k); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := coll.QueryEmbedding(ctx, qvecs[q], min(max(4*k, 50), n), nil, nil); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				bruteForce(vecs, qvecs[q], k)
				t3 := time.Now()
				whole += t1.Sub(t0)
				bare += t2.Sub(t1)
				scan += t3.Sub(t2)
			}
			b.ReportMetric(float64(whole.Nanoseconds())/float64(b.N)/1e6, "search-ms")
			b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N)/1e6, "chromem-ms")
			b.ReportMetric(float64(scan.Nanoseconds())/float64(b.N)/1e6, "scan-ms")
			b.ReportMetric(float64(whole)/float64(bare), "x-chromem")
			b.ReportMetric(float64(whole)/float64(scan), "x-scan")
		})
		runtime.GC()
	}
}

// BenchmarkIndexing measures indexing throughput with the default embedder
// (chunked text in, searchable index out) and reports it as passages per
// second and as a multiple of one brute-force scan over the same vectors.
// The passages= cases embed every passage in one call; the build/ cases go
// through build from articles, which chunks them and embeds in batches of
// [embedBatch], as a first Open or a reload does. Each iteration starts a
// fresh embedder, so one build's work is not cached for the next.
func BenchmarkIndexing(b *testing.B) {
	const dims = 384
	for _, n := range []int{1_000, 10_000} {
		arts, passages := syntheticPassages(n)
		texts := make([]string, len(passages))
		for i := range passages {
			texts[i] = passages[i].Text
		}
		b.Run(fmt.Sprintf("passages=%d", n), func(b *testing.B) {
			ctx := context.Background()
			var index, scan time.Duration
			for i := 0; i < b.N; i++ {
				embed := HashEmbedder(dims)
				t0 := time.Now()
				vecs, err := embed(ctx, texts)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := newIndex(ctx, Settings{Embedder: "bench"}, embed, arts, passages, vecs, nil, time.Now()); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				bruteForce(vecs, vecs[0], 6)
				scan += time.Since(t1)
				index += t1.Sub(t0)
			}
			b.ReportMetric(float64(n*b.N)/index.Seconds(), "passages/s")
			b.ReportMetric(float64(index)/float64(scan), "x-scan")
		})
		articles := syntheticArticles(arts, passages)
		b.Run(fmt.Sprintf("build/passages=%d", n), func(b *testing.B) {
			ctx := context.Background()
			var indexed int
			var index time.Duration
			for i := 0; i < b.N; i++ {
				embed := HashEmbedder(dims)
				t0 := time.Now()
				ix, _, err := build(ctx, Settings{Embedder: "bench"}, embed, articles, nil, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				index += time.Since(t0)
				indexed += ix.Len()
			}
			b.ReportMetric(float64(indexed)/index.Seconds(), "passages/s")
		})
	}
}

// syntheticArticles turns the articles and passages of [syntheticPassages]
// into whole articles, one paragraph per passage, for benchmarks that start
// where build does.
func syntheticArticles(arts []*corpus.Article, passages []corpus.Passage) []corpus.Article {
	texts := map[string][]string{}
	for _, p := range passages {
		texts[p.ArticleID] = append(texts[p.ArticleID], p.Text)
	}
	out := make([]corpus.Article, len(arts))
	for i, a := range arts {
		out[i] = *a
		out[i].Text = strings.Join(texts[a.ID], "\n\n")
		out[i].Hash = a.ID
	}
	return out
}

// bruteForce is the baseline: one dot product per vector, a k-sized heap.
func bruteForce(vecs [][]float32, q []float32, k int) []int {
	h := &minHeap{}
	for i, v := range vecs {
		var s float32
		for j := range q {
			s += q[j] * v[j]
		}
		if h.Len() < k {
			heap.Push(h, hs{i, s})
		} else if s > (*h)[0].s {
			(*h)[0] = hs{i, s}
			heap.Fix(h, 0)
		}
	}
	out := make([]int, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(hs).i
	}
	return out
}

type hs struct {
	i int
	s float32
}

type minHeap []hs

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[i].s < h[j].s }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(hs)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
