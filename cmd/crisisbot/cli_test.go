package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, or writes it there with -update.
func golden(tb testing.TB, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		tb.Errorf("output differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestAskTerminalGolden pins what a terminal user sees for a question the
// built-in corpus answers: the answer, then the numbered sources with
// title, date and quote. Nothing is printed on stderr.
func TestAskTerminalGolden(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir()}
	out, stderr, err := runCLI(t, vars, "ask", "Who did Marco Rubio speak with on Friday?")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, stderr)
	}
	if stderr != "" {
		t.Errorf("stderr: %q, want nothing", stderr)
	}
	golden(t, "ask-rubio.golden", out)
}

// TestFlagsAfterTheQuestion: a flag after the question is a flag, not a
// word of the question; "--" ends the flags.
func TestFlagsAfterTheQuestion(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir()}
	for _, args := range [][]string{
		{"ask", "What did Rubio offer Munir?", "--json"},
		{"ask", "What", "did", "Rubio", "--json", "offer", "Munir?"},
		{"ask", "--top-k", "4", "What did Rubio offer Munir?", "--json"},
		{"ask", "What did Rubio offer Munir?", "--top-k=4", "--json"},
	} {
		out, stderr, err := runCLI(t, vars, args...)
		if err != nil {
			t.Fatalf("%q: %v\n%s", args, err, stderr)
		}
		var got jsonAnswer
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Errorf("%q: stdout is not JSON (%v):\n%s", args, err, out)
			continue
		}
		if got.Question != "What did Rubio offer Munir?" || !strings.Contains(got.Answer, "Munir") {
			t.Errorf("%q: question %q answer %q", args, got.Question, got.Answer)
		}
	}
	// After "--", "--json" is a word of the question: the answer is text.
	out, _, err := runCLI(t, vars, "ask", "--", "What did Rubio offer Munir?", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(out, "{") {
		t.Errorf("after --, --json was taken as a flag:\n%s", out)
	}
}

