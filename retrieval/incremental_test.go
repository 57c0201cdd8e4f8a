package retrieval

import (
	"compress/gzip"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/gencorpus"
)

// genArticles parses articles [from, to) of a generated corpus, each at the
// revision rev gives it.
func genArticles(tb testing.TB, o gencorpus.Options, ids []int, rev func(int) int) []corpus.Article {
	tb.Helper()
	var out []corpus.Article
	for _, i := range ids {
		f := gencorpus.Article(o, i, rev(i))
		a, err := corpus.Parse(f.Name, f.Data)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, a)
	}
	sortArticles(out)
	return out
}

// TestIncrementalEqualsRebuild edits, removes and adds articles and checks
// that the index a reload derives from the previous one is the index a
// build from nothing gives, passage for passage, posting for posting, and
// hit for hit with the same scores.
func TestIncrementalEqualsRebuild(t *testing.T) {
	ctx := context.Background()
	o := gencorpus.Options{Articles: 60, Words: 300, Seed: 5}
	s := Settings{Embedder: HashEmbedderID(64)}
	embed := HashEmbedder(64)
	var ids []int
	for i := range 50 {
		ids = append(ids, i)
	}
	prev, _, err := build(ctx, s, embed, genArticles(t, o, ids, func(int) int { return 0 }), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Remove 0, 17 and 49, edit 3, 25 and 48, add 50 to 55.
	var next []int
	for _, i := range ids {
		if i != 0 && i != 17 && i != 49 {
			next = append(next, i)
		}
	}
	next = append(next, 50, 51, 52, 53, 54, 55)
	edited := func(i int) int {
		if i == 3 || i == 25 || i == 48 {
			return 1
		}
		return 0
	}
	arts := genArticles(t, o, next, edited)
	inc, d, err := build(ctx, s, embed, arts, prev, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Added) != 6 || len(d.Changed) != 3 || len(d.Removed) != 3 {
		t.Fatalf("diff %+v, want 6 added, 3 changed, 3 removed", d)
	}
	full, _, err := build(ctx, s, HashEmbedder(64), genArticles(t, o, next, edited), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	assertSameIndex(t, inc, full)
}

// assertSameIndex checks that two indexes hold the same passages, vectors
// and BM25 index, and answer a set of questions identically.
func assertSameIndex(t *testing.T, got, want *Index) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("%d passages, want %d", got.Len(), want.Len())
	}
	for i := range want.passages {
		g, w := got.passages[i], want.passages[i]
		if g.ID != w.ID || g.Text != w.Text || !slices.Equal(g.Sentences, w.Sentences) || len(g.Dates) != len(w.Dates) {
			t.Fatalf("passage %d: %s %q, want %s %q", i, g.ID, g.Text, w.ID, w.Text)
		}
		if !slices.Equal(got.vectors[i], want.vectors[i]) {
			t.Fatalf("passage %d (%s): vectors differ", i, w.ID)
		}
	}
	gl, wl := got.lex, want.lex
	if !slices.Equal(gl.docLen, wl.docLen) || gl.avgLen != wl.avgLen || !slices.Equal(gl.norm, wl.norm) {
		t.Fatal("BM25 document lengths differ")
	}
	if !maps.EqualFunc(gl.postings, wl.postings, slices.Equal) {
		for term, ps := range wl.postings {
			if !slices.Equal(gl.postings[term], ps) {
				t.Fatalf("postings of %q: %v, want %v", term, gl.postings[term], ps)
			}
		}
		t.Fatalf("%d terms, want %d", len(gl.postings), len(wl.postings))
	}
	questions := []string{
		"What did Rubio say to Sharif about the ceasefire?",
		"civilians killed near Poonch on May 7",
		"missile strikes across the line of control",
		"talks at the united nations council",
	}
	// Add the first words of some passages, which match something.
	for i := 0; i < want.Len(); i += want.Len() / 5 {
		questions = append(questions, want.passages[i].Text[:min(60, len(want.passages[i].Text))])
	}
	for _, q := range questions {
		gh, err := got.Search(context.Background(), q, 8)
		if err != nil {
			t.Fatal(err)
		}
		wh, err := want.Search(context.Background(), q, 8)
		if err != nil {
			t.Fatal(err)
		}
		if len(gh) != len(wh) {
			t.Fatalf("%q: %d hits, want %d", q, len(gh), len(wh))
		}
		for i := range wh {
			g, w := gh[i], wh[i]
			if g.Passage.ID != w.Passage.ID || g.Score != w.Score || g.Similarity != w.Similarity || g.Lexical != w.Lexical {
				t.Errorf("%q hit %d: %s %v/%v/%v, want %s %v/%v/%v", q, i,
					g.Passage.ID, g.Score, g.Similarity, g.Lexical, w.Passage.ID, w.Score, w.Similarity, w.Lexical)
			}
		}
	}
}

