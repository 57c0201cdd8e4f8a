package corpus_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// sharedPath returns the path of a file under the shared directory beside
// the repository (<root>/../shared). When the directory is absent the test is
// skipped, or fails if the CI environment variable is set.
func sharedPath(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	shared := filepath.Join(dir, "..", "shared")
	if _, err := os.Stat(shared); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("shared directory missing in CI: %v", err)
		}
		tb.Skipf("shared directory %s not present: %v", shared, err)
	}
	return filepath.Join(append([]string{shared}, elem...)...)
}

func TestBuiltinMatchesShared(t *testing.T) {
	want, err := os.ReadFile(sharedPath(t, "eval", "corpus", "rubio-calls-munir.md"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := fs.ReadFile(corpus.Builtin(), "rubio-calls-munir.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("builtin/rubio-calls-munir.md differs from ../shared/eval/corpus/rubio-calls-munir.md; copy the shared file over it")
	}
}

func TestLoadBuiltin(t *testing.T) {
	res, err := corpus.Load(context.Background(), corpus.Builtin(), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Errorf("Errors = %v, want none", res.Errors)
	}
	if len(res.Articles) != 1 {
		t.Fatalf("got %d articles, want 1", len(res.Articles))
	}
	a := res.Articles[0]
	if a.ID != "rubio-calls-munir" || a.Path != "rubio-calls-munir.md" {
		t.Errorf("ID, Path = %q, %q", a.ID, a.Path)
	}
	if want := "Rubio reaches out to Pakistan's army chief as India-Pakistan confrontation widens"; a.Title != want {
		t.Errorf("Title = %q, want %q", a.Title, want)
	}
	if want := time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC); !a.Published.Equal(want) {
		t.Errorf("Published = %v, want %v", a.Published, want)
	}
	if n := len(corpus.SplitSentences(a.Text)); n != 22 {
		t.Errorf("got %d sentences, want 22", n)
	}
	golden(t, "rubio-calls-munir.golden", []byte(describe(a)))
}

// builtinFile returns the bytes of the built-in article.
func builtinFile(tb testing.TB) []byte {
	tb.Helper()
	data, err := fs.ReadFile(corpus.Builtin(), "rubio-calls-munir.md")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
