package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"slices"
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
	LogLevelSet bool // LogLevel was chosen (CRISISBOT_LOG_LEVEL, or serve), not the quiet default
	Verbose     bool // -v: log at info at least
	// progress is where long work (indexing, eval) draws a progress bar:
	// the terminal of a command that shows one, else nil.
	progress io.Writer

	Embedder     string // "hash" or "openai"
	EmbedDims    int
	EmbedModel   string
	EmbedTimeout time.Duration // one attempt of one embeddings request

	Mode       string // "", "extractive" or "llm"; "" picks llm when configured
	APIKey     string // OPENAI_API_KEY, never logged
	BaseURL    string // OPENAI_BASE_URL
	badBaseURL bool   // OPENAI_BASE_URL is set but no http(s) URL
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
// value so a typo in a deployment does not take the bot down. A value
// that parses but means nothing — a zero where at least one is needed —
// is as bad as one that does not parse: the warning names the variable,
// and the default is used. No flag is blamed for what the environment
// said.
type env struct {
	getenv func(string) string
	warn   []string
}

func (e *env) bad(name, v, want string, def any) {
	if def == "" {
		def = "the default"
	}
	e.warn = append(e.warn, fmt.Sprintf("%s=%q is not %s; using %v", name, v, want, def))
}

func (e *env) str(name, def string) string {
	if v := strings.TrimSpace(e.getenv(name)); v != "" {
		return v
	}
	return def
}

// oneOf reads a variable that, when set, must be one of choices.
func (e *env) oneOf(name, def string, choices ...string) string {
	v := e.str(name, def)
	if v == def || slices.Contains(choices, v) {
		return v
	}
	e.bad(name, v, strings.Join(choices, " or "), def)
	return def
}

// int reads an integer of at least lo and, when hi > lo, at most hi.
func (e *env) int(name string, def, lo, hi int) int {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || (hi > lo && n > hi) {
		want := fmt.Sprintf("an integer of at least %d", lo)
		if hi > lo {
			want = fmt.Sprintf("an integer from %d to %d", lo, hi)
		}
		e.bad(name, v, want, def)
		return def
	}
	return n
}

// positive reads a number above zero.
func (e *env) positive(name string, def float64) float64 {
	v := strings.TrimSpace(e.getenv(name))
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f > 0) || math.IsInf(f, 0) {
		e.bad(name, v, "a number above 0", def)
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
		e.bad(name, v, "a positive duration like 30s", def)
		return def
	}
	return d
}

// httpURL reads an absolute http(s) URL.
func (e *env) httpURL(name, def string) string {
	v := e.str(name, def)
	if u, err := url.Parse(v); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return v
	}
	e.bad(name, v, "an http(s) URL", def)
	return def
}

// ids reads a list of Discord IDs (snowflakes: digits), separated by
// commas or spaces. An entry that is no ID is dropped with a warning;
// the others stand.
func (e *env) ids(name string) []string {
	var out []string
	for _, f := range splitList(e.str(name, "")) {
		if !isSnowflake(f) {
			e.warn = append(e.warn, fmt.Sprintf("%s: %q is not a Discord ID (digits only); ignoring it", name, f))
			continue
		}
		out = append(out, f)
	}
	return out
}

func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
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
		TopK:           e.int("CRISISBOT_TOP_K", 6, 1, maxTopK),
		MaxFileSize:    int64(e.int("CRISISBOT_MAX_FILE_MB", 10, 1, 0)) << 20,
		Embedder:       e.oneOf("CRISISBOT_EMBEDDER", "hash", "hash", "openai"),
		EmbedDims:      e.int("CRISISBOT_EMBED_DIMS", 384, 1, 0),
		EmbedModel:     e.str("CRISISBOT_EMBED_MODEL", "text-embedding-3-small"),
		EmbedTimeout:   e.duration("CRISISBOT_EMBED_TIMEOUT", 60*time.Second),
		Mode:           e.oneOf("CRISISBOT_MODE", "", "extractive", "llm"),
		APIKey:         e.str("OPENAI_API_KEY", ""),
		BaseURL:        e.str("OPENAI_BASE_URL", ""),
		ChatModel:      e.str("CRISISBOT_CHAT_MODEL", "gpt-4o-mini"),
		LLMTimeout:     e.duration("CRISISBOT_LLM_TIMEOUT", 60*time.Second),
		LLMRetries:     e.int("CRISISBOT_LLM_RETRIES", 3, 0, 0), // 0: no retries
		DiscordToken:   e.str("DISCORD_TOKEN", ""),
		DiscordAPI:     e.httpURL("CRISISBOT_DISCORD_API", "https://discord.com/api/v9"),
		RatePerMinute:  e.positive("CRISISBOT_RATE_PER_MINUTE", 6),
		RateBurst:      e.int("CRISISBOT_RATE_BURST", 3, 1, 0),
		MaxConcurrent:  e.int("CRISISBOT_MAX_CONCURRENT", 8, 1, 0),
		MaxQuestionLen: e.int("CRISISBOT_MAX_QUESTION", 500, 1, 0),
		AnswerTimeout:  e.duration("CRISISBOT_ANSWER_TIMEOUT", 90*time.Second),
		ShutdownGrace:  e.duration("CRISISBOT_SHUTDOWN_GRACE", 20*time.Second),
		ModRoles:       e.ids("CRISISBOT_MOD_ROLES"),
		Guilds:         e.ids("CRISISBOT_GUILDS"),
		files:          corpus.NewParseCache(),
	}
	if g := e.str("CRISISBOT_GUILD_ID", ""); isSnowflake(g) {
		c.GuildID = g
	} else if g != "" {
		e.bad("CRISISBOT_GUILD_ID", g, "a Discord ID (digits only)", "global commands")
	}
	if u := c.BaseURL; u != "" {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			// A key may be meant for OpenAI itself: dropping the address
			// would send it there, so a bad one is an error, not a default.
			c.badBaseURL = true
		}
	}
	// The terminal is quiet unless asked: warnings and errors only. serve
	// logs at info when CRISISBOT_LOG_LEVEL does not say otherwise.
	c.LogLevel = slog.LevelWarn
	if lvl := e.str("CRISISBOT_LOG_LEVEL", ""); lvl != "" {
		if err := c.LogLevel.UnmarshalText([]byte(lvl)); err != nil {
			e.bad("CRISISBOT_LOG_LEVEL", lvl, "debug, info, warn or error", "warn (info for serve)")
			c.LogLevel = slog.LevelWarn
		} else {
			c.LogLevelSet = true
		}
	}
	return c, e.warn
}

