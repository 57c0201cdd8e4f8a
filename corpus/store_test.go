package corpus_test

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// storeClock is the time the test stores run at.
func storeClock() time.Time { return time.Date(2025, 5, 12, 9, 30, 15, 0, time.UTC) }

// newTestStore returns a store over a new corpus directory, with the trash
// in another.
func newTestStore(tb testing.TB) (s *corpus.Store, dir, trash string) {
	tb.Helper()
	dir = tb.TempDir()
	trash = filepath.Join(tb.TempDir(), "trash")
	s, err := corpus.NewStore(dir, trash, corpus.Options{}, storeClock)
	if err != nil {
		tb.Fatal(err)
	}
	return s, dir, trash
}

// dirState returns every file under dir with its content, to compare a
// directory before and after a change.
func dirState(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	state := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		state[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return state
}

// storeArticle is an article to add; n varies its URL and text.
func storeArticle(title string, n int) corpus.NewArticle {
	return corpus.NewArticle{
		Title:     title,
		URL:       "https://news.example.com/world/story-" + strings.Repeat("x", n),
		Source:    "Example News",
		Author:    "Jane Doe",
		Published: time.Date(2025, 5, 10, 18, 0, 0, 0, time.UTC),
		Text:      strings.Repeat("Story "+strings.Repeat("x", n)+" text. ", 10) + "\n\nSecond paragraph.",
		AddedBy:   "tester",
		Tags:      []string{"ceasefire", "India"},
	}
}

// mustAdd adds a and fails the test on error.
func mustAdd(tb testing.TB, s *corpus.Store, a corpus.NewArticle) corpus.Article {
	tb.Helper()
	got, err := s.Add(context.Background(), a)
	if err != nil {
		tb.Fatalf("Add(%q): %v", a.Title, err)
	}
	return got
}

func TestSlug(t *testing.T) {
	day := time.Date(2025, 5, 10, 23, 0, 0, 0, time.UTC)
	tests := []struct {
		published time.Time
		title     string
		want      string
	}{
		{day, "India and Pakistan agree to a ceasefire", "2025-05-10-india-and-pakistan-agree-to-a-ceasefire"},
		{time.Time{}, "India and Pakistan agree to a ceasefire", "india-and-pakistan-agree-to-a-ceasefire"},
		{day, "  Rubio calls Munir: “De-escalate!”  ", "2025-05-10-rubio-calls-munir-de-escalate"},
		{day, "Pakistan's army chief’s remarks", "2025-05-10-pakistans-army-chiefs-remarks"},
		{day, "Café Zürich señor Ångström", "2025-05-10-cafe-zurich-senor-angstrom"},
		{day, "日本語のみ", "2025-05-10"},
		{time.Time{}, "日本語のみ", "article"},
		{time.Time{}, "", "article"},
		{day, "../../etc/passwd", "2025-05-10-etc-passwd"},
		{time.Date(2025, 5, 10, 1, 0, 0, 0, time.FixedZone("IST", 5*3600+1800)), "Late", "2025-05-10-late"},
		{
			day, "A very long headline about the India Pakistan crisis that goes on and on well past the limit of eighty characters",
			"2025-05-10-a-very-long-headline-about-the-india-pakistan-crisis-that-goes-on",
		},
		{time.Time{}, strings.Repeat("x", 100), strings.Repeat("x", 80)},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			got := corpus.Slug(tt.published, tt.title)
			if got != tt.want {
				t.Errorf("Slug(%v, %q) = %q, want %q", tt.published, tt.title, got, tt.want)
			}
			if len(got) > 80 {
				t.Errorf("Slug is %d characters, over 80", len(got))
			}
		})
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://news.example.com/world/story", "https://news.example.com/world/story"},
		{"  HTTPS://News.Example.COM/world/story/  ", "https://news.example.com/world/story"},
		{"https://news.example.com:443/world/story", "https://news.example.com/world/story"},
		{"http://news.example.com:80/a", "http://news.example.com/a"},
		{"http://news.example.com:8080/a", "http://news.example.com:8080/a"},
		{"https://news.example.com/a#comments", "https://news.example.com/a"},
		{"https://news.example.com/a?utm_source=x&utm_medium=y&UTM_Campaign=z", "https://news.example.com/a"},
		{"https://news.example.com/a?fbclid=1&gclid=2&id=7", "https://news.example.com/a?id=7"},
		{"https://news.example.com/a?b=2&a=1", "https://news.example.com/a?a=1&b=2"},
		{"https://news.example.com/a/?", "https://news.example.com/a"},
		{"https://news.example.com/", "https://news.example.com"},
		{"https://news.example.com", "https://news.example.com"},
		{"https://user:pw@news.example.com/a", "https://news.example.com/a"},
		{"https://news.example.com/Case/Kept", "https://news.example.com/Case/Kept"},
		{"https://news.example.com/a%2Fb/", "https://news.example.com/a%2Fb"},
		{"https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"},
		{"not a url", "not a url"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := corpus.NormalizeURL(tt.in); got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStoreAddRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   corpus.NewArticle
		want corpus.Article // the fields that must read back; ID, Path and Hash are checked apart
	}{
		{
			name: "all fields",
			in: corpus.NewArticle{
				Title:     "India and Pakistan agree to a ceasefire",
				URL:       "https://news.example.com/world/ceasefire?id=7",
				Source:    "Example News",
				Author:    "Jane Doe, John Roe",
				Published: time.Date(2025, 5, 10, 20, 0, 0, 0, time.FixedZone("IST", 5*3600+1800)),
				Text:      "First paragraph of the story, long enough.\n\nSecond  paragraph,\nwrapped.\r\n\r\n\n\nThird.",
				AddedBy:   "moderator#1",
				Tags:      []string{"ceasefire", " India ", "", "Pakistan, army"},
			},
			want: corpus.Article{
				Title:     "India and Pakistan agree to a ceasefire",
				URL:       "https://news.example.com/world/ceasefire?id=7",
				Source:    "Example News",
				Author:    "Jane Doe, John Roe",
				Published: time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC),
				Text:      "First paragraph of the story, long enough.\n\nSecond paragraph, wrapped.\n\nThird.",
				AddedBy:   "moderator#1",
				AddedAt:   storeClock(),
				Tags:      []string{"ceasefire", "India", "Pakistan, army"},
			},
		},
		{
			name: "YAML-looking values",
			in: corpus.NewArticle{
				Title: "yes: no # comment", URL: "", Source: "null", Author: "- dash",
				Text: "Text.", Tags: []string{"true", "[x]"},
			},
			want: corpus.Article{
				Title: "yes: no # comment", Source: "null", Author: "- dash",
				Text: "Text.", AddedAt: storeClock(), Tags: []string{"true", "[x]"},
			},
		},
		{
			name: "no title",
			in:   corpus.NewArticle{Text: "The ceasefire held through the night along the Line of Control, officials said on Sunday morning.\n\nMore."},
			want: corpus.Article{
				Title:   "The ceasefire held through the night along the Line of Control, officials",
				Text:    "The ceasefire held through the night along the Line of Control, officials said on Sunday morning.\n\nMore.",
				AddedAt: storeClock(),
			},
		},
		{
			name: "markdown and html in the text",
			in: corpus.NewArticle{
				Title: "Markup *stays* [as] `text` <b>",
				Text: strings.Join([]string{
					"# Not a heading", "## Nor this", "- not a list", "+ nor this", "* nor this", "1. not numbered", "2025) nor this",
					"> not a quote", "| not | a table |", "---", "***", "___", "===", "```go", "~~~",
					"*not emphasis* and _not_ either, **nor** ~~this~~, snake_case and 2 * 3 stay",
					"[not a link](https://example.com) ![nor an image](x.png) [ref]: https://x",
					"<b>not a tag</b> <!-- not a comment --> <https://example.com> a < b > c",
					"Entities &amp; &lt; &#42; &copy stay; so does a lone & and AT&T.",
					`Back\slashes \* \\ and \[ stay`, "Tab\tand\u00a0nbsp collapse to spaces",
					"Mr. Rubio said. Then he left.", "Line one of a paragraph.",
				}, "\n\n"),
			},
			want: corpus.Article{
				Title: "Markup *stays* [as] `text` <b>",
				Text: strings.Join([]string{
					"# Not a heading", "## Nor this", "- not a list", "+ nor this", "* nor this", "1. not numbered", "2025) nor this",
					"> not a quote", "| not | a table |", "---", "***", "___", "===", "```go", "~~~",
					"*not emphasis* and _not_ either, **nor** ~~this~~, snake_case and 2 * 3 stay",
					"[not a link](https://example.com) ![nor an image](x.png) [ref]: https://x",
					"<b>not a tag</b> <!-- not a comment --> <https://example.com> a < b > c",
					"Entities &amp; &lt; &#42; &copy stay; so does a lone & and AT&T.",
					`Back\slashes \* \\ and \[ stay`, "Tab and nbsp collapse to spaces",
					"Mr. Rubio said. Then he left.", "Line one of a paragraph.",
				}, "\n\n"),
				AddedAt: storeClock(),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir, _ := newTestStore(t)
			got := mustAdd(t, s, tt.in)

			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(got.Path)))
			if err != nil {
				t.Fatalf("the added file: %v", err)
			}
			reread, err := corpus.Parse(got.Path, data)
			if err != nil {
				t.Fatalf("Parse of the added file: %v\n%s", err, data)
			}
			if !reflect.DeepEqual(reread, got) {
				t.Errorf("Add returned\n%+v\nbut the file parses to\n%+v", got, reread)
			}
			if got.ID+".md" != got.Path || got.ID != corpus.Slug(tt.in.Published, tt.want.Title) {
				t.Errorf("ID, Path = %q, %q, want the slug of the date and title", got.ID, got.Path)
			}
			path := got.Path
			got.ID, got.Path, got.Hash = "", "", ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Add returned\n%#v\nwant\n%#v\nfile:\n%s", got, tt.want, data)
			}
			if !strings.Contains(string(data), "added_at: \"2025-05-12T09:30:15Z\"") && !strings.Contains(string(data), "added_at: 2025-05-12T09:30:15Z") {
				t.Errorf("file lacks added_at in RFC 3339:\n%s", data)
			}
			res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
			if err != nil || len(res.Articles) != 1 || len(res.Errors) != 0 {
				t.Fatalf("LoadDir after Add = %+v, %v; want the one article", res, err)
			}
			if want := []string{path}; !reflect.DeepEqual(keys(dirState(t, dir)), want) {
				t.Errorf("corpus holds %v, want only %v (no temporary files)", keys(dirState(t, dir)), want)
			}
		})
	}
}