// TestSnapshotKeepsBM25 saves an index and loads it back: the loaded BM25
// index, read from the file rather than rebuilt, must be the built one.
func TestSnapshotKeepsBM25(t *testing.T) {
	ctx := context.Background()
	o := gencorpus.Options{Articles: 30, Words: 300, Seed: 9}
	s := Settings{Embedder: HashEmbedderID(64)}
	ids := make([]int, o.Articles)
	for i := range ids {
		ids[i] = i
	}
	ix, _, err := build(ctx, s, HashEmbedder(64), genArticles(t, o, ids, func(int) int { return 0 }), nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := saveSnapshot(dir, ix, 1, nil); err != nil {
		t.Fatal(err)
	}
	loaded, err := loadSnapshot(ctx, dir, HashEmbedder(64))
	if err != nil {
		t.Fatal(err)
	}
	assertSameIndex(t, loaded, ix)
	for i, p := range ix.passages {
		if !slices.Equal(loaded.passages[i].Dates, p.Dates) {
			t.Fatalf("passage %s: dates %v, want %v", p.ID, loaded.passages[i].Dates, p.Dates)
		}
	}

	// Every truncation and a flipped byte anywhere are reported, not
	// panicked on or loaded.
	path := filepath.Join(dir, snapshotName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{0, 5, 20, len(data) / 3, len(data) / 2, len(data) - 40, len(data) - 4, len(data) - 1} {
		if err := os.WriteFile(path, data[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := loadSnapshot(ctx, dir, HashEmbedder(64)); err == nil {
			t.Errorf("snapshot cut to %d of %d bytes loaded", cut, len(data))
		}
	}
	for _, at := range []int{30, len(data) / 2, len(data) - 100} {
		bad := slices.Clone(data)
		bad[at] ^= 0x40
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := loadSnapshot(ctx, dir, HashEmbedder(64)); err == nil {
			t.Errorf("snapshot with byte %d flipped loaded", at)
		}
	}
	if err := os.WriteFile(path, append(slices.Clone(data), 0), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSnapshot(ctx, dir, HashEmbedder(64)); err == nil {
		t.Error("snapshot with a trailing byte loaded")
	}
}

// TestEnglishTermsGenerated checks the embedded term table against the word
// list it is derived from: when Terms changes (a stemmer upgrade, a new
// irregular verb), the table is stale and go generate must run again.
func TestEnglishTermsGenerated(t *testing.T) {
	f, err := os.Open("data/english-words.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	want, err := rankWords(zr)
	if err != nil {
		t.Fatal(err)
	}
	got, err := EnglishWordRanks()
	if err != nil {
		t.Fatal(err)
	}
	if got.n != want.n || !maps.Equal(got.rank, want.rank) {
		t.Fatalf("english-terms.txt.gz is stale (%d terms of %d words, want %d of %d): run go generate ./retrieval",
			len(got.rank), got.n, len(want.rank), want.n)
	}
	if got.Rank(Terms("brief")[0]) != got.Rank(Terms("briefed")[0]) || got.Rank("zzzznotaword") != got.n+1 {
		t.Error("ranks of word forms or of unknown terms are wrong")
	}
}

// TestSnapshotFromOlderChunker checks that a saved index whose passages
// were cut, and their sentences dated, by another version of the chunker
// is not reused by a reload, though its options are the same: its dates
// would be the old code's.
func TestSnapshotFromOlderChunker(t *testing.T) {
	ctx := context.Background()
	o := gencorpus.Options{Articles: 3, Words: 100, Seed: 4}
	s := Settings{Embedder: HashEmbedderID(64)}
	arts := genArticles(t, o, []int{0, 1, 2}, func(int) int { return 0 })
	ix, _, err := build(ctx, s, HashEmbedder(64), arts, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, cutBy string
		reused      bool
	}{
		{"same chunker", "", true},
		{"older chunker", "chunk-v0;max-sentences=3;max-chars=700", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved := *ix
			saved.settings.cutBy = tc.cutBy
			dir := t.TempDir()
			if err := saveSnapshot(dir, &saved, 1, nil); err != nil {
				t.Fatal(err)
			}
			loaded, err := loadSnapshot(ctx, dir, HashEmbedder(64))
			if err != nil {
				t.Fatal(err)
			}
			if got := loaded.settings.key() == s.key(); got != tc.reused {
				t.Errorf("loaded index reusable = %v, want %v (saved under %q)", got, tc.reused, loaded.settings.chunker())
			}
		})
	}
}
