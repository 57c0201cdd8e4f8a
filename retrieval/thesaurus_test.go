package retrieval

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestThesaurus checks the built-in table on pairs a crisis report words
// two ways, and on pairs GloVe puts near each other that are not
// synonyms.
func TestThesaurus(t *testing.T) {
	th, err := LoadThesaurus()
	if err != nil {
		t.Fatalf("LoadThesaurus: %v", err)
	}
	tests := []struct {
		asked, found string
		want         bool
	}{
		{"shut", "closed", true},
		{"hit", "struck", true}, // an irregular form
		{"struck", "hit", true},
		{"stay", "remain", true},
		{"holidaymakers", "tourists", true},
		{"phone", "called", true},
		{"treaty", "pact", true},
		{"end", "finished", true},
		{"say", "told", true},
		{"strike", "struck", true}, // a form of the word itself
		// GloVe neighbours that are opposites or settings.
		{"open", "closed", false},
		{"killed", "wounded", false},
		{"stay", "leave", false},
		// A rare sense of the found word: "order, tell, enjoin, say".
		{"order", "said", false},
		// A rare sense of the asked word: "visit, call in, call".
		{"visit", "called", false},
		{"", "closed", false},
		{"shut", "", false},
		// Phrasal verbs, in any form of their verb.
		{"throw_out", "expelled", true},
		{"threw_out", "expel", true},
		{"summing_up", "summarised", true},
		{"called_off", "cancelled", true},
		{"throw_out", "threw", false}, // the verb alone means something else
		{"throw_in", "expelled", false},
	}
	for _, tt := range tests {
		if got := th.Synonymous(tt.asked, tt.found); got != tt.want {
			t.Errorf("Synonymous(%q, %q) = %v, want %v", tt.asked, tt.found, got, tt.want)
		}
	}
	for _, tt := range [][2]string{{"shut", "close"}, {"hit", "struck"}, {"stay", "remain"}} {
		if got := th.Related(tt[0]); !slices.Contains(got, tt[1]) {
			t.Errorf("Related(%s) = %v, want %s among them", tt[0], got, tt[1])
		}
	}
	if got := th.Related("open"); slices.Contains(got, "close") || slices.Contains(got, "closed") {
		t.Errorf("Related(open) = %v, with its opposite", got)
	}

	prov, err := os.ReadFile("data/synonyms.PROVENANCE")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(synonymsGz)
	if want := hex.EncodeToString(sum[:]); !slices.ContainsFunc(strings.Split(string(prov), "\n"), func(l string) bool { return strings.TrimSpace(l) == want }) {
		t.Errorf("data/synonyms.PROVENANCE does not list the table's SHA-256 %s on a line of its own: regenerate with make syntable", want)
	}
	if _, err := os.Stat("data/synonyms.LICENSE"); err != nil {
		t.Errorf("WordNet's licence must travel with the table: %v", err)
	}
}

// TestOtherNames: a country's names, from WordNet, stand for one another;
// a name of no country has none.
func TestOtherNames(t *testing.T) {
	th, err := LoadThesaurus()
	if err != nil {
		t.Fatalf("LoadThesaurus: %v", err)
	}
	tests := []struct {
		name string
		want []string // among the other names
		not  []string // not among them
	}{
		{"american", []string{"united states", "us", "america", "washington"}, []string{"india"}},
		{"islamabad", []string{"pakistan", "pakistani"}, []string{"india"}},
		{"new delhi", []string{"india", "indian"}, []string{"pakistan"}},
		{"pakistani", []string{"pakistan", "islamabad"}, nil},
		// China is first the People's Republic, Taiwan only its third.
		{"china", []string{"beijing"}, []string{"taiwan"}},
	}
	for _, tt := range tests {
		got := th.OtherNames(tt.name)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("OtherNames(%q) = %q, want %q among them", tt.name, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("OtherNames(%q) = %q, want no %q", tt.name, got, w)
			}
		}
	}
	for _, n := range []string{"kashmir", "pahalgam", "army"} {
		if got := th.OtherNames(n); got != nil {
			t.Errorf("OtherNames(%q) = %q, want none", n, got)
		}
	}
	var none *Thesaurus
	if none.OtherNames("american") != nil {
		t.Error("a nil Thesaurus gave names")
	}
}

// TestNamesKind: people, places and groups are answered by a name alone,
// in either number; things are not.
func TestNamesKind(t *testing.T) {
	th, err := LoadThesaurus()
	if err != nil {
		t.Fatalf("LoadThesaurus: %v", err)
	}
	for noun, want := range map[string]bool{
		"city": true, "cities": true, "minister": true, "ministers": true, "district": true, "party": true,
		"mosque": false, "missile": false, "bridge": false, "nights": false, "": false,
	} {
		if got := th.NamesKind(noun); got != want {
			t.Errorf("NamesKind(%q) = %v, want %v", noun, got, want)
		}
	}
}

func TestNilThesaurus(t *testing.T) {
	var th *Thesaurus
	if th.Synonymous("shut", "closed") {
		t.Error("a nil Thesaurus found a synonym")
	}
}

func TestDecodeThesaurus(t *testing.T) {
	th, err := decodeThesaurus(gzipText(t, "# comment\nv\tshut\tclose\nv\tclose\tshut\nv\tstrike\thit\nv\thit\tstrike\nx\tv\tstruck\tstrike\n"))
	if err != nil {
		t.Fatal(err)
	}
	th, err = decodeThesaurus(gzipText(t, "v\tshut\tclose\nc\tostland\tbrask|ostish\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := th.OtherNames("ostland"); !slices.Equal(got, []string{"brask", "ostish"}) {
		t.Errorf("OtherNames(ostland) = %q, want [brask ostish]", got)
	}
	th, err = decodeThesaurus(gzipText(t, "# comment\nv\tshut\tclose\nv\tclose\tshut\nv\tstrike\thit\nv\thit\tstrike\nx\tv\tstruck\tstrike\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]string{{"shut", "closing"}, {"shuts", "closed"}, {"hit", "struck"}, {"hitting", "strikes"}} {
		if !th.Synonymous(p[0], p[1]) {
			t.Errorf("Synonymous(%q, %q) = false, want true", p[0], p[1])
		}
	}
	if th.Synonymous("shut", "hit") {
		t.Error("Synonymous(shut, hit) = true")
	}

	bad := []struct{ name, text string }{
		{"two fields", "v\tshut\n"},
		{"unknown part of speech", "q\tshut\tclose\n"},
		{"empty synonyms", "v\tshut\t\n"},
		{"exception without lemma", "x\tv\tstruck\t\n"},
		{"no verbs", "n\ttreaty\tpact\n"},
		{"country without names", "v\tshut\tclose\nc\tostland\t\n"},
		{"kind of two letters", "v\tshut\tclose\nk\tcity\tlp\n"},
	}
	for _, tt := range bad {
		if _, err := decodeThesaurus(gzipText(t, tt.text)); err == nil {
			t.Errorf("%s: decodeThesaurus(%q) succeeded", tt.name, tt.text)
		}
	}
	if _, err := decodeThesaurus([]byte("not gzip")); err == nil {
		t.Error("decodeThesaurus(not gzip) succeeded")
	}
}

// BenchmarkSynonymous measures one lookup of a question's word against a
// source's, the answerer's inner loop.
func BenchmarkSynonymous(b *testing.B) {
	th, err := LoadThesaurus()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		th.Synonymous("shut", "closed")
		th.Synonymous("attacks", "ordered")
	}
}
