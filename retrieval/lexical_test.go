package retrieval

import (
	"maps"
	"slices"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/gencorpus"
)

func TestLexicalSearch(t *testing.T) {
	lx := newLexical([]string{
		"The ceasefire took effect on Saturday.",
		"Cricket league suspended; cricket fans angry about cricket.",
		"The monsoon reached Kerala.",
		"Talks on a ceasefire and the cricket league.",
	})
	tests := []struct {
		query string
		n     int
		want  []int
	}{
		{"cricket", 10, []int{1, 3}},
		{"ceasefire cricket", 10, []int{3, 1, 0}}, // both terms first; three "cricket"s beat one "ceasefire"
		{"ceasefire cricket", 1, []int{3}},
		{"unknownword", 10, nil},
		{"", 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var got []int
			for _, s := range lx.search(Terms(tt.query), tt.n) {
				got = append(got, s.doc)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("search(%q, %d) = %v, want %v", tt.query, tt.n, got, tt.want)
			}
		})
	}
	if lx.idf("unknownword") <= lx.idf("cricket") {
		t.Error("an unseen term should weigh more than a seen one")
	}
}

func TestOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"speak", "speak", true},
		{"speek", "speak", true},  // substitution
		{"spaek", "speak", true},  // transposition
		{"spek", "speak", true},   // deletion
		{"speaks", "speak", true}, // insertion
		{"spoke", "speak", false},
		{"sp", "speak", false},
	}
	for _, tt := range tests {
		if got := OneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("OneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestReserveTop(t *testing.T) {
	fused := []scored{{1, 0.9}, {2, 0.8}, {3, 0.7}, {4, 0.6}, {5, 0.5}, {6, 0.4}, {7, 0.3}}
	tests := []struct {
		name    string
		k       int
		vector  []int
		lexical []int
		want    []int
	}{
		{"best of each already in", 3, []int{1, 2}, []int{2, 1}, []int{1, 2, 3}},
		{"lexical best kept", 3, []int{1, 2}, []int{7, 1}, []int{1, 2, 7}},
		{"both lists reserve", 6, []int{6, 1, 2}, []int{7, 5, 1}, []int{1, 2, 3, 5, 6, 7}},
		{"fewer than k", 10, []int{1}, []int{7}, []int{1, 2, 3, 4, 5, 6, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for _, s := range reserveTop(slices.Clone(fused), tt.k, tt.vector, tt.lexical) {
				got = append(got, s.doc)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("reserveTop = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestTitleAndTextTokenisedApart: tokenising an article's title and a
// passage's text one after the other gives the BM25 index of the two
// joined as [indexedText] joins them, posting for posting.
func TestTitleAndTextTokenisedApart(t *testing.T) {
	o := gencorpus.Options{Articles: 20, Words: 200, Seed: 8}
	ids := make([]int, o.Articles)
	for i := range ids {
		ids[i] = i
	}
	arts := genArticles(t, o, ids, func(int) int { return 0 })
	// Titles that end and passages that start in the middle of a word's
	// apostrophe, and an empty title.
	arts[0].Title, arts[1].Title, arts[2].Title = "India's", "Pakistan'", ""
	var texts []string
	var fresh []freshDoc
	for i := range arts {
		for _, p := range corpus.Chunk(arts[i], corpus.ChunkOptions{}) {
			fresh = append(fresh, newFreshDoc(len(texts), &arts[i], &p))
			texts = append(texts, indexedText(&arts[i], &p))
		}
	}
	joined, apart := newLexical(texts), (*lexical)(nil).update(nil, len(texts), fresh)
	if !slices.Equal(joined.docLen, apart.docLen) || !maps.EqualFunc(joined.postings, apart.postings, slices.Equal) {
		t.Error("the title and text tokenised apart index differently from the two joined")
	}
}
