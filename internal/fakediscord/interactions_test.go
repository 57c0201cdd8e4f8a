package fakediscord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// answer runs a handler for one interaction and returns its error.
type answer func(s *discordgo.Session, i *discordgo.Interaction) error

// TestInteractions dispatches interactions to a real session whose handler
// answers in various ways, and checks what the fake recorded.
func TestInteractions(t *testing.T) {
	respond := func(typ discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) answer {
		return func(s *discordgo.Session, i *discordgo.Interaction) error {
			return s.InteractionRespond(i, &discordgo.InteractionResponse{Type: typ, Data: data})
		}
	}
	tests := []struct {
		name    string
		cfg     fakediscord.Config
		spec    func(t *testing.T, s *discordgo.Session) fakediscord.InteractionSpec
		answer  answer
		wantErr func(t *testing.T, err error) // nil: want no error
		invalid string                        // the bot's request breaks the OpenAPI document here, on purpose
		check   func(t *testing.T, srv *fakediscord.Server, i *discordgo.Interaction, seen *discordgo.Interaction)
	}{
		{
			name: "guild member with Manage Server",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec {
				return fakediscord.Slash("config", fakediscord.Bool("on", true), fakediscord.Int("n", 3)).
					As(fakediscord.User{ID: "1500000000000000001", Username: "mod"}, discordgo.PermissionManageGuild, "1600000000000000001")
			},
			answer: respond(discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{Content: "ok"}),
			check: func(t *testing.T, srv *fakediscord.Server, i, seen *discordgo.Interaction) {
				if seen.Member == nil || seen.User != nil || seen.Member.User.ID != "1500000000000000001" ||
					seen.Member.Permissions&discordgo.PermissionManageGuild == 0 || len(seen.Member.Roles) != 1 {
					t.Errorf("member = %+v, user = %+v", seen.Member, seen.User)
				}
				opts := seen.ApplicationCommandData().Options
				if len(opts) != 2 || !opts[0].BoolValue() || opts[1].IntValue() != 3 {
					t.Errorf("options = %+v", opts)
				}
				if m := srv.OriginalMessage(i.Token); m == nil || m.Content != "ok" || m.Type != discordgo.MessageTypeChatInputCommand {
					t.Errorf("OriginalMessage = %+v", m)
				}
			},
		},
		{
			name: "DM has a user and no member",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec {
				return fakediscord.Slash("ask", fakediscord.String("q", "hi")).InDM()
			},
			answer: respond(discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{Content: "dm"}),
			check: func(t *testing.T, srv *fakediscord.Server, i, seen *discordgo.Interaction) {
				if seen.Member != nil || seen.User == nil || seen.User.ID != fakediscord.DefaultUserID || seen.GuildID != "" {
					t.Errorf("member = %+v, user = %+v, guild %q", seen.Member, seen.User, seen.GuildID)
				}
				if ch := srv.Channel(seen.ChannelID); ch == nil || ch.Type != discordgo.ChannelTypeDM {
					t.Errorf("channel = %+v, want a DM", ch)
				}
			},
		},
		{
			name:   "ephemeral response stays out of the channel",
			spec:   func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("ask") },
			answer: respond(discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{Content: "secret", Flags: discordgo.MessageFlagsEphemeral}),
			check: func(t *testing.T, srv *fakediscord.Server, i, _ *discordgo.Interaction) {
				if m := srv.OriginalMessage(i.Token); m == nil || m.Flags&discordgo.MessageFlagsEphemeral == 0 {
					t.Errorf("OriginalMessage = %+v, want ephemeral", m)
				}
				if msgs := srv.Messages(fakediscord.DefaultChannelID); len(msgs) != 0 {
					t.Errorf("Messages = %v, want none", msgs)
				}
			},
		},
		{
			name: "response with a file",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("export") },
			answer: respond(discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{
				Content: "here", Files: []*discordgo.File{{Name: "notes.md", ContentType: "text/markdown", Reader: strings.NewReader("# notes")}},
			}),
			check: func(t *testing.T, srv *fakediscord.Server, i, _ *discordgo.Interaction) {
				m := srv.OriginalMessage(i.Token)
				if m == nil || m.Content != "here" || len(m.Attachments) != 1 || m.Attachments[0].Filename != "notes.md" {
					t.Errorf("OriginalMessage = %+v", m)
				}
				if r := srv.InteractionResponses(i.Token); len(r) != 1 || len(r[0].Files) != 1 || r[0].ContentType != "multipart/form-data" {
					t.Errorf("recorded %+v", r)
				}
			},
		},
		{
			name: "follow-ups are created, edited and deleted",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("ask") },
			answer: func(s *discordgo.Session, i *discordgo.Interaction) error {
				if err := s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
					return err
				}
				a, err := s.FollowupMessageCreate(i, true, &discordgo.WebhookParams{Content: "part 1"})
				if err != nil {
					return err
				}
				b, err := s.FollowupMessageCreate(i, false, &discordgo.WebhookParams{Content: "part 2"})
				if err != nil || b != nil {
					return err
				}
				content := "part 1, edited"
				if _, err := s.FollowupMessageEdit(i, a.ID, &discordgo.WebhookEdit{Content: &content}); err != nil {
					return err
				}
				return s.InteractionResponseDelete(i)
			},
			check: func(t *testing.T, srv *fakediscord.Server, i, _ *discordgo.Interaction) {
				f := srv.Followups(i.Token)
				if len(f) != 2 || f[0].Content != "part 1, edited" || f[1].Content != "part 2" {
					t.Errorf("Followups = %+v", f)
				}
				if m := srv.OriginalMessage(i.Token); m != nil {
					t.Errorf("OriginalMessage = %+v after delete", m)
				}
				if n := len(srv.InteractionResponses(i.Token)); n != 5 {
					t.Errorf("%d interaction requests, want 5", n)
				}
			},
		},
		{
			name: "second acknowledgement is refused",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("ask") },
			answer: func(s *discordgo.Session, i *discordgo.Interaction) error {
				r := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
				if err := s.InteractionRespond(i, r); err != nil {
					return err
				}
				return s.InteractionRespond(i, r)
			},
			wantErr: wantRESTError(400, 40060),
		},
		{
			name: "edit before acknowledging is 404",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("ask") },
			answer: func(s *discordgo.Session, i *discordgo.Interaction) error {
				content := "too early"
				_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content})
				return err
			},
			wantErr: wantRESTError(404, 10008),
		},
		{
			name: "late acknowledgement is refused",
			cfg:  fakediscord.Config{AckDeadline: 100 * time.Millisecond},
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("ask") },
			answer: func(s *discordgo.Session, i *discordgo.Interaction) error {
				time.Sleep(300 * time.Millisecond)
				return s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
			},
			wantErr: wantRESTError(404, 10062),
		},
		{
			name:    "editing to nothing is refused",
			spec:    func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("ask") },
			answer:  deferAndEdit(""),
			wantErr: wantRESTError(400, 50006),
		},
		{
			name:    "editing past 2000 characters is refused",
			spec:    func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec { return fakediscord.Slash("ask") },
			answer:  deferAndEdit(strings.Repeat("x", 2001)),
			wantErr: wantRESTError(400, 50035),
			invalid: "$.content: maxLength",
		},
		{
			name: "autocomplete answers with choices",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec {
				return fakediscord.Autocomplete("ask", fakediscord.Focused("topic", "he"))
			},
			answer: respond(discordgo.InteractionApplicationCommandAutocompleteResult, &discordgo.InteractionResponseData{
				Choices: []*discordgo.ApplicationCommandOptionChoice{{Name: "help", Value: "help"}, {Name: "hello", Value: "hello"}},
			}),
			check: func(t *testing.T, srv *fakediscord.Server, i, seen *discordgo.Interaction) {
				if o := seen.ApplicationCommandData().Options; len(o) != 1 || !o[0].Focused {
					t.Errorf("options = %+v, want one focused", o)
				}
				if c := srv.AutocompleteChoices(i.Token); len(c) != 2 || c[1].Name != "hello" {
					t.Errorf("AutocompleteChoices = %+v", c)
				}
			},
		},
		{
			name: "autocomplete cannot answer with a message",
			spec: func(*testing.T, *discordgo.Session) fakediscord.InteractionSpec {
				return fakediscord.Autocomplete("ask", fakediscord.Focused("topic", "he"))
			},
			answer:  respond(discordgo.InteractionResponseChannelMessageWithSource, &discordgo.InteractionResponseData{Content: "no"}),
			wantErr: wantRESTError(400, 50035),
		},
		{
			name: "button click updates its message",
			spec: func(t *testing.T, s *discordgo.Session) fakediscord.InteractionSpec {
				m, err := s.ChannelMessageSendComplex(fakediscord.DefaultChannelID, &discordgo.MessageSend{
					Content: "Was this helpful?",
					Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
						discordgo.Button{Label: "Yes", Style: discordgo.PrimaryButton, CustomID: "helpful:yes"},
					}}},
				})
				if err != nil {
					t.Fatal(err)
				}
				return fakediscord.Button("helpful:yes", m.ID)
			},
			answer: respond(discordgo.InteractionResponseUpdateMessage, &discordgo.InteractionResponseData{Content: "Thanks!", Components: []discordgo.MessageComponent{}}),
			check: func(t *testing.T, srv *fakediscord.Server, i, seen *discordgo.Interaction) {
				if seen.MessageComponentData().CustomID != "helpful:yes" || seen.Message == nil {
					t.Errorf("component data = %+v, message %v", seen.MessageComponentData(), seen.Message)
				}
				if m := srv.OriginalMessage(i.Token); m == nil || m.Content != "Thanks!" || len(m.Components) != 0 || m.ID != seen.Message.ID {
					t.Errorf("OriginalMessage = %+v", m)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			type result struct {
				seen *discordgo.Interaction
				err  error
			}
			done := make(chan result, 1)
			srv, s := openSession(t, tt.cfg, func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
				done <- result{ic.Interaction, tt.answer(s, ic.Interaction)}
			})
			i := srv.DispatchInteraction(tt.spec(t, s))
			var got result
			select {
			case got = <-done:
			case <-time.After(10 * time.Second):
				t.Fatalf("handler did not finish\n%s", srv.Transcript())
			}
			switch {
			case tt.wantErr != nil:
				tt.wantErr(t, got.err)
			case got.err != nil:
				t.Fatalf("handler: %v\n%s", got.err, srv.Transcript())
			}
			if tt.check != nil {
				tt.check(t, srv, i, got.seen)
			}
			if tt.invalid == "" {
				srv.AssertValid(t)
			} else if errs := srv.Errors(); len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.invalid) {
				t.Errorf("Errors() = %v, want one mentioning %q", errs, tt.invalid)
			}
		})
	}
}

