package fakediscord_test

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// restErr returns the status and Discord error code of a discordgo REST error.
func restErr(tb testing.TB, err error) (status, code int) {
	tb.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		tb.Fatalf("error = %v (%T), want *discordgo.RESTError", err, err)
	}
	if re.Message != nil {
		code = re.Message.Code
	}
	return re.Response.StatusCode, code
}

// TestREST drives the REST API through discordgo without a gateway connection.
func TestREST(t *testing.T) {
	ch := fakediscord.DefaultChannelID
	tests := []struct {
		name string
		cfg  fakediscord.Config
		run  func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session)
	}{
		{"users/@me is the bot", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			u, err := s.User("@me")
			if err != nil || u.ID != srv.AppID() || !u.Bot {
				t.Errorf("User(@me) = %+v, %v", u, err)
			}
		}},
		{"wrong token is 401", fakediscord.Config{Token: "other"}, func(t *testing.T, _ *fakediscord.Server, s *discordgo.Session) {
			_, err := s.User("@me")
			if status, _ := restErr(t, err); status != http.StatusUnauthorized {
				t.Errorf("status = %d, want 401", status)
			}
		}},
		{"other hosts are refused", fakediscord.Config{}, func(t *testing.T, _ *fakediscord.Server, s *discordgo.Session) {
			resp, err := s.Client.Get("https://example.com/")
			if err == nil {
				_ = resp.Body.Close()
				t.Error("request to example.com succeeded")
			}
		}},
		{"send, edit and list messages", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			var ids []string
			for _, c := range []string{"one", "two", "three"} {
				m, err := s.ChannelMessageSend(ch, c)
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, m.ID)
			}
			if _, err := s.ChannelMessageEdit(ch, ids[1], "two, edited"); err != nil {
				t.Fatal(err)
			}
			got, err := s.ChannelMessages(ch, 2, "", "", "")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Content != "three" || got[1].Content != "two, edited" || got[1].EditedTimestamp == nil {
				t.Errorf("ChannelMessages(limit 2) = %v, want newest first with the edit", got)
			}
			if all := srv.Messages(ch); len(all) != 3 || all[0].ID != ids[0] {
				t.Errorf("Messages = %v, want 3 oldest first", all)
			}
		}},
		{"reply references the message", fakediscord.Config{}, func(t *testing.T, _ *fakediscord.Server, s *discordgo.Session) {
			q, err := s.ChannelMessageSend(ch, "question")
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.ChannelMessageSendReply(ch, "reply", q.Reference())
			if err != nil {
				t.Fatal(err)
			}
			if r.Type != discordgo.MessageTypeReply || r.ReferencedMessage == nil || r.ReferencedMessage.ID != q.ID {
				t.Errorf("reply = %+v, want a reply to %s", r, q.ID)
			}
		}},
		{"content over 2000 characters is refused", fakediscord.Config{}, func(t *testing.T, _ *fakediscord.Server, s *discordgo.Session) {
			_, err := s.ChannelMessageSend(ch, strings.Repeat("é", 2001))
			if status, code := restErr(t, err); status != 400 || code != 50035 {
				t.Errorf("got %d/%d, want 400/50035", status, code)
			}
			if _, err := s.ChannelMessageSend(ch, strings.Repeat("é", 2000)); err != nil {
				t.Errorf("2000 characters: %v", err)
			}
		}},
		{"empty message is refused", fakediscord.Config{}, func(t *testing.T, _ *fakediscord.Server, s *discordgo.Session) {
			_, err := s.ChannelMessageSend(ch, "")
			if status, code := restErr(t, err); status != 400 || code != 50006 {
				t.Errorf("got %d/%d, want 400/50006", status, code)
			}
		}},
		{"unknown channel is 404", fakediscord.Config{}, func(t *testing.T, _ *fakediscord.Server, s *discordgo.Session) {
			_, err := s.ChannelMessageSend("1", "hi")
			if status, code := restErr(t, err); status != 404 || code != 10003 {
				t.Errorf("got %d/%d, want 404/10003", status, code)
			}
		}},
		{"file upload becomes an attachment", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			m, err := s.ChannelMessageSendComplex(ch, &discordgo.MessageSend{Content: "log", Files: []*discordgo.File{{Name: "a.txt", ContentType: "text/plain", Reader: strings.NewReader("hello")}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Attachments) != 1 || m.Attachments[0].Filename != "a.txt" || m.Attachments[0].Size != 5 {
				t.Errorf("attachments = %+v", m.Attachments)
			}
			r := srv.Requests()[0]
			if r.ContentType != "multipart/form-data" || len(r.Files) != 1 || r.Files[0].Name != "a.txt" || !strings.Contains(string(r.JSON), `"log"`) {
				t.Errorf("recorded %+v", r)
			}
		}},
		{"502 is retried", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			srv.FailNext(fakediscord.MatchHTTP("POST", "/channels/*/messages"), 2, http.StatusBadGateway, 0)
			if _, err := s.ChannelMessageSend(ch, "hi"); err != nil {
				t.Fatal(err)
			}
			if n := len(srv.Requests()); n != 3 {
				t.Errorf("%d requests, want 2 faults and 1 success", n)
			}
		}},
		{"500 is not retried", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			srv.FailNext(nil, 1, http.StatusInternalServerError, 0)
			_, err := s.ChannelMessageSend(ch, "hi")
			if status, _ := restErr(t, err); status != 500 {
				t.Errorf("status = %d, want 500", status)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		}},
		{"commands: bulk overwrite keeps IDs by name", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			ask := &discordgo.ApplicationCommand{Name: "ask", Description: "Ask a question", Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question", Required: true},
			}}
			help := &discordgo.ApplicationCommand{Name: "help", Description: "Show help"}
			first, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", []*discordgo.ApplicationCommand{ask, help})
			if err != nil {
				t.Fatal(err)
			}
			second, err := s.ApplicationCommandBulkOverwrite(srv.AppID(), "", []*discordgo.ApplicationCommand{ask})
			if err != nil {
				t.Fatal(err)
			}
			if len(first) != 2 || len(second) != 1 || second[0].ID != first[0].ID || second[0].Version == first[0].Version {
				t.Errorf("overwrites = %+v then %+v", first, second)
			}
			list, err := s.ApplicationCommands(srv.AppID(), "")
			if err != nil || len(list) != 1 || list[0].Name != "ask" || len(list[0].Options) != 1 {
				t.Errorf("ApplicationCommands = %+v, %v", list, err)
			}
			g, err := s.ApplicationCommandCreate(srv.AppID(), fakediscord.DefaultGuildID, help)
			if err != nil || g.GuildID != fakediscord.DefaultGuildID {
				t.Errorf("guild create = %+v, %v", g, err)
			}
			if cmds := srv.Commands(fakediscord.DefaultGuildID); len(cmds) != 1 || cmds[0].Name != "help" {
				t.Errorf("Commands(guild) = %+v", cmds)
			}
		}},
		{"commands: bad name is refused", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			_, err := s.ApplicationCommandCreate(srv.AppID(), "", &discordgo.ApplicationCommand{Name: "Ask Me", Description: "x"})
			if status, code := restErr(t, err); status != 400 || code != 50035 {
				t.Errorf("got %d/%d, want 400/50035", status, code)
			}
		}},
		{"thread from message, once", fakediscord.Config{}, func(t *testing.T, srv *fakediscord.Server, s *discordgo.Session) {
			m, err := s.ChannelMessageSend(ch, "start here")
			if err != nil {
				t.Fatal(err)
			}
			th, err := s.MessageThreadStart(ch, m.ID, "discussion", 1440)
			if err != nil {
				t.Fatal(err)
			}
			if th.ID != m.ID || th.Type != discordgo.ChannelTypeGuildPublicThread || th.ParentID != ch {
				t.Errorf("thread = %+v", th)
			}
			if err := s.ChannelTyping(th.ID); err != nil {
				t.Error(err)
			}
			if _, err := s.ChannelMessageSend(th.ID, "in thread"); err != nil {
				t.Error(err)
			}
			got, err := s.Channel(th.ID)
			if err != nil || got.MessageCount != 1 || got.ThreadMetadata == nil {
				t.Errorf("Channel(thread) = %+v, %v", got, err)
			}
			_, err = s.MessageThreadStart(ch, m.ID, "again", 60)
			if status, code := restErr(t, err); status != 400 || code != 160004 {
				t.Errorf("second thread: got %d/%d, want 400/160004", status, code)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := fakediscord.New(t, validated(t, tt.cfg))
			s := fakediscord.NewSession(t, srv, "test-token")
			tt.run(t, srv, s)
			srv.AssertValid(t)
		})
	}
}

