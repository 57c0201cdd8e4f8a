package main

import (
	"context"
	"fmt"
	"io"

	"github.com/crisisbot/crisisbot/corpus"
)

// runSources is "crisisbot sources label OUTLET ORIGIN": it labels an
// outlet's origin in the corpus's sources.yaml; the next load of the
// index shows it beside every citation of that outlet.
func runSources(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "label" {
		fmt.Fprintln(stderr, "Usage: crisisbot sources label [--corpus DIR] OUTLET ORIGIN")
		return usageError{"sources: the only subcommand is label"}
	}
	cfg, warnings := newConfig(getenv)
	fs := flagSet("sources label", stderr)
	cfg.corpusFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crisisbot sources label [--corpus DIR] OUTLET ORIGIN")
		fmt.Fprintln(stderr, "  OUTLET is a source: name or a site (capitalwire.example); ORIGIN a label such as indian, pakistani, international, official.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args[1:], &cfg, warnings, stderr); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return usageError{"sources label: give an OUTLET and an ORIGIN (quote an outlet of several words)"}
	}
	if cfg.Corpus == "" {
		return usageError{"sources label: the built-in corpus can't be labelled; give --corpus DIR"}
	}
	outlet, origin := fs.Arg(0), fs.Arg(1)
	prev, err := corpus.SetOrigin(cfg.Corpus, outlet, origin)
	if err != nil {
		return err
	}
	switch {
	case prev == "":
		fmt.Fprintf(stdout, "%s is now labelled %s.\n", outlet, corpus.OriginLabel(origin))
	case prev == origin:
		fmt.Fprintf(stdout, "%s was labelled %s already.\n", outlet, corpus.OriginLabel(origin))
	default:
		fmt.Fprintf(stdout, "%s is now labelled %s (was %s).\n", outlet, corpus.OriginLabel(origin), corpus.OriginLabel(prev))
	}
	// Say how many articles the label reaches, so a misspelt outlet shows.
	res, err := corpus.LoadDir(ctx, cfg.Corpus, cfg.corpusOptions())
	if err != nil {
		return nil
	}
	n := 0
	for i := range res.Articles {
		if a := &res.Articles[i]; a.Origin == origin && corpus.SameOutlet(a, outlet) {
			n++
		}
	}
	if n == 0 {
		fmt.Fprintf(stdout, "No article of %s has that outlet (its source: or its site) yet.\n", corpus.QuotePath(cfg.Corpus))
	} else {
		fmt.Fprintf(stdout, "%d article(s) of the corpus are from it.\n", n)
	}
	return nil
}
