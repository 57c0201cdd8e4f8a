package timeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

// syntheticCorpus makes n articles of eight dated sentences each, over two
// months, from a vocabulary of invented common words and names, so that
// a day holds many sentences alike only in their common words.
func syntheticCorpus(n int) *corpus.Result {
	r := rand.New(rand.NewPCG(1, uint64(n)))
	common := make([]string, 400)
	for i := range common {
		common[i] = fmt.Sprintf("word%c%c", 'a'+i%26, 'a'+i/26)
	}
	names := make([]string, 3000)
	for i := range names {
		names[i] = fmt.Sprintf("Name%c%c%c", 'a'+i%26, 'a'+i/26%26, 'a'+i/676)
	}
	res := &corpus.Result{}
	for k := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Report %d\nsource: Outlet %d\npublished: 2031-05-28\n---\n", k, k%40)
		for s := range 8 {
			day := 1 + r.IntN(27)
			fmt.Fprintf(&b, "On %d May 2031 %s and %s", day, names[r.IntN(len(names))], names[r.IntN(len(names))])
			for range 12 {
				b.WriteString(" " + common[r.IntN(len(common))])
			}
			fmt.Fprintf(&b, " %d.", s)
			if s%2 == 1 {
				b.WriteString("\n\n")
			} else {
				b.WriteString(" ")
			}
		}
		a, err := corpus.Parse(fmt.Sprintf("r%05d.md", k), []byte(b.String()))
		if err != nil {
			panic(err)
		}
		res.Articles = append(res.Articles, a)
	}
	return res
}

// BenchmarkBuild measures a whole timeline of a corpus, the work of one
// /timeline without a topic.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			ix := indexOf(b, syntheticCorpus(n))
			b.ResetTimer()
			var events int
			for b.Loop() {
				ev, err := Build(context.Background(), ix, Options{})
				if err != nil {
					b.Fatal(err)
				}
				events = len(ev)
			}
			b.ReportMetric(float64(8*n)*float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
			b.ReportMetric(float64(events), "events")
		})
	}
}
