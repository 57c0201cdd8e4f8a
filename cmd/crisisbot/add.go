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
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/retrieval"
)

// runAdd is "crisisbot add": it adds articles — each fetched from a URL
// or read from a .md, .txt or .html file — to the corpus directory through
// the editor Discord's /add uses, refreshes the index and prints what was
// added. With many, the index is refreshed once, at the end, and a file
// that fails does not stop the others; the command then exits with 1.
func runAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var by *string
	run, err := parseEdit(ctx, editCommand{
		name: "add",
		doc: commandDoc{
			Summary: "add articles to the corpus directory, fetched from http(s) URLs or read from .md, .txt or .html files",
			Usage:   []string{"add [--corpus DIR] [--by NAME] URL|FILE..."},
			About: "Each article is saved as a Markdown file with front matter (title, url, source,\n" +
				"published, added_by), refused if the corpus has it already (same address or text),\n" +
				"and the index is refreshed once all are added.",
			Examples: []string{
				"add --corpus ./articles https://example.com/2025/05/10/ceasefire",
				"add --corpus ./articles downloads/*.html",
			},
			Env: append(corpusEnv(), "USER"),
		},
		want: "add: want at least one URL or file",
		many: true,
		flags: func(fs *flag.FlagSet) {
			by = fs.String("by", "", "record `NAME` as who added the articles (default $USER)")
		},
	}, args, getenv, stderr)
	if err != nil {
		return err
	}
	who := firstNonEmpty(*by, getenv("USER"), getenv("USERNAME"))
	if len(run.args) > 1 {
		return addMany(ctx, run, who, stdout, stderr)
	}

	src, ed := run.args[0], run.editor
	added, err := addOne(ctx, ed, run.cfg, src, who)
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

// addOne adds one URL or file through ed.
func addOne(ctx context.Context, ed *editor.Editor, cfg config, src, who string) (editor.Added, error) {
	if isURL(src) {
		return ed.AddURL(ctx, src, who)
	}
	data, err := readArticleFile(src, cfg.corpusOptions())
	if err != nil {
		return editor.Added{}, fmt.Errorf("add: %w", err)
	}
	return ed.AddUpload(ctx, filepath.Base(src), data, who)
}

// addMany adds every argument, one line each, with a progress bar on a
// terminal, then refreshes the index once.
func addMany(ctx context.Context, run editRun, who string, stdout, stderr io.Writer) error {
	ed := run.editor
	bar := newProgress(terminalOf(stderr), "adding", "articles", len(run.args))
	var failed int
	for _, src := range run.args {
		if ctx.Err() != nil {
			break
		}
		added, err := addOne(ctx, ed, run.cfg, src, who)
		bar.clear()
		if err != nil {
			failed++
			fmt.Fprintf(stdout, "failed  %s: %v\n", corpus.QuotePath(src), err)
		} else {
			a := added.Article
			run.log.Info("article added", "id", a.ID, "path", a.Path, "by", a.AddedBy)
			fmt.Fprintf(stdout, "added   %s: %s (%s)\n", corpus.QuotePath(a.ID), a.Title, firstNonEmpty(a.Source, "outlet unknown"))
		}
		bar.step()
	}
	bar.finish()
	fmt.Fprintf(stdout, "\n%s added, %d failed\n", plural(len(run.args)-failed, "article", "articles"), failed)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("add: stopped: %w (the articles added so far are in the corpus; run crisisbot index)", err)
	}
	if failed < len(run.args) {
		cfg := run.cfg
		cfg.progress = terminalOf(stderr)
		_, rep, err := openLibrary(ctx, cfg, run.log, true)
		if err != nil {
			return fmt.Errorf("add: the articles were added, but refreshing the index failed (run crisisbot index): %w", err)
		}
		fmt.Fprintln(stdout, "\nIndex:")
		writeReport(stdout, rep)
	}
	if failed > 0 {
		return fmt.Errorf("add: %d of %d could not be added (listed above)", failed, len(run.args))
	}
	return nil
}

// runRemove is "crisisbot remove": it moves an article's file into the
// trash beside the corpus through the editor Discord's /remove uses,
// refreshes the index and says where the file went. An ID that is not in
// the corpus gets the nearest ones as suggestions.
func runRemove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	run, err := parseEdit(ctx, editCommand{
		name: "remove",
		doc: commandDoc{
			Summary: "move an article out of the corpus into its trash, DIR/.trash, where it can be put back",
			Usage:   []string{"remove [--corpus DIR] ID"},
			About:   "An article's ID is its path in the corpus without the extension; crisisbot list shows them.",
			Examples: []string{
				"remove --corpus ./articles 2025-05-11-ceasefire-holds-on-first-night",
			},
			Env: corpusEnv(),
		},
		want: "remove: want exactly one article ID",
	}, args, getenv, stderr)
	if err != nil {
		return err
	}
	id := run.args[0]
	r, rep, err := run.editor.Remove(ctx, id)
	if r.ID == "" {
		if errors.Is(err, fs.ErrNotExist) {
			if near := nearestIDs(id, corpusIDs(run.cfg.Corpus), 3); len(near) > 0 {
				return fmt.Errorf("%w; did you mean %s? (crisisbot list shows every ID)", err, strings.Join(quoteAll(near), ", "))
			}
			return fmt.Errorf("%w (crisisbot list shows every ID)", err)
		}
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

func quoteAll(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = corpus.QuotePath(id)
	}
	return out
}

