package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fetch"
)

// addSeed is an article every test corpus starts with, so that removing
// another one never leaves the corpus empty.
const addSeed = `---
title: Rubio calls Munir
published: 2025-05-08
source: Seed Wire
---
Secretary of State Marco Rubio spoke with Pakistan's army chief, General Asim Munir, and urged de-escalation.
`

// addMarkdown is a Markdown article to add.
const addMarkdown = `---
title: Ceasefire holds on first night
url: https://frontier.example.com/world/ceasefire-holds?utm_source=x
source: The Frontier Post
author: Amina Qureshi
published: 2025-05-11
tags: [ceasefire, LoC]
---
# Ceasefire holds on first night

Guns fell silent along most of the Line of Control on Saturday night, hours after India and Pakistan agreed to stop all firing.

Residents of Uri and Poonch said they heard only sporadic gunfire after midnight and nothing at all by dawn.

The two sides will talk again on Monday to review how the understanding is holding.

Analysts cautioned that the ceasefire remained fragile.
`

// addHTML is a news page with furniture around the story.
const addHTML = `<!DOCTYPE html>
<html><head>
<title>Drones sighted over Srinagar | The Valley Times</title>
<meta property="og:site_name" content="The Valley Times">
<meta property="article:published_time" content="2025-05-10T21:00:00Z">
<meta name="author" content="Imran Shah">
<link rel="canonical" href="https://valley.example.com/2025/05/10/drones-srinagar">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World NAVLINK</a></nav>
<div class="ad-slot">ADVERT buy now</div>
<article>
<h1>Drones sighted over Srinagar</h1>
<p>Drones were sighted over Srinagar late on Saturday, hours after the ceasefire between India and Pakistan took effect, and air-defence guns opened fire.</p>
<p>The chief minister of Jammu and Kashmir wrote that the ceasefire had been broken and that explosions could be heard across the city.</p>
<p>India's foreign secretary later said there had been repeated violations and that the army had been told to respond strongly.</p>
<aside class="related"><a href="/x">RELATED story</a></aside>
</article>
<footer>FOOTER copyright The Valley Times</footer>
</body></html>
`

// addTestEnv makes a corpus holding the seed article and a data directory
// with its index, and returns them with the environment the commands see.
func addTestEnv(tb testing.TB) (corpusDir, dataDir string, getenv func(string) string) {
	tb.Helper()
	corpusDir, dataDir = tb.TempDir(), tb.TempDir()
	if err := os.WriteFile(filepath.Join(corpusDir, "rubio-calls-munir.md"), []byte(addSeed), 0o644); err != nil {
		tb.Fatal(err)
	}
	if ids := indexedIDs(tb, corpusDir, dataDir); len(ids) != 1 {
		tb.Fatalf("the seed index holds %v", ids)
	}
	env := map[string]string{"USER": "tester", "CRISISBOT_LOG_LEVEL": "error"}
	return corpusDir, dataDir, func(k string) string { return env[k] }
}

// writeAddFile writes content to a file named name in a new directory
// outside the corpus and returns its path.
func writeAddFile(tb testing.TB, name, content string) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

// runSub runs one of the add and remove commands and returns its stdout.
func runSub(tb testing.TB, cmd func(context.Context, []string, func(string) string, *bytes.Buffer, *bytes.Buffer) error, getenv func(string) string, args ...string) (string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := cmd(context.Background(), args, getenv, &out, &errOut)
	if err != nil && errOut.Len() > 0 {
		tb.Logf("stderr: %s", errOut.String())
	}
	return out.String(), err
}

// addCmd and removeCmd adapt runAdd and runRemove to [runSub].
func addCmd(ctx context.Context, args []string, getenv func(string) string, out, errOut *bytes.Buffer) error {
	return runAdd(ctx, args, getenv, out, errOut)
}

func removeCmd(ctx context.Context, args []string, getenv func(string) string, out, errOut *bytes.Buffer) error {
	return runRemove(ctx, args, getenv, out, errOut)
}