// TestMatch checks the path patterns of Match.
func TestMatch(t *testing.T) {
	tests := []struct {
		method, pattern string
		req             fakediscord.Request
		want            bool
	}{
		{"PATCH", "/webhooks/*/*/messages/@original", fakediscord.Request{Method: "PATCH", Path: "/api/v9/webhooks/1/tok/messages/@original"}, true},
		{"patch", "/webhooks/*/*/messages/@original", fakediscord.Request{Method: "PATCH", Path: "/api/v10/webhooks/1/tok/messages/@original"}, true},
		{"GET", "/webhooks/*/*/messages/@original", fakediscord.Request{Method: "PATCH", Path: "/api/v9/webhooks/1/tok/messages/@original"}, false},
		{"", "/channels/*/messages", fakediscord.Request{Method: "POST", Path: "/api/v9/channels/5/messages"}, true},
		{"", "/channels/*/messages", fakediscord.Request{Method: "GET", Path: "/api/v9/channels/5/messages/6"}, false},
		{"GET", "/gateway", fakediscord.Request{Method: "GET", Path: "/api/v9/gateway"}, true},
	}
	for _, tt := range tests {
		if got := fakediscord.Match(tt.method, tt.pattern)(tt.req); got != tt.want {
			t.Errorf("Match(%q, %q)(%s %s) = %v, want %v", tt.method, tt.pattern, tt.req.Method, tt.req.Path, got, tt.want)
		}
	}
}

