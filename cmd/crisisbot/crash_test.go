package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

func copyDir(tb testing.TB, from, to string) {
	tb.Helper()
	if err := os.RemoveAll(to); err != nil {
		tb.Fatal(err)
	}
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		tb.Fatal(err)
	}
}

// longTestsEnv is the environment variable that turns on the slow versions
// of tests; CI sets it.
const longTestsEnv = "CRISISBOT_LONG_TESTS"

// TestKillDuringReload kills "crisisbot index" with SIGKILL at several
// moments of a reload. After every kill a fresh start must find the old
// index or the new one — never a mix, never an error — and answer. By
// default it reloads 150 articles and kills at 4 moments, in seconds; with
// CRISISBOT_LONG_TESTS=1 it reloads 2000 and kills at 16, in a minute or
// two.
func TestKillDuringReload(t *testing.T) {
	articles, points := 150, 4
	if os.Getenv(longTestsEnv) != "" {
		articles, points = 2000, 16
	}
	bin := buildBinary(t)
	root := t.TempDir()
	corpusDir, data, baseline := filepath.Join(root, "corpus"), filepath.Join(root, "data"), filepath.Join(root, "baseline")
	os.MkdirAll(corpusDir, 0o755)
	writeSyntheticCorpus(t, corpusDir, articles, "alpha")
	if _, out, err := indexRun(t, bin, corpusDir, data); err != nil {
		t.Fatalf("first index: %v\n%s", err, out)
	}
	copyDir(t, data, baseline)
	writeSyntheticCorpus(t, corpusDir, articles, "beta")

	// Time an uninterrupted reload, and see how much a full one embeds.
	start := time.Now()
	full, out, err := indexRun(t, bin, corpusDir, data)
	if err != nil || full == 0 {
		t.Fatalf("reload: embedded %d, %v\n%s", full, err, out)
	}
	took := time.Since(start)
	t.Logf("a full reload of %d articles embeds %d passages in %s", articles, full, took)

	outcomes := map[string]int{}
	for i := range points {
		copyDir(t, baseline, data)
		// Half the points spread over the whole run, half over its last
		// quarter, where the index is saved.
		delay := took * time.Duration(i+1) / time.Duration(points/2+1)
		if i >= points/2 {
			delay = took*3/4 + took/4*time.Duration(i-points/2+1)/time.Duration(points-points/2+1)
		}
		cmd := exec.Command(bin, "index", "--corpus", corpusDir, "--data", data)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		embedded, out, err := indexRun(t, bin, corpusDir, data)
		switch {
		case err != nil:
			t.Fatalf("kill at %s: restart failed: %v\n%s", delay, err, out)
		case embedded == full:
			outcomes["old index"]++
		case embedded == 0:
			outcomes["new index"]++
		default:
			t.Fatalf("kill at %s: restart embedded %d passages, want %d (old index) or 0 (new): a mixed index\n%s", delay, embedded, full, out)
		}
		ask := exec.Command(bin, "ask", "--json", "--corpus", corpusDir, "--data", data, "What did officials say about the ceasefire?")
		if out, err := ask.CombinedOutput(); err != nil || !bytes.Contains(out, []byte(`"mode":"extractive"`)) {
			t.Fatalf("kill at %s: ask after restart: %v\n%s", delay, err, out)
		}
	}
	t.Logf("%d kill points: %v", points, outcomes)
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