// indexedIDs opens the index of corpusDir in dataDir and returns the IDs of
// the articles it serves.
func indexedIDs(tb testing.TB, corpusDir, dataDir string) map[string]bool {
	tb.Helper()
	cfg, _ := newConfig(func(string) string { return "" })
	cfg.Corpus, cfg.Data = corpusDir, dataDir
	lib, _, err := openLibrary(context.Background(), cfg, slog.New(slog.DiscardHandler), true)
	if err != nil {
		tb.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range lib.Current().Articles() {
		ids[a.ID] = true
	}
	return ids
}

// loadAdded loads the corpus and returns the article with the given ID.
func loadAdded(tb testing.TB, corpusDir, id string) corpus.Article {
	tb.Helper()
	res, err := corpus.LoadDir(context.Background(), corpusDir, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, a := range res.Articles {
		if a.ID == id {
			return a
		}
	}
	tb.Fatalf("article %s not in the corpus", id)
	return corpus.Article{}
}

func TestAddFiles(t *testing.T) {
	tests := []struct {
		name, file, content string
		args                []string // before the file
		wantID              string
		wantOut             []string
		wantBy              string
		notInText           []string
	}{
		{
			name: "markdown", file: "story.md", content: addMarkdown,
			wantID: "2025-05-11-ceasefire-holds-on-first-night",
			wantOut: []string{
				"Added 2025-05-11-ceasefire-holds-on-first-night", "title:   Ceasefire holds on first night",
				"date:    2025-05-11", "outlet:  The Frontier Post", "length:  ",
				"text:    Ceasefire holds on first night\n", "Guns fell silent", "Residents of Uri", "…",
				"added (1): 2025-05-11-ceasefire-holds-on-first-night",
			},
			wantBy: "tester",
		},
		{
			name: "html", file: "page.html", content: addHTML, args: []string{"--by", "Moderator Mo"},
			wantID: "2025-05-10-drones-sighted-over-srinagar",
			wantOut: []string{
				"title:   Drones sighted over Srinagar", "date:    2025-05-10", "outlet:  The Valley Times",
				"text:    Drones were sighted over Srinagar",
			},
			wantBy:    "Moderator Mo",
			notInText: []string{"NAVLINK", "ADVERT", "RELATED", "FOOTER"},
		},
		{
			name: "plain text", file: "notes.txt",
			content: "Talks to resume on Monday\n\n" + strings.Repeat("Military officials of India and Pakistan will talk again on Monday. ", 4),
			wantID:  "talks-to-resume-on-monday",
			wantOut: []string{"title:   Talks to resume on Monday", "date:    unknown", "outlet:  unknown"},
			wantBy:  "tester",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			corpusDir, dataDir, getenv := addTestEnv(t)
			file := writeAddFile(t, tt.file, tt.content)
			args := append([]string{"--corpus", corpusDir, "--data", dataDir}, tt.args...)
			out, err := runSub(t, addCmd, getenv, append(args, file)...)
			if err != nil {
				t.Fatalf("add: %v\n%s", err, out)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			a := loadAdded(t, corpusDir, tt.wantID)
			if a.AddedBy != tt.wantBy {
				t.Errorf("added_by = %q, want %q", a.AddedBy, tt.wantBy)
			}
			for _, s := range tt.notInText {
				if strings.Contains(a.Text, s) {
					t.Errorf("the added text holds %q:\n%s", s, a.Text)
				}
			}
			if ids := indexedIDs(t, corpusDir, dataDir); !ids[tt.wantID] || !ids["rubio-calls-munir"] {
				t.Errorf("the index holds %v, want %s and the seed", ids, tt.wantID)
			}
		})
	}
}

func TestAddCorpusFromEnvironment(t *testing.T) {
	corpusDir, dataDir, _ := addTestEnv(t)
	env := map[string]string{"CRISISBOT_CORPUS": corpusDir, "CRISISBOT_DATA": dataDir, "USER": "env-user", "CRISISBOT_LOG_LEVEL": "error"}
	file := writeAddFile(t, "story.md", addMarkdown)
	if _, err := runSub(t, addCmd, func(k string) string { return env[k] }, file); err != nil {
		t.Fatal(err)
	}
	if a := loadAdded(t, corpusDir, "2025-05-11-ceasefire-holds-on-first-night"); a.AddedBy != "env-user" {
		t.Errorf("added_by = %q, want env-user", a.AddedBy)
	}
}

func TestAddRefusesDuplicate(t *testing.T) {
	corpusDir, dataDir, getenv := addTestEnv(t)
	if _, err := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, writeAddFile(t, "story.md", addMarkdown)); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	// The same story again, under another URL differing only in tracking
	// parameters, and as a copy with only its text the same.
	sameURL := strings.Replace(addMarkdown, "?utm_source=x", "?utm_source=y#top", 1)
	sameURL = strings.Replace(sameURL, "Analysts cautioned", "Analysts warned", 1)
	sameText := strings.Replace(addMarkdown, "frontier.example.com/world", "mirror.example.org/copy", 1)
	for name, content := range map[string]string{"url": sameURL, "text": sameText} {
		t.Run(name, func(t *testing.T) {
			out, err := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, writeAddFile(t, "again.md", content))
			var dup *corpus.DuplicateError
			if !errors.As(err, &dup) || dup.By != name {
				t.Fatalf("second add = %v, want a duplicate by %s", err, name)
			}
			if msg := err.Error(); !strings.Contains(msg, "already in the corpus as 2025-05-11-ceasefire-holds-on-first-night") {
				t.Errorf("error %q does not name the existing article", msg)
			}
			if exitCode(err) == 0 {
				t.Error("a duplicate exits 0")
			}
			if strings.Contains(out, "Added") {
				t.Errorf("output claims an add:\n%s", out)
			}
			after, err := os.ReadDir(corpusDir)
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(before) {
				t.Errorf("the corpus went from %d to %d files", len(before), len(after))
			}
		})
	}
}

