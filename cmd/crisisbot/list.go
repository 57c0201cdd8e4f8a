package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/crisisbot/crisisbot/corpus"
)

// jsonArticle is one element of list --json.
type jsonArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"` // YYYY-MM-DD, or "" when the article gives no date
	URL       string `json:"url"`
}

// runList is "crisisbot list": the articles of the corpus — ID, date,
// outlet, title — read from the corpus directory (or the built-in corpus)
// without building the index, optionally only those matching a filter.
func runList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := commandFlags("list", commandDoc{
		Summary: "list the articles of the corpus: ID, date, outlet and title",
		Usage:   []string{"list [--corpus DIR] [--json] [FILTER]"},
		About: "FILTER keeps the articles whose ID, title or outlet contains it, ignoring case.\n" +
			"The IDs are what crisisbot remove takes. Files that cannot be read are counted\n" +
			"on stderr; crisisbot index lists them with the reasons.",
		Examples: []string{
			"list",
			"list --corpus ./articles ceasefire",
			"list --corpus ./articles --json",
		},
		Env: []string{"CRISISBOT_MAX_FILE_MB"},
	}, stderr)
	fs.StringVar(&cfg.Corpus, "corpus", cfg.Corpus, "read articles (.md, .txt, .html) from `DIR`; empty: the built-in corpus (env CRISISBOT_CORPUS)")
	asJSON := fs.Bool("json", false, "print one JSON array of {id, title, outlet, published, url} instead of a table")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageError{"list: want at most one FILTER (quote a filter of several words)"}
	}
	filter := strings.ToLower(strings.TrimSpace(fs.Arg(0)))

	var res *corpus.Result
	var err error
	if cfg.Corpus == "" {
		res, err = corpus.Load(ctx, corpus.Builtin(), cfg.corpusOptions())
	} else {
		res, err = corpus.LoadDir(ctx, cfg.Corpus, cfg.corpusOptions())
	}
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	var shown []corpus.Article
	for _, a := range res.Articles {
		if filter == "" || strings.Contains(strings.ToLower(a.ID), filter) ||
			strings.Contains(strings.ToLower(a.Title), filter) || strings.Contains(strings.ToLower(a.Source), filter) {
			shown = append(shown, a)
		}
	}
	if n := len(res.Errors); n > 0 {
		fmt.Fprintf(stderr, "crisisbot: warning: %s skipped; crisisbot index lists them\n", plural(n, "file", "files"))
	}
	if *asJSON {
		out := make([]jsonArticle, 0, len(shown))
		for _, a := range shown {
			out = append(out, jsonArticle{ID: a.ID, Title: a.Title, Outlet: a.Source, Published: publishedDay(a), URL: a.URL})
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	if len(shown) == 0 {
		if filter != "" {
			fmt.Fprintf(stdout, "No article of %d matches %q.\n", len(res.Articles), fs.Arg(0))
		} else {
			fmt.Fprintln(stdout, "The corpus holds no article.")
		}
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tOUTLET\tTITLE")
	for _, a := range shown {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", corpus.QuotePath(a.ID), firstNonEmpty(publishedDay(a), "-"),
			clipLine(firstNonEmpty(a.Source, "-"), 30), clipLine(a.Title, 80))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if filter != "" {
		fmt.Fprintf(stdout, "%d of %d articles\n", len(shown), len(res.Articles))
	} else {
		fmt.Fprintf(stdout, "%s\n", plural(len(shown), "article", "articles"))
	}
	return nil
}

// publishedDay is a's date as YYYY-MM-DD, "" when it has none.
func publishedDay(a corpus.Article) string {
	if a.Published.IsZero() {
		return ""
	}
	return a.Published.Format("2006-01-02")
}
