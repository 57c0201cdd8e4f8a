package feeds_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/fetch"
)

// lockHelperEnv, when set, makes TestLockHelper the other process of
// TestStateLockAcrossProcesses: "corpus dir|data dir|first|count".
const lockHelperEnv = "CRISISBOT_FEEDS_LOCK_HELPER"

// addFeeds adds count feeds numbered from first through a service of its
// own over corpusDir and data.
func addFeeds(tb testing.TB, corpusDir, data string, first, count int) {
	tb.Helper()
	store, err := corpus.NewStore(corpusDir, filepath.Join(data, "trash"), corpus.Options{}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := feeds.New(feeds.Config{MaxFeeds: 1000}, data, store, fetch.New(fetch.Config{}), &countingReloader{}, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for i := first; i < first+count; i++ {
		if _, err := svc.Add(context.Background(), fmt.Sprintf("https://outlet%d.example.com/feed.xml", i), "", 0); err != nil {
			tb.Errorf("add feed %d: %v", i, err)
		}
	}
}

// TestLockHelper is the other process of TestStateLockAcrossProcesses;
// run alone it does nothing.
func TestLockHelper(t *testing.T) {
	arg := os.Getenv(lockHelperEnv)
	if arg == "" {
		t.Skip("helper process of TestStateLockAcrossProcesses")
	}
	parts := strings.SplitN(arg, "|", 4)
	if len(parts) != 4 {
		t.Fatalf("%s=%q: want four fields", lockHelperEnv, arg)
	}
	first, err1 := strconv.Atoi(parts[2])
	count, err2 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil {
		t.Fatalf("%s=%q: bad numbers", lockHelperEnv, arg)
	}
	addFeeds(t, parts[0], parts[1], first, count)
}

// TestStateLockAcrossProcesses adds feeds to one data directory from two
// processes at once, as "crisisbot feeds add" beside a running serve
// would, and from two services in this one: each change reads, changes
// and rewrites the state file, and without a lock across processes one
// would overwrite the other's. Every feed must be there at the end.
func TestStateLockAcrossProcesses(t *testing.T) {
	corpusDir, data := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(corpusDir, "seed.md"), []byte("---\ntitle: Seed\n---\nA seed article.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const each = 25
	var procs []*exec.Cmd
	for p := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d|%d", lockHelperEnv, corpusDir, data, p*each, each))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	var wg sync.WaitGroup
	for p := 2; p < 4; p++ {
		wg.Go(func() { addFeeds(t, corpusDir, data, p*each, each) })
	}
	wg.Wait()
	for _, cmd := range procs {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper process: %v", err)
		}
	}
	store, err := corpus.NewStore(corpusDir, filepath.Join(data, "trash"), corpus.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := feeds.New(feeds.Config{}, data, store, fetch.New(fetch.Config{}), &countingReloader{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := svc.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4*each {
		t.Errorf("%d feeds in the state, want %d: changes overwrote each other", len(list), 4*each)
	}
}