func TestAddThenRemove(t *testing.T) {
	corpusDir, dataDir, getenv := addTestEnv(t)
	const id = "2025-05-11-ceasefire-holds-on-first-night"
	if _, err := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, writeAddFile(t, "story.md", addMarkdown)); err != nil {
		t.Fatal(err)
	}
	out, err := runSub(t, removeCmd, getenv, "--corpus", corpusDir, "--data", dataDir, id)
	if err != nil {
		t.Fatalf("remove: %v\n%s", err, out)
	}
	// The trash is beside the articles, hidden, not in the data directory
	// that cache cleaners empty.
	trash := filepath.Join(corpusDir, ".trash")
	entries, err := os.ReadDir(trash)
	if err != nil || len(entries) != 1 || !strings.HasSuffix(entries[0].Name(), "-"+id+".md") {
		t.Fatalf("trash holds %v (%v), want the removed file", entries, err)
	}
	trashed := filepath.Join(trash, entries[0].Name())
	for _, w := range []string{"Removed " + id, filepath.Join(corpusDir, id+".md"), trashed, "removed (1): " + id} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if _, err := os.Stat(filepath.Join(corpusDir, id+".md")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file is still in the corpus: %v", err)
	}
	if ids := indexedIDs(t, corpusDir, dataDir); ids[id] || !ids["rubio-calls-munir"] {
		t.Errorf("after remove the index holds %v, want only the seed", ids)
	}

	_, err = runSub(t, removeCmd, getenv, "--corpus", corpusDir, "--data", dataDir, id)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), id) {
		t.Errorf("removing it again = %v, want a not-found error naming it", err)
	}
	_, err = runSub(t, removeCmd, getenv, "--corpus", corpusDir, "--data", dataDir, "../"+filepath.Base(corpusDir)+"/rubio-calls-munir")
	if err == nil || !strings.Contains(err.Error(), "..") {
		t.Errorf("removing by a path with .. = %v, want a refusal", err)
	}
}

