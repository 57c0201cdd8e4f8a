package retrieval

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// loadSimilarity loads the built-in table or fails the test.
func loadSimilarity(tb testing.TB) *Similarity {
	tb.Helper()
	s, err := LoadSimilarity()
	if err != nil {
		tb.Fatalf("LoadSimilarity: %v", err)
	}
	return s
}

// TestSimilarity checks the built-in table, decoded once for all its
// subtests (a decode takes most of a second under the race detector).
func TestSimilarity(t *testing.T) {
	s := loadSimilarity(t)
	t.Run("known pairs", func(t *testing.T) { testKnownPairs(t, s) })
	t.Run("unlisted", func(t *testing.T) { testUnlisted(t, s) })
	t.Run("table", func(t *testing.T) { testTable(t, s) })
	t.Run("provenance", func(t *testing.T) { testProvenance(t, s) })
}

func testKnownPairs(t *testing.T, s *Similarity) {
	tests := []struct {
		a, b string
		min  float32
	}{
		{"killed", "wounded", 0.8},
		{"killed", "dead", 0.8},
		{"ceasefire", "truce", 0.9},
		{"aircraft", "planes", 0.85},
		{"soldiers", "troops", 0.85},
		{"attack", "attacks", 0.85},
		{"talks", "negotiations", 0.9},
		{"treaty", "pact", 0.8},
		{"missiles", "missile", 0.85},
		{"drones", "drone", 0.8},
		{"airbase", "airfield", 0.75},
		{"shelling", "artillery", 0.65},
		{"expelled", "deported", 0.65},
		{"casualties", "fatalities", 0.65},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := s.Similar(tt.a, tt.b); got < tt.min {
				t.Errorf("Similar(%q, %q) = %v, want >= %v", tt.a, tt.b, got, tt.min)
			}
			if got := s.Similar(tt.b, tt.a); got < tt.min {
				t.Errorf("Similar(%q, %q) = %v, want >= %v", tt.b, tt.a, got, tt.min)
			}
			i := slices.IndexFunc(s.Neighbours(tt.a), func(n Neighbour) bool { return n.Word == tt.b })
			if i < 0 {
				t.Errorf("Neighbours(%q) = %v, want %q among them", tt.a, s.Neighbours(tt.a), tt.b)
			}
		})
	}
}

