package main

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomVecs returns n random unit vectors, some of them near copies of
// others so that there are neighbours above a floor.
func randomVecs(n int) []vec {
	r := rand.New(rand.NewPCG(1, 2))
	vecs := make([]vec, n)
	for i := range vecs {
		for d := range vecs[i] {
			vecs[i][d] = float32(r.NormFloat64())
			if i > 0 && i%3 == 0 {
				vecs[i][d] = vecs[i-1][d] + 0.5*float32(r.NormFloat64())
			}
		}
		var norm float32
		for _, x := range vecs[i] {
			norm += x * x
		}
		for d := range vecs[i] {
			vecs[i][d] /= float32(math.Sqrt(float64(norm)))
		}
	}
	return vecs
}

// TestNeighbours compares the tiled, parallel search with brute force, on
// more words than one tile and a count that is not a multiple of four.
func TestNeighbours(t *testing.T) {
	const n, k, floor = 2*tile + 37, 5, 0.3
	vecs := randomVecs(n)
	want := make([][]neighbour, n)
	for i := range vecs {
		var all []neighbour
		for j := range vecs {
			if s := dot(&vecs[i], &vecs[j]); j != i && s >= floor {
				all = append(all, neighbour{int32(j), s})
			}
		}
		slices.SortFunc(all, func(a, b neighbour) int {
			if a.before(b) {
				return -1
			}
			return 1
		})
		want[i] = all[:min(len(all), k)]
	}
	listed := 0
	for _, workers := range []int{1, 2, 3} {
		got := neighbours(context.Background(), vecs, k, floor, workers)
		for i := range got {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("workers %d: word %d: got %v, want %v", workers, i, got[i], want[i])
			}
			listed += len(got[i])
		}
	}
	if listed == 0 {
		t.Fatal("no neighbours: the test data has none above the floor")
	}
}

func TestPlainWord(t *testing.T) {
	for w, want := range map[string]bool{
		"ceasefire": true, "of": true, "a": false, "": false, "cross-border": false,
		"Delhi": false, "f-16": false, "1971": false, "'s": false, "naïve": false,
	} {
		if got := plainWord(w); got != want {
			t.Errorf("plainWord(%q) = %v, want %v", w, got, want)
		}
	}
}

// packageJSON returns a vectors file in the package's format.
func packageJSON(tb testing.TB, words []string, vecs [][]float64) []byte {
	tb.Helper()
	p := map[string]any{"l2NormIndex": dims, "wordIndex": dims + 1, "dimensions": dims, "words": words}
	m := map[string][]float64{}
	for i, w := range words {
		v := append(slices.Clone(vecs[i]), 1, float64(i))
		m[w] = v
	}
	p["vectors"] = m
	b, err := json.Marshal(p)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestParse(t *testing.T) {
	one := func(d int) []float64 { v := make([]float64, dims); v[d] = 2; return v }
	raw := packageJSON(t, []string{"the", ",", "troops", "f-16", "soldiers"}, [][]float64{one(0), one(1), one(2), one(3), one(4)})
	words, vecs, err := parse(raw, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"the", "troops", "soldiers"}; !slices.Equal(words, want) {
		t.Errorf("words = %v, want %v", words, want)
	}
	if vecs[1][2] != 1 || vecs[2][4] != 1 {
		t.Errorf("vectors not normalised: %v %v", vecs[1][2], vecs[2][4])
	}
	if _, _, err := parse(raw, 4); err == nil || !strings.Contains(err.Error(), "only 3 plain words") {
		t.Errorf("parse(4 of 3) = %v, want too few words", err)
	}
}
