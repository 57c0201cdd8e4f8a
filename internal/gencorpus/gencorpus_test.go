package gencorpus

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestArticleDeterministic(t *testing.T) {
	o := Options{Articles: 10, Seed: 7}
	a, b := Article(o, 3, 0), Article(o, 3, 0)
	if a.Name != b.Name || !bytes.Equal(a.Data, b.Data) {
		t.Fatal("the same article generated twice differs")
	}
	if c := Article(o, 3, 1); bytes.Equal(a.Data, c.Data) || c.Name != a.Name {
		t.Error("a new revision should keep the name and change the text")
	}
	if g := Generate(o); !bytes.Equal(g[3].Data, a.Data) {
		t.Error("Generate disagrees with Article")
	}
}

// TestCorpusShape checks that the articles parse, have about the words
// asked for, carry dates, and that the vocabulary keeps growing with the
// corpus as news vocabularies do.
func TestCorpusShape(t *testing.T) {
	n := 200
	if os.Getenv("CRISISBOT_LONG_TESTS") == "1" {
		n = 10_000
	}
	files := Generate(Options{Articles: n, Seed: 1})
	vocab := map[string]bool{}
	var words, dates int
	var halfVocab int
	for i, f := range files {
		a, err := corpus.Parse(f.Name, f.Data)
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		for _, w := range strings.Fields(a.Text) {
			vocab[strings.ToLower(strings.Trim(w, ".,"))] = true
			words++
		}
		if i < 20 {
			for _, p := range corpus.Chunk(a, corpus.ChunkOptions{}) {
				dates += len(p.Dates)
			}
		}
		if i == n/2-1 {
			halfVocab = len(vocab)
		}
	}
	if avg := words / n; avg < 550 || avg > 700 {
		t.Errorf("%d words per article, want about 600", avg)
	}
	if dates == 0 {
		t.Error("no dates found in 20 articles")
	}
	// Heaps' law: doubling the corpus adds a good share of new words.
	if grow := float64(len(vocab)) / float64(halfVocab); grow < 1.2 {
		t.Errorf("vocabulary grew %.2f× from %d to %d articles, want a news-like growth of over 1.2×", grow, n/2, n)
	}
	t.Logf("%d articles, %d words, %d distinct (%d at half)", n, words, len(vocab), halfVocab)
}