func testUnlisted(t *testing.T, s *Similarity) {
	tests := []struct {
		a, b string
		want float32
	}{
		{"ceasefire", "banana", 0},
		{"ceasefire", "qqzzxx", 0},
		{"qqzzxx", "qqzzyy", 0},
		{"Ceasefire", "truce", 0}, // words are lower-case
		{"", "truce", 0},
		{"truce", "truce", 1},
		{"qqzzxx", "qqzzxx", 1},
	}
	for _, tt := range tests {
		if got := s.Similar(tt.a, tt.b); got != tt.want {
			t.Errorf("Similar(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	for _, w := range []string{"qqzzxx", "Ceasefire", ""} {
		if got := s.Neighbours(w); got != nil {
			t.Errorf("Neighbours(%q) = %v, want nil", w, got)
		}
	}
}

// testTable checks every list: sorted, within the parameters, no
// word its own neighbour, and the same similarity either way round. The
// table is not symmetric; the test logs how far.
func testTable(t *testing.T, s *Similarity) {
	if s.Len() < 30000 || s.Len() > 50000 {
		t.Errorf("Len() = %d, want 30,000 to 50,000 words", s.Len())
	}
	pairs, oneWay := 0, 0
	for _, w := range s.words {
		list := s.Neighbours(w)
		if len(list) == 0 || len(list) > 10 {
			t.Fatalf("Neighbours(%q) has %d words, want 1 to 10", w, len(list))
		}
		if !slices.IsSortedFunc(list, func(a, b Neighbour) int { return -compareFloat32(a.Sim, b.Sim) }) {
			t.Errorf("Neighbours(%q) = %v, not most similar first", w, list)
		}
		for _, n := range list {
			pairs++
			if n.Word == w || n.Sim < 0.62 || n.Sim > 1 {
				t.Errorf("Neighbours(%q) has %v", w, n)
			}
			if got := s.Similar(n.Word, w); got != n.Sim {
				t.Errorf("Similar(%q, %q) = %v, want %v as %q lists it", n.Word, w, got, n.Sim, w)
			}
			if !slices.ContainsFunc(s.Neighbours(n.Word), func(m Neighbour) bool { return m.Word == w }) {
				oneWay++
			}
		}
	}
	t.Logf("%d words, %d neighbours, %d (%.0f%%) listed one way only", s.Len(), pairs, oneWay, 100*float64(oneWay)/float64(pairs))
}

func compareFloat32(a, b float32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// testProvenance checks that the provenance file describes the
// embedded table: its checksum and its word count.
func testProvenance(t *testing.T, s *Similarity) {
	prov, err := os.ReadFile("data/similar.PROVENANCE")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(similarGz)
	want := hex.EncodeToString(sum[:])
	found := false
	for line := range strings.Lines(string(prov)) {
		if strings.TrimSpace(line) == want {
			found = true
		}
	}
	if !found {
		t.Errorf("data/similar.PROVENANCE does not list the table's SHA-256 %s on a line of its own: regenerate with make simtable", want)
	}
	if n := fmt.Sprintf("%d of the 50000 words", s.Len()); !strings.Contains(string(prov), n) {
		t.Errorf("data/similar.PROVENANCE does not say %q", n)
	}
}

// gzipText compresses text as the table is compressed.
func gzipText(tb testing.TB, text string) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestDecodeSimilarity(t *testing.T) {
	s, err := decodeSimilarity(gzipText(t, "# comment\nwar\tpeace:0.71 battle:0.65\n\npeace\twar:0.71\nbattle\twar:0.65"))
	if err != nil {
		t.Fatal(err)
	}
	got := s.Neighbours("war")
	want := []Neighbour{{"peace", 0.71}, {"battle", 0.65}}
	if !slices.Equal(got, want) {
		t.Errorf("Neighbours(war) = %v, want %v", got, want)
	}
	if got := s.Similar("battle", "peace"); got != 0 {
		t.Errorf("Similar(battle, peace) = %v, want 0", got)
	}
	if got := s.Similar("battle", "war"); got != 0.65 {
		t.Errorf("Similar(battle, war) = %v, want 0.65", got)
	}
	got[0].Word = "changed"
	if again := s.Neighbours("war"); again[0].Word != "peace" {
		t.Errorf("changing a result changed the table: Neighbours(war) = %v", again)
	}
}

func TestDecodeSimilarityErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no tab", "war peace:0.71\n", "no word and tab"},
		{"no word", "\tpeace:0.71\n", "no word and tab"},
		{"twice", "war\tpeace:0.71\npeace\twar:0.71\nwar\tpeace:0.71\n", "listed twice"},
		{"no line", "war\tpeace:0.71\n", "no line of its own"},
		{"no colon", "war\tpeace\npeace\twar:0.71\n", "want word:similarity"},
		{"empty neighbour", "war\t\n", "want word:similarity"},
		{"short", "war\tpeace:0.7\npeace\twar:0.70\n", "want d.dd"},
		{"not digits", "war\tpeace:0.7x\npeace\twar:0.70\n", "want d.dd"},
		{"above 1", "war\tpeace:1.01\npeace\twar:0.70\n", "out of (0, 1]"},
		{"zero", "war\tpeace:0.00\npeace\twar:0.70\n", "out of (0, 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeSimilarity(gzipText(t, tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decodeSimilarity(%q) = %v, want an error with %q", tt.text, err, tt.want)
			}
		})
	}
	if _, err := decodeSimilarity([]byte("not gzip")); err == nil {
		t.Error("decodeSimilarity(not gzip) succeeded")
	}
}

// BenchmarkLoadSimilarity decodes the built-in table (the real one, since
// its size is what it measures) and reports the heap it keeps.
func BenchmarkLoadSimilarity(b *testing.B) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	s := loadSimilarity(b)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	kept := float64(ms.HeapAlloc) - float64(before)
	runtime.KeepAlive(s)
	b.ResetTimer()
	for b.Loop() {
		loadSimilarity(b)
	}
	b.ReportMetric(kept/(1<<20), "MiB-kept")
}

// BenchmarkSimilar measures the lookups an expansion makes per query word.
func BenchmarkSimilar(b *testing.B) {
	s := loadSimilarity(b)
	words := []string{"attack", "ceasefire", "troops", "qqzzxx", "minister", "water"}
	for b.Loop() {
		for _, w := range words {
			s.Neighbours(w)
			s.Similar(w, "truce")
		}
	}
}
