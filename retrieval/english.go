package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

//go:generate go run ./internal/rankgen -words data/english-words.txt.gz -out english-terms.txt.gz

// englishTermsGz is the table [WriteTermRanks] derives from
// data/english-words.txt.gz: deriving it means stemming 50,000 words,
// which a start should not pay for.
//
//go:embed english-terms.txt.gz
var englishTermsGz []byte

// WordRanks gives the frequency rank of index terms in everyday English:
// 1 for the most common. A term's rank is that of its most common word form,
// so "briefed" ranks as "brief".
type WordRanks struct {
	rank map[string]int
	n    int
}

// EnglishWordRanks loads the built-in ranks of the 50,000 most frequent
// English words (SUBTLEX-US; see retrieval/data/README.md), read from the
// term table go generate derives from them.
func EnglishWordRanks() (*WordRanks, error) {
	zr, err := gzip.NewReader(bytes.NewReader(englishTermsGz))
	if err != nil {
		return nil, fmt.Errorf("english term ranks: %w", err)
	}
	defer zr.Close()
	w, err := readTermRanks(zr)
	if err != nil {
		return nil, fmt.Errorf("english term ranks: %w", err)
	}
	return w, nil
}

// WriteTermRanks reads a word list, most frequent first, one word a line,
// and writes its term table: a first line with the number of words, then
// "term rank" for each index term, by rank. It is what go generate runs
// (see retrieval/internal/rankgen), exported so the table is made by the
// same [Terms] the index uses.
func WriteTermRanks(w io.Writer, words io.Reader) error {
	ranks, err := rankWords(words)
	if err != nil {
		return err
	}
	byRank := make([][]string, ranks.n+1)
	for t, r := range ranks.rank {
		byRank[r] = append(byRank[r], t)
	}
	if _, err := fmt.Fprintf(w, "%d\n", ranks.n); err != nil {
		return err
	}
	for r, ts := range byRank {
		// Map order is random; sort for a file that only changes when
		// the table does.
		slices.Sort(ts)
		for _, t := range ts {
			if _, err := fmt.Fprintf(w, "%s %d\n", t, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// rankWords derives the ranks from the word list itself, stemming every
// word: the slow path, for go generate and the test that checks the table.
func rankWords(r io.Reader) (*WordRanks, error) {
	w := &WordRanks{rank: make(map[string]int, 40000)}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		w.n++
		for _, t := range Terms(sc.Text()) {
			if _, ok := w.rank[t]; !ok {
				w.rank[t] = w.n
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return w, nil
}

// readTermRanks reads what [WriteTermRanks] wrote.
func readTermRanks(r io.Reader) (*WordRanks, error) {
	sc := bufio.NewScanner(r)
	if !sc.Scan() {
		return nil, errors.New("empty table")
	}
	n, err := strconv.Atoi(sc.Text())
	if err != nil {
		return nil, fmt.Errorf("word count: %w", err)
	}
	w := &WordRanks{rank: make(map[string]int, 40000), n: n}
	for sc.Scan() {
		t, rs, ok := strings.Cut(sc.Text(), " ")
		r, err := strconv.Atoi(rs)
		if !ok || err != nil || r < 1 || r > n {
			return nil, fmt.Errorf("bad line %q", sc.Text())
		}
		w.rank[t] = r
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return w, nil
}

// Rank returns the term's rank, or a rank past the end of the list for a
// term no common word has.
func (w *WordRanks) Rank(term string) int {
	if r, ok := w.rank[term]; ok {
		return r
	}
	return w.n + 1
}
