package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/gencorpus"
)

// processRun is one crisisbot process: how long it took, its peak
// resident memory and its output.
type processRun struct {
	took   time.Duration
	maxRSS int64 // bytes
	out    string
}

func runProcess(tb testing.TB, bin string, args ...string) processRun {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		tb.Fatalf("crisisbot %v: %v\n%s", args, err, out.String())
	}
	r := processRun{took: time.Since(t0), out: out.String()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10 // kilobytes on Linux
	}
	return r
}

// median runs fn n times and returns the run of median time.
func median(n int, fn func() processRun) processRun {
	runs := make([]processRun, n)
	for i := range runs {
		runs[i] = fn()
	}
	slices.SortFunc(runs, func(a, b processRun) int { return int(a.took - b.took) })
	return runs[n/2]
}

// BenchmarkProcess measures, at 1k and 10k generated articles, the
// commands of issue #12 as a user runs them, each a whole process, start
// included, beside the full index of the same corpus from nothing timed in
// the same run:
//
//   - index: crisisbot index from nothing; peak-rss-x is the process's
//     peak resident memory over the bytes of vectors and text.
//   - ask: crisisbot ask with the index built (median of three).
//   - add: crisisbot add of one new file (median of three files).
//   - reload: crisisbot index after one article was edited.
//
// x-full is each over the full index. Run it with
//
//	go test ./cmd/crisisbot -run '^$' -bench Process -benchtime 1x -timeout 30m
func BenchmarkProcess(b *testing.B) {
	bin := buildBinary(b)
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			ctx := context.Background()
			root := b.TempDir()
			dir, data, incoming := filepath.Join(root, "corpus"), filepath.Join(root, "data"), filepath.Join(root, "incoming")
			o := gencorpus.Options{Articles: n, Seed: 12}
			if err := gencorpus.WriteDir(ctx, dir, o); err != nil {
				b.Fatal(err)
			}
			// Files saved a while ago, as a corpus's are: the parse
			// cache does not trust a file modified within two seconds.
			old := time.Now().Add(-time.Hour)
			for i := range n {
				if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(gencorpus.Name(i))), old, old); err != nil {
					b.Fatal(err)
				}
			}
			res, err := corpus.LoadDir(ctx, dir, corpus.Options{})
			if err != nil {
				b.Fatal(err)
			}
			var text int
			for _, a := range res.Articles {
				text += len(a.Text)
			}
			res = nil
			corpusArgs := []string{"--corpus", dir, "--data", data}

			full := runProcess(b, bin, append([]string{"index"}, corpusArgs...)...)
			m := reportRE.FindStringSubmatch(full.out)
			if m == nil {
				b.Fatalf("index report not understood:\n%s", full.out)
			}
			passages, _ := strconv.Atoi(m[2])
			payload := float64(passages*384*4 + text)

			ask := median(3, func() processRun {
				return runProcess(b, bin, append([]string{"ask", "--json"}, append(corpusArgs, "What did Rubio say to Sharif about the ceasefire?")...)...)
			})
			if !bytes.Contains([]byte(ask.out), []byte(`"mode":"extractive"`)) {
				b.Fatalf("ask:\n%s", ask.out)
			}
			if err := os.MkdirAll(incoming, 0o755); err != nil {
				b.Fatal(err)
			}
			k := 0
			add := median(3, func() processRun {
				f := gencorpus.Article(o, n+k, 0)
				k++
				p := filepath.Join(incoming, filepath.Base(f.Name))
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					b.Fatal(err)
				}
				return runProcess(b, bin, append([]string{"add"}, append(corpusArgs, p)...)...)
			})
			if err := gencorpus.WriteFile(dir, gencorpus.Article(o, 7, 1)); err != nil {
				b.Fatal(err)
			}
			reload := runProcess(b, bin, append([]string{"index"}, corpusArgs...)...)
			if m := reportRE.FindStringSubmatch(reload.out); m == nil || m[3] == "0" {
				b.Fatalf("reload after an edit embedded nothing:\n%s", reload.out)
			}

			ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 }
			b.ReportMetric(ms(full.took), "index-ms")
			b.ReportMetric(float64(full.maxRSS)/payload, "peak-rss-x")
			b.ReportMetric(ms(ask.took), "ask-ms")
			b.ReportMetric(ms(add.took), "add-ms")
			b.ReportMetric(ms(reload.took), "reload-ms")
			b.ReportMetric(float64(ask.took)/float64(full.took), "ask-x-full")
			b.ReportMetric(float64(add.took)/float64(full.took), "add-x-full")
			b.ReportMetric(float64(reload.took)/float64(full.took), "reload-x-full")
		})
	}
}
