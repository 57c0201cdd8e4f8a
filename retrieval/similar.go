package retrieval

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"iter"
)

// similarGz is the word-similarity table: see retrieval/data/similar.PROVENANCE
// for its source, format and parameters, and retrieval/internal/simgen for
// the program that made it.
//
//go:embed data/similar.txt.gz
var similarGz []byte

// Neighbour is a word near another in meaning, or at least in use, and the
// cosine similarity of their vectors.
type Neighbour struct {
	Word string
	Sim  float32
}

// Similarity is a table of lower-case English words and their nearest
// neighbours by the cosine similarity of their GloVe vectors, for
// expanding a query's words. Similar does not mean synonymous: antonyms
// (increase, decrease) and peers (delhi, islamabad; monday, tuesday) are
// as near as synonyms, so an expansion should weigh less than the word and
// names should not be expanded. A Similarity is read-only and safe for
// concurrent use.
type Similarity struct {
	ids   map[string]int32 // a word's index in words
	words []string
	// start[i] is where word i's neighbours begin in nbrs; start[len(words)]
	// is len(nbrs).
	start []int32
	nbrs  []similarEntry
}

// similarEntry is a neighbour as [Similarity] keeps it.
type similarEntry struct {
	id  int32
	sim float32
}

// LoadSimilarity decodes the built-in word-similarity table, derived from
// GloVe 6B (see retrieval/data/similar.PROVENANCE): the 50,000 most
// frequent words, each with up to 10 neighbours of similarity 0.62 or more.
// It takes a few tens of milliseconds; load it once and share it.
func LoadSimilarity() (*Similarity, error) {
	return decodeSimilarity(similarGz)
}

// decodeSimilarity decodes a gzipped table in simgen's format: lines of
// "word\tneighbour:0.71 neighbour:0.68 ...", a line for every word that a
// neighbour names, and comment lines that start with "#".
func decodeSimilarity(gz []byte) (*Similarity, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("similarity table: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("similarity table: %w", err)
	}

	// First the words that head the lines, so that a neighbour can name a
	// word whose line comes later. They go into one string, so that the
	// table holds them in one allocation and not the whole text.
	var heads []byte
	var ends []int
	for line := range tableLines(data) {
		tab := bytes.IndexByte(line, '\t')
		if tab <= 0 {
			return nil, fmt.Errorf("similarity table: line %q: no word and tab", line)
		}
		heads = append(heads, line[:tab]...)
		ends = append(ends, len(heads))
	}
	words := string(heads)
	s := &Similarity{
		ids:   make(map[string]int32, len(ends)),
		words: make([]string, len(ends)),
		start: make([]int32, 0, len(ends)+1),
		nbrs:  make([]similarEntry, 0, bytes.Count(data, []byte{':'})),
	}
	prev := 0
	for i, end := range ends {
		w := words[prev:end]
		prev = end
		if _, dup := s.ids[w]; dup {
			return nil, fmt.Errorf("similarity table: %q listed twice", w)
		}
		s.ids[w] = int32(i)
		s.words[i] = w
	}

	for line := range tableLines(data) {
		tab := bytes.IndexByte(line, '\t')
		s.start = append(s.start, int32(len(s.nbrs)))
		for field := range bytes.SplitSeq(line[tab+1:], []byte{' '}) {
			e, err := s.entry(field)
			if err != nil {
				return nil, fmt.Errorf("similarity table: %s: %w", line[:tab], err)
			}
			s.nbrs = append(s.nbrs, e)
		}
	}
	s.start = append(s.start, int32(len(s.nbrs)))
	return s, nil
}

// tableLines yields the lines of a table that list a word, without their
// newlines: not the blank ones, nor the comments.
func tableLines(data []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for line := range bytes.Lines(data) {
			line = bytes.TrimSuffix(line, []byte{'\n'})
			if len(line) == 0 || line[0] == '#' {
				continue
			}
			if !yield(line) {
				return
			}
		}
	}
}

// entry decodes one "neighbour:0.71".
func (s *Similarity) entry(field []byte) (similarEntry, error) {
	colon := bytes.LastIndexByte(field, ':')
	if colon <= 0 {
		return similarEntry{}, fmt.Errorf("neighbour %q: want word:similarity", field)
	}
	id, ok := s.ids[string(field[:colon])]
	if !ok {
		return similarEntry{}, fmt.Errorf("neighbour %q: no line of its own", field[:colon])
	}
	sim, err := parseSim(field[colon+1:])
	if err != nil {
		return similarEntry{}, fmt.Errorf("neighbour %q: %w", field, err)
	}
	return similarEntry{id: id, sim: sim}, nil
}

// parseSim parses a similarity written "0.71": a digit, a point and two
// digits, above 0 and at most 1. It is strconv.ParseFloat without the
// allocation or the generality.
func parseSim(b []byte) (float32, error) {
	if len(b) != 4 || b[1] != '.' || !isDigit(b[0]) || !isDigit(b[2]) || !isDigit(b[3]) {
		return 0, fmt.Errorf("similarity %q: want d.dd", b)
	}
	h := int(b[0]-'0')*100 + int(b[2]-'0')*10 + int(b[3]-'0')
	if h == 0 || h > 100 {
		return 0, errors.New("similarity out of (0, 1]")
	}
	return float32(h) / 100, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Len returns how many words have neighbours.
func (s *Similarity) Len() int { return len(s.words) }

// Neighbours returns word's neighbours, most similar first, or nil for a
// word without any. Words are lower-case; the table lists word forms, not
// stems ("attack" and "attacks" are neighbours of each other). The slice is
// the caller's.
func (s *Similarity) Neighbours(word string) []Neighbour {
	id, ok := s.ids[word]
	if !ok {
		return nil
	}
	list := s.nbrs[s.start[id]:s.start[id+1]]
	out := make([]Neighbour, len(list))
	for i, e := range list {
		out[i] = Neighbour{Word: s.words[e.id], Sim: e.sim}
	}
	return out
}

// Similar returns the similarity of a and b if either lists the other as a
// neighbour, 1 if they are the same word, and 0 otherwise. The table is not
// symmetric, b can be among a's nearest without a being among b's, so it
// looks both ways; where both list the other, the similarity is the same.
func (s *Similarity) Similar(a, b string) float32 {
	if a == b {
		return 1
	}
	ia, okA := s.ids[a]
	ib, okB := s.ids[b]
	if !okA || !okB {
		return 0
	}
	if sim := s.listed(ia, ib); sim > 0 {
		return sim
	}
	return s.listed(ib, ia)
}

// listed returns b's similarity as a neighbour of a, or 0.
func (s *Similarity) listed(a, b int32) float32 {
	for _, e := range s.nbrs[s.start[a]:s.start[a+1]] {
		if e.id == b {
			return e.sim
		}
	}
	return 0
}
