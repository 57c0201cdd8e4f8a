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
	"net/url"
	"path/filepath"
	"strings"

	"github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/httpretry"
	"github.com/crisisbot/crisisbot/retrieval"
)

const usage = `crisisbot answers questions about the May 2025 India–Pakistan confrontation
from a corpus of source articles, with citations.

Usage:
  crisisbot ask [flags] QUESTION     answer one question
  crisisbot eval [flags]             score answers against a question set
  crisisbot index [flags]            build or refresh the index
  crisisbot serve [flags]            run the Discord bot
  crisisbot commands sync [flags]    register the Discord slash commands
  crisisbot add [flags] URL|FILE     add an article to the corpus
  crisisbot remove [flags] ID        remove an article (kept in the trash)

Run "crisisbot COMMAND -h" for a command's flags.
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
	case "ask":
		return runAsk(ctx, rest, getenv, stdout, stderr)
	case "eval":
		return runEval(ctx, rest, getenv, stdout, stderr)
	case "index":
		return runIndex(ctx, rest, getenv, stdout, stderr)
	case "add":
		return runAdd(ctx, rest, getenv, stdout, stderr)
	case "remove":
		return runRemove(ctx, rest, getenv, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "commands":
		return runCommands(ctx, rest, getenv, stdout, stderr)
	case "feeds":
		return runFeeds(ctx, rest, getenv, stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// parse fills cfg from the environment and the command's flags, then
// validates it.
func parse(fs *flag.FlagSet, args []string, cfg *config, warnings []string, stderr io.Writer) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	for _, w := range warnings {
		fmt.Fprintln(stderr, "crisisbot: warning:", w)
	}
	if err := cfg.validate(); err != nil {
		return usageError{err.Error()}
	}
	return nil
}

// newLogger writes structured logs to stderr, keeping stdout for answers.
func newLogger(cfg config, stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
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
		return retrieval.OpenAIEmbedder(client, cfg.EmbedModel, 64), retrieval.OpenAIEmbedderID(base, cfg.EmbedModel)
	}
	return retrieval.HashEmbedder(cfg.EmbedDims), retrieval.HashEmbedderID(cfg.EmbedDims)
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
	lc := retrieval.LibraryConfig{
		Dir:      indexDir(cfg),
		Settings: retrieval.Settings{Embedder: embedID, Chunking: corpus.ChunkOptions{}},
	}
	if cfg.Corpus != "" {
		lc.Files = cfg.files
	}
	return retrieval.NewLibrary(lc, embed, corpusLoader(cfg), log)
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
	lib, err := newLibrary(cfg, hc, log)
	if err != nil {
		return nil, retrieval.Report{}, err
	}
	rep, err := lib.Open(ctx)
	if err != nil && (strict || lib.Current() == nil || ctx.Err() != nil) {
		return nil, rep, err
	}
	if err != nil && rep.ServingUnsaved {
		log.Error("saving the index failed; serving it from memory until the next reload", "err", err)
	} else if err != nil {
		log.Error("refresh failed; serving the saved index", "err", err)
	}
	if !strict {
		// The strict commands print the failed files in their report.
		for _, fe := range rep.Failed {
			log.Warn("article skipped", "path", fe.Path, "err", fe.Err)
		}
	}
	return lib, rep, nil
}
