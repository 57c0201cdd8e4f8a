package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

// serving is a "crisisbot serve" running against a fake Discord.
type serving struct {
	dc     *fakediscord.Server
	stderr *lockedBuffer
	cancel context.CancelFunc
	done   chan error
}

// startServe runs serve with the environment vars and args until the test
// ends, and waits for it to connect.
func startServe(t *testing.T, token string, vars map[string]string, args ...string) *serving {
	t.Helper()
	dc := fakediscord.New(t, fakediscord.Config{Token: token, Validator: specvalidate.Require(t, discordSpec)})
	vars["DISCORD_TOKEN"] = token
	vars["CRISISBOT_GUILD_ID"] = fakediscord.DefaultGuildID
	s := &serving{dc: dc, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() {
		s.done <- run(ctx, append([]string{"serve", "--discord-api", dc.APIBase()}, args...), mapEnv(vars), io.Discard, s.stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for dc.Stats().Identifies == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if dc.Stats().Identifies == 0 {
		cancel()
		t.Fatalf("serve did not connect:\n%s", s.stderr.String())
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *serving) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
		s.done <- nil
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// ask asks q with /ask and returns the answer's message once it has come.
func (s *serving) ask(t *testing.T, q string) *discordgo.Message {
	t.Helper()
	it := s.dc.DispatchInteraction(fakediscord.Slash("ask", fakediscord.String("question", q)))
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := s.dc.OriginalMessage(it.Token); m != nil && m.Content != "" {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no answer to %q\n%s", q, s.stderr.String())
	return nil
}

var metricsAddrRE = regexp.MustCompile(`msg="serving metrics" addr=(\S+)`)

// TestServeJournalMetrics runs serve with --metrics on a free loopback
// port: answers carry feedback buttons, the metrics count the questions,
// /healthz is 200, and after shutdown `crisisbot gaps` and `crisisbot
// stats` read what serve recorded.
func TestServeJournalMetrics(t *testing.T) {
	data := t.TempDir()
	s := startServe(t, "serve-journal-token", map[string]string{"CRISISBOT_DATA": data}, "--metrics", "127.0.0.1:0")
	m := s.ask(t, "Who did Marco Rubio speak with on Friday?")
	if !strings.Contains(m.Content, "Munir") || len(m.Components) == 0 {
		t.Errorf("answer %q with %d component rows, want Munir and the feedback buttons", m.Content, len(m.Components))
	}
	for _, q := range []string{"How many goats were evacuated from the border villages?", "What number of goats did villagers evacuate near the border?"} {
		s.ask(t, q)
	}
	match := metricsAddrRE.FindStringSubmatch(s.stderr.String())
	if match == nil {
		t.Fatalf("serve did not log the metrics address:\n%s", s.stderr.String())
	}
	base := "http://" + match[1]
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz %d, want 200 while connected with an index", resp.StatusCode)
	}
	resp, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`crisisbot_questions_total{mode="extractive"} 3`, "crisisbot_refusals_total 2", "crisisbot_answer_seconds_count 3", "crisisbot_gateway_connected 1"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	s.stop(t)

	fi, err := os.Stat(filepath.Join(data, "journal", "journal.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("journal key: %v, mode %v; want a file readable by its owner only", err, fi.Mode().Perm())
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"gaps", "--data", data, "--days", "1"}, mapEnv(nil), &out, &errOut); err != nil {
		t.Fatalf("gaps: %v\n%s", err, errOut.String())
	}
	t.Logf("crisisbot gaps:\n%s", out.String())
	if !strings.Contains(out.String(), "1. 2 asked (2 refused)") || !strings.Contains(out.String(), `"What number of goats did villagers evacuate near the border?" ×1`) {
		t.Errorf("gaps printed:\n%s\nwant the two goat questions in one group", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"stats", "--data", data}, mapEnv(nil), &out, &errOut); err != nil {
		t.Fatalf("stats: %v\n%s", err, errOut.String())
	}
	t.Logf("crisisbot stats:\n%s", out.String())
	if !strings.Contains(out.String(), "Questions: 3 · refused 2 (67%)") || !strings.Contains(out.String(), "Most cited") {
		t.Errorf("stats printed:\n%s", out.String())
	}
	if err := run(context.Background(), []string{"stats", "--data", data, "--from", "May 7"}, mapEnv(nil), &out, &errOut); err == nil || exitCode(err) != 2 {
		t.Errorf("stats --from 'May 7': %v, want a usage error", err)
	}
	if err := run(context.Background(), []string{"gaps", "--data", t.TempDir()}, mapEnv(nil), &out, &errOut); err == nil || !strings.Contains(err.Error(), "no journal") {
		t.Errorf("gaps without a journal: %v, want one saying there is none yet", err)
	}
}

// TestServeJournalUnwritable: with a data directory whose journal can't be
// opened, serve logs it and answers all the same.
func TestServeJournalUnwritable(t *testing.T) {
	data := t.TempDir()
	// A directory where the database should be: unopenable even for root.
	if err := os.MkdirAll(filepath.Join(data, "journal", "journal.db"), 0o700); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "serve-unwritable-token", map[string]string{"CRISISBOT_DATA": data})
	m := s.ask(t, "Who did Marco Rubio speak with on Friday?")
	if !strings.Contains(m.Content, "Munir") {
		t.Errorf("answer %q, want it served without a journal", m.Content)
	}
	if len(m.Components) != 0 {
		t.Errorf("answer carries %d component rows without a journal, want none", len(m.Components))
	}
	if !strings.Contains(s.stderr.String(), "journal off") {
		t.Errorf("the journal's failure was not logged:\n%s", s.stderr.String())
	}
}

func TestServeMetricsBadAddress(t *testing.T) {
	dc := fakediscord.New(t, fakediscord.Config{Token: "t"})
	vars := map[string]string{"DISCORD_TOKEN": "t", "CRISISBOT_DATA": t.TempDir(), "CRISISBOT_GUILD_ID": fakediscord.DefaultGuildID}
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "--discord-api", dc.APIBase(), "--metrics", "256.1.1.1:9464"}, mapEnv(vars), io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "256.1.1.1:9464") {
		t.Errorf("serve --metrics on a bad address: %v, want an error naming it", err)
	}
	if dc.Stats().Identifies != 0 {
		t.Error("serve connected to Discord before failing on the metrics address")
	}
}