// editCommand describes add or remove, the commands that change the
// corpus directory, for [parseEdit].
type editCommand struct {
	name  string
	doc   commandDoc
	want  string              // the usage error when not given the arguments it needs
	many  bool                // takes one argument or more, not exactly one
	flags func(*flag.FlagSet) // the command's own flags, if any
}

// editRun is what add and remove run with.
type editRun struct {
	cfg    config
	args   []string
	log    *slog.Logger
	editor *editor.Editor
}

// parseEdit reads the flags and the arguments of an editing command,
// refuses the read-only built-in corpus, and builds the logger and the
// editor.
func parseEdit(ctx context.Context, c editCommand, args []string, getenv func(string) string, stderr io.Writer) (editRun, error) {
	cfg, warnings := newConfig(getenv)
	fs := commandFlags(c.name, c.doc, stderr)
	cfg.corpusFlags(fs)
	if c.flags != nil {
		c.flags(fs)
	}
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return editRun{}, err
	}
	if fs.NArg() == 0 || (!c.many && fs.NArg() != 1) {
		return editRun{}, usageError{fmt.Sprintf("%s (crisisbot help %s shows how)", c.want, c.name)}
	}
	if cfg.Corpus == "" {
		return editRun{}, usageError{c.name + ": --corpus (or CRISISBOT_CORPUS) is required: the built-in corpus is read-only"}
	}
	log := newLogger(cfg, stderr)
	// One argument is reloaded after its change; many are reloaded once,
	// by addMany, after all of them.
	ed, err := cliEditor(ctx, cfg, log, fs.NArg() == 1)
	if err != nil {
		return editRun{}, fmt.Errorf("%s: %w", c.name, err)
	}
	return editRun{cfg: cfg, args: fs.Args(), log: log, editor: ed}, nil
}

// cliEditor is the editor of the CLI's add and remove: the configured
// corpus directory, a fetcher with the default limits, and, after each
// change when reindex is set, a reload of the index. Without reindex the
// caller refreshes the index itself, once after many changes. The index
// is opened first, before any change: that seeds the parse cache the
// store shares, so that the duplicate check and the reload parse only the
// new files. Opening may fail (an empty corpus, a first add); the reload
// after the change then builds the index, or says why not.
func cliEditor(ctx context.Context, cfg config, log *slog.Logger, reindex bool) (*editor.Editor, error) {
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
	if !reindex {
		return editor.New(store, fetch.New(fetch.Config{}), editor.ReloadFunc(func(context.Context) (retrieval.Report, error) {
			return retrieval.Report{}, nil
		}))
	}
	return editor.New(store, fetch.New(fetch.Config{}), lib)
}

// openStore opens the configured corpus directory for changes, with the
// options the index loads it with.
func openStore(cfg config) (*corpus.Store, error) {
	return corpus.NewStore(cfg.Corpus, trashDir(cfg), cfg.corpusOptions(), time.Now)
}

// trashDir is where removed articles go: a hidden folder inside the
// corpus directory, which the corpus never loads. It moves and is backed
// up with the corpus, a removal is a rename on the same file system, and
// no cache cleaner empties it, as one may the data directory.
func trashDir(cfg config) string { return filepath.Join(cfg.Corpus, ".trash") }

// corpusIDs returns the IDs of the article files under dir — their paths
// without the extension — as the corpus names them, without parsing the
// files; hidden files and folders (the trash among them) are skipped.
func corpusIDs(dir string) []string {
	var ids []string
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".md", ".markdown", ".txt", ".html", ".htm":
		default:
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err == nil {
			ids = append(ids, strings.TrimSuffix(filepath.ToSlash(rel), filepath.Ext(rel)))
		}
		return nil
	})
	return ids
}

// nearestIDs returns up to n of ids closest to id: those that start with
// it or whose last path element is it first, then those within a few
// edits (a third of its length, at least 2), nearest first.
func nearestIDs(id string, ids []string, n int) []string {
	type cand struct {
		id   string
		dist int
	}
	want := strings.ToLower(id)
	limit := max(2, utf8.RuneCountInString(want)/3)
	var cands []cand
	for _, c := range ids {
		lc := strings.ToLower(c)
		base := lc[strings.LastIndexByte(lc, '/')+1:]
		// In half edits, so that a prefix comes before one edit.
		d := 2 * min(editDistance(want, lc), editDistance(want, base))
		if strings.HasPrefix(lc, want) || strings.HasPrefix(base, want) {
			d = min(d, 1)
		}
		if d <= 2*limit {
			cands = append(cands, cand{c, d})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].dist != cands[j].dist {
			return cands[i].dist < cands[j].dist
		}
		return cands[i].id < cands[j].id
	})
	var out []string
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, c.id)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

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
	if o := a.Outlet(); o != "" {
		fmt.Fprintf(w, "  origin:  %s\n", firstNonEmpty(corpus.OriginLabel(a.Origin), "unlabelled (crisisbot sources label OUTLET ORIGIN sets it)"))
	}
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
