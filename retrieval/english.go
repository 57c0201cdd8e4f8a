package retrieval

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
)

//go:embed data/english-words.txt.gz
var englishWordsGz []byte

// WordRanks gives the frequency rank of index terms in everyday English:
// 1 for the most common. A term's rank is that of its most common word form,
// so "briefed" ranks as "brief".
type WordRanks struct {
	rank map[string]int
	n    int
}

// EnglishWordRanks loads the built-in list of the 50,000 most frequent
// English words (SUBTLEX-US; see retrieval/data/README.md).
func EnglishWordRanks() (*WordRanks, error) {
	zr, err := gzip.NewReader(bytes.NewReader(englishWordsGz))
	if err != nil {
		return nil, fmt.Errorf("english word list: %w", err)
	}
	defer zr.Close()
	w := &WordRanks{rank: make(map[string]int, 40000)}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		w.n++
		for _, t := range Terms(sc.Text()) {
			if _, ok := w.rank[t]; !ok {
				w.rank[t] = w.n
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("english word list: %w", err)
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
