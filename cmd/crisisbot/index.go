package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// runIndex is "crisisbot index": it builds or refreshes the index of the
// configured corpus and prints what changed. It fails (exit 1) when a file
// could not be read, after indexing the rest, so a script sees it.
func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := commandFlags("index", commandDoc{
		Summary: "build or refresh the index of the corpus, and say what changed",
		Usage:   []string{"index [--corpus DIR] [--data DIR] [--prune]"},
		About: "Only articles whose files changed are parsed and embedded again. Every file that could\n" +
			"not be read is listed with the reason; the others are indexed, and the command then\n" +
			"exits with status 1. --prune first deletes the index folders of corpus directories\n" +
			"that no longer exist.",
		Examples: []string{
			"index",
			"index --corpus ./articles",
			"index --corpus ./articles --prune",
		},
		Env: corpusEnv(),
	}, stderr)
	cfg.corpusFlags(fs)
	prune := fs.Bool("prune", false, "delete the index folders of corpora that no longer exist, and say which")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("index: unexpected argument %q (the corpus is given with --corpus DIR)", fs.Arg(0))}
	}
	log := newLogger(cfg, stderr)
	if *prune {
		recordCorpus(cfg, log) // the folder of this corpus is known, and kept
		pruned, unknown, err := pruneIndexes(cfg.Data)
		writePruned(stdout, cfg.Data, pruned, unknown)
		if err != nil {
			return fmt.Errorf("index --prune: %w", err)
		}
	}
	cfg.progress = terminalOf(stderr)
	_, rep, err := openLibrary(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	writeReport(stdout, rep)
	if n := len(rep.Failed); n > 0 {
		return fmt.Errorf("index: %s could not be read (listed above); the rest is indexed", plural(n, "file", "files"))
	}
	return nil
}

// reportIDs is how many IDs of each kind of change a report shows: the
// counts say how much changed, a few IDs what kind of thing.
const reportIDs = 5

// writeReport prints what a (re)load did: counts, at most a few IDs of
// each kind of change, and every file that failed, quoting IDs and paths
// that hold control characters or escape sequences (see
// [corpus.QuotePath]).
func writeReport(w io.Writer, rep retrieval.Report) {
	fmt.Fprintf(w, "%d articles, %d passages (%d embedded, %d articles unchanged) in %s\n",
		rep.Articles, rep.Passages, rep.Embedded, rep.Unchanged, rep.Took.Round(time.Millisecond))
	if rep.Rebuilt {
		fmt.Fprintln(w, "settings changed: index rebuilt")
	}
	list := func(label string, ids []string) {
		if len(ids) == 0 {
			return
		}
		shown := make([]string, 0, reportIDs)
		for _, id := range ids[:min(len(ids), reportIDs)] {
			shown = append(shown, corpus.QuotePath(id))
		}
		more := ""
		if len(ids) > reportIDs {
			more = fmt.Sprintf(" and %d more", len(ids)-reportIDs)
		}
		fmt.Fprintf(w, "%s (%d): %s%s\n", label, len(ids), strings.Join(shown, ", "), more)
	}
	list("added", rep.Added)
	list("changed", rep.Changed)
	list("removed", rep.Removed)
	for _, fe := range rep.Failed {
		fmt.Fprintf(w, "failed: %v\n", &fe)
	}
}

// pruneIndexes deletes the index folders under data whose recorded corpus
// directory no longer exists, and returns the corpora they indexed. A
// folder that records no corpus (made before crisisbot recorded it, or by
// something else) is left alone and returned in unknown; the built-in
// corpus's folder, the feeds' state and anything that is no index folder
// are never touched.
func pruneIndexes(data string) (pruned, unknown []string, err error) {
	entries, err := os.ReadDir(data)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !isCorpusIndexName(e.Name()) {
			continue
		}
		dir := filepath.Join(data, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, corpusPathFile))
		if err != nil {
			unknown = append(unknown, dir)
			continue
		}
		corpusDir := strings.TrimSuffix(string(b), "\n")
		if _, err := os.Stat(corpusDir); !errors.Is(err, fs.ErrNotExist) {
			continue // there, or not known to be gone
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		pruned = append(pruned, corpusDir)
	}
	return pruned, unknown, errors.Join(errs...)
}

// isCorpusIndexName reports whether name is what [indexDir] names a
// corpus's folder: the directory's base name, "-", 12 hex digits.
func isCorpusIndexName(name string) bool {
	i := strings.LastIndexByte(name, '-')
	if i < 1 || len(name)-i-1 != 12 {
		return false
	}
	for _, r := range name[i+1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// writePruned says what --prune deleted and what it could not judge.
func writePruned(w io.Writer, data string, pruned, unknown []string) {
	if len(pruned) == 0 {
		fmt.Fprintf(w, "pruned nothing: every index in %s belongs to a corpus that exists\n", corpus.QuotePath(data))
	} else {
		fmt.Fprintf(w, "pruned %s of corpora that no longer exist:\n", plural(len(pruned), "index", "indexes"))
		for _, p := range pruned {
			fmt.Fprintf(w, "  %s\n", corpus.QuotePath(p))
		}
	}
	if len(unknown) > 0 {
		fmt.Fprintf(w, "kept %s that record no corpus (made by an older crisisbot; delete by hand if unused):\n", plural(len(unknown), "folder", "folders"))
		for _, u := range unknown {
			fmt.Fprintf(w, "  %s\n", corpus.QuotePath(u))
		}
	}
}
