package main

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/fakeopenai"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

var discordSpec = sync.OnceValues(specvalidate.LoadDiscord)

// lockedBuffer collects the bot's logs from its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServe runs "crisisbot serve" as a user would configure it — token and
// API key in the environment, --discord-api at a fake Discord — registers
// the commands, answers a question through an LLM that refuses the key, and
// shuts down on cancel. Neither secret may appear in a log line or a message.
func TestServe(t *testing.T) {
	const token, key = "serve-discord-token-SECRET", "sk-serve-api-key-SECRET"
	dc := fakediscord.New(t, fakediscord.Config{Token: token, Validator: specvalidate.Require(t, discordSpec)})
	llm := fakeopenai.New(t, fakeopenai.Config{APIKey: "a-different-key", Validator: specvalidate.Require(t, openAISpec)})
	vars := map[string]string{
		"DISCORD_TOKEN":       token,
		"OPENAI_API_KEY":      key,
		"OPENAI_BASE_URL":     llm.URL(),
		"CRISISBOT_DATA":      t.TempDir(),
		"CRISISBOT_GUILD_ID":  fakediscord.DefaultGuildID,
		"CRISISBOT_LOG_LEVEL": "debug",
	}
	var stdout bytes.Buffer
	stderr := &lockedBuffer{}

	// Registration is its own step.
	if err := run(context.Background(), []string{"commands", "sync", "--discord-api", dc.APIBase()}, mapEnv(vars), &stdout, stderr); err != nil {
		t.Fatalf("commands sync: %v\n%s", err, stderr.String())
	}
	var names []string
	for _, c := range dc.Commands(fakediscord.DefaultGuildID) {
		names = append(names, c.Name)
		// Moderator commands are hidden from members by default; the rest
		// are open to everyone.
		moderatorOnly := c.Name == "reload" || c.Name == "add" || c.Name == "remove" || c.Name == "feeds" || c.Name == "label" || c.Name == "gaps" || c.Name == "stats"
		if got := c.DefaultMemberPermissions != nil && *c.DefaultMemberPermissions == discordgo.PermissionManageGuild; got != moderatorOnly {
			t.Errorf("/%s default member permissions %v, want Manage Server only: %v", c.Name, c.DefaultMemberPermissions, moderatorOnly)
		}
	}
	if got := strings.Join(names, ","); got != "ask,sources,reload,add,remove,feeds,timeline,whatsnew,label,gaps,stats" {
		t.Errorf("registered %q", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--discord-api", dc.APIBase()}, mapEnv(vars), &stdout, stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for dc.Stats().Identifies == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if dc.Stats().Identifies == 0 {
		cancel()
		t.Fatalf("serve did not connect:\n%s", stderr.String())
	}
	it := dc.DispatchInteraction(fakediscord.Slash("ask", fakediscord.String("question", "Who did Marco Rubio speak with on Friday?")))
	var reply string
	for time.Now().Before(deadline) {
		if m := dc.OriginalMessage(it.Token); m != nil && m.Content != "" {
			reply = m.Content
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The model was reached: what failed is the key, and the notice says so.
	if !strings.Contains(reply, "Munir") || !strings.Contains(reply, "rejected the API key") || strings.Contains(reply, "could not be reached") {
		t.Errorf("reply %q, want an extractive fallback that says the key was rejected", reply)
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
	logs := stderr.String()
	if !strings.Contains(logs, "llm failed") || !strings.Contains(logs, "the API key was rejected") {
		t.Errorf("the error path was not taken, or its log does not say the key was rejected:\n%s", logs)
	}
	for _, secret := range []string{token, key} {
		if strings.Contains(logs, secret) {
			t.Errorf("a secret appears in the logs")
		}
		for _, r := range dc.Requests() {
			if strings.Contains(string(r.JSON), secret) {
				t.Errorf("a secret appears in %s %s", r.Method, r.Path)
			}
		}
	}
	dc.AssertValid(t)
}

// TestServeRefusesWithoutGuilds is issue 10.1: with global commands and no
// servers listed, any server's administrator would be a crisisbot
// moderator, so serve refuses to start, before it connects.
func TestServeRefusesWithoutGuilds(t *testing.T) {
	dc := fakediscord.New(t, fakediscord.Config{Token: "t"})
	vars := map[string]string{"DISCORD_TOKEN": "t", "CRISISBOT_DATA": t.TempDir()}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"serve", "--discord-api", dc.APIBase()}, mapEnv(vars), &stdout, &stderr)
	if err == nil || exitCode(err) != 2 {
		t.Fatalf("serve without servers: %v (exit %d), want a usage error", err, exitCode(err))
	}
	for _, want := range []string{"CRISISBOT_GUILDS", "--guild", "--any-guild"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not mention %s: %v", want, err)
		}
	}
	if n := len(dc.Requests()); n != 0 {
		t.Errorf("serve made %d requests to Discord before refusing", n)
	}
}

func TestServeGuildSettings(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		guilds   []string
		anyGuild bool
	}{
		{"none", nil, nil, nil, false},
		{"environment", map[string]string{"CRISISBOT_GUILDS": "111, 222,333"}, nil, []string{"111", "222", "333"}, false},
		{"flag wins", map[string]string{"CRISISBOT_GUILDS": "111"}, []string{"--guilds", "444,555"}, []string{"444", "555"}, false},
		{"any guild", nil, []string{"--any-guild"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _ := newConfig(mapEnv(tt.env))
			fs := flagSet("serve", io.Discard)
			cfg.serveFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			dc := cfg.discordConfig()
			if !slices.Equal(dc.Guilds, tt.guilds) || dc.AnyGuild != tt.anyGuild {
				t.Errorf("guilds %q, any guild %v; want %q, %v", dc.Guilds, dc.AnyGuild, tt.guilds, tt.anyGuild)
			}
		})
	}
}