// TestAddRefusesLoopbackURL shows that the fetcher crisisbot add uses
// cannot reach the machine it runs on: the test server never sees a
// request.
func TestAddRefusesLoopbackURL(t *testing.T) {
	var reached atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, addHTML)
	}))
	t.Cleanup(srv.Close)
	corpusDir, dataDir, getenv := addTestEnv(t)
	for _, u := range []string{srv.URL + "/story", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/story"} {
		_, err := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, u)
		if !errors.Is(err, fetch.ErrForbiddenAddress) || !strings.Contains(err.Error(), "is loopback") {
			t.Errorf("add %s = %v, want a refusal of the loopback address", u, err)
		}
	}
	_, err := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, "file:///etc/passwd")
	if err == nil || !strings.Contains(err.Error(), `scheme "file" refused`) {
		t.Errorf("add file:///etc/passwd = %v, want the scheme refused", err)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("the loopback server was reached %d times", n)
	}
	if entries, _ := os.ReadDir(corpusDir); len(entries) != 1 {
		t.Errorf("the corpus holds %d files, want only the seed", len(entries))
	}
}

func TestAddRemoveUsageErrors(t *testing.T) {
	corpusDir, dataDir, getenv := addTestEnv(t)
	file := writeAddFile(t, "story.md", addMarkdown)
	tests := []struct {
		name string
		cmd  func(context.Context, []string, func(string) string, *bytes.Buffer, *bytes.Buffer) error
		args []string
		want string
	}{
		{"add without corpus", addCmd, []string{"--data", dataDir, file}, "the built-in corpus is read-only"},
		{"add without argument", addCmd, []string{"--corpus", corpusDir, "--data", dataDir}, "want at least one URL or file"},
		{"remove without corpus", removeCmd, []string{"--data", dataDir, "x"}, "the built-in corpus is read-only"},
		{"remove without ID", removeCmd, []string{"--corpus", corpusDir, "--data", dataDir}, "want exactly one article ID"},
		{"remove with two", removeCmd, []string{"--corpus", corpusDir, "--data", dataDir, "a", "b"}, "want exactly one article ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := runSub(t, tt.cmd, getenv, tt.args...)
			var u usageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want a usage error containing %q", err, tt.want)
			}
			if exitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", exitCode(err))
			}
		})
	}
}

func TestAddRefusesBadFiles(t *testing.T) {
	corpusDir, dataDir, getenv := addTestEnv(t)
	big := writeAddFile(t, "big.md", "")
	if err := os.Truncate(big, corpus.DefaultMaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{writeAddFile(t, "doc.pdf", "%PDF"), "want a .md, .txt or .html file"},
		{writeAddFile(t, "stub.html", "<html><body><p>Subscribe to read.</p></body></html>"), "not an article?"},
		{writeAddFile(t, "bad.md", "---\ntitle: [unclosed\n---\nText."), "bad front matter"},
		{big, "over the 10.0 MiB (10485760 bytes) limit"},
		{filepath.Join(t.TempDir(), "missing.md"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			_, err := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("add %s = %v, want an error containing %q", tt.path, err, tt.want)
			}
		})
	}
}

// TestAddUsesTheConfiguredSizeLimit: add refuses what the index would
// refuse, rather than saving an article the next reload cannot load.
func TestAddUsesTheConfiguredSizeLimit(t *testing.T) {
	corpusDir, dataDir, _ := addTestEnv(t)
	env := map[string]string{"USER": "tester", "CRISISBOT_LOG_LEVEL": "error", "CRISISBOT_MAX_FILE_MB": "1"}
	getenv := func(k string) string { return env[k] }
	big := writeAddFile(t, "big.md", "---\ntitle: A long report\n---\n"+strings.Repeat("The ceasefire held overnight. ", 50_000))
	_, err := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, big)
	if err == nil || !strings.Contains(err.Error(), "over the 1.0 MiB (1048576 bytes) limit") {
		t.Errorf("add of a 1.5 MB file with a 1 MiB limit = %v, want it refused", err)
	}
	if ids := indexedIDs(t, corpusDir, dataDir); len(ids) != 1 {
		t.Errorf("the index holds %v, want only the seed", ids)
	}
}