// keys returns the keys of m, sorted.
func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func TestStoreAddUniqueNames(t *testing.T) {
	s, dir, _ := newTestStore(t)
	writeFiles(t, dir, map[string]string{
		"2025-05-10-same-title-3.txt": "A file already named like the third article.\n",
	})
	var ids []string
	for n := range 4 {
		ids = append(ids, mustAdd(t, s, storeArticle("Same title", n+1)).ID)
	}
	want := []string{"2025-05-10-same-title", "2025-05-10-same-title-2", "2025-05-10-same-title-4", "2025-05-10-same-title-5"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("IDs = %q, want %q", ids, want)
	}

	long := strings.Repeat("word ", 30)
	a, b := mustAdd(t, s, storeArticle(long, 10)), mustAdd(t, s, storeArticle(long, 11))
	if len(a.ID) > 80 || len(b.ID) > 80 || !strings.HasSuffix(b.ID, "-2") || a.ID == b.ID {
		t.Errorf("long-title IDs = %q, %q; want at most 80 characters, the second ending -2", a.ID, b.ID)
	}
}

func TestStoreAddDuplicates(t *testing.T) {
	orig := storeArticle("Original", 1)
	tests := []struct {
		name   string
		modify func(*corpus.NewArticle)
		wantBy string // "" means not a duplicate
	}{
		{"same URL", func(a *corpus.NewArticle) { a.Text = "Other text entirely." }, "url"},
		{"URL with tracking and fragment", func(a *corpus.NewArticle) {
			a.URL = "HTTPS://NEWS.example.com:443/world/story-x/?utm_source=twitter&fbclid=abc#top"
			a.Text = "Other text entirely."
		}, "url"},
		{"same text, other case and spacing", func(a *corpus.NewArticle) {
			a.URL = "https://mirror.example.org/copy"
			a.Text = strings.ToUpper(strings.ReplaceAll(a.Text, " ", "  \n"))
		}, "text"},
		{"same text, no URL", func(a *corpus.NewArticle) { a.URL = "" }, "text"},
		{"other URL and text", func(a *corpus.NewArticle) {
			a.URL = "https://news.example.com/world/story-x/follow-up"
			a.Text += " And more."
		}, ""},
		{"other query", func(a *corpus.NewArticle) {
			a.URL += "?page=2"
			a.Text = "Page two."
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, dir, _ := newTestStore(t)
			first := mustAdd(t, s, orig)
			before := dirState(t, dir)
			a := orig
			a.Tags = nil
			tt.modify(&a)
			_, err := s.Add(context.Background(), a)
			if tt.wantBy == "" {
				if err != nil {
					t.Fatalf("Add = %v, want no error", err)
				}
				return
			}
			var dup *corpus.DuplicateError
			if !errors.As(err, &dup) {
				t.Fatalf("Add error = %v, want a *DuplicateError", err)
			}
			want := corpus.DuplicateError{ID: first.ID, Path: filepath.Join(dir, first.Path), By: tt.wantBy}
			if *dup != want {
				t.Errorf("DuplicateError = %+v, want %+v", *dup, want)
			}
			if msg := err.Error(); !strings.Contains(msg, first.ID) || !strings.Contains(msg, "already in the corpus") {
				t.Errorf("error %q does not name the existing article", msg)
			}
			if after := dirState(t, dir); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused duplicate changed the corpus: %v", keys(after))
			}
		})
	}
}

