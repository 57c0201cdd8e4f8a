package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// TestConnectionErrorNamesConfiguredHost is issue 10.13: with --discord-api
// pointing elsewhere, an error connecting named discord.com, where nothing
// was tried. It names the configured host now.
func TestConnectionErrorNamesConfiguredHost(t *testing.T) {
	t.Parallel()
	// A loopback port nothing listens on.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := l.Addr().String()
	l.Close()
	s, err := NewDiscordSession(testToken, "http://"+host+"/api/v9")
	if err != nil {
		t.Fatal(err)
	}
	d, err := NewDiscord(DiscordConfig{AnyGuild: true}, s, &stubAnswerer{}, emptyLibrary{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	runErr := d.Run(context.Background())
	syncErr := SyncCommands(context.Background(), s, DiscordConfig{}, nil)
	for what, err := range map[string]error{"serve": runErr, "commands sync": syncErr} {
		if err == nil || !strings.Contains(err.Error(), host) || strings.Contains(err.Error(), "discord.com") {
			t.Errorf("%s: %v, want an error naming %s and not discord.com", what, err, host)
		}
	}
}

// TestDiscordUnknownButton is issue 10.13: a button whose custom ID no
// command handles got no reply, and Discord told the user the interaction
// failed.
func TestDiscordUnknownButton(t *testing.T) {
	t.Parallel()
	h := newDiscordHarness(t, DiscordConfig{}, &stubAnswerer{answer: answer.Answer{Text: "x"}}, emptyLibrary{})
	carrier := h.srv.DispatchMessageCreate(fakediscord.MessageSpec{Content: "a message the button sits on"})
	for _, id := range []string{"retired:page:2", "ask:again", "no-colon"} {
		it := h.srv.DispatchInteraction(fakediscord.Button(id, carrier.ID))
		h.waitHandled(t, it.ID)
		cbs := callbacks(t, h.srv, it)
		if len(cbs) != 1 {
			t.Fatalf("button %q: %d callbacks, want 1", id, len(cbs))
		}
		data, _ := cbs[0]["data"].(map[string]any)
		if cbs[0]["type"] != float64(4) || data["flags"] != float64(discordgo.MessageFlagsEphemeral) || data["content"] != "That button has expired." {
			t.Errorf("button %q: callback %v, want the private reply that it has expired", id, cbs[0])
		}
	}
}

func TestGatewayErrorNamesARejectedToken(t *testing.T) {
	t.Parallel()
	rejected := gatewayError(fmt.Errorf("open: %w", &websocket.CloseError{Code: 4004, Text: "Authentication failed"}))
	if !errors.Is(rejected, ErrTokenRejected) || !strings.Contains(rejected.Error(), "Developer Portal") {
		t.Errorf("4004 gives %v, want the rejected-token message", rejected)
	}
	other := gatewayError(errors.New("dial tcp: connection refused"))
	if errors.Is(other, ErrTokenRejected) || !strings.Contains(other.Error(), "open gateway") {
		t.Errorf("a network error gives %v", other)
	}
}

// TestGatewayRejectsTokenThroughFake: the real client, told 4004 by the
// fake gateway, gives the rejected-token message.
func TestGatewayRejectsTokenThroughFake(t *testing.T) {
	t.Parallel()
	srv := fakediscord.New(t, fakediscord.Config{Token: "Bot good"})
	s := fakediscord.NewSession(t, srv, "Bot bad")
	err := s.Open()
	if err == nil {
		s.Close()
		t.Fatal("the gateway accepted a bad token")
	}
	if got := gatewayError(err); !errors.Is(got, ErrTokenRejected) {
		t.Errorf("open with a bad token: %v, want the rejected-token message", got)
	}
}
