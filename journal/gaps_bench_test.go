package journal

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/retrieval"
)

// BenchmarkGaps groups a full window of gapRows refused questions, made of
// words drawn from a small vocabulary so that many overlap, as /gaps does
// at its cap.
func BenchmarkGaps(b *testing.B) {
	sim, err := similarityTable()
	if err != nil {
		b.Fatal(err)
	}
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	c := newClock()
	j := open(b, Config{Dir: b.TempDir(), Now: c.now, Similarity: sim, Ranks: ranks})
	words := strings.Fields("ceasefire truce strikes drones border villages goats army minister shelling airspace treaty visa trade market city officials statement military operation pilgrims corridor reopen open close attack missile jets pilots airport flights water river dam talks")
	rng := rand.New(rand.NewPCG(1, 2))
	for range gapRows {
		var q strings.Builder
		q.WriteString("When did the")
		for range 3 + rng.IntN(4) {
			q.WriteString(" " + words[rng.IntN(len(words))])
		}
		q.WriteString("?")
		if _, err := j.RecordAnswer(ctx, Answer{Question: q.String(), Refused: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		gaps, err := j.Gaps(ctx, c.now().Add(-time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(gaps)), "groups")
	}
}