func TestStoreAddRefusesEmptyText(t *testing.T) {
	s, dir, _ := newTestStore(t)
	mustAdd(t, s, storeArticle("Kept", 1))
	before := dirState(t, dir)
	_, err := s.Add(context.Background(), corpus.NewArticle{Title: "Empty", Text: " \n\n\t"})
	if !errors.Is(err, corpus.ErrNoText) {
		t.Errorf("Add of empty text = %v, want ErrNoText", err)
	}
	if after := dirState(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("a failed Add changed the corpus: %v", keys(after))
	}
}

func TestStoreRemoveRestore(t *testing.T) {
	s, dir, trash := newTestStore(t)
	keep := mustAdd(t, s, storeArticle("Kept", 1))
	gone := mustAdd(t, s, storeArticle("Removed later", 2))
	before := dirState(t, dir)

	r, err := s.Remove(gone.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := corpus.Removed{
		ID:           gone.ID,
		Title:        "Removed later",
		TrashPath:    filepath.Join(trash, "20250512T093015Z-"+gone.Path),
		OriginalPath: filepath.Join(dir, gone.Path),
	}
	if r != want {
		t.Errorf("Remove = %+v, want %+v", r, want)
	}
	if data, err := os.ReadFile(r.TrashPath); err != nil || string(data) != before[gone.Path] {
		t.Errorf("trash file: %v; content matches: %v", err, string(data) == before[gone.Path])
	}
	res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Articles) != 1 || res.Articles[0].ID != keep.ID {
		t.Errorf("after Remove the corpus holds %d articles, want only %s", len(res.Articles), keep.ID)
	}

	// Removing it again: it is not there any more.
	if _, err := s.Remove(gone.ID); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("second Remove = %v, want fs.ErrNotExist", err)
	}
	// A second removal of an article with the same name in the same second
	// does not overwrite the first in the trash.
	again := mustAdd(t, s, storeArticle("Removed later", 2))
	r2, err := s.Remove(again.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r2.TrashPath == r.TrashPath {
		t.Errorf("second removal went to the same trash path %s", r2.TrashPath)
	}
	if err := os.Remove(r2.TrashPath); err != nil {
		t.Fatal(err)
	}

	if err := s.Restore(r); err != nil {
		t.Fatal(err)
	}
	if after := dirState(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("after Restore the corpus holds %v, want %v", keys(after), keys(before))
	}
	if err := s.Restore(r); err == nil || !strings.Contains(err.Error(), "exists now") {
		t.Errorf("Restore over an existing file = %v, want a refusal", err)
	}
	if err := s.Restore(corpus.Removed{ID: "x", TrashPath: filepath.Join(dir, keep.Path), OriginalPath: "/etc/x.md"}); err == nil {
		t.Error("Restore outside the corpus and trash succeeded")
	}
}

