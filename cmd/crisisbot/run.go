package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/httpretry"
	"github.com/crisisbot/crisisbot/retrieval"
)

const usage = `crisisbot answers questions about the May 2025 India–Pakistan confrontation
from a corpus of source articles, with citations.

Usage:
  crisisbot COMMAND [flags] [arguments]

Commands:
  ask        answer one question
  list       list the articles of the corpus
  index      build or refresh the index, and say what changed
  eval       score answers against a question set
  add        add articles to the corpus, from URLs or files
  remove     move an article to the trash
  serve      run the Discord bot
  commands   register the Discord slash commands
  feeds      follow news feeds whose articles arrive by themselves
  timeline   the dated events, oldest first
  whatsnew   articles added or changed lately
  sources    label an outlet's origin (sources label OUTLET ORIGIN)
  gaps       questions refused or marked 👎, grouped (moderators)
  stats      questions, refusals, feedback and answer times
  help       show a command's help

Flags go before or after the arguments; "--" ends them.
Run "crisisbot help COMMAND" for a command's flags, examples and environment,
"crisisbot --version" for the version.
`

// usageError marks a mistake in the command line; main exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// run is the whole program: main only supplies the process's context,
// arguments, environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "help":
		if len(rest) == 0 || rest[0] == "help" {
			fmt.Fprint(stdout, usage)
			return nil
		}
		// "help feeds add" is "feeds add --help".
		return run(ctx, append(slices.Clone(rest), "--help"), getenv, stdout, stderr)
	case "-version", "--version", "version":
		writeVersion(stdout)
		return nil
	}
	if wantsHelp(rest) {
		// A command prints its usage where it prints its errors; help asked
		// for goes to stdout instead, and is no error.
		err := dispatch(ctx, cmd, rest, getenv, stdout, stdout)
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	return dispatch(ctx, cmd, rest, getenv, stdout, stderr)
}

// dispatch runs one command. A new command is one case here, and one line
// in usage; its help comes from the flag set it makes with
// [commandFlags].
func dispatch(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	switch cmd {
	case "ask":
		return runAsk(ctx, args, getenv, stdout, stderr)
	case "list":
		return runList(ctx, args, getenv, stdout, stderr)
	case "eval":
		return runEval(ctx, args, getenv, stdout, stderr)
	case "index":
		return runIndex(ctx, args, getenv, stdout, stderr)
	case "add":
		return runAdd(ctx, args, getenv, stdout, stderr)
	case "remove":
		return runRemove(ctx, args, getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "commands":
		return runCommands(ctx, args, getenv, stdout, stderr)
	case "feeds":
		return runFeeds(ctx, args, getenv, stdout, stderr)
	case "timeline":
		return runTimeline(ctx, args, getenv, stdout, stderr)
	case "whatsnew":
		return runWhatsNew(ctx, args, getenv, stdout, stderr)
	case "sources":
		return runSources(ctx, args, getenv, stdout, stderr)
	case "gaps":
		return runGaps(ctx, args, getenv, stdout, stderr)
	case "stats":
		return runStats(ctx, args, getenv, stdout, stderr)
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// parse fills cfg from the environment and the command's flags, then
// validates it. Flags may come before, between or after the arguments
// ("ask QUESTION --json"); "--" ends them. fs.Args() holds the arguments
// afterwards, in order.
func parse(fs *flag.FlagSet, args []string, cfg *config, warnings []string, stderr io.Writer) error {
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	for _, w := range warnings {
		fmt.Fprintln(stderr, "crisisbot: warning:", w)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := cfg.validate(set); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

// newLogger writes logs to stderr, keeping stdout for answers. By default
// only warnings and errors, as plain lines ("crisisbot: warning: …"), so
// nothing else stands between a terminal user and the answer; a log asked
// for with -v or CRISISBOT_LOG_LEVEL, or serve's, is structured text.
func newLogger(cfg config, stderr io.Writer) *slog.Logger {
	if !cfg.LogLevelSet && cfg.logLevel() >= slog.LevelWarn {
		return slog.New(newPlainHandler(stderr, cfg.logLevel()))
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel()}))
}

// newHTTPClient returns the one HTTP client for every call to the LLM
// server, chat and embeddings alike: it retries as CRISISBOT_LLM_RETRIES
// says and keeps the API key and any password in OPENAI_BASE_URL out of
// its errors, its logs and the error bodies it hands on (a server may echo
// what it was sent). Each use sets its own limits with
// [httpretry.Client.WithLimits].
func newHTTPClient(cfg config, log *slog.Logger) *httpretry.Client {
	secrets := []string{cfg.APIKey}
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			secrets = append(secrets, p)
		}
	}
	return httpretry.New(httpretry.Config{
		Policy:  httpretry.Policy{Retries: retriesSetting(cfg.LLMRetries)},
		Secrets: secrets,
		Log:     log,
	})
}

// redactedURL is a URL fit for a log line: its password, if any, masked.
// A URL that does not parse is not shown at all, since where its password
// sits cannot be told.
func redactedURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "[unparseable URL]"
	}
	return u.Redacted()
}

