package main

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles crisisbot into a temporary directory, so tests can
// run it as a separate process and kill it.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "crisisbot")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeSyntheticCorpus writes n articles; version changes every article's
// text, so indexing one version over the other's index re-embeds all.
func writeSyntheticCorpus(tb testing.TB, dir string, n int, version string) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	words := strings.Fields("ceasefire strikes drones border talks army minister shelling airspace treaty visa trade league market rain border city officials said statement military operation")
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Report %d %s\npublished: 2025-05-%02d\n---\n", i, version, 1+i%28)
		for p := range 3 {
			for s := range 3 {
				b.WriteString(strings.ToUpper(version[:1]) + version[1:])
				for range 12 {
					b.WriteString(" " + words[rng.IntN(len(words))])
				}
				fmt.Fprintf(&b, " %d-%d-%d. ", i, p, s)
			}
			b.WriteString("\n\n")
		}
		path := filepath.Join(dir, fmt.Sprintf("r%05d.md", i))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

var reportRE = regexp.MustCompile(`(\d+) articles, (\d+) passages \((\d+) embedded`)

// indexRun runs "crisisbot index" and returns the passages it embedded.
func indexRun(tb testing.TB, bin, corpusDir, data string) (embedded int, out string, err error) {
	tb.Helper()
	cmd := exec.Command(bin, "index", "--corpus", corpusDir, "--data", data)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	m := reportRE.FindStringSubmatch(stdout.String())
	if m != nil {
		embedded, _ = strconv.Atoi(m[3])
	}
	return embedded, stdout.String() + stderr.String(), err
}

// longTestsEnv is the environment variable that turns on the slow versions
// of tests; CI sets it.
const longTestsEnv = "CRISISBOT_LONG_TESTS"

// crashArticle writes article i of the crash test's corpus at revision
// rev: three paragraphs whose words depend on both, so that every
// revision is new text to embed.
func crashArticle(tb testing.TB, dir string, i, rev int) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(uint64(i), uint64(rev)))
	words := strings.Fields("ceasefire strikes drones border talks army minister shelling airspace treaty visa trade league market rain city officials said statement military operation")
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Report %d revision %d\npublished: 2025-05-%02d\n---\n", i, rev, 1+i%28)
	for p := range 3 {
		for s := range 3 {
			fmt.Fprintf(&b, "Revision %d", rev)
			for range 12 {
				b.WriteString(" " + words[rng.IntN(len(words))])
			}
			fmt.Fprintf(&b, " %d-%d-%d. ", i, p, s)
		}
		b.WriteString("\n\n")
	}
	if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%05d.md", i)), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// indexReport is what "crisisbot index" says it did.
type indexReport struct {
	embedded                int
	added, changed, removed int
	out                     string
}

var listRE = regexp.MustCompile(`(?m)^(added|changed|removed) \((\d+)\)`)

func runIndexReport(tb testing.TB, bin, corpusDir, data string) (indexReport, error) {
	tb.Helper()
	embedded, out, err := indexRun(tb, bin, corpusDir, data)
	r := indexReport{embedded: embedded, out: out}
	for _, m := range listRE.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[2])
		switch m[1] {
		case "added":
			r.added = n
		case "changed":
			r.changed = n
		case "removed":
			r.removed = n
		}
	}
	return r, err
}

