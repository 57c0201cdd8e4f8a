package retrieval

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Who did Marco Rubio speak with on Friday?", []string{"marco", "rubio", "speak", "friday"}},
		{"India's strikes killed 26 people", []string{"india", "strike", "kill", "26", "peopl"}},
		{"Lashkar-e-Taiba", []string{"lashkar", "taiba"}},
		{"the and of", nil},
		{"", nil},
		{"17:00 Indian time", []string{"17", "00", "indian", "time"}},
		{"Bruce said Rubio spoke; he says", []string{"bruce", "say", "rubio", "speak", "say"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Terms(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHashEmbedder(t *testing.T) {
	embed := HashEmbedder(128)
	vecs, err := embed(context.Background(), []string{"Rubio spoke with Munir", "Rubio spoke with Munir", "monsoon rains in Kerala", "the of and"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(vecs[0], vecs[1]) {
		t.Error("same text embedded twice gave different vectors")
	}
	for i, v := range vecs[:3] {
		if n := norm(v); math.Abs(n-1) > 1e-5 {
			t.Errorf("vector %d has norm %v, want 1", i, n)
		}
	}
	if n := norm(vecs[3]); n != 0 {
		t.Errorf("stop words only: norm %v, want 0", n)
	}
	related, _ := embed(context.Background(), []string{"Did Rubio speak to Munir?"})
	if dot(related[0], vecs[0]) <= dot(related[0], vecs[2]) {
		t.Error("a question about Rubio and Munir is no closer to the passage about them than to one about the monsoon")
	}
}

// TestHashEmbedderConcurrent embeds the same texts from several goroutines
// through one embedder, whose term cache they share, as a reload and
// searches do; each must get what a fresh embedder gives. Run with -race.
func TestHashEmbedderConcurrent(t *testing.T) {
	ctx := context.Background()
	texts := []string{articleA, articleB, articleC, "Did Rubio speak to Munir?", "monsoon rains in Kerala"}
	want, err := HashEmbedder(64)(ctx, texts)
	if err != nil {
		t.Fatal(err)
	}
	embed := HashEmbedder(64)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range texts {
				j := (g + i) % len(texts)
				got, err := embed(ctx, texts[j:j+1])
				if err != nil {
					t.Error(err)
					return
				}
				if !slices.Equal(got[0], want[j]) {
					t.Errorf("goroutine %d, text %d: vector differs from a fresh embedder's", g, j)
				}
			}
		})
	}
	wg.Wait()
}

func TestTermCacheBounded(t *testing.T) {
	var c termCache
	for i := range termCacheLimit + 10 {
		w := strconv.Itoa(i)
		if got := c.term(w); got != w {
			t.Fatalf("term(%q) = %q, want %q", w, got, w)
		}
	}
	if n := len(c.m); n > termCacheLimit {
		t.Errorf("cache holds %d words, want at most %d", n, termCacheLimit)
	}
}

func norm(v []float32) float64 { return math.Sqrt(float64(dot(v, v))) }

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// fakeEmbeddings is a hand-written embeddings client that records batch sizes.
type fakeEmbeddings struct {
	batches []int
	err     error
}

func (f *fakeEmbeddings) CreateEmbeddings(_ context.Context, conv openai.EmbeddingRequestConverter) (openai.EmbeddingResponse, error) {
	if f.err != nil {
		return openai.EmbeddingResponse{}, f.err
	}
	req := conv.Convert()
	in := req.Input.([]string)
	f.batches = append(f.batches, len(in))
	var resp openai.EmbeddingResponse
	// Answer in reverse order: the embedder must place vectors by index.
	for i := len(in) - 1; i >= 0; i-- {
		resp.Data = append(resp.Data, openai.Embedding{Index: i, Embedding: []float32{float32(len(in[i])), 3, 4}})
	}
	return resp, nil
}

func TestOpenAIEmbedder(t *testing.T) {
	f := &fakeEmbeddings{}
	embed := OpenAIEmbedder(f, "m", 2)
	vecs, err := embed(context.Background(), []string{"a", "bb", "ccc", "dddd", "eeeee"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 2, 1}; !slices.Equal(f.batches, want) {
		t.Errorf("batches %v, want %v", f.batches, want)
	}
	for i, v := range vecs {
		if math.Abs(norm(v)-1) > 1e-5 {
			t.Errorf("vector %d not normalised: %v", i, v)
		}
		want := float32(i+1) / float32(math.Sqrt(float64((i+1)*(i+1)+25)))
		if math.Abs(float64(v[0]-want)) > 1e-5 {
			t.Errorf("vector %d = %v, want first component %v (order kept)", i, v, want)
		}
	}
	f.err = errors.New("boom")
	if _, err := embed(context.Background(), []string{"x"}); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("error %v, want it to wrap the client's", err)
	}
}

func TestOpenAIEmbedderID(t *testing.T) {
	tests := []struct{ base, want string }{
		{"http://localhost:11434/v1/", "openai:http://localhost:11434/v1|m"},
		{"https://api.openai.com/v1", "openai:https://api.openai.com/v1|m"},
		// The index file on disk keeps no password, and a new password
		// rebuilds nothing.
		{"https://bot:hunter2-pass@llm.example/v1/", "openai:https://llm.example/v1|m"},
	}
	for _, tt := range tests {
		if got := OpenAIEmbedderID(tt.base, "m"); got != tt.want {
			t.Errorf("OpenAIEmbedderID(%q) = %q, want %q", tt.base, got, tt.want)
		}
	}
}

// countingEmbedder wraps the hash embedder and counts the texts it embeds.
func countingEmbedder(n *atomic.Int64) EmbedFunc {
	inner := HashEmbedder(64)
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		n.Add(int64(len(texts)))
		return inner(ctx, texts)
	}
}

func writeArticle(tb testing.TB, dir, name, body string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		tb.Fatal(err)
	}
}

