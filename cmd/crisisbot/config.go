package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// config is every setting crisisbot reads. Flags win over environment
// variables, which win over the defaults; secrets come from the environment
// only. The README's configuration table mirrors this struct.
type config struct {
	Corpus string // directory of articles; "" means the built-in corpus
	Data   string // index directory
	TopK   int
	// MinCoverage overrides the extractive answerer's coverage floor; zero
	// keeps its calibrated default. Only eval sets it, for calibration.
	MinCoverage float64
	MaxFileSize int64
	LogLevel    slog.Level

	Embedder     string // "hash" or "openai"
	EmbedDims    int
	EmbedModel   string
	EmbedTimeout time.Duration // one attempt of one embeddings request

	Mode       string // "", "extractive" or "llm"; "" picks llm when configured
	APIKey     string // OPENAI_API_KEY, never logged
	BaseURL    string // OPENAI_BASE_URL
	ChatModel  string
	LLMTimeout time.Duration
	LLMRetries int

	DiscordToken   string // DISCORD_TOKEN, never logged
	DiscordAPI     string
	GuildID        string
	Guilds         []string // CRISISBOT_GUILDS: the servers crisisbot serves, besides GuildID
	AnyGuild       bool     // --any-guild: answer questions in every server
	ModRoles       []string
	RatePerMinute  float64
	RateBurst      int
	MaxConcurrent  int
	MaxQuestionLen int
	AnswerTimeout  time.Duration
	ShutdownGrace  time.Duration
	SyncCommands   bool
	// files is the parse cache every reader of the corpus directory in
	// this process shares (see [config.corpusOptions]).
	files *corpus.ParseCache
}

// env reads one variable with a default, warning (not failing) on a bad
// value so a typo in a deployment does not take the bot down.
type env struct {
	getenv func(string) string
	warn   []string
}

func (e *env) str(name, def string) string {
	if v := strings.TrimSpace(e.getenv(name)); v != "" {
		return v
	}
	return def
}

func (e *env) int(name string, def int) int {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		e.warn = append(e.warn, fmt.Sprintf("%s=%q is not a non-negative integer; using %d", name, v, def))
		return def
	}
	return n
}

func (e *env) float(name string, def float64) float64 {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		e.warn = append(e.warn, fmt.Sprintf("%s=%q is not a non-negative number; using %g", name, v, def))
		return def
	}
	return f
}

func (e *env) duration(name string, def time.Duration) time.Duration {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		e.warn = append(e.warn, fmt.Sprintf("%s=%q is not a positive duration like 30s; using %s", name, v, def))
		return def
	}
	return d
}

// defaultDataDir is the per-user cache directory, so the index survives
// restarts without the user choosing a place.
func defaultDataDir(getenv func(string) string) string {
	if x := getenv("XDG_CACHE_HOME"); x != "" {
		return filepath.Join(x, "crisisbot")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "crisisbot")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "crisisbot")
	}
	return filepath.Join(os.TempDir(), "crisisbot-cache")
}

// newConfig returns the defaults with the environment applied, plus any
// warnings about bad values.
func newConfig(getenv func(string) string) (config, []string) {
	e := &env{getenv: getenv}
	c := config{
		Corpus:         e.str("CRISISBOT_CORPUS", ""),
		Data:           e.str("CRISISBOT_DATA", defaultDataDir(getenv)),
		TopK:           e.int("CRISISBOT_TOP_K", 6),
		MaxFileSize:    int64(e.int("CRISISBOT_MAX_FILE_MB", 10)) << 20,
		Embedder:       e.str("CRISISBOT_EMBEDDER", "hash"),
		EmbedDims:      e.int("CRISISBOT_EMBED_DIMS", 384),
		EmbedModel:     e.str("CRISISBOT_EMBED_MODEL", "text-embedding-3-small"),
		EmbedTimeout:   e.duration("CRISISBOT_EMBED_TIMEOUT", 60*time.Second),
		Mode:           e.str("CRISISBOT_MODE", ""),
		APIKey:         e.str("OPENAI_API_KEY", ""),
		BaseURL:        e.str("OPENAI_BASE_URL", ""),
		ChatModel:      e.str("CRISISBOT_CHAT_MODEL", "gpt-4o-mini"),
		LLMTimeout:     e.duration("CRISISBOT_LLM_TIMEOUT", 60*time.Second),
		LLMRetries:     e.int("CRISISBOT_LLM_RETRIES", 3),
		DiscordToken:   e.str("DISCORD_TOKEN", ""),
		DiscordAPI:     e.str("CRISISBOT_DISCORD_API", "https://discord.com/api/v9"),
		GuildID:        e.str("CRISISBOT_GUILD_ID", ""),
		RatePerMinute:  e.float("CRISISBOT_RATE_PER_MINUTE", 6),
		RateBurst:      e.int("CRISISBOT_RATE_BURST", 3),
		MaxConcurrent:  e.int("CRISISBOT_MAX_CONCURRENT", 8),
		MaxQuestionLen: e.int("CRISISBOT_MAX_QUESTION", 500),
		AnswerTimeout:  e.duration("CRISISBOT_ANSWER_TIMEOUT", 90*time.Second),
		ShutdownGrace:  e.duration("CRISISBOT_SHUTDOWN_GRACE", 20*time.Second),
		files:          corpus.NewParseCache(),
	}
	if roles := e.str("CRISISBOT_MOD_ROLES", ""); roles != "" {
		c.ModRoles = splitList(roles)
	}
	if guilds := e.str("CRISISBOT_GUILDS", ""); guilds != "" {
		c.Guilds = splitList(guilds)
	}
	lvl := e.str("CRISISBOT_LOG_LEVEL", "info")
	if err := c.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
		e.warn = append(e.warn, fmt.Sprintf("CRISISBOT_LOG_LEVEL=%q is not debug, info, warn or error; using info", lvl))
		c.LogLevel = slog.LevelInfo
	}
	return c, e.warn
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, f)
	}
	return out
}