// Body caps of the LLM server's replies: a chat answer is a few kilobytes
// (a streamed one some more, in events), a batch of 64 embeddings of 3,072
// dimensions about 4 MB of JSON.
const (
	chatMaxBody  = 4 << 20
	embedMaxBody = 64 << 20
)

// retriesSetting maps the configured retry count onto [httpretry.Policy],
// where zero means the default and a negative value means none.
func retriesSetting(n int) int {
	if n == 0 {
		return -1
	}
	return n
}

// openAIClient builds a go-openai client for the configured server over
// httpClient, which bounds each attempt.
func openAIClient(cfg config, httpClient openai.HTTPDoer) *openai.Client {
	oc := openai.DefaultConfig(cfg.APIKey)
	if cfg.BaseURL != "" {
		oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	}
	if httpClient != nil {
		oc.HTTPClient = httpClient
	}
	return openai.NewClientWithConfig(oc)
}

// embedder picks the embedding function and the name the index records for
// it, so that switching embedders rebuilds the index. A remote embedder
// talks through hc, each attempt bounded by CRISISBOT_EMBED_TIMEOUT: the
// caller's context has no deadline when indexing, and a server that hangs
// must not hang the index with it.
func embedder(cfg config, hc *httpretry.Client) (retrieval.EmbedFunc, string) {
	if cfg.Embedder == "openai" {
		base := cfg.BaseURL
		if base == "" {
			base = "https://api.openai.com/v1"
		}
		client := openAIClient(cfg, hc.WithLimits(httpretry.Limits{AttemptTimeout: cfg.EmbedTimeout, MaxBody: embedMaxBody}))
		return explainEmbedErrors(retrieval.OpenAIEmbedder(client, cfg.EmbedModel, 64)), retrieval.OpenAIEmbedderID(base, cfg.EmbedModel)
	}
	return retrieval.HashEmbedder(cfg.EmbedDims), retrieval.HashEmbedderID(cfg.EmbedDims)
}

// explainEmbedErrors words the errors of the embeddings server for the
// person who must fix them: a 401 says the key was rejected, and an error
// status without OpenAI's error object (vLLM's {"detail": …}) shows its
// body instead of go-openai's "message: %!s(<nil>)".
func explainEmbedErrors(embed retrieval.EmbedFunc) retrieval.EmbedFunc {
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		vecs, err := embed(ctx, texts)
		if err != nil {
			err = explainOpenAIError(err)
		}
		return vecs, err
	}
}

// explainedError is an error with a clearer message, still unwrapping to
// the original.
type explainedError struct {
	msg string
	err error
}

func (e explainedError) Error() string { return e.msg }
func (e explainedError) Unwrap() error { return e.err }

func explainOpenAIError(err error) error {
	msg := err.Error()
	status := 0
	var reqErr *openai.RequestError
	var apiErr *openai.APIError
	switch {
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
		if reqErr.Err == nil {
			body := reqErr.Body
			if len(body) > 300 {
				body = append(body[:300:300], "…"...)
			}
			msg = strings.Replace(msg, reqErr.Error(), fmt.Sprintf("status %s, body: %s", reqErr.HTTPStatus, body), 1)
		}
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	}
	if status == http.StatusUnauthorized {
		msg = "the API key was rejected (set OPENAI_API_KEY to a valid key): " + msg
	}
	if msg == err.Error() {
		return err
	}
	return explainedError{msg, err}
}

// corpusLoader reads the configured directory, or the built-in corpus.
func corpusLoader(cfg config) retrieval.LoadFunc {
	opts := cfg.corpusOptions()
	if cfg.Corpus == "" {
		opts.Cache = nil // the embedded files have no times to compare
		return func(ctx context.Context) (*corpus.Result, error) {
			return corpus.Load(ctx, corpus.Builtin(), opts)
		}
	}
	dir := cfg.Corpus
	// The cache lives as long as the process: a reload parses only the
	// files whose size, modification time or inode changed.
	return func(ctx context.Context) (*corpus.Result, error) {
		return corpus.LoadDir(ctx, dir, opts)
	}
}

// indexDir is where the index of this corpus lives inside the data
// directory: one folder per corpus, so indexing a second corpus does not
// throw away the first one's vectors.
func indexDir(cfg config) string {
	if cfg.Corpus == "" {
		return filepath.Join(cfg.Data, "builtin")
	}
	abs, err := filepath.Abs(cfg.Corpus)
	if err != nil {
		abs = cfg.Corpus
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cfg.Data, filepath.Base(abs)+"-"+hex.EncodeToString(sum[:6]))
}

// newLibrary wires the embedder, the corpus loader, its parse cache and
// the data directory into a library, not yet opened.
func newLibrary(cfg config, hc *httpretry.Client, log *slog.Logger) (*retrieval.Library, error) {
	embed, embedID := embedder(cfg, hc)
	return newLibraryFrom(cfg, embed, embedID, corpusLoader(cfg), log)
}