const (
	articleA = "---\ntitle: Ceasefire agreed\npublished: 2025-05-10\n---\nIndia and Pakistan agreed to a ceasefire on Saturday. The truce took effect at 17:00 Indian time.\n\nBoth sides later accused each other of violations. Explosions were heard in Srinagar."
	articleB = "---\ntitle: Monsoon arrives\n---\nThe monsoon reached Kerala early this year. Farmers welcomed the rain."
	articleC = "---\ntitle: Cricket league paused\n---\nThe Indian Premier League was suspended for a week. Players from abroad flew home."
)

func newTestLibrary(tb testing.TB, corpusDir, dataDir string, embed EmbedFunc) *Library {
	tb.Helper()
	load := func(ctx context.Context) (*corpus.Result, error) {
		return corpus.LoadDir(ctx, corpusDir, corpus.Options{})
	}
	lib, err := NewLibrary(LibraryConfig{Dir: dataDir, Settings: Settings{Embedder: "count-64"}}, embed, load, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return lib
}

func TestLibraryIncremental(t *testing.T) {
	ctx := context.Background()
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	writeArticle(t, corpusDir, "ceasefire.md", articleA)
	writeArticle(t, corpusDir, "monsoon.md", articleB)

	var embedded atomic.Int64
	lib := newTestLibrary(t, corpusDir, dataDir, countingEmbedder(&embedded))
	rep, err := lib.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Articles != 2 || int64(rep.Passages) != embedded.Load() || rep.Passages == 0 {
		t.Fatalf("first open: %d articles, %d passages, %d embedded", rep.Articles, rep.Passages, embedded.Load())
	}

	// A restart over an unchanged corpus embeds nothing.
	embedded.Store(0)
	lib = newTestLibrary(t, corpusDir, dataDir, countingEmbedder(&embedded))
	rep, err = lib.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if embedded.Load() != 0 || rep.Unchanged != 2 {
		t.Errorf("restart: embedded %d texts, %d unchanged; want 0 and 2", embedded.Load(), rep.Unchanged)
	}

	// Changing one article re-embeds only its passages; adding and removing
	// are reported.
	writeArticle(t, corpusDir, "monsoon.md", articleB+" Reservoirs filled.")
	writeArticle(t, corpusDir, "cricket.md", articleC)
	if err := os.Remove(filepath.Join(corpusDir, "ceasefire.md")); err != nil {
		t.Fatal(err)
	}
	embedded.Store(0)
	rep, err = lib.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ix := lib.Current()
	var want int64
	for _, a := range ix.Articles() {
		if a.ID == "monsoon" || a.ID == "cricket" {
			want += int64(len(corpus.Chunk(*a, corpus.ChunkOptions{})))
		}
	}
	if embedded.Load() != want {
		t.Errorf("reload embedded %d passages, want %d (the changed and the new article's)", embedded.Load(), want)
	}
	if !slices.Equal(rep.Added, []string{"cricket"}) || !slices.Equal(rep.Changed, []string{"monsoon"}) || !slices.Equal(rep.Removed, []string{"ceasefire"}) {
		t.Errorf("diff added %v changed %v removed %v", rep.Added, rep.Changed, rep.Removed)
	}
	if ix.Article("ceasefire") != nil {
		t.Error("removed article still indexed")
	}

	// Switching the embedder settings rebuilds everything.
	embedded.Store(0)
	lib2, _ := NewLibrary(LibraryConfig{Dir: dataDir, Settings: Settings{Embedder: "count-64-v2"}}, countingEmbedder(&embedded),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.LoadDir(ctx, corpusDir, corpus.Options{})
		}, nil)
	rep, err = lib2.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Rebuilt || embedded.Load() != int64(rep.Passages) {
		t.Errorf("settings change: rebuilt=%v, embedded %d of %d passages", rep.Rebuilt, embedded.Load(), rep.Passages)
	}
}

