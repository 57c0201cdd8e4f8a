package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/internal/fetch"
)

// runAdd is "crisisbot add": it adds one article — fetched from a URL or
// read from a .md, .txt or .html file — to the corpus directory through
// the editor Discord's /add uses, refreshes the index and prints what was
// added.
func runAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var by *string
	run, err := parseEdit(ctx, editCommand{
		name:     "add",
		synopsis: "Usage: crisisbot add [flags] URL|FILE",
		about:    "Adds an article, fetched from an http(s) URL or read from a .md, .txt or .html file, to the corpus directory.",
		want:     "add: want exactly one URL or file",
		flags: func(fs *flag.FlagSet) {
			by = fs.String("by", "", "who adds the article, recorded as added_by (default $USER)")
		},
	}, args, getenv, stderr)
	if err != nil {
		return err
	}

	src, ed := run.arg, run.editor
	who := firstNonEmpty(*by, getenv("USER"), getenv("USERNAME"))
	var added editor.Added
	if isURL(src) {
		added, err = ed.AddURL(ctx, src, who)
	} else {
		var data []byte
		if data, err = readArticleFile(src, run.cfg.corpusOptions()); err != nil {
			return fmt.Errorf("add: %w", err)
		}
		added, err = ed.AddUpload(ctx, filepath.Base(src), data, who)
	}
	art := added.Article
	if art.ID == "" {
		return err // "add: …", from the editor
	}
	run.log.Info("article added", "id", art.ID, "path", art.Path, "by", art.AddedBy)
	writeAdded(stdout, art, filepath.Join(run.cfg.Corpus, filepath.FromSlash(art.Path)))
	if added.Canonical != "" {
		fmt.Fprintf(stdout, "  note:    the page gives %s as its address, on another site; kept %s\n", added.Canonical, art.URL)
	}
	if err != nil {
		return fmt.Errorf("add: %s was added, but refreshing the index failed (run crisisbot index): %w", corpus.QuotePath(art.ID), err)
	}
	fmt.Fprintln(stdout, "\nIndex:")
	writeReport(stdout, added.Report)
	return nil
}

// runRemove is "crisisbot remove": it moves an article's file into the
// trash under the data directory through the editor Discord's /remove
// uses, refreshes the index and says where the file went.
func runRemove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	run, err := parseEdit(ctx, editCommand{
		name:     "remove",
		synopsis: "Usage: crisisbot remove [flags] ID",
		about:    "Moves an article out of the corpus directory into the trash under the data directory.",
		want:     "remove: want exactly one article ID",
	}, args, getenv, stderr)
	if err != nil {
		return err
	}
	r, rep, err := run.editor.Remove(ctx, run.arg)
	if r.ID == "" {
		return err
	}
	run.log.Info("article removed", "id", r.ID, "trash", r.TrashPath)
	fmt.Fprintf(stdout, "Removed %s: moved %s to %s\n", corpus.QuotePath(r.ID), corpus.QuotePath(r.OriginalPath), corpus.QuotePath(r.TrashPath))
	fmt.Fprintf(stdout, "To undo: mv %q %q\n", r.TrashPath, r.OriginalPath)
	if err != nil {
		return fmt.Errorf("remove: %s was moved to the trash, but refreshing the index failed (run crisisbot index): %w", corpus.QuotePath(r.ID), err)
	}
	fmt.Fprintln(stdout, "\nIndex:")
	writeReport(stdout, rep)
	return nil
}

// editCommand describes add or remove, the commands that change the
// corpus directory, for [parseEdit].
type editCommand struct {
	name, synopsis, about string
	want                  string              // the usage error when not given exactly one argument
	flags                 func(*flag.FlagSet) // the command's own flags, if any
}

// editRun is what add and remove run with.
type editRun struct {
	cfg    config
	arg    string
	log    *slog.Logger
	editor *editor.Editor
}