func TestStoreUndo(t *testing.T) {
	s, dir, _ := newTestStore(t)
	before := dirState(t, dir)
	a := mustAdd(t, s, storeArticle("Added by mistake", 1))
	r, err := s.Undo(a)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != a.ID {
		t.Errorf("Undo removed %s, want %s", r.ID, a.ID)
	}
	if after := dirState(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("after Undo the corpus holds %v, want it as before", keys(after))
	}
}

func TestStoreRemoveFindsFiles(t *testing.T) {
	tests := []struct {
		files map[string]string
		id    string
		want  string // the path moved, relative to the corpus
	}{
		{map[string]string{"2025/05/strikes.txt": "Strikes.\n"}, "2025/05/strikes", "2025/05/strikes.txt"},
		{map[string]string{"page.HTML": "<p>Page.</p>"}, "page", "page.HTML"},
		{map[string]string{"a.md": "A.", "a.txt": "A."}, "a", "a.md"},
		{map[string]string{"bad.md": "---\ntitle: [unclosed\n---\nText."}, "bad", "bad.md"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			s, dir, _ := newTestStore(t)
			writeFiles(t, dir, tt.files)
			r, err := s.Remove(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(dir, filepath.FromSlash(tt.want)); r.OriginalPath != want {
				t.Errorf("Remove moved %s, want %s", r.OriginalPath, want)
			}
			if _, err := os.Stat(r.OriginalPath); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s is still there: %v", r.OriginalPath, err)
			}
		})
	}
}

