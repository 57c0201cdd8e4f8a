package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Reports name a country in many ways: "the United States", "the US",
// "America", "American officials", and by its capital, "Washington said".
// A question that asks what "the American president" said is answered by
// a sentence about "US President Donald Trump", and one that asks what
// "Islamabad" said by what "Pakistan" said. WordNet knows these names: a
// country's synset lists its names ("United_States", "US", "America"),
// an adjective points to the noun it pertains to ("American" → United
// States), and a national capital is an instance of "national capital"
// that is part of its country ("Islamabad" #p Pakistan). The table gives
// each such name the country's other names.

// synset is one synset of a data file as the nation groups need it: its
// members as WordNet writes them ("New_Delhi") and its pointers.
type synset struct {
	members []string
	ptrs    []pointer
	lexfile int // WordNet's lexicographer file: 15 noun.location, 18 noun.person …
}

// pointer is one of a synset's pointers: its symbol ("@i", "#p", "\")
// and its target's offset and part of speech.
type pointer struct {
	sym string
	off int64
	pos string
}

// parseSynsets reads a data file whole: "offset lex_filenum ss_type
// w_cnt word lex_id … p_cnt ptr_symbol offset pos source/target … | gloss".
func parseSynsets(b []byte) (map[int64]synset, error) {
	out := map[int64]synset{}
	for n, f := range records(b) {
		if len(f) < 4 {
			return nil, fmt.Errorf("line %d: too few fields", n)
		}
		off, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: offset %q: %w", n, f[0], err)
		}
		cnt, err := strconv.ParseInt(f[3], 16, 32)
		at := 4 + 2*int(cnt)
		if err != nil || len(f) <= at {
			return nil, fmt.Errorf("line %d: word count %q does not fit the line", n, f[3])
		}
		var s synset
		if s.lexfile, err = strconv.Atoi(f[1]); err != nil {
			return nil, fmt.Errorf("line %d: lexicographer file %q: %w", n, f[1], err)
		}
		for i := range int(cnt) {
			w := f[4+2*i]
			if j := strings.IndexByte(w, '('); j > 0 {
				w = w[:j]
			}
			s.members = append(s.members, w)
		}
		pcnt, err := strconv.Atoi(f[at])
		if err != nil || len(f) < at+1+4*pcnt {
			return nil, fmt.Errorf("line %d: pointer count %q does not fit the line", n, f[at])
		}
		for i := range pcnt {
			p := f[at+1+4*i : at+5+4*i]
			t, err := strconv.ParseInt(p[1], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: pointer offset %q: %w", n, p[1], err)
			}
			s.ptrs = append(s.ptrs, pointer{sym: p[0], off: t, pos: p[2]})
		}
		out[off] = s
	}
	return out, nil
}

// parseSenses reads an index file: "lemma pos synset_cnt p_cnt [ptr ...]
// sense_cnt tagsense_cnt offset [offset ...]", offsets in sense order,
// for every lemma, collocations too ("new_delhi").
func parseSenses(b []byte) (map[string][]int64, error) {
	out := map[string][]int64{}
	for n, f := range records(b) {
		if len(f) < 4 {
			return nil, fmt.Errorf("line %d: too few fields", n)
		}
		synsets, err1 := strconv.Atoi(f[2])
		pointers, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || len(f) != 4+pointers+2+synsets {
			return nil, fmt.Errorf("line %d: counts do not fit the line", n)
		}
		offs := make([]int64, synsets)
		for i, s := range f[4+pointers+2:] {
			if offs[i], err1 = strconv.ParseInt(s, 10, 64); err1 != nil {
				return nil, fmt.Errorf("line %d: offset %q: %w", n, s, err1)
			}
		}
		out[f[0]] = offs
	}
	return out, nil
}

// nationWordNet is what the nation groups are made from.
type nationWordNet struct {
	nouns, adjs           map[int64]synset
	nounSenses, adjSenses map[string][]int64
}

