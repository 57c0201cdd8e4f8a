package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/fetch/fetchtest"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
	"github.com/crisisbot/crisisbot/retrieval"
)

// feedsHarness is the bot over a writable corpus with a feed service,
// set before the bot runs as serve sets it.
type feedsHarness struct {
	*discordHarness
	svc *feeds.Service
	lib *retrieval.Library
}

func newFeedsHarness(t *testing.T) *feedsHarness {
	t.Helper()
	corpusDir, data := t.TempDir(), t.TempDir()
	seed, err := os.ReadFile(filepath.Join("..", "corpus", "builtin", "rubio-calls-munir.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpusDir, "rubio-calls-munir.md"), seed, 0o644); err != nil {
		t.Fatal(err)
	}
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "h"}}, retrieval.HashEmbedder(64),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.LoadDir(ctx, corpusDir, corpus.Options{})
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	store, err := corpus.NewStore(corpusDir, filepath.Join(data, "trash"), corpus.Options{}, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := feeds.New(feeds.Config{}, data, store, fetch.New(fetch.Config{Timeout: 5 * time.Second}, fetchtest.AllowLoopback(t)), lib, nil, time.Now)
	if err != nil {
		t.Fatal(err)
	}

	srv := fakediscord.New(t, fakediscord.Config{Token: testToken, Validator: specvalidate.Require(t, discordSpec)})
	s, err := NewDiscordSession(testToken, srv.APIBase())
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	d, err := NewDiscord(DiscordConfig{RatePerMinute: -1, Guilds: []string{fakediscord.DefaultGuildID}}, s, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), lib, nil,
		slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	d.SetFeeds(svc)
	ctx, cancel := context.WithCancel(context.Background())
	h := &discordHarness{srv: srv, bot: d, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- d.Run(ctx) }()
	if err := fakediscord.WaitSettled(srv, s, 10*time.Second); err != nil {
		t.Fatalf("bot did not connect: %v\n%s", err, srv.Transcript())
	}
	t.Cleanup(func() {
		h.stop(t)
		srv.AssertValid(t)
	})
	return &feedsHarness{discordHarness: h, svc: svc, lib: lib}
}