func TestStoreRemoveRefusesIDs(t *testing.T) {
	s, dir, _ := newTestStore(t)
	outside := filepath.Join(filepath.Dir(dir), "outside.md")
	if err := os.WriteFile(outside, []byte("Outside."), 0o644); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"kept.md": "Kept.", ".hidden.md": "Hidden."})
	before := dirState(t, dir)
	tests := []struct {
		id       string
		wantErr  string
		notFound bool
	}{
		{id: "../outside", wantErr: `may not contain ".."`},
		{id: "a/../../outside", wantErr: `may not contain ".."`},
		{id: "..", wantErr: `may not contain ".."`},
		{id: outside[:len(outside)-3], wantErr: "not an absolute path"},
		{id: "/etc/passwd", wantErr: "not an absolute path"},
		{id: "", wantErr: "empty article ID"},
		{id: `a\b`, wantErr: "not an article ID"},
		{id: "missing", wantErr: `no article with ID "missing"`, notFound: true},
		{id: "kept/more", wantErr: `no article with ID "kept/more"`, notFound: true},
		{id: ".hidden", wantErr: `no article with ID ".hidden"`, notFound: true},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			_, err := s.Remove(tt.id)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Remove(%q) = %v, want an error containing %q", tt.id, err, tt.wantErr)
			}
			if got := errors.Is(err, fs.ErrNotExist); got != tt.notFound {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v", got, tt.notFound)
			}
		})
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("the file outside the corpus: %v", err)
	}
	if after := dirState(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("refused removals changed the corpus: %v", keys(after))
	}
}

