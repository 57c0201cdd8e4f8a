package corpus_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with the file testdata/name, or rewrites the file
// when the test runs with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatalf("update golden file: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update to accept)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// writeFiles creates the files named in files under dir, making
// directories as needed.
func writeFiles(tb testing.TB, dir string, files map[string]string) {
	tb.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// mustParse parses data as the file at path and fails the test on error.
func mustParse(tb testing.TB, path, data string) corpus.Article {
	tb.Helper()
	a, err := corpus.Parse(path, []byte(data))
	if err != nil {
		tb.Fatalf("Parse(%q): %v", path, err)
	}
	return a
}

// describe renders an article, its sentences and its passages as text for
// golden files.
func describe(a corpus.Article) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\npath: %s\ntitle: %s\nurl: %s\nsource: %s\nauthor: %s\n", a.ID, a.Path, a.Title, a.URL, a.Source, a.Author)
	published := ""
	if !a.Published.IsZero() {
		published = a.Published.Format(time.RFC3339)
	}
	fmt.Fprintf(&b, "published: %s\ntags: %s\nhash: %s\n", published, strings.Join(a.Tags, ", "), a.Hash)
	fmt.Fprintf(&b, "\n--- text\n%s\n\n--- sentences\n", a.Text)
	for i, s := range corpus.SplitSentences(a.Text) {
		fmt.Fprintf(&b, "%d. %s\n", i+1, a.Text[s.Start:s.End])
	}
	b.WriteString("\n--- passages\n")
	for _, p := range corpus.Chunk(a, corpus.ChunkOptions{}) {
		fmt.Fprintf(&b, "%s [%d,%d) %d sentences\n", p.ID, p.Start, p.End, len(p.Sentences))
	}
	return b.String()
}

// checkSpans fails the test unless spans are in order, non-overlapping,
// within text, non-empty, trimmed, and cover every non-space rune of text.
func checkSpans(tb testing.TB, text string, spans []corpus.Span) {
	tb.Helper()
	prev := 0
	for i, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			tb.Fatalf("span %d = %v after %d in text of %d bytes: out of order, empty or out of bounds", i, s, prev, len(text))
		}
		if gap := text[prev:s.Start]; strings.TrimFunc(gap, unicode.IsSpace) != "" {
			tb.Fatalf("text %q between span %d and the one before is not inside any span", gap, i)
		}
		r, _ := utf8.DecodeRuneInString(text[s.Start:])
		l, _ := utf8.DecodeLastRuneInString(text[:s.End])
		if unicode.IsSpace(r) || unicode.IsSpace(l) {
			tb.Fatalf("span %d = %q is not trimmed", i, text[s.Start:s.End])
		}
		prev = s.End
	}
	if rest := text[prev:]; strings.TrimFunc(rest, unicode.IsSpace) != "" {
		tb.Fatalf("text %q after the last span is not inside any span", rest)
	}
}
