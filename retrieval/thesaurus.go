package retrieval

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
)

// synonymsGz is the synonym table: see retrieval/data/synonyms.PROVENANCE
// for its source (Princeton WordNet 3.0), format and parameters, and
// retrieval/internal/syngen for the program that made it.
//
//go:embed data/synonyms.txt.gz
var synonymsGz []byte

// Thesaurus tells whether two words are synonyms in one of the first
// senses of the first: words of one WordNet synset, which unlike GloVe's
// nearest words are never each other's opposites ("closed", "opened") or
// settings ("killed", "wounded"). It reads inflected forms ("shut",
// "closed"; "hit", "struck"). A Thesaurus is read-only and safe for
// concurrent use.
type Thesaurus struct {
	// syn[pos][lemma] is the lemma's synonyms; irreg[pos][form] an
	// irregular form's lemmas, and forms[pos][lemma] its irregular forms.
	syn   map[byte]map[string][]string
	irreg map[byte]map[string][]string
	forms map[byte]map[string][]string
	// names[name] is a country's other names, for each of its names.
	names map[string][]string
	// kinds[noun] is the kind of name that answers the noun: p, l, g, t.
	kinds map[string]byte
}

// thesaurusParts are the table's parts of speech with the suffix rules
// that take an inflected form back to its lemma (WordNet's "morphy").
var thesaurusParts = []struct {
	pos   byte
	rules [][2]string
}{
	{'n', [][2]string{{"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}}},
	{'v', [][2]string{{"s", ""}, {"ies", "y"}, {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}}},
	{'a', [][2]string{{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}}},
	{'r', nil},
}

// LoadThesaurus decodes the built-in synonym table, derived from WordNet
// 3.0 (see retrieval/data/synonyms.PROVENANCE). It takes a few tens of
// milliseconds; load it once and share it.
func LoadThesaurus() (*Thesaurus, error) {
	return decodeThesaurus(synonymsGz)
}

// decodeThesaurus decodes a gzipped table in syngen's format.
func decodeThesaurus(gz []byte) (*Thesaurus, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("synonym table: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("synonym table: %w", err)
	}
	t := &Thesaurus{syn: map[byte]map[string][]string{}, irreg: map[byte]map[string][]string{}, forms: map[byte]map[string][]string{},
		names: map[string][]string{}, kinds: map[string]byte{}}
	for _, p := range thesaurusParts {
		t.syn[p.pos] = map[string][]string{}
		t.irreg[p.pos] = map[string][]string{}
		t.forms[p.pos] = map[string][]string{}
	}
	n := 0
	for line := range tableLines(data) {
		n++
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		f := strings.Split(string(line), "\t")
		switch {
		case len(f) == 3 && len(f[0]) == 1 && t.syn[f[0][0]] != nil && f[1] != "" && f[2] != "":
			t.syn[f[0][0]][f[1]] = strings.Fields(f[2])
		case len(f) == 4 && f[0] == "x" && len(f[1]) == 1 && t.irreg[f[1][0]] != nil && f[2] != "" && f[3] != "":
			pos, form := f[1][0], f[2]
			t.irreg[pos][form] = strings.Fields(f[3])
			for _, l := range t.irreg[pos][form] {
				t.forms[pos][l] = append(t.forms[pos][l], form)
			}
		case len(f) == 3 && f[0] == "k" && f[1] != "" && len(f[2]) == 1:
			t.kinds[f[1]] = f[2][0]
		case len(f) == 3 && f[0] == "c" && f[1] != "" && f[2] != "":
			t.names[f[1]] = strings.Split(f[2], "|")
		default:
			return nil, fmt.Errorf("synonym table: line %d: want \"pos\\tword\\tsynonyms\", \"x\\tpos\\tform\\tlemmas\", \"c\\tname\\tnames\" or \"k\\tnoun\\tkind\"", n)
		}
	}
	if len(t.syn['v']) == 0 {
		return nil, fmt.Errorf("synonym table: no verbs")
	}
	return t, nil
}

// lemmas returns the lemmas w may be a form of for the part of speech:
// itself, its irregular lemmas, and what the suffix rules make of it, as
// far as the table knows them.
func (t *Thesaurus) lemmas(pos byte, rules [][2]string, w string, out []string) []string {
	// A phrasal verb, "threw_out": its verb's lemmas with the particle.
	verb, part, phrasal := strings.Cut(w, "_")
	if !phrasal {
		verb = w
	}
	var heads [12]string
	for _, l := range t.heads(pos, rules, verb, heads[:0]) {
		if phrasal {
			l += "_" + part
		}
		// An irregular form's lemma counts even without synonyms of its
		// own: "sat" is a form of "sit", a synonym of other words.
		_, known := t.syn[pos][l]
		if (known || !phrasal && slices.Contains(t.irreg[pos][w], l)) && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// heads returns what w may be a form of for the part of speech, known
// to the table or not: itself, its irregular lemmas and what the suffix
// rules make of it.
func (t *Thesaurus) heads(pos byte, rules [][2]string, w string, out []string) []string {
	out = append(out, w)
	out = append(out, t.irreg[pos][w]...)
	for _, r := range rules {
		base, ok := strings.CutSuffix(w, r[0])
		if !ok || base == "" {
			continue
		}
		out = append(out, base+r[1])
		if n := len(base); r[1] == "" && n >= 3 && base[n-1] == base[n-2] {
			out = append(out, base[:n-1])
		}
	}
	return out
}

// Synonymous reports whether found, a lower-case word of a source, is a
// form of asked, a lower-case word of a question, or of a synonym of it
// in one of asked's first senses, with the same part of speech: "closed"
// for "shut", "struck" for "hit", "remain" for "stay". It is not
// symmetric: a rare sense of found does not make it a synonym. A phrasal
// verb is asked with its particle after an underscore: "expelled" for
// "threw_out".
func (t *Thesaurus) Synonymous(asked, found string) bool {
	if t == nil || asked == "" || found == "" {
		return false
	}
	var la, lf [12]string
	for _, p := range thesaurusParts {
		asks := t.lemmas(p.pos, p.rules, asked, la[:0])
		if len(asks) == 0 {
			continue
		}
		finds := t.lemmas(p.pos, p.rules, found, lf[:0])
		for _, f := range finds {
			for _, a := range asks {
				if f == a || slices.Contains(t.syn[p.pos][a], f) {
					return true
				}
			}
		}
	}
	return false
}

// Related returns the words that count as synonyms of word in
// [Thesaurus.Synonymous], in every form: the lemmas word may be a form
// of, their synonyms, the irregular forms of both ("struck" for "hit") and
// their regular ones ("closes", "closed", "closing"). A caller that
// matches many words against one can look them up in a set.
func (t *Thesaurus) Related(word string) []string {
	if t == nil || word == "" {
		return nil
	}
	var out []string
	keep := func(w string) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	add := func(pos byte, w string) {
		for _, f := range inflections(w) {
			keep(f)
		}
		for _, f := range t.forms[pos][w] {
			keep(f)
		}
	}
	for _, p := range thesaurusParts {
		for _, l := range t.lemmas(p.pos, p.rules, word, nil) {
			add(p.pos, l)
			for _, s := range t.syn[p.pos][l] {
				add(p.pos, s)
			}
		}
	}
	return out
}

// OtherNames returns a country's other names, for one of its names, in
// lower case with words apart by spaces: "united states", "us", "america",
// "american" and "washington" for "american". Reports use them for one
// another: "American officials", "Washington said", "the US". A name
// that is no country's gets nil.
func (t *Thesaurus) OtherNames(name string) []string {
	if t == nil {
		return nil
	}
	return t.names[name]
}

// NamesKind reports whether a name answers the noun (a lower-case word,
// singular or plural) as the noun's commonest sense: a person ("which
// ministers"), a place ("which city"), a group ("which group") or one of
// WordNet's top concepts. A mosque, a missile or a bridge is none: a
// sentence names one by saying which ("the Abdali missile").
func (t *Thesaurus) NamesKind(noun string) bool {
	if t == nil || noun == "" {
		return false
	}
	if _, ok := t.kinds[noun]; ok {
		return true
	}
	for _, l := range t.irreg['n'][noun] {
		if _, ok := t.kinds[l]; ok {
			return true
		}
	}
	for _, r := range thesaurusParts[0].rules {
		if base, ok := strings.CutSuffix(noun, r[0]); ok && base != "" {
			if _, ok := t.kinds[base+r[1]]; ok {
				return true
			}
		}
	}
	return false
}

// inflections returns w and its regular forms: plural and third person,
// past, and -ing ("close": closes, closed, closing; "stop": stopped,
// stopping; "try": tries, tried). Irregular forms come from the table.
func inflections(w string) []string {
	out := []string{w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
	n := len(w)
	if n >= 2 && w[n-1] == 'e' {
		out = append(out, w[:n-1]+"ing")
	}
	if n >= 2 && w[n-1] == 'y' && !strings.ContainsRune("aeiou", rune(w[n-2])) {
		out = append(out, w[:n-1]+"ies", w[:n-1]+"ied")
	}
	if n >= 3 && !strings.ContainsRune("aeiouwxy", rune(w[n-1])) && strings.ContainsRune("aeiou", rune(w[n-2])) && !strings.ContainsRune("aeiou", rune(w[n-3])) {
		out = append(out, w+w[n-1:]+"ed", w+w[n-1:]+"ing")
	}
	return out
}
