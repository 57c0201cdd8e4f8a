package editor_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/retrieval"
)

// TestChangeNotReindexed: when re-indexing fails after a change, the change
// stands, the error says so in words for people, and errors.Is tells it
// from a change that was not made.
func TestChangeNotReindexed(t *testing.T) {
	dir := t.TempDir()
	article := "---\ntitle: Markets steady\n---\nShares were steady on Monday as traders watched the border.\n"
	if err := os.WriteFile(filepath.Join(dir, "markets.md"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	store, err := corpus.NewStore(dir, filepath.Join(t.TempDir(), "trash"), corpus.Options{}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	failing := editor.ReloadFunc(func(context.Context) (retrieval.Report, error) {
		return retrieval.Report{}, errors.New("load corpus " + dir + ": disk on fire")
	})
	ed, err := editor.New(store, fetch.New(fetch.Config{}), failing)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	added, err := ed.AddUpload(ctx, "notes.md", []byte("---\ntitle: Talks resume\n---\nThe two armies will talk again on Monday.\n"), "tester")
	if added.Article.ID == "" || !errors.Is(err, editor.ErrNotReindexed) {
		t.Fatalf("AddUpload = %+v, %v; want the article saved and ErrNotReindexed", added, err)
	}
	checkMessage(t, err, "The article was saved, but re-indexing failed", dir)

	r, _, err := ed.Remove(ctx, added.Article.ID)
	if r.ID == "" || !errors.Is(err, editor.ErrNotReindexed) {
		t.Fatalf("Remove = %+v, %v; want the file moved and ErrNotReindexed", r, err)
	}
	checkMessage(t, err, "The article was moved to the trash, but re-indexing failed", dir)

	_, err = ed.Restore(ctx, r)
	if !errors.Is(err, editor.ErrNotReindexed) {
		t.Fatalf("Restore = %v, want ErrNotReindexed", err)
	}
	checkMessage(t, err, "The article was put back, but re-indexing failed", dir)

	if _, _, err := ed.Remove(ctx, "no-such-article"); errors.Is(err, editor.ErrNotReindexed) {
		t.Errorf("a removal that did not happen wraps ErrNotReindexed: %v", err)
	}
}

// checkMessage fails the test unless err's message for people starts with
// prefix and does not name dir.
func checkMessage(tb testing.TB, err error, prefix, dir string) {
	tb.Helper()
	msg, _ := usererr.Message(err)
	if !strings.HasPrefix(msg, prefix) || strings.Contains(msg, dir) {
		tb.Errorf("message %q, want one starting %q that does not name %s", msg, prefix, dir)
	}
}