// flagSet returns a flag set for one subcommand that prints its usage to
// stderr and reports errors instead of exiting.
func flagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("crisisbot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func (c *config) corpusFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Corpus, "corpus", c.Corpus, "directory of articles (.md, .txt, .html); empty uses the built-in corpus (env CRISISBOT_CORPUS)")
	fs.StringVar(&c.Data, "data", c.Data, "directory that keeps the index between runs (env CRISISBOT_DATA)")
	fs.StringVar(&c.Embedder, "embedder", c.Embedder, "embedder: hash (offline) or openai (env CRISISBOT_EMBEDDER)")
}

func (c *config) answerFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.TopK, "top-k", c.TopK, "passages retrieved per question (env CRISISBOT_TOP_K)")
	fs.StringVar(&c.Mode, "mode", c.Mode, "answerer: extractive or llm; default llm when an LLM is configured (env CRISISBOT_MODE)")
	fs.StringVar(&c.BaseURL, "llm-base-url", c.BaseURL, "OpenAI-compatible base URL, e.g. http://localhost:11434/v1 (env OPENAI_BASE_URL)")
	fs.StringVar(&c.ChatModel, "model", c.ChatModel, "chat model (env CRISISBOT_CHAT_MODEL)")
}

// validate checks what flags and environment could get wrong, before
// anything connects.
func (c *config) validate() error {
	var errs []error
	if c.TopK < 1 || c.TopK > 50 {
		errs = append(errs, fmt.Errorf("--top-k must be between 1 and 50, got %d", c.TopK))
	}
	switch c.Embedder {
	case "hash", "openai":
	default:
		errs = append(errs, fmt.Errorf("--embedder must be hash or openai, got %q", c.Embedder))
	}
	if c.Embedder == "openai" && c.APIKey == "" && c.BaseURL == "" {
		errs = append(errs, errors.New("--embedder openai needs OPENAI_API_KEY or OPENAI_BASE_URL"))
	}
	switch c.Mode {
	case "", "extractive", "llm":
	default:
		errs = append(errs, fmt.Errorf("--mode must be extractive or llm, got %q", c.Mode))
	}
	if c.Mode == "llm" && !c.llmConfigured() {
		errs = append(errs, errors.New("--mode llm needs OPENAI_API_KEY or OPENAI_BASE_URL (--llm-base-url)"))
	}
	return errors.Join(errs...)
}

// llmConfigured reports whether an LLM can be reached: a key alone means
// OpenAI itself, a base URL alone a local server that needs no key.
func (c *config) llmConfigured() bool { return c.APIKey != "" || c.BaseURL != "" }

// useLLM reports whether questions go to the LLM answerer.
func (c *config) useLLM() bool {
	if c.Mode != "" {
		return c.Mode == "llm"
	}
	return c.llmConfigured()
}

// corpusOptions are the options every reader of the corpus directory uses —
// the index, the store's duplicate check and crisisbot add — so a file one
// of them accepts is not refused by another. They share one parse cache,
// which the index seeds with what it saved, so that none of them parses a
// file unchanged since it was indexed.
func (c config) corpusOptions() corpus.Options {
	limit := c.MaxFileSize
	if limit <= 0 {
		limit = corpus.DefaultMaxFileSize
	}
	return corpus.Options{MaxFileSize: limit, Cache: c.files}
}
