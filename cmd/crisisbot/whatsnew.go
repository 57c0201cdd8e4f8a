package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/timeline"
)

// defaultSince is how far back "what's new" looks when not told.
const defaultSince = 24 * time.Hour

// runWhatsNew is "crisisbot whatsnew [--since DURATION|DATE]": the
// articles added or changed since then, newest first.
func runWhatsNew(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := flagSet("whatsnew", stderr)
	cfg.corpusFlags(fs)
	sinceFlag := fs.String("since", "24h", "a length of time back from now (24h, 3d, 1w) or a date (2025-05-07)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crisisbot whatsnew [flags]")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"whatsnew: unexpected arguments; use --since"}
	}
	now := time.Now()
	since, err := timeline.ParseSince(*sinceFlag, now)
	if err != nil {
		return usageError{fmt.Sprintf("whatsnew: --since %q: give a length of time (24h, 3d, 1w) or a past date (2025-05-07)", *sinceFlag)}
	}
	lib, _, err := openLibrary(ctx, cfg, newLogger(cfg, stderr), false)
	if err != nil {
		return err
	}
	writeWhatsNew(stdout, timeline.WhatsNew(lib.Current(), since), since)
	return nil
}

// writeWhatsNew prints the new articles for a person: title, outlet with
// origin and date, when it arrived, its ID, then its two sentences.
func writeWhatsNew(w io.Writer, news []timeline.New, since time.Time) {
	if len(news) == 0 {
		fmt.Fprintf(w, "Nothing added or changed since %s.\n", since.Format("2 January 2006 15:04 MST"))
		return
	}
	fmt.Fprintf(w, "%d article(s) added or changed since %s, newest first:\n", len(news), since.Format("2 January 2006 15:04 MST"))
	for _, n := range news {
		verb := "added"
		if n.Changed {
			verb = "changed"
		}
		fmt.Fprintf(w, "\n%s\n    %s — %s %s (%s)\n", n.Article.Title, n.Article.Attribution(), verb, n.When.Format("2 Jan 2006 15:04 MST"), corpus.QuotePath(n.Article.ID))
		for _, s := range n.Sentences {
			fmt.Fprintf(w, "    > %s\n", s)
		}
		if n.Article.URL != "" {
			fmt.Fprintf(w, "    %s\n", n.Article.URL)
		}
	}
}