// newLibraryFrom is [newLibrary] with the embedder and the loader given,
// for openLibraryWith, which wraps them to show progress.
func newLibraryFrom(cfg config, embed retrieval.EmbedFunc, embedID string, load retrieval.LoadFunc, log *slog.Logger) (*retrieval.Library, error) {
	lc := retrieval.LibraryConfig{
		Dir:      indexDir(cfg),
		Settings: retrieval.Settings{Embedder: embedID, Chunking: corpus.ChunkOptions{}},
	}
	if cfg.Corpus != "" {
		lc.Files = cfg.files
	}
	return retrieval.NewLibrary(lc, embed, load, log)
}

// openLibrary wires the embedder, the corpus loader and the data directory
// into a library and loads it. When the corpus cannot be refreshed but a
// saved index loaded, the saved index serves and the failure is logged —
// unless strict, for commands whose job is the refresh.
func openLibrary(ctx context.Context, cfg config, log *slog.Logger, strict bool) (*retrieval.Library, retrieval.Report, error) {
	return openLibraryWith(ctx, cfg, newHTTPClient(cfg, log), log, strict)
}

// openLibraryWith is [openLibrary] with the HTTP client given, for the
// commands that also talk to the LLM and share one client for both.
func openLibraryWith(ctx context.Context, cfg config, hc *httpretry.Client, log *slog.Logger, strict bool) (*retrieval.Library, retrieval.Report, error) {
	embed, embedID := embedder(cfg, hc)
	load := corpusLoader(cfg)
	bar := newEstimatedProgress(cfg.progress, "indexing", "passages embedded", 0)
	var lib *retrieval.Library
	if bar != nil {
		embed, load = embedWithProgress(embed, bar), loadWithProgress(load, bar, func() *retrieval.Index { return lib.Current() })
	}
	lib, err := newLibraryFrom(cfg, embed, embedID, load, log)
	if err != nil {
		return nil, retrieval.Report{}, err
	}
	recordCorpus(cfg, log)
	rep, err := lib.Open(ctx)
	bar.finish()
	if err != nil && (strict || lib.Current() == nil || ctx.Err() != nil) {
		return nil, rep, err
	}
	if err != nil && rep.ServingUnsaved {
		log.Error("saving the index failed; serving it from memory until the next reload", "err", err)
	} else if err != nil {
		log.Error("refresh failed; serving the saved index", "err", err)
	}
	if !strict && len(rep.Failed) > 0 {
		// The strict commands print the failed files in their report; the
		// others say once how many there are and where to see them, not
		// one warning a file before every answer.
		for _, fe := range rep.Failed {
			log.Info("article skipped", "path", fe.Path, "err", fe.Err)
		}
		log.Warn(fmt.Sprintf("%s skipped; crisisbot index lists them", plural(len(rep.Failed), "file", "files")))
	}
	return lib, rep, nil
}

// plural is "1 file" or "5 files".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// embedWithProgress counts on bar the passages embed embeds, and their
// text, which the bar's total estimates. A passage's text comes after its
// article's title and a newline (see retrieval's indexedText); the title
// is not counted, as the estimate holds the articles' text only.
func embedWithProgress(embed retrieval.EmbedFunc, bar *progressBar) retrieval.EmbedFunc {
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		vecs, err := embed(ctx, texts)
		if err == nil {
			var n int64
			for _, t := range texts {
				_, body, ok := strings.Cut(t, "\n")
				if !ok {
					body = t
				}
				n += int64(len(body))
			}
			bar.add(n, len(texts))
		}
		return vecs, err
	}
}

// loadWithProgress sets bar's total, once the corpus is read, to the text
// of the articles that the index in current does not hold as they are:
// those whose passages will be embedded.
func loadWithProgress(load retrieval.LoadFunc, bar *progressBar, current func() *retrieval.Index) retrieval.LoadFunc {
	return func(ctx context.Context) (*corpus.Result, error) {
		res, err := load(ctx)
		if err != nil || res == nil {
			return res, err
		}
		prev := current()
		var total int64
		for i := range res.Articles {
			a := &res.Articles[i]
			if prev != nil {
				if p := prev.Article(a.ID); p != nil && p.Hash == a.Hash {
					continue
				}
			}
			total += int64(len(a.Text))
		}
		bar.mu.Lock()
		bar.total = total
		bar.mu.Unlock()
		return res, nil
	}
}

// corpusPathFile, in an index folder, names the corpus directory it
// indexes, so that crisisbot index --prune can tell a folder whose corpus
// is gone.
const corpusPathFile = "corpus-path"

// recordCorpus writes the corpus's absolute path into its index folder,
// when it is not there already. Failing costs only the pruning of this
// folder later, so it is logged, not returned.
func recordCorpus(cfg config, log *slog.Logger) {
	if cfg.Corpus == "" {
		return
	}
	abs, err := filepath.Abs(cfg.Corpus)
	if err != nil {
		return
	}
	dir := indexDir(cfg)
	path := filepath.Join(dir, corpusPathFile)
	if b, err := os.ReadFile(path); err == nil && string(b) == abs+"\n" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Info("cannot record the corpus of the index", "dir", dir, "err", err)
		return
	}
	if err := os.WriteFile(path, []byte(abs+"\n"), 0o600); err != nil {
		log.Info("cannot record the corpus of the index", "dir", dir, "err", err)
	}
}
