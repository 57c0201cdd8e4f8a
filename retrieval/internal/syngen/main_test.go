package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"slices"
	"strings"
	"testing"
)

// A miniature WordNet: "close" and "shut" share their first sense;
// "say" is in the fourth sense of "order" and the ninth of "say"'s own
// list, which only the first is given here.
const (
	testData = `  1 This software and database is being provided to you
00000100 29 v 02 close 0 shut 0 000 | move so that an opening is covered
00000200 29 v 02 order 0 say 0 000 | give instructions
00000300 29 v 02 state 0 say 0 000 | express in words
00000400 29 v 01 order(p) 1 000 | an adjective's marker is dropped
00000500 29 v 02 call_up 0 phone 0 000 | collocations are no one word
`
	testIndex = `  1 This software and database is being provided to you
close v 1 0 1 1 00000100
shut v 1 0 1 1 00000100
order v 2 0 2 2 00000400 00000200
say v 2 0 2 2 00000300 00000200
call_up v 1 0 1 1 00000500
phone v 1 0 1 1 00000500
`
	testExc = "shutting shut\nsaid say\nclosed_up close\n"
)

func TestParse(t *testing.T) {
	syn, err := parseData([]byte(testData))
	if err != nil {
		t.Fatal(err)
	}
	if got := syn[100]; !slices.Equal(got, []string{"close", "shut"}) {
		t.Errorf("synset 100 = %v", got)
	}
	if got := syn[400]; !slices.Equal(got, []string{"order"}) {
		t.Errorf("synset 400 = %v, want the marker dropped", got)
	}
	if got := syn[500]; !slices.Equal(got, []string{"phone"}) {
		t.Errorf("synset 500 = %v, want the collocation left out", got)
	}
	idx, err := parseIndex([]byte(testIndex), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := idx["order"]; !slices.Equal(got, []int64{400, 200}) {
		t.Errorf("senses of order = %v, want in sense order", got)
	}
	if _, ok := idx["call_up"]; ok {
		t.Error("a collocation got an index entry")
	}
	// With phrasal verbs, a verb and its particle is a lemma; a verb and
	// another word is not.
	idx, _ = parseIndex([]byte(testIndex+"kick_in v 1 0 1 1 00000500\n"), true)
	if got := idx["call_up"]; !slices.Equal(got, []int64{500}) {
		t.Errorf("senses of the phrasal verb call_up = %v, want [500]", got)
	}
	if _, ok := idx["kick_in"]; ok {
		t.Error("kick_in, whose \"in\" is no particle, got an index entry")
	}
	exc, err := parseExceptions([]byte(testExc))
	if err != nil {
		t.Fatal(err)
	}
	if got := exc["said"]; !slices.Equal(got, []string{"say"}) {
		t.Errorf("said = %v", got)
	}

	for _, bad := range []struct{ name, data, index, exc string }{
		{"short data line", "00000100 29 v\n", testIndex, testExc},
		{"word count past the line", "00000100 29 v 05 close 0\n", testIndex, testExc},
		{"index counts", testData, "close v 2 0 1 1 00000100\n", testExc},
		{"exception without lemma", testData, testIndex, "said\n"},
	} {
		_, err1 := parseData([]byte(bad.data))
		_, err2 := parseIndex([]byte(bad.index), true)
		_, err3 := parseExceptions([]byte(bad.exc))
		if err1 == nil && err2 == nil && err3 == nil {
			t.Errorf("%s: parsed without an error", bad.name)
		}
	}
}

func TestEncode(t *testing.T) {
	syn, _ := parseData([]byte(testData))
	idx, _ := parseIndex([]byte(testIndex), true)
	exc, _ := parseExceptions([]byte(testExc))
	wn := &wordNet{
		synsets: map[string]map[int64][]string{"v": syn},
		senses:  map[string]map[string][]int64{"v": idx},
		irreg:   map[string]map[string][]string{"v": exc},
	}
	gz, st := encode(wn, 1)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	table := string(raw)
	for _, want := range []string{"v\tclose\tshut\n", "v\tshut\tclose\n", "x\tv\tshutting\tshut\n", "v\tcall_up\tphone\n"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	// "say" is in order's first sense here but not in say's own first:
	// neither lists the other.
	if strings.Contains(table, "\torder\t") || strings.Contains(table, "\tsay\t") {
		t.Errorf("a one-way synonym was listed:\n%s", table)
	}
	if strings.Contains(table, "said") {
		t.Errorf("an irregular form of a word without synonyms was kept:\n%s", table)
	}
	// A phrasal verb has its synonyms, but is none: no source word is it.
	if strings.Contains(table, "\tphone\t") {
		t.Errorf("a phrasal verb was listed as a synonym:\n%s", table)
	}
	if st.Words != 3 || st.Pairs != 3 || st.Inflections != 1 {
		t.Errorf("stats = %+v, want 3 words, 3 pairs and 1 inflection", st)
	}
}