// TestServeAnyGuild runs serve with --any-guild and no servers listed: a
// member's question in any server is answered, and /reload is refused even
// to a member who can manage the server, since no server is listed.
func TestServeAnyGuild(t *testing.T) {
	const token = "serve-any-guild-token"
	dc := fakediscord.New(t, fakediscord.Config{Token: token, Validator: specvalidate.Require(t, discordSpec)})
	vars := map[string]string{"DISCORD_TOKEN": token, "CRISISBOT_DATA": t.TempDir()}
	var stdout bytes.Buffer
	stderr := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--any-guild", "--discord-api", dc.APIBase()}, mapEnv(vars), &stdout, stderr)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for dc.Stats().Identifies == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if dc.Stats().Identifies == 0 {
		t.Fatalf("serve did not connect:\n%s", stderr.String())
	}
	reply := func(it *discordgo.Interaction) string {
		for time.Now().Before(deadline) {
			if m := dc.OriginalMessage(it.Token); m != nil && m.Content != "" {
				return m.Content
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("no reply to %s\n%s", it.ID, dc.Transcript())
		return ""
	}
	const elsewhere, channel = "1299999999999999999", "1399999999999999999"
	q := dc.DispatchInteraction(fakediscord.Slash("ask", fakediscord.String("question", "Who did Marco Rubio speak with on Friday?")).In(elsewhere, channel))
	if got := reply(q); !strings.Contains(got, "Munir") {
		t.Errorf("/ask in an unlisted server: %q", got)
	}
	owner := fakediscord.User{ID: "700", Username: "owner"}
	r := dc.DispatchInteraction(fakediscord.Slash("reload").As(owner, discordgo.PermissionManageGuild).In(elsewhere, channel))
	if got := reply(r); !strings.Contains(got, "Moderator commands work only in the servers crisisbot is set up for") {
		t.Errorf("/reload with no servers listed: %q", got)
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
	dc.AssertValid(t)
}