// TestKillDuringReloads kills "crisisbot index" with SIGKILL while it
// reloads a corpus that changed: in each round some articles are added,
// some changed and some removed — a few, whose reload appends to the
// index's log, or many, whose reload writes a new snapshot — and the
// process is killed after a random delay within the time an uninterrupted
// reload takes. A fresh start must then find the old index or the new one,
// never a mix and never an error: its refresh does either the whole
// change (the old index) or nothing (the new one), and it answers. By
// default it kills at 12 points, in seconds; with CRISISBOT_LONG_TESTS=1
// at 120, in under a minute.
func TestKillDuringReloads(t *testing.T) {
	rounds := 12
	if os.Getenv(longTestsEnv) != "" {
		rounds = 120
	}
	const articles = 300
	bin := buildBinary(t)
	root := t.TempDir()
	corpusDir, data := filepath.Join(root, "corpus"), filepath.Join(root, "data")
	os.MkdirAll(corpusDir, 0o755)
	rng := rand.New(rand.NewPCG(12, 34))
	rev := map[int]int{} // article → revision; absent: not in the corpus
	for i := range articles {
		rev[i] = 0
		crashArticle(t, corpusDir, i, 0)
	}
	if _, out, err := indexRun(t, bin, corpusDir, data); err != nil {
		t.Fatalf("first index: %v\n%s", err, out)
	}
	next := articles // the next new article's number
	// took is how long an uninterrupted reload of a few changes (false)
	// and of many (true) takes, measured in rounds 0 and 1.
	took := map[bool]time.Duration{}
	outcomes := map[string]int{}
	for round := range rounds + 2 {
		// A few changes, or, one round in four, many.
		many := round%4 == 1
		n := 2 + rng.IntN(4)
		if many {
			n = articles / 4
		}
		var want indexReport
		present := slices.Sorted(maps.Keys(rev))
		for _, i := range present[:min(n, len(present))] {
			switch rng.IntN(3) {
			case 0:
				delete(rev, i)
				os.Remove(filepath.Join(corpusDir, fmt.Sprintf("r%05d.md", i)))
				want.removed++
			default:
				rev[i]++
				crashArticle(t, corpusDir, i, rev[i])
				want.changed++
			}
		}
		for range 1 + rng.IntN(3) {
			rev[next] = 0
			crashArticle(t, corpusDir, next, 0)
			next++
			want.added++
		}
		// The present articles are taken from the front in key order
		// next round, so changes move through the corpus.
		if round < 2 {
			// Rounds 0 and 1 are not killed: they measure the reloads.
			start := time.Now()
			r, err := runIndexReport(t, bin, corpusDir, data)
			if err != nil || r.added != want.added || r.changed != want.changed || r.removed != want.removed {
				t.Fatalf("reload: %+v, %v, want %d added, %d changed, %d removed", r, err, want.added, want.changed, want.removed)
			}
			took[many] = time.Since(start)
			continue
		}
		cmd := exec.Command(bin, "index", "--corpus", corpusDir, "--data", data)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(took[many])))
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		r, err := runIndexReport(t, bin, corpusDir, data)
		switch {
		case err != nil:
			t.Fatalf("round %d, kill at %s: restart failed: %v\n%s", round, delay, err, r.out)
		case r.added == 0 && r.changed == 0 && r.removed == 0 && r.embedded == 0:
			outcomes["new index"]++
		case r.added == want.added && r.changed == want.changed && r.removed == want.removed && r.embedded > 0:
			outcomes["old index"]++
		default:
			t.Fatalf("round %d, kill at %s: restart found %d added, %d changed, %d removed, %d embedded; want the old index (%d, %d, %d) or the new one (none): a mixed index\n%s",
				round, delay, r.added, r.changed, r.removed, r.embedded, want.added, want.changed, want.removed, r.out)
		}
		if round%10 == 0 || round == rounds+1 {
			ask := exec.Command(bin, "ask", "--json", "--corpus", corpusDir, "--data", data, "What did officials say about the ceasefire?")
			if out, err := ask.CombinedOutput(); err != nil || !bytes.Contains(out, []byte(`"mode":"extractive"`)) {
				t.Fatalf("round %d: ask after restart: %v\n%s", round, err, out)
			}
		}
	}
	t.Logf("%d kill points: %v", rounds, outcomes)
}

// TestDiskFullKeepsPreviousIndex fills the data directory's file system
// during a reload: the reload fails and says why, and the previous index
// keeps answering.
func TestDiskFullKeepsPreviousIndex(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	corpusDir, data := filepath.Join(root, "corpus"), filepath.Join(root, "data")
	os.MkdirAll(corpusDir, 0o755)
	os.MkdirAll(data, 0o755)
	writeSyntheticCorpus(t, corpusDir, 300, "alpha")
	// First index on the normal disk, to learn the snapshot's size.
	probe := filepath.Join(root, "probe")
	if _, out, err := indexRun(t, bin, corpusDir, probe); err != nil {
		t.Fatalf("index: %v\n%s", err, out)
	}
	var size int64
	filepath.WalkDir(probe, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	// Room for one snapshot and a half: the next one, written beside it
	// before the rename, cannot fit.
	limit := size*3/2 + 64<<10
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", limit), "tmpfs", data).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", data).Run() })

	if _, out, err := indexRun(t, bin, corpusDir, data); err != nil {
		t.Fatalf("index on tmpfs: %v\n%s", err, out)
	}
	writeSyntheticCorpus(t, corpusDir, 300, "gamma")
	_, out, err := indexRun(t, bin, corpusDir, data)
	if err == nil {
		t.Fatalf("reload on a full disk succeeded:\n%s", out)
	}
	if !strings.Contains(out, "no space left on device") {
		t.Errorf("failure does not say the disk is full:\n%s", out)
	}
	// The previous index still loads and answers (ask logs the failed
	// refresh and serves what was saved).
	ask := exec.Command(bin, "ask", "--json", "--corpus", corpusDir, "--data", data, "What did report 42 say about the army?")
	var stdout, stderr bytes.Buffer
	ask.Stdout, ask.Stderr = &stdout, &stderr
	if err := ask.Run(); err != nil {
		t.Fatalf("ask after the failed reload: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Alpha") || !strings.Contains(stderr.String(), "serving the saved index") {
		t.Errorf("ask did not answer from the previous index:\nstdout %s\nstderr %s", stdout.String(), stderr.String())
	}
}
