package corpus_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

// TestStoreAddMany: a batch is checked against the corpus and against the
// articles before it in the batch, and writes what Add would.
func TestStoreAddMany(t *testing.T) {
	s, dir, _ := newTestStore(t)
	old := mustAdd(t, s, storeArticle("Old story", 1))

	sameText := storeArticle("Same text, other address", 2)
	sameText.URL = "https://mirror.example.org/copy"
	sameURL := storeArticle("Old story again", 1)
	sameURL.Text = "Different words entirely, about something else that happened."
	fromFeed := storeArticle("From a feed", 2)
	fromFeed.Feed, fromFeed.SummaryOnly = "https://news.example.com/rss.xml", true

	added, errs := s.AddMany(context.Background(), []corpus.NewArticle{fromFeed, sameText, sameURL, storeArticle("Same title", 3), storeArticle("Same title", 4)})
	wantDup := []string{"", "text", "url", "", ""}
	for i, err := range errs {
		var dup *corpus.DuplicateError
		switch {
		case wantDup[i] == "" && err != nil:
			t.Errorf("article %d: %v", i, err)
		case wantDup[i] != "" && (!errors.As(err, &dup) || dup.By != wantDup[i]):
			t.Errorf("article %d: %v, want a duplicate by %s", i, err, wantDup[i])
		}
	}
	if errs[2] != nil && !strings.Contains(errs[2].Error(), old.ID) {
		t.Errorf("the URL duplicate names %v, want %s", errs[2], old.ID)
	}
	if added[3].ID == added[4].ID || added[3].ID == "" {
		t.Errorf("same-titled articles got IDs %q and %q", added[3].ID, added[4].ID)
	}
	data, err := os.ReadFile(filepath.Join(dir, added[0].Path))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"feed: https://news.example.com/rss.xml\n", "summary_only: true\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %q:\n%s", added[0].Path, want, data)
		}
	}
	if got := len(dirState(t, dir)); got != 4 {
		t.Errorf("corpus holds %d files, want 4", got)
	}
}
