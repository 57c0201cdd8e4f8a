package bot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// TestReloadUnderLoad answers up to 50 questions a second while reloads
// run back to back, each swapping the whole corpus between two versions,
// until both have happened often enough. Every answer must come from one
// complete index — its citations all from one version — and nothing may
// race (go test -race) or leak a goroutine. It counts work, not time, so a
// loaded machine makes it slower, not failing.
func TestReloadUnderLoad(t *testing.T) {
	// Goroutines already running are not this test's to answer for, but
	// the OpenAPI documents loading for the tests after it would start more.
	waitPrefetch()
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	minReloads, minAnswers := int64(6), int64(75)
	if testing.Short() {
		minReloads, minAnswers = 2, 25
	}
	dir := t.TempDir()
	writeVersion := func(v string) {
		for i := range 40 {
			body := fmt.Sprintf("---\ntitle: Bulletin %d\n---\nBulletin %d of version %s: the ceasefire held along the border near post %d. Officials of version %s reported calm.\n\nTraders in version %s said markets reopened.", i, i, v, i, v, v)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("b%02d.md", i)), []byte(body), 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	writeVersion("alpha")
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Dir: t.TempDir(), Settings: retrieval.Settings{Embedder: "h"}}, retrieval.HashEmbedder(64),
		func(ctx context.Context) (*corpus.Result, error) { return corpus.LoadDir(ctx, dir, corpus.Options{}) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	answerer := answer.NewExtractive(answer.ExtractiveConfig{TopK: 6}, lib, nil)
	// The deadline only stops a hang; the test ends when the work is done.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	var wg sync.WaitGroup
	var reloads, answered, mixed atomic.Int64
	enough := func() bool { return reloads.Load() >= minReloads && answered.Load() >= minAnswers }
	// Reloads back to back, alternating the corpus between versions.
	wg.Add(1)
	go func() {
		defer wg.Done()
		next := []string{"beta", "alpha"}
		for i := 0; ctx.Err() == nil && !enough(); i++ {
			writeVersion(next[i%2])
			if _, err := lib.Reload(context.Background()); err != nil {
				t.Errorf("reload %d: %v", i, err)
				return
			}
			reloads.Add(1)
		}
	}()
	// 50 questions a second.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil && !enough() {
		<-tick.C
		wg.Add(1)
		go func() {
			defer wg.Done()
			ans, err := answerer.Answer(context.Background(), answer.Question{Text: "What did officials report about the ceasefire at the border?"}, nil)
			if err != nil {
				t.Errorf("answer during reload: %v", err)
				return
			}
			if ans.Abstained || len(ans.Citations) == 0 {
				t.Errorf("abstained during reload: %q", ans.Text)
				return
			}
			seen := map[string]bool{}
			for _, c := range ans.Citations {
				for _, v := range []string{"alpha", "beta"} {
					if strings.Contains(c.Quote, "version "+v) {
						seen[v] = true
					}
				}
			}
			if len(seen) > 1 {
				mixed.Add(1)
				t.Errorf("one answer quotes two versions of the corpus: %q", ans.Text)
			}
			answered.Add(1)
		}()
	}
	wg.Wait()
	if !enough() {
		t.Errorf("only %d reloads and %d answers before the deadline", reloads.Load(), answered.Load())
	}
	t.Logf("%d reloads, %d answers, %d mixed", reloads.Load(), answered.Load(), mixed.Load())
}
