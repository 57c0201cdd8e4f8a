package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

// feedSite is a loopback outlet serving an RSS 2.0 feed, an Atom feed, a
// broken feed and the article pages they link to.
type feedSite struct {
	*httptest.Server
	mu    sync.Mutex
	rss   string
	atom  string
	pages map[string]string
}

func newFeedSite(tb testing.TB) *feedSite {
	tb.Helper()
	s := &feedSite{pages: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch r.URL.Path {
		case "/rss.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, s.rss)
		case "/atom.xml":
			w.Header().Set("Content-Type", "application/atom+xml")
			io.WriteString(w, s.atom)
		case "/down.xml":
			http.Error(w, "down", http.StatusInternalServerError)
		default:
			if p, ok := s.pages[r.URL.Path]; ok {
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, p)
				return
			}
			http.NotFound(w, r)
		}
	}))
	tb.Cleanup(s.Close)
	return s
}

func (s *feedSite) set(rss, atom string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rss, s.atom = rss, atom
}

func (s *feedSite) page(path, title, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = fmt.Sprintf(`<!DOCTYPE html><html><head><title>%s</title></head><body><article><h1>%s</h1><p>%s</p><p>%s</p></article></body></html>`, title, title, text,
		"Officials from both countries said the talks between their military operations directorates would continue later in the week.")
}

// runFeedsCLI runs "crisisbot feeds ARGS" allowed to reach loopback.
func runFeedsCLI(tb testing.TB, getenv func(string) string, args ...string) (string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := runFeedsWith(context.Background(), args, getenv, &out, &errOut, fetchtest.AllowLoopback(tb))
	if err != nil && errOut.Len() > 0 {
		tb.Logf("stderr: %s", errOut.String())
	}
	return out.String(), err
}

