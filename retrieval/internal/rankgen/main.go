// Command rankgen derives retrieval's table of English term ranks from the
// word list in retrieval/data: each index term with the rank of its most
// common word form. Stemming 50,000 words took three quarters of a
// one-question `crisisbot ask`; the table is derived here once, by
// `go generate ./retrieval`, instead of on every start. A test in
// retrieval fails when the table no longer matches what [retrieval.Terms]
// makes of the list.
//
// Usage: rankgen -words data/english-words.txt.gz -out english-terms.txt.gz
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/crisisbot/crisisbot/retrieval"
)

func main() {
	words := flag.String("words", "data/english-words.txt.gz", "gzipped word list, most frequent first")
	out := flag.String("out", "english-terms.txt.gz", "gzipped term table to write")
	flag.Parse()
	if err := run(*words, *out); err != nil {
		fmt.Fprintln(os.Stderr, "rankgen:", err)
		os.Exit(1)
	}
}

func run(wordsPath, outPath string) error {
	f, err := os.Open(wordsPath)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	o, err := os.Create(outPath)
	if err != nil {
		return err
	}
	if err := write(o, zr); err != nil {
		o.Close()
		return err
	}
	return o.Close()
}

// write reads the word list from r and writes the gzipped table to w.
func write(w io.Writer, r io.Reader) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	if err := retrieval.WriteTermRanks(bw, r); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}
