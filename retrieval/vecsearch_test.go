package retrieval

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/philippgille/chromem-go"
)

func randomVectors(n, dims int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	flat := make([]float32, n*dims)
	out := make([][]float32, n)
	for i := range out {
		v := flat[i*dims : (i+1)*dims : (i+1)*dims]
		for j := range v {
			v[j] = float32(rng.NormFloat64())
		}
		out[i] = normalize(v)
	}
	return out
}

func chromemOf(tb testing.TB, vectors [][]float32) *chromem.Collection {
	tb.Helper()
	coll, err := chromem.NewDB().CreateCollection("t", nil, func(context.Context, string) ([]float32, error) { return nil, nil })
	if err != nil {
		tb.Fatal(err)
	}
	for i, v := range vectors {
		if err := coll.AddDocument(context.Background(), chromem.Document{ID: strconv.Itoa(i), Embedding: v}); err != nil {
			tb.Fatal(err)
		}
	}
	return coll
}

// TestVectorTopMatchesChromem checks the scan against chromem-go's query
// over the same vectors: the same passages in the same order with the
// same similarities to within float32 rounding, with the scan split over
// goroutines.
func TestVectorTopMatchesChromem(t *testing.T) {
	ctx := context.Background()
	n := 3 * scanMinRows
	if testing.Short() {
		n = 2000
	}
	vectors := randomVectors(n, 48, 1)
	coll := chromemOf(t, vectors)
	for qi, q := range randomVectors(5, 48, 2) {
		for _, k := range []int{1, 6, 50, 200} {
			got, err := vectorTop(ctx, vectors, q, k)
			if err != nil {
				t.Fatal(err)
			}
			want, err := coll.QueryEmbedding(ctx, q, k, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("query %d, k=%d: %d hits, want %d", qi, k, len(got), len(want))
			}
			for i := range want {
				// The scan sums in four parts, so its last bit may round
				// otherwise; only a near tie may then change places.
				tie := i > 0 && near32(want[i].Similarity, want[i-1].Similarity) || i+1 < len(want) && near32(want[i].Similarity, want[i+1].Similarity)
				if !near32(got[i].sim, want[i].Similarity) || strconv.Itoa(got[i].doc) != want[i].ID && !tie {
					t.Fatalf("query %d, k=%d, hit %d: %d %v, want %s %v", qi, k, i, got[i].doc, got[i].sim, want[i].ID, want[i].Similarity)
				}
			}
		}
	}
}

// TestVectorTopTies: equal and zero vectors rank by document number, the
// same on every call, and a zero vector scores 0, not NaN.
func TestVectorTopTies(t *testing.T) {
	v := normalize([]float32{1, 2, 3})
	vectors := [][]float32{{0, 0, 0}, v, {0, 0, 0}, v, normalize([]float32{-1, 0, 0})}
	for range 20 {
		got, err := vectorTop(context.Background(), vectors, v, 5)
		if err != nil {
			t.Fatal(err)
		}
		want := []int{1, 3, 0, 2, 4}
		for i, h := range got {
			if h.doc != want[i] {
				t.Fatalf("hit %d: doc %d, want %d (%v)", i, h.doc, want[i], got)
			}
		}
		if got[2].sim != 0 {
			t.Fatalf("zero vector scored %v", got[2].sim)
		}
	}
}

// BenchmarkVectorQuery compares chromem-go's QueryEmbedding with the scan
// that answers searches, over the same 384-dimension vectors at the
// passage counts of 1k and 10k articles; x-chromem is the scan's time over
// chromem-go's in the same run. Both use every core.
func BenchmarkVectorQuery(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{12_500, 125_000} {
		vectors := randomVectors(n, 384, 3)
		coll := chromemOf(b, vectors)
		qs := randomVectors(16, 384, 4)
		b.Run(fmt.Sprintf("passages=%d", n), func(b *testing.B) {
			var scan, chrom time.Duration
			for i := range b.N {
				q := qs[i%len(qs)]
				t0 := time.Now()
				if _, err := vectorTop(ctx, vectors, q, 50); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := coll.QueryEmbedding(ctx, q, 50, nil, nil); err != nil {
					b.Fatal(err)
				}
				chrom += time.Since(t1)
				scan += t1.Sub(t0)
			}
			b.ReportMetric(scan.Seconds()*1e3/float64(b.N), "scan-ms")
			b.ReportMetric(chrom.Seconds()*1e3/float64(b.N), "chromem-ms")
			b.ReportMetric(float64(scan)/float64(chrom), "x-chromem")
		})
	}
}

// near32 reports whether two similarities differ by no more than float32
// rounding of a sum of unit vectors' products.
func near32(a, b float32) bool {
	return math.Abs(float64(a-b)) <= 1e-6
}
