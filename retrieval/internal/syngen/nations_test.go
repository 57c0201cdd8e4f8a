package main

import (
	"slices"
	"testing"
)

// A miniature WordNet of two countries: Ostland, whose capital Brask is
// part of it through a district, and Westmark, whose name is also the
// second sense of a river's. "Ostish" pertains to Ostland; "Westmark"
// is first a river.
const (
	nationNouns = `  1 This software and database is being provided to you
00000010 03 n 01 country 0 001 @ 00000001 n 0000 | a kind of country
00000020 15 n 01 national_capital 0 000 | a capital
00000030 15 n 02 Ostland 0 Republic_of_Ostland 0 001 @i 00000010 n 0000 | a country
00000040 15 n 01 Brask_District 0 002 @i 00000090 n 0000 #p 00000030 n 0000 | a district
00000050 15 n 03 Brask 0 Ostish_capital 0 capital_of_Ostland 0 002 @i 00000020 n 0000 #p 00000040 n 0000 | its capital
00000060 15 n 01 Westmark 0 001 @i 00000010 n 0000 | a country
00000070 15 n 01 Lorn 0 002 @i 00000020 n 0000 #p 00000060 n 0000 | its capital
00000080 15 n 01 Westmark 0 000 | a river
00000090 15 n 01 district 0 000 | a district
00000001 15 n 01 country 0 000 | a state
`
	nationNounIndex = `  1 This software and database is being provided to you
country n 2 0 2 0 00000001 00000010
national_capital n 1 0 1 0 00000020
ostland n 1 0 1 0 00000030
republic_of_ostland n 1 0 1 0 00000030
brask n 1 0 1 0 00000050
westmark n 2 0 2 0 00000080 00000060
lorn n 1 0 1 0 00000070
`
	nationAdjs = `  1 This software and database is being provided to you
00000100 01 a 01 Ostish 0 001 \ 00000030 n 0101 | of Ostland
`
	nationAdjIndex = `  1 This software and database is being provided to you
ostish a 1 0 1 0 00000100
`
)

func TestNationGroups(t *testing.T) {
	var wn nationWordNet
	var err error
	if wn.nouns, err = parseSynsets([]byte(nationNouns)); err != nil {
		t.Fatal(err)
	}
	if wn.adjs, err = parseSynsets([]byte(nationAdjs)); err != nil {
		t.Fatal(err)
	}
	if wn.nounSenses, err = parseSenses([]byte(nationNounIndex)); err != nil {
		t.Fatal(err)
	}
	if wn.adjSenses, err = parseSenses([]byte(nationAdjIndex)); err != nil {
		t.Fatal(err)
	}
	groups, err := nationGroups(wn, 3)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		want []string
	}{
		// The capital through its district, and the adjective; not
		// "capital of Ostland", which is no name.
		{"ostland", []string{"republic of ostland", "brask", "ostish"}},
		{"ostish", []string{"ostland", "republic of ostland", "brask"}},
		// A country's second sense is still its name, within the senses.
		{"lorn", []string{"westmark"}},
		{"brask district", nil},
		{"capital of ostland", nil},
	}
	for _, tt := range tests {
		got := groups[tt.name]
		slices.Sort(got)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) {
			t.Errorf("groups[%q] = %q, want %q", tt.name, got, tt.want)
		}
	}

	// With one sense only, Westmark is a river's name and no country's.
	groups, err = nationGroups(wn, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := groups["westmark"]; got != nil {
		t.Errorf("with one sense, groups[westmark] = %q, want none", got)
	}
}

func TestNationGroupsNeedsCapitals(t *testing.T) {
	if _, err := nationGroups(nationWordNet{nounSenses: map[string][]int64{}}, 3); err == nil {
		t.Error("want an error for a WordNet without national capitals")
	}
}

func TestParseSynsetsRejectsBadPointers(t *testing.T) {
	for _, line := range []string{
		"00000010 03 n 01 country 0 002 @ 00000001 n 0000 | one pointer short",
		"00000010 03 n 01 country 0 001 @ x n 0000 | a bad offset",
	} {
		if _, err := parseSynsets([]byte(line + "\n")); err == nil {
			t.Errorf("%q: want an error", line)
		}
	}
}

func TestNounKinds(t *testing.T) {
	nouns, err := parseSynsets([]byte(`  1 licence
00000010 18 n 01 minister 0 000 | a person
00000020 15 n 01 city 0 000 | a place
00000030 06 n 01 mosque 0 000 | an artifact
00000040 14 n 01 party 0 000 | a group
00000050 06 n 01 bridge 0 000 | an artifact
00000060 15 n 01 bridge 0 000 | a place, but not the commonest sense
00000070 03 n 01 group 0 000 | a top concept
00000080 15 n 01 new_town 0 000 | a collocation
`))
	if err != nil {
		t.Fatal(err)
	}
	senses, err := parseSenses([]byte(`minister n 1 0 1 0 00000010
city n 1 0 1 0 00000020
mosque n 1 0 1 0 00000030
party n 1 0 1 0 00000040
bridge n 2 0 2 0 00000050 00000060
group n 1 0 1 0 00000070
new_town n 1 0 1 0 00000080
`))
	if err != nil {
		t.Fatal(err)
	}
	got := nounKinds(nouns, senses)
	want := map[string]byte{"minister": 'p', "city": 'l', "party": 'g', "group": 't'}
	if len(got) != len(want) {
		t.Errorf("nounKinds = %q, want %q", got, want)
	}
	for n, k := range want {
		if got[n] != k {
			t.Errorf("kind of %q = %q, want %q", n, got[n], k)
		}
	}
}