// parseEdit reads the flags and the one argument of an editing command,
// refuses the read-only built-in corpus, and builds the logger and the
// editor.
func parseEdit(ctx context.Context, c editCommand, args []string, getenv func(string) string, stderr io.Writer) (editRun, error) {
	cfg, warnings := newConfig(getenv)
	fs := flagSet(c.name, stderr)
	cfg.corpusFlags(fs)
	if c.flags != nil {
		c.flags(fs)
	}
	fs.Usage = func() {
		fmt.Fprintln(stderr, c.synopsis)
		fmt.Fprintln(stderr, c.about)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return editRun{}, err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return editRun{}, usageError{c.want}
	}
	if cfg.Corpus == "" {
		return editRun{}, usageError{c.name + ": --corpus (or CRISISBOT_CORPUS) is required: the built-in corpus is read-only"}
	}
	log := newLogger(cfg, stderr)
	ed, err := cliEditor(ctx, cfg, log)
	if err != nil {
		return editRun{}, fmt.Errorf("%s: %w", c.name, err)
	}
	return editRun{cfg: cfg, arg: fs.Arg(0), log: log, editor: ed}, nil
}

// cliEditor is the editor of the CLI's add and remove: the configured
// corpus directory, a fetcher with the default limits, and, after the
// change, a reload of the index. The index is opened first, before the
// change: that seeds the parse cache the store shares, so that the
// duplicate check and the reload parse only the new file. Opening may
// fail (an empty corpus, a first add); the reload after the change then
// builds the index, or says why not.
func cliEditor(ctx context.Context, cfg config, log *slog.Logger) (*editor.Editor, error) {
	store, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	lib, err := newLibrary(cfg, newHTTPClient(cfg, log), log)
	if err != nil {
		return nil, err
	}
	if _, err := lib.Open(ctx); err != nil {
		log.Debug("index not refreshed before the change", "err", err)
	}
	return editor.New(store, fetch.New(fetch.Config{}), lib)
}

// openStore opens the configured corpus directory for changes, with the
// options the index loads it with.
func openStore(cfg config) (*corpus.Store, error) {
	return corpus.NewStore(cfg.Corpus, trashDir(cfg), cfg.corpusOptions(), time.Now)
}

// trashDir is where removed articles go: beside the index, in the data
// directory, so they are never loaded as part of the corpus.
func trashDir(cfg config) string { return filepath.Join(cfg.Data, "trash") }

// isURL reports whether arg names a URL rather than a local file. Anything
// with a scheme is a URL, so that ftp:// or file:// are refused by the
// fetcher with a reason; a one-letter scheme is a Windows drive.
func isURL(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return false
	}
	u, err := url.Parse(arg)
	return err == nil && len(u.Scheme) > 1
}

// readArticleFile reads a local article file with the corpus's checks,
// pointing whoever meant a web page at the URL form.
func readArticleFile(path string, opts corpus.Options) ([]byte, error) {
	data, err := corpus.ReadFile(path, opts)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (for a web page, give the whole URL, starting https://)", err)
	}
	return data, err
}

// firstNonEmpty returns the first of vs that is not blank.
func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// writeAdded prints a summary of an added article: its ID and file, title,
// date, outlet, length and first lines. Names are quoted when they hold
// what a terminal would act on; the title and text are the corpus's, from
// which control characters are gone already.
func writeAdded(w io.Writer, a corpus.Article, file string) {
	date := "unknown"
	if !a.Published.IsZero() {
		date = a.Published.Format("2006-01-02")
	}
	fmt.Fprintf(w, "Added %s\n", corpus.QuotePath(a.ID))
	fmt.Fprintf(w, "  file:    %s\n", corpus.QuotePath(file))
	fmt.Fprintf(w, "  title:   %s\n", a.Title)
	fmt.Fprintf(w, "  date:    %s\n", date)
	fmt.Fprintf(w, "  outlet:  %s\n", firstNonEmpty(a.Source, "unknown"))
	fmt.Fprintf(w, "  length:  %d characters\n", utf8.RuneCountInString(a.Text))
	label := "  text:    "
	for i, p := range strings.Split(a.Text, "\n\n") {
		if i == 3 {
			fmt.Fprintf(w, "%s…\n", label)
			break
		}
		fmt.Fprintf(w, "%s%s\n", label, clipLine(p, 100))
		label = "           "
	}
}

// clipLine shortens s to at most n characters, marking a cut with "…".
func clipLine(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