func deferAndEdit(content string) answer {
	return func(s *discordgo.Session, i *discordgo.Interaction) error {
		if err := s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
			return err
		}
		_, err := s.InteractionResponseEdit(i, &discordgo.WebhookEdit{Content: &content})
		return err
	}
}

func wantRESTError(status, code int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if gotStatus, gotCode := restErr(t, err); gotStatus != status || gotCode != code {
			t.Errorf("got %d/%d, want %d/%d", gotStatus, gotCode, status, code)
		}
	}
}

// TestMessageIntents checks which MESSAGE_CREATE events reach the bot and
// with what content, for the intents it identifies with.
func TestMessageIntents(t *testing.T) {
	tests := []struct {
		name        string
		intents     discordgo.Intent
		spec        fakediscord.MessageSpec
		wantEvent   bool
		wantContent string
	}{
		{"default intents, no mention: content hidden", discordgo.IntentsAllWithoutPrivileged,
			fakediscord.MessageSpec{Content: "hello"}, true, ""},
		{"default intents, bot mentioned: content visible", discordgo.IntentsAllWithoutPrivileged,
			fakediscord.MessageSpec{Content: "hello", MentionBot: true}, true, "<@" + fakediscord.DefaultAppID + "> hello"},
		{"message content intent: content visible", discordgo.IntentsAllWithoutPrivileged | discordgo.IntentsMessageContent,
			fakediscord.MessageSpec{Content: "hello"}, true, "hello"},
		{"DM: content visible without the intent", discordgo.IntentsAllWithoutPrivileged,
			fakediscord.MessageSpec{Content: "hello", DM: true}, true, "hello"},
		{"no guild messages intent: no event", discordgo.IntentsGuilds,
			fakediscord.MessageSpec{Content: "hello", MentionBot: true}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := make(chan *discordgo.Message, 1)
			srv := fakediscord.New(t, validated(t, fakediscord.Config{}))
			s := fakediscord.NewSession(t, srv, "test-token")
			s.Identify.Intents = tt.intents
			s.AddHandler(func(_ *discordgo.Session, mc *discordgo.MessageCreate) { got <- mc.Message })
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			sent := srv.DispatchMessageCreate(tt.spec)
			if !tt.wantEvent {
				for _, f := range srv.Frames() {
					if f.T == "MESSAGE_CREATE" {
						t.Errorf("MESSAGE_CREATE sent without the intent: %s", f.D)
					}
				}
				return
			}
			select {
			case m := <-got:
				if m.ID != sent.ID || m.Content != tt.wantContent || m.Author.ID != fakediscord.DefaultUserID {
					t.Errorf("bot saw %q from %s (id %s), want %q (id %s)", m.Content, m.Author.ID, m.ID, tt.wantContent, sent.ID)
				}
				if (m.GuildID != "") == tt.spec.DM || (m.Member == nil) != tt.spec.DM {
					t.Errorf("guild %q member %v for DM=%v", m.GuildID, m.Member, tt.spec.DM)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("no MESSAGE_CREATE\n%s", srv.Transcript())
			}
			srv.AssertValid(t)
		})
	}
}

