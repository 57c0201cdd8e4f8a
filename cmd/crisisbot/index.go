package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// runIndex is "crisisbot index": it builds or refreshes the index of the
// configured corpus and prints what changed.
func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := flagSet("index", stderr)
	cfg.corpusFlags(fs)
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	_, rep, err := openLibrary(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	writeReport(stdout, rep)
	return nil
}

// writeReport prints what a (re)load did, quoting IDs and paths that
// hold control characters or escape sequences (see [corpus.QuotePath]).
func writeReport(w io.Writer, rep retrieval.Report) {
	fmt.Fprintf(w, "%d articles, %d passages (%d embedded, %d articles unchanged) in %s\n",
		rep.Articles, rep.Passages, rep.Embedded, rep.Unchanged, rep.Took.Round(time.Millisecond))
	if rep.Rebuilt {
		fmt.Fprintln(w, "settings changed: index rebuilt")
	}
	list := func(label string, ids []string) {
		if len(ids) > 0 {
			shown := make([]string, len(ids))
			for i, id := range ids {
				shown[i] = corpus.QuotePath(id)
			}
			fmt.Fprintf(w, "%s (%d): %s\n", label, len(ids), strings.Join(shown, ", "))
		}
	}
	list("added", rep.Added)
	list("changed", rep.Changed)
	list("removed", rep.Removed)
	for _, fe := range rep.Failed {
		fmt.Fprintf(w, "failed: %v\n", &fe)
	}
}