// maxTopK bounds --top-k: more passages than this only slow answers down.
const maxTopK = 50

func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		out = append(out, f)
	}
	return out
}

// flagSet returns a flag set for one subcommand that prints its usage to
// stderr and reports errors instead of exiting. Its help is the generic
// one; [commandFlags] gives a command its description, examples and
// environment.
func flagSet(name string, stderr io.Writer) *flag.FlagSet {
	return commandFlags(name, commandDoc{}, stderr)
}

func (c *config) corpusFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Corpus, "corpus", c.Corpus, "read articles (.md, .txt, .html) from `DIR`; empty: the built-in corpus (env CRISISBOT_CORPUS)")
	fs.StringVar(&c.Data, "data", c.Data, "keep the index between runs in `DIR` (env CRISISBOT_DATA)")
	fs.StringVar(&c.Embedder, "embedder", c.Embedder, "embed passages with `NAME`: hash (offline) or openai (env CRISISBOT_EMBEDDER)")
	fs.BoolVar(&c.Verbose, "v", c.Verbose, "log what crisisbot does (info lines on stderr; env CRISISBOT_LOG_LEVEL)")
}

func (c *config) answerFlags(fs *flag.FlagSet) {
	fs.IntVar(&c.TopK, "top-k", c.TopK, "retrieve `N` passages per question (env CRISISBOT_TOP_K)")
	fs.StringVar(&c.Mode, "mode", c.Mode, "answer with `MODE`: extractive or llm; default llm when an LLM is configured (env CRISISBOT_MODE)")
	fs.StringVar(&c.BaseURL, "llm-base-url", c.BaseURL, "OpenAI-compatible server at `URL`, e.g. http://localhost:11434/v1 (env OPENAI_BASE_URL)")
	fs.StringVar(&c.ChatModel, "model", c.ChatModel, "chat model `NAME` (env CRISISBOT_CHAT_MODEL)")
}

// validate checks what the flags could get wrong, and the combinations
// flags and environment could, before anything connects. set holds the
// flags given on the command line, so that an error names what the user
// wrote — the flag, or the environment variable — and not the other.
func (c *config) validate(set map[string]bool) error {
	// name is how the user wrote a setting's value: "--mode llm" or
	// "CRISISBOT_MODE=llm".
	name := func(flagName, envName, value string) string {
		if set[flagName] {
			return "--" + flagName + " " + value
		}
		return envName + "=" + value
	}
	var errs []error
	if c.Corpus != "" {
		if fi, err := os.Stat(c.Corpus); err != nil || !fi.IsDir() {
			errs = append(errs, fmt.Errorf("%s: no such directory; give a directory of articles, or none for the built-in corpus", name("corpus", "CRISISBOT_CORPUS", corpus.QuotePath(c.Corpus))))
		}
	}
	if c.TopK < 1 || c.TopK > maxTopK {
		errs = append(errs, fmt.Errorf("--top-k must be between 1 and %d, got %d", maxTopK, c.TopK))
	}
	switch c.Embedder {
	case "hash", "openai":
	default:
		errs = append(errs, fmt.Errorf("--embedder must be hash or openai, got %q", c.Embedder))
	}
	if c.Embedder == "openai" && c.APIKey == "" && c.BaseURL == "" {
		errs = append(errs, fmt.Errorf("%s needs OPENAI_API_KEY or OPENAI_BASE_URL", name("embedder", "CRISISBOT_EMBEDDER", "openai")))
	}
	switch c.Mode {
	case "", "extractive", "llm":
	default:
		errs = append(errs, fmt.Errorf("--mode must be extractive or llm, got %q", c.Mode))
	}
	if c.Mode == "llm" && !c.llmConfigured() {
		errs = append(errs, fmt.Errorf("%s needs OPENAI_API_KEY or OPENAI_BASE_URL (--llm-base-url)", name("mode", "CRISISBOT_MODE", "llm")))
	}
	if c.badBaseURL && !set["llm-base-url"] {
		errs = append(errs, fmt.Errorf("OPENAI_BASE_URL=%q is not an http(s) URL like http://localhost:11434/v1", redactedURL(c.BaseURL)))
	} else if set["llm-base-url"] && c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("--llm-base-url %q is not an http(s) URL like http://localhost:11434/v1", redactedURL(c.BaseURL)))
		}
	}
	return errors.Join(errs...)
}

// logLevel is the level of the logger: CRISISBOT_LOG_LEVEL's, else
// warnings only, and info at least with -v.
func (c *config) logLevel() slog.Level {
	if c.Verbose && c.LogLevel > slog.LevelInfo {
		return slog.LevelInfo
	}
	return c.LogLevel
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