// nationGroups returns, for each name of a country (lower-case, words
// apart by spaces), the country's other names: its synset's, its
// capital's and the adjectives that pertain to it. A country is what a
// national capital is part of (directly or through a district, as
// Washington is) and what an adjective pertains to. A name is kept only
// when the country, its capital or the pertaining sense is among the
// name's first senses senses ("Washington" is first the capital, not the
// state or the president) and it is written as a name, capitalised at
// both ends ("United_States_of_America", not "capital_of_India").
func nationGroups(wn nationWordNet, senses int) (map[string][]string, error) {
	capitals := wn.nounSenses["national_capital"]
	if len(capitals) == 0 {
		return nil, fmt.Errorf("index.noun has no \"national_capital\"")
	}
	capital := capitals[0]

	// What each noun synset's pertaining adjectives are.
	demonyms := map[int64][]int64{}
	// In offset order, so that the table comes out the same every run.
	for _, off := range slices.Sorted(maps.Keys(wn.adjs)) {
		for _, p := range wn.adjs[off].ptrs {
			if p.sym == `\` && p.pos == "n" && !slices.Contains(demonyms[p.off], off) {
				demonyms[p.off] = append(demonyms[p.off], off)
			}
		}
	}

	// A country is an instance of a kind of country ("Asian_country" is a
	// "state, nation, country"): the first two senses of "country".
	kinds := wn.nounSenses["country"]
	if len(kinds) < 2 {
		return nil, fmt.Errorf("index.noun has no two senses of \"country\"")
	}
	isCountry := func(off int64) bool {
		for _, p := range wn.nouns[off].ptrs {
			if p.sym != "@i" {
				continue
			}
			for k, hop := p.off, 0; hop < 4; hop++ {
				if slices.Contains(kinds[:2], k) {
					return true
				}
				i := slices.IndexFunc(wn.nouns[k].ptrs, func(q pointer) bool { return q.sym == "@" })
				if i < 0 {
					break
				}
				k = wn.nouns[k].ptrs[i].off
			}
		}
		return false
	}

	// Each national capital's country: the nearest whole it is part of
	// that is a country (Washington is part of a district first).
	capitalsOf := map[int64][]int64{}
	for _, off := range slices.Sorted(maps.Keys(wn.nouns)) {
		if !hasPointer(wn.nouns[off], "@i", capital) {
			continue
		}
		frontier := []int64{off}
		for hop := 0; hop < 3 && len(frontier) > 0; hop++ {
			var next []int64
			found := int64(-1)
			for _, f := range frontier {
				for _, p := range wn.nouns[f].ptrs {
					if p.sym != "#p" || p.pos != "n" {
						continue
					}
					if found < 0 && isCountry(p.off) {
						found = p.off
					}
					next = append(next, p.off)
				}
			}
			if found >= 0 {
				capitalsOf[found] = append(capitalsOf[found], off)
				break
			}
			frontier = next
		}
	}

	// A name of two countries ("China": the People's Republic, then
	// Taiwan) is the country of its first sense.
	type member struct {
		country int64
		rank    int
	}
	belongs := map[string]member{}
	type group struct {
		country int64
		names   []string
	}
	var groupOf []group
	countries := make([]int64, 0, len(capitalsOf))
	for c := range capitalsOf {
		countries = append(countries, c)
	}
	slices.Sort(countries)
	for _, c := range countries {
		var names []string
		add := func(members []string, index map[string][]int64, off int64) {
			for _, m := range members {
				offs := index[strings.ToLower(m)]
				rank := slices.Index(offs[:min(len(offs), senses)], off)
				if !writtenAsName(m) || rank < 0 {
					continue
				}
				n := strings.ToLower(strings.ReplaceAll(m, "_", " "))
				if b, ok := belongs[n]; !ok || rank < b.rank {
					belongs[n] = member{c, rank}
				}
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
		add(wn.nouns[c].members, wn.nounSenses, c)
		for _, k := range capitalsOf[c] {
			add(wn.nouns[k].members, wn.nounSenses, k)
		}
		for _, d := range demonyms[c] {
			add(wn.adjs[d].members, wn.adjSenses, d)
		}
		groupOf = append(groupOf, group{c, names})
	}

	groups := map[string][]string{}
	for _, g := range groupOf {
		var names []string
		for _, n := range g.names {
			if belongs[n].country == g.country {
				names = append(names, n)
			}
		}
		if len(names) < 2 {
			continue
		}
		for _, n := range names {
			for _, o := range names {
				if o != n {
					groups[n] = append(groups[n], o)
				}
			}
		}
	}
	return groups, nil
}

// hasPointer reports whether s points to off with sym.
func hasPointer(s synset, sym string, off int64) bool {
	return slices.ContainsFunc(s.ptrs, func(p pointer) bool { return p.sym == sym && p.off == off })
}

// writtenAsName reports whether a WordNet member is a name crisisbot's
// tokeniser reads as one: letters and underscores, its first and last
// words capitalised ("Republic_of_India"; not "U.S." or "the_States").
func writtenAsName(m string) bool {
	ws := strings.Split(m, "_")
	for _, w := range ws {
		if w == "" {
			return false
		}
		for i := 0; i < len(w); i++ {
			if c := w[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				return false
			}
		}
	}
	first, last := ws[0], ws[len(ws)-1]
	return first[0] >= 'A' && first[0] <= 'Z' && last[0] >= 'A' && last[0] <= 'Z'
}

// Kinds of noun that a name answers: "which city" is answered by
// "Muridke", "which minister" by "Rajnath Singh", "which group" by
// "Lashkar-e-Taiba", without the sentence saying "city", "minister" or
// "group". A mosque, a missile or a bridge is not: the sentence must say
// which one it is. WordNet files each synset under a lexicographer file;
// a noun's kind is its commonest sense's.
var nameKinds = map[int]byte{
	3:  't', // noun.Tops: "entity", "group", "person" themselves
	14: 'g', // noun.group: organisations, groups
	15: 'l', // noun.location: places
	18: 'p', // noun.person: people
}

// nounKinds returns, for each plain noun whose commonest sense is a
// place, a person, a group or one of WordNet's top concepts, that kind.
func nounKinds(nouns map[int64]synset, senses map[string][]int64) map[string]byte {
	out := map[string]byte{}
	for lemma, offs := range senses {
		if len(offs) == 0 || !plainWord(lemma) {
			continue
		}
		if k, ok := nameKinds[nouns[offs[0]].lexfile]; ok {
			out[lemma] = k
		}
	}
	return out
}
