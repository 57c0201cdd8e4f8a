package answer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// scaledCorpus builds a corpus of about n passages from the v2 evaluation
// articles: each copy of an article gets its own ID and its numbers
// shifted, so the copies rank apart and the checks have real prose to read.
func scaledCorpus(tb testing.TB, n int) (fstest.MapFS, []string) {
	tb.Helper()
	root := filepath.Join("..", "..", "shared", "eval", "v2")
	entries, err := os.ReadDir(filepath.Join(root, "corpus"))
	if err != nil {
		tb.Skipf("../shared/eval/v2 not present: %v", err)
	}
	var files [][]byte
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(root, "corpus", e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		files = append(files, b)
	}
	// The v2 articles chunk into about 7.5 passages each.
	copies := max(1, n*2/(15*len(files)))
	rng := rand.New(rand.NewPCG(7, 11))
	num := regexp.MustCompile(`\b\d{2,3}\b`)
	fsys := fstest.MapFS{}
	for c := 0; c < copies; c++ {
		for i, f := range files {
			head, body, _ := strings.Cut(string(f)[4:], "\n---\n")
			text := "---\n" + head + "\n---\n" + num.ReplaceAllStringFunc(body, func(m string) string {
				v, _ := strconv.Atoi(m)
				return strconv.Itoa(v + rng.IntN(5))
			})
			fsys[fmt.Sprintf("c%03d/a%02d.md", c, i)] = &fstest.MapFile{Data: []byte(text)}
		}
	}

	qf, err := os.Open(filepath.Join(root, "questions.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer qf.Close()
	var qs []string
	sc := bufio.NewScanner(qf)
	for sc.Scan() {
		var q struct{ Question string }
		if json.Unmarshal(sc.Bytes(), &q) == nil && q.Question != "" {
			qs = append(qs, q.Question)
		}
	}
	return fsys, qs
}

// BenchmarkExtractiveAnswer measures the extractive answer path at about
// 1k and 10k passages — search, then every check on every sentence of the
// hits — beside the bare retrieval of the same questions in the same run,
// and reports the p95 of each and their ratio.
func BenchmarkExtractiveAnswer(b *testing.B) {
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		b.Fatal(err)
	}
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		b.Fatal(err)
	}
	th := loadThesaurus(b)
	for _, n := range []int{1_000, 10_000} {
		fsys, qs := scaledCorpus(b, n)
		lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-bench"}}, retrieval.HashEmbedder(384),
			func(ctx context.Context) (*corpus.Result, error) { return corpus.Load(ctx, fsys, corpus.Options{}) }, nil)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := lib.Open(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		e := NewExtractive(ExtractiveConfig{Similarity: sim, Thesaurus: th, Names: th, Kinds: th}, lib, ranks)
		b.Run(fmt.Sprintf("passages=%d", rep.Passages), func(b *testing.B) {
			ctx := context.Background()
			var answers, searches []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := qs[i%len(qs)]
				t0 := time.Now()
				if _, err := e.Answer(ctx, Question{Text: q}, nil); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := lib.Current().Search(ctx, q, 2*6); err != nil {
					b.Fatal(err)
				}
				answers = append(answers, t1.Sub(t0))
				searches = append(searches, time.Since(t1))
			}
			b.StopTimer()
			pa, ps := p95(answers), p95(searches)
			b.ReportMetric(float64(pa.Microseconds())/1000, "answer-p95-ms")
			b.ReportMetric(float64(ps.Microseconds())/1000, "search-p95-ms")
			b.ReportMetric(float64(pa)/float64(ps), "x-search")
		})
	}
}

func p95(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*95/100)]
}