// TestGateway covers connection handling beyond the happy path.
func TestGateway(t *testing.T) {
	t.Run("uncompressed session", func(t *testing.T) {
		t.Parallel()
		srv := fakediscord.New(t, validated(t, fakediscord.Config{}))
		s := fakediscord.NewSession(t, srv, "test-token")
		s.Compress = false
		if err := s.Open(); err != nil {
			t.Fatal(err)
		}
		if s.State.User == nil {
			t.Error("no READY")
		}
	})

	t.Run("RECONNECT leads to RESUME", func(t *testing.T) {
		t.Parallel()
		srv, _ := openSession(t, fakediscord.Config{})
		srv.RequestReconnect()
		if _, err := srv.WaitStats(ctxFor(t), func(st fakediscord.GatewayStats) bool { return st.Resumes == 1 && st.Connected }); err != nil {
			t.Fatalf("%v\n%s", err, srv.Transcript())
		}
		if st := srv.Stats(); st.Identifies != 1 || st.Connects != 2 {
			t.Errorf("Stats() = %+v", st)
		}
	})

	t.Run("Open after Close resumes a dead session, then identifies", func(t *testing.T) {
		t.Parallel()
		srv, s := openSession(t, fakediscord.Config{})
		if err := fakediscord.WaitSettled(srv, s, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if err := s.Open(); err != nil {
			t.Fatal(err)
		}
		st, err := srv.WaitStats(ctxFor(t), func(st fakediscord.GatewayStats) bool { return st.Identifies == 2 })
		if err != nil {
			t.Fatalf("%v\n%s", err, srv.Transcript())
		}
		if st.InvalidSessions != 1 || st.Resumes != 0 {
			t.Errorf("Stats() = %+v, want one INVALID_SESSION before the second IDENTIFY", st)
		}
	})

	t.Run("wrong token is closed with 4004", func(t *testing.T) {
		t.Parallel()
		srv := fakediscord.New(t, validated(t, fakediscord.Config{Token: "right"}))
		s := fakediscord.NewSession(t, srv, "right")
		s.Identify.Token = "Bot wrong"
		s.ShouldReconnectOnError = false
		if err := s.Open(); err == nil {
			t.Error("Open succeeded with a wrong token")
		}
		var closed bool
		for _, f := range srv.Frames() {
			closed = closed || strings.HasPrefix(f.T, "CLOSE 4004")
		}
		if !closed {
			t.Errorf("no 4004 close in\n%s", srv.Transcript())
		}
	})
}

// TestTranscript checks that a transcript shows the whole exchange in order.
func TestTranscript(t *testing.T) {
	e := make(errs, 4)
	srv, _ := openSession(t, fakediscord.Config{}, deferThenEdit(e))
	srv.DispatchInteraction(fakediscord.Slash("ask", fakediscord.String("question", "where?")))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := srv.WaitFor(ctx, matchEdit); err != nil {
		t.Fatal(err)
	}
	e.check(t)
	tr := srv.Transcript()
	want := []string{
		"GET /api/v9/gateway -> 200",
		"gateway -> op=10 HELLO",
		"gateway <- op=2 IDENTIFY",
		`"token":"REDACTED"`,
		"gateway -> op=0 READY s=1",
		"gateway -> op=0 INTERACTION_CREATE s=2",
		`"value":"where?"`,
		"/callback -> 204",
		`> {"type":5}`,
		"PATCH /api/v9/webhooks/",
		`> {"content":"answer: ask"}`,
	}
	at := 0
	for _, w := range want {
		i := strings.Index(tr[at:], w)
		if i < 0 {
			t.Fatalf("transcript lacks %q after offset %d:\n%s", w, at, tr)
		}
		at += i
	}
	if strings.Contains(tr, "test-token") {
		t.Errorf("transcript leaks the token:\n%s", tr)
	}
}
