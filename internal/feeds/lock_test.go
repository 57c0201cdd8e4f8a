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
// TestStateLockAcrossProcesses: "corpus dir|data dir|first|count|file or db".
const lockHelperEnv = "CRISISBOT_FEEDS_LOCK_HELPER"

// addFeeds adds count feeds numbered from first through a service of its
// own over corpusDir and data, keeping its state in the journal's
// database when db is set, else in the JSON file.
func addFeeds(tb testing.TB, corpusDir, data string, first, count int, db bool) {
	tb.Helper()
	store, err := corpus.NewStore(corpusDir, filepath.Join(data, "trash"), corpus.Options{}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	var opts []feeds.Option
	if db {
		opts = append(opts, feeds.WithState(feeds.NewDBState(openDB(tb, data))))
	}
	svc, err := feeds.New(feeds.Config{MaxFeeds: 1000}, data, store, fetch.New(fetch.Config{}), &countingReloader{}, nil, nil, opts...)
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
	parts := strings.SplitN(arg, "|", 5)
	if len(parts) != 5 {
		t.Fatalf("%s=%q: want five fields", lockHelperEnv, arg)
	}
	first, err1 := strconv.Atoi(parts[2])
	count, err2 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil {
		t.Fatalf("%s=%q: bad numbers", lockHelperEnv, arg)
	}
	addFeeds(t, parts[0], parts[1], first, count, parts[4] == "db")
}

// TestStateLockAcrossProcesses adds feeds to one data directory from two
// processes at once, as "crisisbot feeds add" beside a running serve
// would, and from two services in this one, through each store: each
// change reads, changes and writes the state, and without a lock across
// processes (the file's flock, the database's write transaction) one
// would overwrite the other's. Every feed must be there at the end.
func TestStateLockAcrossProcesses(t *testing.T) {
	for _, kind := range []string{"file", "db"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			corpusDir, data := t.TempDir(), t.TempDir()
			if err := os.WriteFile(filepath.Join(corpusDir, "seed.md"), []byte("---\ntitle: Seed\n---\nA seed article.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			const each = 25
			var procs []*exec.Cmd
			for p := range 2 {
				cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelper$", "-test.count=1")
				cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d|%d|%s", lockHelperEnv, corpusDir, data, p*each, each, kind))
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				procs = append(procs, cmd)
			}
			var wg sync.WaitGroup
			for p := 2; p < 4; p++ {
				wg.Go(func() { addFeeds(t, corpusDir, data, p*each, each, kind == "db") })
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
			var opts []feeds.Option
			if kind == "db" {
				opts = append(opts, feeds.WithState(feeds.NewDBState(openDB(t, data))))
			}
			svc, err := feeds.New(feeds.Config{}, data, store, fetch.New(fetch.Config{}), &countingReloader{}, nil, nil, opts...)
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
		})
	}
}