func TestInterspersed(t *testing.T) {
	t.Parallel()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Bool("json", false, "")
	fs.Bool("v", false, "")
	fs.Int("top-k", 6, "")
	fs.String("corpus", "", "")
	tests := []struct {
		args, want []string
	}{
		{nil, nil},
		{[]string{"q"}, []string{"--", "q"}},
		{[]string{"q", "--json"}, []string{"--json", "--", "q"}},
		{[]string{"--top-k", "3", "q", "-v"}, []string{"--top-k", "3", "-v", "--", "q"}},
		{[]string{"a", "--corpus=d", "b"}, []string{"--corpus=d", "--", "a", "b"}},
		{[]string{"a", "--", "--json", "-v"}, []string{"--", "a", "--json", "-v"}},
		{[]string{"--unknown", "a"}, []string{"--unknown", "--", "a"}},
		{[]string{"-", "a"}, []string{"--", "-", "a"}},
		{[]string{"a", "--top-k"}, []string{"--top-k", "--", "a"}},
	}
	for _, tt := range tests {
		if got := interspersed(fs, tt.args); !slices.Equal(got, tt.want) {
			t.Errorf("interspersed(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

// TestHelp: every way of asking for help prints it on stdout and exits 0,
// with what the command does, its usage, examples and the environment it
// reads.
func TestHelp(t *testing.T) {
	t.Parallel()
	commands := [][]string{{"ask"}, {"list"}, {"index"}, {"eval"}, {"add"}, {"remove"}, {"serve"}, {"commands", "sync"}}
	for _, cmd := range commands {
		name := strings.Join(cmd, " ")
		for _, args := range [][]string{append(slices.Clone(cmd), "--help"), append(slices.Clone(cmd), "-h"), append([]string{"help"}, cmd...)} {
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				t.Parallel()
				out, stderr, err := runCLI(t, map[string]string{"CRISISBOT_DATA": t.TempDir()}, args...)
				if err != nil {
					t.Fatalf("%q: %v", args, err)
				}
				if stderr != "" {
					t.Errorf("help wrote on stderr: %q", stderr)
				}
				for _, want := range []string{"crisisbot " + name + ": ", "Usage:\n  crisisbot " + name, "Examples:\n  crisisbot " + name, "Environment:\n"} {
					if !strings.Contains(out, want) {
						t.Errorf("help lacks %q:\n%s", want, out)
					}
				}
			})
		}
	}
	// Help with flags and arguments around it still is help.
	out, _, err := runCLI(t, nil, "ask", "What did Rubio offer Munir?", "-h")
	if err != nil || !strings.Contains(out, "Usage:") {
		t.Errorf("ask QUESTION -h: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, stderr, err := runCLI(t, nil, args...)
		if err != nil || stderr != "" || !strings.Contains(out, "Commands:") || !strings.Contains(out, "  list ") {
			t.Errorf("%q: %v, stderr %q\n%s", args, err, stderr, out)
		}
	}
}

// TestHelpNamesWhatEachCommandReads: the help shows --corpus DIR as the
// README writes it, and serve's lists the token and the rest of its
// environment.
func TestHelpNamesWhatEachCommandReads(t *testing.T) {
	t.Parallel()
	help := func(cmd ...string) string {
		out, _, err := runCLI(t, nil, append([]string{"help"}, cmd...)...)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, cmd := range []string{"ask", "index", "add", "list", "serve"} {
		if out := help(cmd); !strings.Contains(out, "  --corpus DIR ") {
			t.Errorf("%s help lacks --corpus DIR:\n%s", cmd, out)
		}
	}
	serve := help("serve")
	for _, want := range []string{"DISCORD_TOKEN", "CRISISBOT_GUILDS", "CRISISBOT_MOD_ROLES", "CRISISBOT_ANSWER_TIMEOUT", "OPENAI_API_KEY", "--any-guild"} {
		if !strings.Contains(serve, want) {
			t.Errorf("serve help lacks %s:\n%s", want, serve)
		}
	}
	ask := help("ask")
	for _, want := range []string{"OPENAI_API_KEY", "CRISISBOT_TOP_K", "--json", "--top-k N"} {
		if !strings.Contains(ask, want) {
			t.Errorf("ask help lacks %s:\n%s", want, ask)
		}
	}
	if add := help("add"); !strings.Contains(add, "USER") || !strings.Contains(add, "--by NAME") {
		t.Errorf("add help lacks USER or --by NAME:\n%s", add)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"--version", "-version", "version"} {
		out, stderr, err := runCLI(t, nil, arg)
		if err != nil || stderr != "" || !strings.HasPrefix(out, "crisisbot ") || !strings.Contains(out, "go1.") {
			t.Errorf("%s: %v, stderr %q:\n%s", arg, err, stderr, out)
		}
	}
	bi := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/crisisbot/crisisbot", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "1f7078c12692d8b6460716f52e1b84b858fca111"},
			{Key: "vcs.time", Value: "2026-12-01T18:51:15Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	want := "crisisbot v1.2.3\nrevision 1f7078c12692d8b6460716f52e1b84b858fca111 (2026-12-01T18:51:15Z), with uncommitted changes\nbuilt with go1.26.8\n"
	if got := versionText(bi); got != want {
		t.Errorf("versionText = %q, want %q", got, want)
	}
	bi.Settings, bi.Main.Version = nil, ""
	if got := versionText(bi); !strings.HasPrefix(got, "crisisbot (devel)\nrevision unknown") {
		t.Errorf("versionText without VCS = %q", got)
	}
}

// brokenCorpus is a corpus directory of one good article and two files
// that cannot be read.
func brokenCorpus(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, body := range map[string]string{
		"rubio-calls-munir.md": addSeed,
		"broken-1.md":          "---\ntitle: [unclosed\n---\ntext",
		"broken-2.txt":         "\xff\xfe not UTF-8",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// TestQuietByDefault: between the user and the answer stands nothing but
// one line counting the files that could not be read; -v and
// CRISISBOT_LOG_LEVEL bring back the log.
func TestQuietByDefault(t *testing.T) {
	t.Parallel()
	corpusDir, data := brokenCorpus(t), t.TempDir()
	ask := []string{"ask", "--corpus", corpusDir, "--data", data, "Who did Marco Rubio speak with?"}
	out, stderr, err := runCLI(t, nil, ask...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Munir") {
		t.Errorf("no answer:\n%s", out)
	}
	if stderr != "crisisbot: warning: 2 files skipped; crisisbot index lists them\n" {
		t.Errorf("stderr, want one line counting the skipped files:\n%s", stderr)
	}
	for _, tt := range []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"-v", nil, []string{"-v"}},
		{"CRISISBOT_LOG_LEVEL", map[string]string{"CRISISBOT_LOG_LEVEL": "info"}, nil},
	} {
		_, stderr, err := runCLI(t, tt.vars, append(slices.Clone(ask), tt.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr, "level=INFO") || !strings.Contains(stderr, "article skipped") || !strings.Contains(stderr, "broken-1.md") {
			t.Errorf("%s: want info lines naming the skipped files:\n%s", tt.name, stderr)
		}
	}
	// index lists them, with the reasons.
	out, _, _ = runCLI(t, nil, "index", "--corpus", corpusDir, "--data", data)
	for _, want := range []string{"failed: broken-1.md: bad front matter", "failed: broken-2.txt: "} {
		if !strings.Contains(out, want) {
			t.Errorf("index output lacks %q:\n%s", want, out)
		}
	}
}

// TestEvalMinTruth: eval exits 1 below --min-truth and 0 at or above it.
func TestEvalMinTruth(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, qs ...evalQuestion) string {
		var b strings.Builder
		for _, q := range qs {
			line, _ := json.Marshal(q)
			b.Write(line)
			b.WriteByte('\n')
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	right := write("right.jsonl", evalQuestion{ID: "q1", Question: "Who did Marco Rubio speak with on Friday?", Answerable: true,
		ExpectArticles: []string{"rubio-calls-munir"}, ExpectAny: []string{"Munir"}})
	wrong := write("wrong.jsonl", evalQuestion{ID: "q1", Question: "Who did Marco Rubio speak with on Friday?", Answerable: true,
		ExpectArticles: []string{"no-such-article"}, ExpectAny: []string{"Munir"}})
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir()}
	if out, _, err := runCLI(t, vars, "eval", "--questions", right, "--min-truth", "0.9"); err != nil {
		t.Errorf("eval at truth 1 with --min-truth 0.9: %v\n%s", err, out)
	}
	_, _, err := runCLI(t, vars, "eval", "--questions", wrong, "--min-truth", "0")
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "below --min-truth") {
		t.Errorf("eval at truth -1 with --min-truth 0: %v (exit %d), want exit 1", err, exitCode(err))
	}
	if _, _, err := runCLI(t, vars, "eval", "--questions", wrong); err != nil {
		t.Errorf("eval without --min-truth: %v, want exit 0", err)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	out, _, err := runCLI(t, nil, "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ID", "DATE", "OUTLET", "TITLE", "rubio-calls-munir", "2025-05-10", "Rubio reaches out to Pakistan's army chief", "1 article\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}

	corpusDir := brokenCorpus(t)
	if err := os.WriteFile(filepath.Join(corpusDir, "markets.md"), []byte("---\ntitle: Markets steady\nsource: Karachi Ledger\n---\nShares were steady.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runCLI(t, nil, "list", "--corpus", corpusDir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got []jsonArticle
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	want := []jsonArticle{
		{ID: "markets", Title: "Markets steady", Outlet: "Karachi Ledger"},
		{ID: "rubio-calls-munir", Title: "Rubio calls Munir", Outlet: "Seed Wire", Published: "2025-05-08"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("list --json = %+v, want %+v", got, want)
	}
	if !strings.Contains(stderr, "2 files skipped; crisisbot index lists them") {
		t.Errorf("stderr does not count the skipped files: %q", stderr)
	}
	// A filter, after the flags or before them, matches ID, title or outlet.
	for _, args := range [][]string{{"list", "--corpus", corpusDir, "karachi"}, {"list", "LEDGER", "--corpus", corpusDir}} {
		out, _, err := runCLI(t, nil, args...)
		if err != nil || !strings.Contains(out, "markets") || strings.Contains(out, "rubio-calls-munir") || !strings.Contains(out, "1 of 2 articles") {
			t.Errorf("%q: %v\n%s", args, err, out)
		}
	}
	out, _, err = runCLI(t, nil, "list", "--corpus", corpusDir, "nothing-like-it")
	if err != nil || !strings.Contains(out, `No article of 2 matches "nothing-like-it"`) {
		t.Errorf("list with no match: %v\n%s", err, out)
	}
}

// TestRemoveSuggestsIDs: an ID that is not in the corpus gets the nearest
// ones.
func TestRemoveSuggestsIDs(t *testing.T) {
	t.Parallel()
	corpusDir, dataDir, getenv := addTestEnv(t)
	for _, typo := range []string{"rubio-calls", "rubio-cals-munir", "RUBIO-CALLS-MUNIR"} {
		_, err := runSub(t, removeCmd, getenv, "--corpus", corpusDir, "--data", dataDir, typo)
		if err == nil || !strings.Contains(err.Error(), `did you mean rubio-calls-munir?`) {
			t.Errorf("remove %s: %v, want a suggestion", typo, err)
		}
	}
	_, err := runSub(t, removeCmd, getenv, "--corpus", corpusDir, "--data", dataDir, "ceasefire-holds")
	if err == nil || strings.Contains(err.Error(), "did you mean") || !strings.Contains(err.Error(), "crisisbot list") {
		t.Errorf("remove of an ID like none: %v, want no suggestion and a pointer to list", err)
	}
}

func TestNearestIDs(t *testing.T) {
	t.Parallel()
	ids := []string{"2025/05/strikes", "2025/05/strikes-2", "rubio-calls-munir", "ceasefire", "ceasefire-holds"}
	tests := []struct {
		id   string
		want []string
	}{
		{"strikes", []string{"2025/05/strikes", "2025/05/strikes-2"}},
		{"ceasfire", []string{"ceasefire"}},
		{"ceasefire-", []string{"ceasefire-holds", "ceasefire"}},
		{"rubio", []string{"rubio-calls-munir"}},
		{"zzz", nil},
	}
	for _, tt := range tests {
		if got := nearestIDs(tt.id, ids, 3); !slices.Equal(got, tt.want) {
			t.Errorf("nearestIDs(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

// TestEnvironmentRule: a bad environment value, a meaningless zero
// included, is a warning naming the variable and then the default — not
// an error blaming a flag, nor a silent change.
func TestEnvironmentRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value, warning string
		check                func(config) bool
	}{
		{"CRISISBOT_TOP_K", "0", `CRISISBOT_TOP_K="0" is not an integer from 1 to 50; using 6`, func(c config) bool { return c.TopK == 6 }},
		{"CRISISBOT_TOP_K", "500", `CRISISBOT_TOP_K="500"`, func(c config) bool { return c.TopK == 6 }},
		{"CRISISBOT_MAX_FILE_MB", "0", `CRISISBOT_MAX_FILE_MB="0" is not an integer of at least 1; using 10`, func(c config) bool { return c.MaxFileSize == 10<<20 }},
		{"CRISISBOT_EMBED_DIMS", "-3", `CRISISBOT_EMBED_DIMS="-3"`, func(c config) bool { return c.EmbedDims == 384 }},
		{"CRISISBOT_RATE_BURST", "0", `CRISISBOT_RATE_BURST="0"`, func(c config) bool { return c.RateBurst == 3 }},
		{"CRISISBOT_MAX_CONCURRENT", "0", `CRISISBOT_MAX_CONCURRENT="0"`, func(c config) bool { return c.MaxConcurrent == 8 }},
		{"CRISISBOT_MAX_QUESTION", "0", `CRISISBOT_MAX_QUESTION="0"`, func(c config) bool { return c.MaxQuestionLen == 500 }},
		{"CRISISBOT_RATE_PER_MINUTE", "0", `CRISISBOT_RATE_PER_MINUTE="0" is not a number above 0; using 6`, func(c config) bool { return c.RatePerMinute == 6 }},
		{"CRISISBOT_RATE_PER_MINUTE", "NaN", `CRISISBOT_RATE_PER_MINUTE="NaN"`, func(c config) bool { return c.RatePerMinute == 6 }},
		{"CRISISBOT_ANSWER_TIMEOUT", "0s", `CRISISBOT_ANSWER_TIMEOUT="0s" is not a positive duration`, func(c config) bool { return c.AnswerTimeout == 90*time.Second }},
		{"CRISISBOT_EMBEDDER", "bert", `CRISISBOT_EMBEDDER="bert" is not hash or openai; using hash`, func(c config) bool { return c.Embedder == "hash" }},
		{"CRISISBOT_MODE", "smart", `CRISISBOT_MODE="smart" is not extractive or llm; using the default`, func(c config) bool { return c.Mode == "" }},
		{"CRISISBOT_DISCORD_API", "discord.com/api", `CRISISBOT_DISCORD_API="discord.com/api" is not an http(s) URL`, func(c config) bool { return c.DiscordAPI == "https://discord.com/api/v9" }},
		{"CRISISBOT_LOG_LEVEL", "loud", `CRISISBOT_LOG_LEVEL="loud" is not debug, info, warn or error`, func(c config) bool { return c.LogLevel == slog.LevelWarn && !c.LogLevelSet }},
		{"CRISISBOT_GUILDS", "111, general ,222", `CRISISBOT_GUILDS: "general" is not a Discord ID`, func(c config) bool { return slices.Equal(c.Guilds, []string{"111", "222"}) }},
		{"CRISISBOT_GUILD_ID", "my-server", `CRISISBOT_GUILD_ID="my-server"`, func(c config) bool { return c.GuildID == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			cfg, warnings := newConfig(mapEnv(map[string]string{tt.name: tt.value}))
			if len(warnings) != 1 || !strings.Contains(warnings[0], tt.warning) {
				t.Errorf("warnings %q, want one containing %q", warnings, tt.warning)
			}
			if !tt.check(cfg) {
				t.Errorf("the default was not used: %+v", cfg)
			}
		})
	}
	// Meaningful values stand, with no warning; 0 retries means none.
	cfg, warnings := newConfig(mapEnv(map[string]string{"CRISISBOT_LLM_RETRIES": "0", "CRISISBOT_TOP_K": "50", "CRISISBOT_MODE": "extractive"}))
	if len(warnings) != 0 || cfg.LLMRetries != 0 || cfg.TopK != 50 || cfg.Mode != "extractive" {
		t.Errorf("warnings %q, config %+v", warnings, cfg)
	}

	// End to end: the command warns and answers; it does not fail blaming
	// --top-k, which the user never passed.
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir(), "CRISISBOT_TOP_K": "0"}
	out, stderr, err := runCLI(t, vars, "ask", "Who did Marco Rubio speak with on Friday?")
	if err != nil || !strings.Contains(out, "Munir") {
		t.Fatalf("ask with CRISISBOT_TOP_K=0: %v\n%s", err, out)
	}
	if !strings.Contains(stderr, `crisisbot: warning: CRISISBOT_TOP_K="0"`) || strings.Contains(stderr, "--top-k") {
		t.Errorf("stderr %q, want a warning naming CRISISBOT_TOP_K and no flag", stderr)
	}
	// A value that contradicts another is an error, naming the variable
	// the user set — or the flag, when that is what they wrote.
	vars = map[string]string{"CRISISBOT_DATA": t.TempDir(), "CRISISBOT_MODE": "llm"}
	_, _, err = runCLI(t, vars, "ask", "q")
	if err == nil || !strings.Contains(err.Error(), "CRISISBOT_MODE=llm needs OPENAI_API_KEY") {
		t.Errorf("CRISISBOT_MODE=llm without an LLM: %v", err)
	}
	_, _, err = runCLI(t, vars, "ask", "--mode", "llm", "q")
	if err == nil || !strings.Contains(err.Error(), "--mode llm needs OPENAI_API_KEY") {
		t.Errorf("--mode llm without an LLM: %v", err)
	}
	vars = map[string]string{"CRISISBOT_DATA": t.TempDir(), "OPENAI_BASE_URL": "localhost:11434"}
	_, _, err = runCLI(t, vars, "ask", "q")
	if err == nil || !strings.Contains(err.Error(), `OPENAI_BASE_URL="localhost:11434" is not an http(s) URL`) {
		t.Errorf("OPENAI_BASE_URL without a scheme: %v, want an error naming it", err)
	}
}

// TestTrashBesideTheCorpus: remove moves the file into the corpus's
// hidden .trash, never into the data (cache) directory, and the trash is
// not loaded as part of the corpus.
func TestTrashBesideTheCorpus(t *testing.T) {
	t.Parallel()
	corpusDir, dataDir, getenv := addTestEnv(t)
	if err := os.WriteFile(filepath.Join(corpusDir, "markets.md"), []byte("---\ntitle: Markets steady\n---\nShares were steady on Monday.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runSub(t, removeCmd, getenv, "--corpus", corpusDir, "--data", dataDir, "markets")
	if err != nil {
		t.Fatalf("remove: %v\n%s", err, out)
	}
	trashed, _ := filepath.Glob(filepath.Join(corpusDir, ".trash", "*-markets.md"))
	if len(trashed) != 1 {
		t.Fatalf("trash holds %q, want the removed file", trashed)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "trash")); err == nil {
		t.Errorf("a trash folder was made in the data directory")
	}
	if ids := indexedIDs(t, corpusDir, dataDir); ids["markets"] || !ids["rubio-calls-munir"] {
		t.Errorf("after remove the index holds %v", ids)
	}
	list, _, err := runCLI(t, nil, "list", "--corpus", corpusDir)
	if err != nil || strings.Contains(list, "markets") {
		t.Errorf("list after remove: %v\n%s", err, list)
	}
}

// TestIndexPrune: --prune deletes the index folders of corpora that are
// gone and says which; the built-in corpus's, the current corpus's and
// folders it cannot judge stay.
func TestIndexPrune(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	gone, kept := filepath.Join(t.TempDir(), "old-articles"), t.TempDir()
	for _, dir := range []string{gone, kept} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "a.md"), []byte(addSeed), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := runCLI(t, nil, "index", "--corpus", dir, "--data", data); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := runCLI(t, nil, "index", "--data", data); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(data, "legacy-0123456789ab")
	if err := os.MkdirAll(unknown, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(gone); err != nil {
		t.Fatal(err)
	}
	goneIndex := indexDir(config{Corpus: gone, Data: data})
	out, _, err := runCLI(t, nil, "index", "--corpus", kept, "--data", data, "--prune")
	if err != nil {
		t.Fatalf("index --prune: %v\n%s", err, out)
	}
	for _, want := range []string{"pruned 1 index of corpora that no longer exist:\n  " + gone, "kept 1 folder that record no corpus", unknown, "1 articles"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(goneIndex); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the gone corpus's index is still there: %v", err)
	}
	for _, dir := range []string{indexDir(config{Corpus: kept, Data: data}), filepath.Join(data, "builtin"), unknown} {
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("%s was pruned: %v", dir, err)
		}
	}
	out, _, _ = runCLI(t, nil, "index", "--corpus", kept, "--data", data, "--prune")
	if !strings.Contains(out, "pruned nothing") {
		t.Errorf("second prune:\n%s", out)
	}
}

// TestIndexReportIsShort: a report names at most a few IDs of each kind
// of change, with the counts.
func TestIndexReportIsShort(t *testing.T) {
	t.Parallel()
	corpusDir := t.TempDir()
	for i := range 40 {
		body := fmt.Sprintf("---\ntitle: Report %d\n---\nThe border stayed quiet on day %d of the ceasefire.\n", i, i)
		if err := os.WriteFile(filepath.Join(corpusDir, fmt.Sprintf("report-%02d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := runCLI(t, nil, "index", "--corpus", corpusDir, "--data", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "added (40): report-00, report-01, report-02, report-03, report-04 and 35 more\n") {
		t.Errorf("report:\n%s", out)
	}
	if strings.Contains(out, "\r") || strings.Contains(out, "\x1b") {
		t.Errorf("piped output holds terminal control: %q", out)
	}
}

// TestAddMany adds several files at once: each gets a line, a file that
// fails does not stop the others, the index is refreshed once, and the
// command exits 1 for the failure.
func TestAddMany(t *testing.T) {
	t.Parallel()
	corpusDir, dataDir, getenv := addTestEnv(t)
	files := []string{
		writeAddFile(t, "story.md", addMarkdown),
		filepath.Join(t.TempDir(), "missing.md"),
		writeAddFile(t, "page.html", addHTML),
	}
	out, err := runSub(t, addCmd, getenv, append([]string{"--corpus", corpusDir, "--data", dataDir}, files...)...)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "1 of 3 could not be added") {
		t.Errorf("add of three, one missing: %v, want exit 1", err)
	}
	for _, want := range []string{"added   2025-05-11-ceasefire-holds-on-first-night: Ceasefire holds on first night (The Frontier Post)", "failed  " + files[1], "2 articles added, 1 failed", "\nIndex:\n", "added (2): "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "\nIndex:\n") != 1 {
		t.Errorf("the index was reported more than once:\n%s", out)
	}
	if ids := indexedIDs(t, corpusDir, dataDir); len(ids) != 3 {
		t.Errorf("the index holds %v, want the seed and the two added", ids)
	}
}

// TestProgressBar draws on a terminal (here a buffer said to be one): a
// bar of items, redrawn in place and erased at the end; with no terminal
// there is no bar at all.
func TestProgressBar(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	clock := time.Unix(0, 0)
	tick := func() time.Time { clock = clock.Add(time.Second); return clock }
	quick := newProgress(&b, "eval", "questions", 4)
	quick.now = func() time.Time { return quick.start.Add(barDelay / 2) }
	quick.step()
	quick.finish()
	if b.Len() != 0 {
		t.Errorf("work done within %s drew a bar: %q", barDelay, b.String())
	}
	p := newProgress(&b, "eval", "questions", 4)
	p.now, p.start = tick, clock
	p.step()
	if got := b.String(); got != "\reval [#######-----------------------]  25%  1/4 questions\x1b[K" {
		t.Errorf("after one step: %q", got)
	}
	p.step()
	p.step()
	p.step()
	if !strings.HasSuffix(b.String(), "\reval [##############################] 100%  4/4 questions\x1b[K") {
		t.Errorf("at the end: %q", b.String())
	}
	p.finish()
	if !strings.HasSuffix(b.String(), "\r\x1b[K") {
		t.Errorf("finish did not erase the bar: %q", b.String())
	}
	n := b.Len()
	p.step()
	if b.Len() != n {
		t.Errorf("a finished bar drew again")
	}

	b.Reset()
	e := newEstimatedProgress(&b, "indexing", "passages embedded", 1000)
	e.now, e.start = tick, clock
	e.add(2000, 7) // an estimate that fell short stays below 100%
	if got := b.String(); got != "\rindexing [#############################-]  99%  7 passages embedded\x1b[K" {
		t.Errorf("estimated bar: %q", got)
	}

	var nilBar *progressBar
	nilBar.step()
	nilBar.clear()
	nilBar.finish()
	if newProgress(terminalOf(&b), "x", "y", 1) != nil {
		t.Errorf("a buffer was taken for a terminal")
	}
}

// TestServeRejectedToken: a token Discord refuses is reported before
// anything is indexed, saying what to do.
func TestServeRejectedToken(t *testing.T) {
	t.Parallel()
	dc := fakediscord.New(t, fakediscord.Config{Token: "the-right-token"})
	data := t.TempDir()
	vars := map[string]string{"DISCORD_TOKEN": "a-reset-token", "CRISISBOT_DATA": data, "CRISISBOT_GUILD_ID": fakediscord.DefaultGuildID}
	for _, args := range [][]string{{"serve", "--discord-api", dc.APIBase()}, {"commands", "sync", "--discord-api", dc.APIBase()}} {
		var out, stderr bytes.Buffer
		err := run(context.Background(), args, mapEnv(vars), &out, &stderr)
		if err == nil || !strings.Contains(err.Error(), "the token was rejected — reset it under Bot in the Developer Portal") {
			t.Errorf("%s with a rejected token: %v", args[0], err)
		}
		if strings.Contains(err.Error(), "a-reset-token") || strings.Contains(stderr.String(), "a-reset-token") {
			t.Errorf("the token appears in the error or the log")
		}
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("serve indexed before checking the token: the data directory holds %d entries", len(entries))
	}
}

// TestAskRejectedKey: an LLM server that answers 401 — in OpenAI's error
// shape or another's — gets an answer from the sources that says the key
// was rejected, not that the model could not be reached, and no log line
// with "%!s(<nil>)".
func TestAskRejectedKey(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`,
		`{"detail":"Not authenticated"}`,
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, body)
		}))
		vars := map[string]string{"CRISISBOT_DATA": t.TempDir(), "OPENAI_API_KEY": "sk-wrong", "OPENAI_BASE_URL": srv.URL + "/v1"}
		out, stderr, err := runCLI(t, vars, "ask", "Who did Marco Rubio speak with on Friday?")
		srv.Close()
		if err != nil {
			t.Fatalf("ask: %v\n%s", err, stderr)
		}
		if !strings.HasPrefix(out, "(The language model's server rejected the API key, so this answer quotes the sources directly.)") || !strings.Contains(out, "Munir") {
			t.Errorf("answer:\n%s", out)
		}
		if !strings.Contains(stderr, "the API key was rejected") || strings.Contains(stderr, "could not be reached") || strings.Contains(stderr, "%!") {
			t.Errorf("stderr:\n%s", stderr)
		}
		if strings.Contains(stderr, "sk-wrong") {
			t.Errorf("the key appears in the log")
		}
	}
}

// TestPlainLog: the quiet terminal's log lines are plain sentences, with
// attributes in brackets and what a terminal would act on quoted.
func TestPlainLog(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	log := slog.New(newPlainHandler(&b, slog.LevelWarn))
	log.Info("not shown")
	log.Warn("llm failed; answering extractively", "err", errors.New("status 401"))
	log.With("dir", "/tmp/a b").WithGroup("g").Error("cannot save", "path", "x\x1b[2J", "n", 3)
	want := "crisisbot: warning: llm failed; answering extractively (err=\"status 401\")\n" +
		"crisisbot: error: cannot save (dir=\"/tmp/a b\", g.path=\"x\\x1b[2J\", g.n=3)\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestIndexRejectedKey: an embeddings server that answers 401 fails the
// index saying the key was rejected, with no "%!s(<nil>)" when its body
// is not OpenAI's error object.
func TestIndexRejectedKey(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"detail":"Not authenticated"}`)
	}))
	defer srv.Close()
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir(), "OPENAI_API_KEY": "sk-wrong", "OPENAI_BASE_URL": srv.URL + "/v1", "CRISISBOT_EMBEDDER": "openai"}
	_, stderr, err := runCLI(t, vars, "index")
	if err == nil || !strings.Contains(err.Error(), "the API key was rejected") || !strings.Contains(err.Error(), `body: {"detail":"Not authenticated"}`) || strings.Contains(err.Error(), "%!") {
		t.Errorf("index with a rejected key: %v", err)
	}
	if strings.Contains(stderr+fmt.Sprint(err), "sk-wrong") {
		t.Errorf("the key appears in the error or the log")
	}
}

// TestGenericHelp: a command whose flag set comes from flagSet, with no
// commandDoc, still prints its usage and flags on stdout for --help.
func TestGenericHelp(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	fs := flagSet("example", &out)
	fs.Bool("json", false, "print JSON")
	fs.Int("days", 7, "look back `N` days")
	if err := fs.Parse([]string{"--help"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("parse --help: %v", err)
	}
	want := "Usage:\n  crisisbot example [flags]\n\nFlags:\n  --days N  look back N days (default 7)\n  --json    print JSON\n"
	if out.String() != want || errOut.Len() != 0 {
		t.Errorf("help:\n%s\nwant:\n%s", out.String(), want)
	}
}
