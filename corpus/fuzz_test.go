package corpus_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/; findings are kept
// there too, so plain `go test` replays them.

// checkArticle fails the test unless a, parsed from a file, keeps the
// promises of [corpus.Article] and chunks cleanly.
func checkArticle(tb testing.TB, a corpus.Article) {
	tb.Helper()
	text := a.Text
	if text == "" || !utf8.ValidString(text) {
		tb.Fatalf("Text %q is empty or not UTF-8", text)
	}
	if strings.TrimSpace(text) != text {
		tb.Fatalf("Text %q has leading or trailing white space", text)
	}
	for i, r := range text {
		if !unicode.IsSpace(r) {
			continue
		}
		switch {
		case r == ' ' && text[i+1] != ' ' && text[i+1] != '\n' && text[i-1] != '\n':
		case r == '\n' && strings.HasPrefix(text[i:], "\n\n") && !strings.HasPrefix(text[i:], "\n\n\n") && text[i-1] != ' ' && text[i+2] != ' ':
		case r == '\n' && text[i-1] == '\n':
		default:
			tb.Fatalf("Text has white space %q at %d that is not one space or one paragraph break: %q", r, i, text[max(0, i-20):min(len(text), i+20)])
		}
	}
	if strings.ContainsAny(a.Title, "\n\r\t") || a.Title == "" {
		tb.Fatalf("Title %q is empty or holds line breaks", a.Title)
	}
	checkSpans(tb, text, corpus.SplitSentences(text))
	for _, opts := range []corpus.ChunkOptions{{}, {MaxSentences: 1, MaxChars: 20}} {
		checkPassages(tb, a, opts, corpus.Chunk(a, opts))
	}
}

// fuzzParse parses data as the file name, checking the result.
func fuzzParse(t *testing.T, name string, data []byte) {
	a, err := corpus.Parse(name, data)
	if err != nil {
		if a.ID != "" || a.Text != "" {
			t.Fatalf("Parse returned an error and an article: %v, %+v", err, a)
		}
		return
	}
	checkArticle(t, a)
	again, err := corpus.Parse(name, data)
	if err != nil || !reflect.DeepEqual(a, again) {
		t.Fatalf("Parse is not deterministic: %+v, %v", again, err)
	}
}

func FuzzParseFrontMatter(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "doc.md", data)
		fuzzParse(t, "doc.txt", data)
	})
}

func FuzzHTMLText(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzParse(t, "doc.html", data)
	})
}

func FuzzSplitSentences(f *testing.F) {
	f.Fuzz(func(t *testing.T, text string) {
		checkSpans(t, text, corpus.SplitSentences(text))
		a := corpus.Article{ID: "fuzz", Text: text}
		checkPassages(t, a, corpus.ChunkOptions{MaxSentences: 2, MaxChars: 40}, corpus.Chunk(a, corpus.ChunkOptions{MaxSentences: 2, MaxChars: 40}))
	})
}