// TestLibraryNoOpReload checks that a reload over an unchanged corpus keeps
// the very index that is serving, reports it as before, and that build hands
// back the previous index rather than assembling an identical one.
func TestLibraryNoOpReload(t *testing.T) {
	ctx := context.Background()
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	writeArticle(t, corpusDir, "ceasefire.md", articleA)
	writeArticle(t, corpusDir, "monsoon.md", articleB)
	var n atomic.Int64
	if _, err := newTestLibrary(t, corpusDir, dataDir, countingEmbedder(&n)).Open(ctx); err != nil {
		t.Fatal(err)
	}

	// A restart opens the snapshot, which is current.
	lib := newTestLibrary(t, corpusDir, dataDir, countingEmbedder(&n))
	opened, err := lib.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := lib.Current()
	rep, err := lib.Reload(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := lib.Current(); got != before {
		t.Errorf("no-op reload swapped the index: got %p, want %p", got, before)
	}
	if rep.Articles != opened.Articles || rep.Passages != opened.Passages || rep.Unchanged != 2 || rep.Embedded != 0 || rep.Saved || !rep.Empty() {
		t.Errorf("no-op reload report %+v, want %d articles, %d passages, 2 unchanged, nothing embedded or saved",
			rep, opened.Articles, opened.Passages)
	}

	res, err := corpus.LoadDir(ctx, corpusDir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, d, err := build(ctx, before.settings, before.embed, res.Articles, before, before.Built())
	if err != nil {
		t.Fatal(err)
	}
	if ix != before || !d.Empty() {
		t.Errorf("build over an unchanged corpus = %p (diff empty %v), want the previous index %p", ix, d.Empty(), before)
	}
}

func TestLibraryFailedReloadKeepsServing(t *testing.T) {
	ctx := context.Background()
	corpusDir := t.TempDir()
	writeArticle(t, corpusDir, "ceasefire.md", articleA)
	var n atomic.Int64

	t.Run("corpus gone", func(t *testing.T) {
		lib := newTestLibrary(t, corpusDir, t.TempDir(), countingEmbedder(&n))
		if _, err := lib.Open(ctx); err != nil {
			t.Fatal(err)
		}
		before := lib.Current()
		lib.load = func(context.Context) (*corpus.Result, error) { return nil, corpus.ErrEmpty }
		if _, err := lib.Reload(ctx); !errors.Is(err, corpus.ErrEmpty) {
			t.Fatalf("reload error %v, want ErrEmpty", err)
		}
		if lib.Current() != before {
			t.Error("failed reload replaced the serving index")
		}
	})
	t.Run("embedder fails", func(t *testing.T) {
		lib := newTestLibrary(t, corpusDir, t.TempDir(), countingEmbedder(&n))
		if _, err := lib.Open(ctx); err != nil {
			t.Fatal(err)
		}
		before := lib.Current()
		writeArticle(t, corpusDir, "cricket.md", articleC)
		defer os.Remove(filepath.Join(corpusDir, "cricket.md"))
		lib.embed = func(context.Context, []string) ([][]float32, error) { return nil, errors.New("embedder down") }
		if _, err := lib.Reload(ctx); err == nil || !strings.Contains(err.Error(), "embedder down") {
			t.Fatalf("reload error %v, want the embedder's", err)
		}
		if lib.Current() != before {
			t.Error("failed reload replaced the serving index")
		}
	})
	t.Run("index cannot be saved", func(t *testing.T) {
		data := t.TempDir()
		lib := newTestLibrary(t, corpusDir, data, countingEmbedder(&n))
		if _, err := lib.Open(ctx); err != nil {
			t.Fatal(err)
		}
		before := lib.Current()
		// A data directory that is a file stands in for a full or broken
		// disk: every write into it fails, even as root.
		if err := os.RemoveAll(data); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(data, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		writeArticle(t, corpusDir, "cricket.md", articleC)
		defer os.Remove(filepath.Join(corpusDir, "cricket.md"))
		if _, err := lib.Reload(ctx); err == nil || !strings.Contains(err.Error(), "save index") {
			t.Fatalf("reload error %v, want a save error", err)
		}
		if lib.Current() != before {
			t.Error("unsaved index replaced the serving one")
		}
	})
}

func TestLibraryUnsavedFirstIndexServes(t *testing.T) {
	corpusDir := t.TempDir()
	writeArticle(t, corpusDir, "ceasefire.md", articleA)
	data := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(data, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	lib := newTestLibrary(t, corpusDir, data, countingEmbedder(&n))
	if _, err := lib.Open(context.Background()); err == nil || !strings.Contains(err.Error(), "save index") {
		t.Fatalf("open error %v, want a save error", err)
	}
	if lib.Current() == nil {
		t.Error("with no saved index to fall back on, the unsaved one should serve")
	}
}

func TestLibraryCorruptSnapshotRebuilds(t *testing.T) {
	ctx := context.Background()
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	writeArticle(t, corpusDir, "ceasefire.md", articleA)
	var n atomic.Int64
	if _, err := newTestLibrary(t, corpusDir, dataDir, countingEmbedder(&n)).Open(ctx); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dataDir, snapshotName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSnapshot(ctx, dataDir, HashEmbedder(64)); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("corrupt snapshot loaded with error %v, want a checksum error", err)
	}
	n.Store(0)
	rep, err := newTestLibrary(t, corpusDir, dataDir, countingEmbedder(&n)).Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != int64(rep.Passages) {
		t.Errorf("after corruption embedded %d of %d passages, want all", n.Load(), rep.Passages)
	}
}

func TestLibraryReloadInProgress(t *testing.T) {
	corpusDir := t.TempDir()
	writeArticle(t, corpusDir, "ceasefire.md", articleA)
	release := make(chan struct{})
	entered := make(chan struct{})
	lib, _ := NewLibrary(LibraryConfig{Settings: Settings{Embedder: "x"}}, HashEmbedder(32), func(ctx context.Context) (*corpus.Result, error) {
		close(entered)
		<-release
		return corpus.LoadDir(ctx, corpusDir, corpus.Options{})
	}, nil)
	done := make(chan error)
	go func() { _, err := lib.Reload(context.Background()); done <- err }()
	<-entered
	if _, err := lib.Reload(context.Background()); !errors.Is(err, ErrReloadInProgress) {
		t.Errorf("second reload: %v, want ErrReloadInProgress", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	corpusDir := t.TempDir()
	writeArticle(t, corpusDir, "ceasefire.md", articleA)
	writeArticle(t, corpusDir, "monsoon.md", articleB)
	writeArticle(t, corpusDir, "cricket.md", articleC)
	lib := newTestLibrary(t, corpusDir, "", HashEmbedder(128))
	if _, err := lib.Open(ctx); err != nil {
		t.Fatal(err)
	}
	ix := lib.Current()
	tests := []struct {
		question, want string
	}{
		{"When did the ceasefire take effect?", "ceasefire"},
		{"Which cricket league was suspended?", "cricket"},
		{"Did the monsoon reach Kerala?", "monsoon"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			// k larger than the passage count must clamp, not fail.
			hits, err := ix.Search(ctx, tt.question, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 || hits[0].Article.ID != tt.want {
				t.Fatalf("top hit %v, want article %s", hits, tt.want)
			}
			if len(hits) > ix.Len() {
				t.Errorf("%d hits from %d passages", len(hits), ix.Len())
			}
		})
	}
	if hits, err := ix.Search(ctx, "the of and", 3); err != nil || len(hits) != 0 {
		t.Errorf("stop words only: %d hits, err %v; want none", len(hits), err)
	}
}