func TestStoreRemoveFailureLeavesCorpus(t *testing.T) {
	dir := t.TempDir()
	trash := filepath.Join(t.TempDir(), "trash")
	if err := os.WriteFile(trash, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := corpus.NewStore(dir, trash, corpus.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := mustAdd(t, s, storeArticle("Stays put", 1))
	before := dirState(t, dir)
	if _, err := s.Remove(a.ID); err == nil || !strings.Contains(err.Error(), "trash directory") {
		t.Fatalf("Remove with the trash a regular file = %v, want a trash directory error", err)
	}
	if after := dirState(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("a failed Remove changed the corpus: %v", keys(after))
	}
}

func TestNewStore(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file.md")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, corpus, trash, wantErr string
	}{
		{"ok", dir, filepath.Join(t.TempDir(), "trash"), ""},
		{"hidden trash inside", dir, filepath.Join(dir, ".trash"), ""},
		{"trash inside", dir, filepath.Join(dir, "trash"), "inside the corpus"},
		{"trash is corpus", dir, dir, "inside the corpus"},
		{"missing corpus", filepath.Join(dir, "missing"), t.TempDir(), "no such file"},
		{"corpus is a file", file, t.TempDir(), "not a directory"},
		{"no trash", dir, "", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := corpus.NewStore(tt.corpus, tt.trash, corpus.Options{}, nil)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewStore = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestDuplicateErrorMessage(t *testing.T) {
	err := &corpus.DuplicateError{ID: "2025-05-10-story", Path: "/corpus/2025-05-10-story.md", By: "url"}
	if got, want := err.Error(), "already in the corpus as 2025-05-10-story (/corpus/2025-05-10-story.md): same URL"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestStoreMessagesForPeople: what a refused change tells the moderator
// names the article, never a file path.
func TestStoreMessagesForPeople(t *testing.T) {
	s, dir, trash := newTestStore(t)
	a := mustAdd(t, s, storeArticle("Kept", 1))
	_, dupErr := s.Add(context.Background(), storeArticle("Same URL", 1))
	r, err := s.Remove(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(r.OriginalPath, []byte("Back again."), 0o644); err != nil {
		t.Fatal(err)
	}
	restoreErr := s.Restore(r)
	_, unknownErr := s.Remove("no-such-article")
	_, badIDErr := s.Remove("../etc/passwd")
	for _, tt := range []struct {
		name string
		err  error
		want string
	}{
		{"duplicate", dupErr, "That article is already in the corpus as " + a.ID + " (the same address)."},
		{"restore over a file", restoreErr, "A file is back where " + a.ID + " was, so it was not restored over it."},
		{"unknown ID", unknownErr, "There is no article no-such-article in the corpus."},
		{"bad ID", badIDErr, "That is not an article ID."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			msg, ok := usererr.Message(tt.err)
			if !ok || msg != tt.want {
				t.Errorf("message %q (%v), want %q; the error: %v", msg, ok, tt.want, tt.err)
			}
			if strings.Contains(msg, dir) || strings.Contains(msg, trash) {
				t.Errorf("message %q names a path", msg)
			}
		})
	}
}

// TestStoreAddCleansURLs: an article's address is stored as an http(s)
// URL a browser and Discord read as one: anything else is refused, and
// what must be percent-encoded is.
func TestStoreAddCleansURLs(t *testing.T) {
	tests := []struct {
		in, want string // want "" refuses
	}{
		{"https://news.example.com/world/story?id=7", "https://news.example.com/world/story?id=7"},
		{"HTTPS://News.Example.com/A", "https://news.example.com/A"},
		{"https://news.example.com/a b<c>", "https://news.example.com/a%20b%3Cc%3E"},
		{"https://news.example.com/a?q=x y&r=<z>#top part", "https://news.example.com/a?q=x%20y&r=%3Cz%3E#top%20part"},
		{"https://news.example.com/a?q=50%", "https://news.example.com/a?q=50%25"},
		{"https://news.example.com/काश्मीर", "https://news.example.com/%E0%A4%95%E0%A4%BE%E0%A4%B6%E0%A5%8D%E0%A4%AE%E0%A5%80%E0%A4%B0"},
		{"https://bücher.example/a", "https://xn--bcher-kva.example/a"},
		{"javascript:alert(1)", ""},
		{"ftp://news.example.com/a", ""},
		{"news.example.com/a", ""},
		{"https://user:pw@news.example.com/a", ""},
		{"https://news.example.com/a\x1b[31m", ""},
		{"https://news example.com/a", ""},
	}
	for i, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, dir, _ := newTestStore(t)
			a := storeArticle("Story", i)
			a.URL = tt.in
			got, err := s.Add(context.Background(), a)
			if tt.want == "" {
				msg, _ := usererr.Message(err)
				if err == nil || !strings.Contains(msg, "not a web link") {
					t.Errorf("Add with URL %q = %q, %v (%q); want a refusal", tt.in, got.URL, err, msg)
				}
				if entries, _ := os.ReadDir(dir); len(entries) != 0 {
					t.Errorf("the corpus holds %d files after a refusal", len(entries))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.URL != tt.want {
				t.Errorf("URL = %q, want %q", got.URL, tt.want)
			}
		})
	}
}

// TestStoreRemoveRefusesLinksOutOfTheCorpus: removing through a linked
// directory that leads out of the corpus moves nothing; one that stays
// inside works.
func TestStoreRemoveRefusesLinksOutOfTheCorpus(t *testing.T) {
	s, dir, trash := newTestStore(t)
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"victim.md": "Not part of the corpus."})
	writeFiles(t, dir, map[string]string{"real/inside.md": "Part of the corpus."})
	symlink(t, outside, filepath.Join(dir, "linked"))
	symlink(t, "real", filepath.Join(dir, "alias"))

	_, err := s.Remove("linked/victim")
	if !errors.Is(err, corpus.ErrOutsideCorpus) {
		t.Errorf("Remove through a link out of the corpus = %v, want ErrOutsideCorpus", err)
	}
	if msg, _ := usererr.Message(err); strings.Contains(msg, outside) || msg == "" {
		t.Errorf("message for people %q", msg)
	}
	if _, err := os.Stat(filepath.Join(outside, "victim.md")); err != nil {
		t.Errorf("the file outside the corpus moved: %v", err)
	}
	if entries, _ := os.ReadDir(trash); len(entries) != 0 {
		t.Errorf("the trash holds %d files", len(entries))
	}

	r, err := s.Remove("alias/inside")
	if err != nil {
		t.Fatalf("Remove through a link inside the corpus: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "real", "inside.md")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file is still in the corpus: %v", err)
	}
	if err := s.Restore(r); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "real", "inside.md")); err != nil {
		t.Errorf("not restored: %v", err)
	}

	// A link swapped to lead out of the corpus between removal and undo
	// does not take the restored file outside.
	r, err = s.Remove("alias/inside")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	symlink(t, outside, filepath.Join(dir, "alias"))
	if err := s.Restore(r); err == nil {
		if _, err := os.Stat(filepath.Join(outside, "inside.md")); err == nil {
			t.Error("Restore wrote through a link out of the corpus")
		}
	}
}