// recordingValidator records what the fake asks it to check and rejects
// requests whose path contains reject.
type recordingValidator struct {
	mu        sync.Mutex
	requests  []string
	responses []int
	reject    string
}

func (v *recordingValidator) ValidateRequest(r *http.Request) error {
	body, _ := io.ReadAll(r.Body) // left consumed: the fake must restore it
	v.mu.Lock()
	defer v.mu.Unlock()
	v.requests = append(v.requests, r.Method+" "+r.URL.Path+" "+string(body))
	if v.reject != "" && strings.Contains(r.URL.Path, v.reject) {
		return errors.New("rejected by test")
	}
	return nil
}

func (v *recordingValidator) ValidateResponse(_ *http.Request, status int, _ http.Header, _ []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.responses = append(v.responses, status)
	return nil
}

// TestValidatorSeesExchanges checks what reaches the Validator: every
// request with its body, every response except injected 5xx.
func TestValidatorSeesExchanges(t *testing.T) {
	v := &recordingValidator{reject: "/typing"}
	srv := fakediscord.New(t, fakediscord.Config{Validator: v})
	s := fakediscord.NewSession(t, srv, "test-token")
	srv.FailNext(fakediscord.MatchHTTP("POST", "/channels/*/messages"), 1, http.StatusBadGateway, 0)
	srv.FailNext(fakediscord.MatchHTTP("POST", "/channels/*/messages"), 1, http.StatusTooManyRequests, 10*time.Millisecond)
	m, err := s.ChannelMessageSend(fakediscord.DefaultChannelID, "hello")
	if err != nil || m.Content != "hello" {
		t.Fatalf("ChannelMessageSend = %+v, %v", m, err)
	}
	if err := s.ChannelTyping(fakediscord.DefaultChannelID); err != nil {
		t.Fatal(err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.requests) != 4 || !strings.Contains(v.requests[2], `{"content":"hello",`) {
		t.Errorf("validated requests = %q, want 3 sends with their body and a typing", v.requests)
	}
	if want := []int{429, 200, 204}; !slices.Equal(v.responses, want) {
		t.Errorf("validated responses = %v, want %v (no injected 502)", v.responses, want)
	}
	if errs := srv.Errors(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "POST /api/v9/channels/"+fakediscord.DefaultChannelID+"/typing") {
		t.Errorf("Errors() = %v, want the rejected typing request", errs)
	}
}