// outletServer serves an RSS feed of two items and their pages.
func outletServer(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	pages := map[string][2]string{
		"/kartarpur": {"Kartarpur corridor reopens", "Pilgrims crossed the Kartarpur corridor on Thursday for the first time since the clashes, after both governments agreed to reopen it to Sikh visitors."},
		"/wagah":     {"Wagah ceremony resumes", "The flag-lowering ceremony at the Wagah border crossing resumed on Wednesday evening before a crowd of several thousand spectators."},
	}
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Border Wire</title>
<item><guid>k</guid><title>Kartarpur corridor reopens @everyone</title><link>%[1]s/kartarpur</link><pubDate>Thu, 15 May 2025 06:00:00 GMT</pubDate></item>
<item><guid>w</guid><title>Wagah ceremony resumes</title><link>%[1]s/wagah</link><pubDate>Wed, 14 May 2025 18:00:00 GMT</pubDate></item>
</channel></rss>`, srv.URL)
			return
		}
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><head><title>"+p[0]+"</title></head><body><article><h1>"+p[0]+"</h1><p>"+p[1]+"</p><p>Officials on both sides said the step was meant to show that the ceasefire agreed at the weekend was holding.</p></article></body></html>")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestDiscordFeedsAddPollAnnounceAsk(t *testing.T) {
	h := newFeedsHarness(t)
	outlet := outletServer(t)

	it := h.srv.DispatchInteraction(fakediscord.Slash("feeds", fakediscord.Subcommand("add", fakediscord.String("url", outlet.URL+"/feed.xml"), fakediscord.String("label", "Border Wire"))).As(moderator, discordgo.PermissionManageGuild))
	reply := h.waitReply(t, it, nonEmpty)
	if !strings.Contains(reply, "Following <"+outlet.URL+"/feed.xml>") || !strings.Contains(reply, "**Border Wire**") {
		t.Errorf("/feeds add replied %q", reply)
	}
	m := h.srv.OriginalMessage(it.Token)
	if m.Flags&discordgo.MessageFlagsSuppressEmbeds == 0 || m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("/feeds add reply flags %b, want private without previews", m.Flags)
	}
	for _, cb := range callbacks(t, h.srv, it) {
		am, _ := cb["data"].(map[string]any)["allowed_mentions"].(map[string]any)
		if p, ok := am["parse"].([]any); !ok || len(p) != 0 {
			t.Errorf("allowed_mentions %v, want parse: []", am)
		}
	}

	rep, err := h.svc.Poll(waitCtx(t), false)
	if err != nil || len(rep.Arrived) != 2 {
		t.Fatalf("poll: %d arrived, err %v; skipped %+v failed %+v", len(rep.Arrived), err, rep.Skipped, rep.Failed)
	}
	const announce = "1300000000000000042"
	h.srv.AddChannel(fakediscord.DefaultGuildID, announce, "news")
	if err := h.bot.Announce(waitCtx(t), announce, rep); err != nil {
		t.Fatal(err)
	}
	msgs := h.srv.Messages(announce)
	if len(msgs) != 1 {
		t.Fatalf("announce channel holds %d messages, want 1", len(msgs))
	}
	for _, want := range []string{"2 new articles:", "Kartarpur corridor reopens @\u200beveryone — Border Wire <" + outlet.URL + "/kartarpur>", "Wagah ceremony resumes — Border Wire <" + outlet.URL + "/wagah>"} {
		if !strings.Contains(msgs[0].Content, want) {
			t.Errorf("announcement lacks %q:\n%s", want, msgs[0].Content)
		}
	}

	q := h.srv.DispatchInteraction(ask("When did pilgrims cross the Kartarpur corridor?"))
	ans := h.waitReply(t, q, nonEmpty)
	if !strings.Contains(ans, "Thursday") || !strings.Contains(ans, "Kartarpur") {
		t.Errorf("/ask answered %q", ans)
	}

	list := h.srv.DispatchInteraction(fakediscord.Slash("feeds", fakediscord.Subcommand("list")).As(moderator, discordgo.PermissionManageGuild))
	if got := h.waitReply(t, list, nonEmpty); !strings.Contains(got, "**Border Wire** <"+outlet.URL+"/feed.xml> — last read") {
		t.Errorf("/feeds list replied %q", got)
	}
	rm := h.srv.DispatchInteraction(fakediscord.Slash("feeds", fakediscord.Subcommand("remove", fakediscord.String("feed", outlet.URL+"/feed.xml"))).As(moderator, discordgo.PermissionManageGuild))
	if got := h.waitReply(t, rm, nonEmpty); !strings.Contains(got, "Stopped following") {
		t.Errorf("/feeds remove replied %q", got)
	}
}

func TestDiscordFeedsRefusedForMembers(t *testing.T) {
	h := newFeedsHarness(t)
	member := fakediscord.User{ID: "601", Username: "member"}
	for _, spec := range []fakediscord.InteractionSpec{
		fakediscord.Slash("feeds", fakediscord.Subcommand("add", fakediscord.String("url", "https://example.com/feed.xml"))).As(member, discordgo.PermissionSendMessages),
		fakediscord.Slash("feeds", fakediscord.Subcommand("list")).InDM(),
	} {
		it := h.srv.DispatchInteraction(spec)
		if reply := h.waitReply(t, it, nonEmpty); !strings.Contains(reply, "Only moderators") {
			t.Errorf("got %q, want a refusal", reply)
		}
	}
	if list, _ := h.svc.List(context.Background()); len(list) != 0 {
		t.Errorf("a member's /feeds add followed %+v", list)
	}
}