// TestAskDoesNotQuoteLinkedSecrets: a symbolic link in the corpus to a file
// outside it — a secrets file — is not loaded, so crisisbot ask cannot
// quote it; index reports the link.
func TestAskDoesNotQuoteLinkedSecrets(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secrets.md")
	if err := os.WriteFile(secret, []byte("The DISCORD_TOKEN of the bot is DISCORD_TOKEN=abc.def and must stay secret.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	corpusDir, dataDir := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(corpusDir, "rubio-calls-munir.md"), []byte(addSeed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(corpusDir, "notes.md")); err != nil {
		t.Skipf("cannot make symlinks here: %v", err)
	}
	vars := map[string]string{"CRISISBOT_LOG_LEVEL": "error"}
	out, _, err := runCLI(t, vars, "index", "--corpus", corpusDir, "--data", dataDir)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("index with a file it refused: %v, want exit status 1", err)
	}
	if !strings.Contains(out, "failed: notes.md: symlink leads out of the corpus") {
		t.Errorf("index does not report the link:\n%s", out)
	}
	for _, args := range [][]string{{"What is the DISCORD_TOKEN of the bot?"}, {"--json", "DISCORD_TOKEN secret"}} {
		out, stderr, err := runCLI(t, vars, append([]string{"ask", "--corpus", corpusDir, "--data", dataDir}, args...)...)
		if err != nil {
			t.Fatalf("ask: %v\n%s", err, stderr)
		}
		if strings.Contains(out+stderr, "abc.def") {
			t.Errorf("ask %q quotes the secret:\n%s%s", args, out, stderr)
		}
	}
}

// TestCLIQuotesControlCharacterNames: index, add and remove print a file
// name or ID holding an escape sequence quoted, never raw.
func TestCLIQuotesControlCharacterNames(t *testing.T) {
	corpusDir := filepath.Join(t.TempDir(), "corpus\x1b]0;owned\x07")
	if err := os.Mkdir(corpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	evilID := "seed\x1b[2J"
	files := map[string]string{
		evilID + ".md":     addSeed,
		"bad\x1b[31m.md":   "---\ntitle: [unclosed\n---\nText.",
		"other-article.md": "---\ntitle: Markets steady\n---\nShares were steady on Monday as traders watched the border.\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vars := map[string]string{"USER": "tester", "CRISISBOT_LOG_LEVEL": "error"}
	getenv := mapEnv(vars)
	flags := []string{"--corpus", corpusDir, "--data", dataDir}
	index, _, err := runCLI(t, vars, append([]string{"index"}, flags...)...)
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Fatalf("index with a bad file: %q, want a failure that quotes names", err)
	}
	add, err := runSub(t, addCmd, getenv, append(flags, writeAddFile(t, "story.md", addMarkdown))...)
	if err != nil {
		t.Fatal(err)
	}
	remove, err := runSub(t, removeCmd, getenv, append(flags, evilID)...)
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"index": index, "add": add, "remove": remove} {
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s prints a control character raw:\n%q", name, out)
		}
	}
	for _, want := range []string{strconv.Quote("bad\x1b[31m.md") + ": bad front matter", strconv.Quote(evilID)} {
		if !strings.Contains(index, want) {
			t.Errorf("index output lacks %q:\n%s", want, index)
		}
	}
	if !strings.Contains(remove, "Removed "+strconv.Quote(evilID)) {
		t.Errorf("remove output lacks the quoted ID:\n%s", remove)
	}
}