func TestFeedsCLI(t *testing.T) {
	corpusDir, dataDir, getenv := addTestEnv(t)
	site := newFeedSite(t)
	site.page("/lahore", "Drone shot down over Lahore", "Pakistan's army said its air defences shot down an Indian drone over Lahore's Walton cantonment on Thursday morning, and that nobody was hurt.")
	site.page("/flights", "Flights resume at Srinagar", "Srinagar airport reopened to civilian flights on Monday after being shut for five days, the Airports Authority of India said.")
	site.set(
		`<?xml version="1.0"?><rss version="2.0"><channel><title>Frontier Wire</title>
<item><guid>w1</guid><title>Drone shot down over Lahore</title><link>`+site.URL+`/lahore</link><pubDate>Thu, 08 May 2025 06:00:00 GMT</pubDate></item>
</channel></rss>`,
		`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Atom</title><id>urn:v</id><updated>2025-05-12T00:00:00Z</updated></feed>`)
	flags := []string{"--corpus", corpusDir, "--data", dataDir}

	out, err := runFeedsCLI(t, getenv, append([]string{"add", site.URL + "/rss.xml"}, flags...)...)
	if err != nil || !strings.Contains(out, "Following "+site.URL+"/rss.xml") {
		t.Fatalf("feeds add: %v\n%s", err, out)
	}
	if _, err := runFeedsCLI(t, getenv, append(append([]string{"add"}, flags...), site.URL+"/atom.xml", "--label", "The Valley Times")...); err != nil {
		t.Fatalf("feeds add --label: %v", err)
	}
	if _, err := runFeedsCLI(t, getenv, append([]string{"add", site.URL + "/down.xml"}, flags...)...); err != nil {
		t.Fatalf("feeds add: %v", err)
	}

	out, err = runFeedsCLI(t, getenv, append([]string{"poll"}, flags...)...)
	if err != nil {
		t.Fatalf("feeds poll: %v\n%s", err, out)
	}
	for _, want := range []string{"Polled 3 feed(s), 0 unchanged: 1 new article(s).", "Drone shot down over Lahore — Frontier Wire <" + site.URL + "/lahore>", "Failed:\n  " + site.URL + "/down.xml", "Index:\n2 articles"} {
		if !strings.Contains(out, want) {
			t.Errorf("poll output lacks %q:\n%s", want, out)
		}
	}

	// The Atom feed changes; the RSS one repeats what it had.
	site.set(strings.Replace(site.rss, "</channel>", `<item><guid>w1-again</guid><title>Drone shot down over Lahore</title><link>`+site.URL+`/lahore?utm_source=rss</link></item></channel>`, 1),
		strings.Replace(site.atom, "</feed>", `<entry><id>urn:v1</id><title>Flights resume at Srinagar</title><link href="`+site.URL+`/flights"/><updated>2025-05-12T07:00:00Z</updated></entry></feed>`, 1))
	out, err = runFeedsCLI(t, getenv, append([]string{"poll"}, flags...)...)
	if err != nil {
		t.Fatalf("feeds poll: %v\n%s", err, out)
	}
	if !strings.Contains(out, "1 new article(s).") || !strings.Contains(out, "Flights resume at Srinagar — The Valley Times") {
		t.Errorf("second poll:\n%s", out)
	}
	if got := len(indexedIDs(t, corpusDir, dataDir)); got != 3 {
		t.Errorf("index holds %d articles, want 3 (seed and two from feeds)", got)
	}

	out, err = runFeedsCLI(t, getenv, append([]string{"list"}, flags...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"outlet:       Frontier Wire", "outlet:       The Valley Times", "failing:      2 time(s) in a row", "last error:   fetch " + site.URL + "/down.xml: server answered 500"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}

	if strings.Count(out, "last attempt: ") != 3 || strings.Contains(out, "last attempt: never") {
		t.Errorf("list does not show each feed's last attempt:\n%s", out)
	}

	// The articles answer questions.
	vars := map[string]string{"CRISISBOT_LOG_LEVEL": "error"}
	out, stderr, err := runCLI(t, vars, "ask", "--json", "--corpus", corpusDir, "--data", dataDir, "When did Srinagar airport reopen to civilian flights?")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, stderr)
	}
	var got struct {
		Answer    string `json:"answer"`
		Citations []struct {
			Article string `json:"article"`
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("ask output: %v\n%s", err, out)
	}
	if !strings.Contains(got.Answer, "Monday") || len(got.Citations) == 0 || !strings.Contains(got.Citations[0].Article, "flights-resume-at-srinagar") {
		t.Errorf("ask answered %q citing %+v", got.Answer, got.Citations)
	}

	out, err = runFeedsCLI(t, getenv, append([]string{"remove", site.URL + "/down.xml"}, flags...)...)
	if err != nil || !strings.Contains(out, "Stopped following") {
		t.Errorf("remove: %v\n%s", err, out)
	}
	// The state is in the journal's database, not in a file of its own.
	if _, err := os.Stat(filepath.Join(journalDir(dataDir), "journal.db")); err != nil {
		t.Errorf("no journal database: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, feeds.StateFile)); err == nil {
		t.Errorf("%s written beside the database", feeds.StateFile)
	}
}

// TestFeedsCLIFallback: when the journal's database can't be opened (here
// its directory is a file), the feeds commands warn and keep the state in
// the JSON file.
func TestFeedsCLIFallback(t *testing.T) {
	corpusDir, dataDir, getenv := addTestEnv(t)
	quiet := getenv
	getenv = func(k string) string { // warnings shown, as by default
		if k == "CRISISBOT_LOG_LEVEL" {
			return ""
		}
		return quiet(k)
	}
	if err := os.WriteFile(journalDir(dataDir), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--corpus", corpusDir, "--data", dataDir}
	var out, errOut bytes.Buffer
	if err := runFeedsWith(context.Background(), append([]string{"add", "https://wire.example.com/rss.xml"}, flags...), getenv, &out, &errOut); err != nil {
		t.Fatalf("feeds add without the database: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "warning") || !strings.Contains(errOut.String(), feeds.StateFile) {
		t.Errorf("no warning naming the state file:\n%s", errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dataDir, feeds.StateFile)); err != nil {
		t.Errorf("the fallback wrote no %s: %v", feeds.StateFile, err)
	}
	list, err := runFeedsCLI(t, getenv, append([]string{"list"}, flags...)...)
	if err != nil || !strings.Contains(list, "https://wire.example.com/rss.xml") {
		t.Errorf("list without the database: %v\n%s", err, list)
	}
}

func TestFeedsCLIUsage(t *testing.T) {
	corpusDir, dataDir, getenv := addTestEnv(t)
	for _, args := range [][]string{
		{},
		{"bogus"},
		{"add"},
		{"add", "--corpus", corpusDir, "--data", dataDir},
		{"list", "extra", "--corpus", corpusDir, "--data", dataDir},
		{"list", "--data", dataDir},
	} {
		_, err := runFeedsCLI(t, getenv, args...)
		if exitCode(err) != 2 {
			t.Errorf("feeds %q: %v, want a usage error", args, err)
		}
	}
	_, err := runFeedsCLI(t, getenv, "add", "http://10.0.0.1/feed.xml", "--corpus", corpusDir, "--data", dataDir)
	if err == nil || !strings.Contains(err.Error(), "private") {
		t.Errorf("add of a private feed: %v", err)
	}
}

// TestServeFollowsFeeds runs serve over a corpus directory: /feeds is
// wired to the state the CLI writes, in the journal's database, and serve
// stops, poller and all, on cancel.
func TestServeFollowsFeeds(t *testing.T) {
	const token = "serve-feeds-token-SECRET"
	corpusDir, dataDir, _ := addTestEnv(t)
	dc := fakediscord.New(t, fakediscord.Config{Token: token, Validator: specvalidate.Require(t, discordSpec)})
	vars := map[string]string{
		"DISCORD_TOKEN":              token,
		"CRISISBOT_CORPUS":           corpusDir,
		"CRISISBOT_DATA":             dataDir,
		"CRISISBOT_ANNOUNCE_CHANNEL": fakediscord.DefaultChannelID,
		"CRISISBOT_LOG_LEVEL":        "debug",
		"CRISISBOT_GUILDS":           fakediscord.DefaultGuildID,
	}
	// A feed followed from the CLI, on an address serve will refuse to
	// poll: the poll fails and is recorded, and nothing is announced.
	if _, err := runFeedsCLI(t, mapEnv(vars), "add", "https://feeds.invalid/rss.xml", "--label", "Nowhere"); err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		var stdout bytes.Buffer
		done <- run(ctx, []string{"serve", "--discord-api", dc.APIBase()}, mapEnv(vars), &stdout, stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for dc.Stats().Identifies == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	it := dc.DispatchInteraction(fakediscord.Slash("feeds", fakediscord.Subcommand("list")).As(fakediscord.User{ID: "600", Username: "mod"}, discordgo.PermissionManageGuild))
	var reply string
	for time.Now().Before(deadline) {
		if m := dc.OriginalMessage(it.Token); m != nil && m.Content != "" {
			reply = m.Content
			if strings.Contains(reply, "failing") {
				break
			}
			// The first poll may not have finished; ask again.
			time.Sleep(100 * time.Millisecond)
			it = dc.DispatchInteraction(fakediscord.Slash("feeds", fakediscord.Subcommand("list")).As(fakediscord.User{ID: "600", Username: "mod"}, discordgo.PermissionManageGuild))
			continue
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(reply, "**Nowhere** <https://feeds.invalid/rss.xml> — failing (1 in a row") {
		t.Errorf("/feeds list replied %q", reply)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if msgs := dc.Messages(fakediscord.DefaultChannelID); len(msgs) != 0 {
		t.Errorf("a poll that found nothing was announced: %q", msgs[0].Content)
	}
	if strings.Contains(stderr.String(), token) {
		t.Error("the token appears in the logs")
	}
	dc.AssertValid(t)
}
