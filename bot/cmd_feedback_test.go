package bot

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
	"github.com/crisisbot/crisisbot/journal"
	"github.com/crisisbot/crisisbot/retrieval"
)

// member is a member without rights; moderator (cmd_edit_test.go) has
// them when invoked with Manage Server.
var member = fakediscord.User{ID: "42", Username: "member"}

// similarity loads the word-similarity table once per test binary.
var similarity = sync.OnceValues(retrieval.LoadSimilarity)

// openJournal opens a journal in dir as serve does: with the similarity
// table and the word ranks for grouping gaps.
func openJournal(tb testing.TB, dir string) *journal.Journal {
	tb.Helper()
	sim, err := similarity()
	if err != nil {
		tb.Fatal(err)
	}
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		tb.Fatal(err)
	}
	j, err := journal.Open(context.Background(), journal.Config{Dir: dir, Similarity: sim, Ranks: ranks})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { j.Close() })
	return j
}

// newJournalHarness runs a bot with journal j against srv, which may have
// served an earlier bot: a restart is a new bot on the same Discord.
func newJournalHarness(t *testing.T, srv *fakediscord.Server, answerer answer.Answerer, lib Library, j Journal) *discordHarness {
	t.Helper()
	s, err := NewDiscordSession(testToken, srv.APIBase())
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d, err := NewDiscord(DiscordConfig{RatePerMinute: -1, Guilds: []string{fakediscord.DefaultGuildID}}, s, answerer, lib, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	if j != nil {
		d.SetJournal(j)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &discordHarness{srv: srv, bot: d, logs: logs, cancel: cancel, done: make(chan error, 1), finished: map[string]bool{}, changed: make(chan struct{})}
	d.afterWork = h.handled
	go func() { h.done <- d.Run(ctx) }()
	if err := fakediscord.WaitSettled(srv, s, 10*time.Second); err != nil {
		t.Fatalf("bot did not connect: %v\n%s", err, srv.Transcript())
	}
	t.Cleanup(func() {
		h.stop(t)
		srv.AssertValid(t)
	})
	return h
}

func newFakeDiscord(t *testing.T) *fakediscord.Server {
	t.Helper()
	return fakediscord.New(t, fakediscord.Config{Token: testToken, Validator: specvalidate.Require(t, discordSpec)})
}

// buttonIDs returns the custom IDs of a message's buttons by emoji.
func buttonIDs(m *discordgo.Message) map[string]string {
	out := map[string]string{}
	for _, c := range m.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, b := range row.Components {
			if btn, ok := b.(*discordgo.Button); ok && btn.Emoji != nil {
				out[btn.Emoji.Name] = btn.CustomID
			}
		}
	}
	return out
}

// press clicks a button as user and returns the bot's one reply, which
// must be private.
func press(t *testing.T, h *discordHarness, customID string, m *discordgo.Message, channel string, user fakediscord.User) string {
	t.Helper()
	it := h.srv.DispatchInteraction(fakediscord.Button(customID, m.ID).In(fakediscord.DefaultGuildID, channel).As(user, 0))
	h.waitHandled(t, it.ID)
	cbs := callbacks(t, h.srv, it)
	if len(cbs) != 1 {
		t.Fatalf("%d callbacks to a button press, want 1: %v", len(cbs), cbs)
	}
	data, _ := cbs[0]["data"].(map[string]any)
	if cbs[0]["type"] != float64(4) || data["flags"] != float64(discordgo.MessageFlagsEphemeral) {
		t.Errorf("press got %v, want a private message", cbs[0])
	}
	content, _ := data["content"].(string)
	return content
}

// askAndWait asks q with /ask as user and returns the answer's message
// once it is complete (with its buttons when the bot has a journal).
func askAndWait(t *testing.T, h *discordHarness, q string, user fakediscord.User) *discordgo.Message {
	t.Helper()
	it := h.srv.DispatchInteraction(ask(q).As(user, 0))
	h.waitHandled(t, it.ID)
	m := h.srv.OriginalMessage(it.Token)
	if m == nil || m.Content == "" {
		t.Fatalf("no answer to %q\n%s", q, h.srv.Transcript())
	}
	return m
}

// TestFeedbackButtons presses 👍 and 👎 on an /ask answer and a mention's:
// a first press is thanked, a second changes the vote, a press on an
// answer from before a restart still counts, and the journal holds one
// vote per user per answer.
func TestFeedbackButtons(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lib := builtinLibrary(t)
	e := answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil)
	srv := newFakeDiscord(t)
	j := openJournal(t, dir)
	h := newJournalHarness(t, srv, e, lib, j)

	m := askAndWait(t, h, "Who did Marco Rubio speak with on Friday?", member)
	ids := buttonIDs(m)
	if ids["👍"] == "" || ids["👎"] == "" {
		t.Fatalf("answer has buttons %v, want 👍 and 👎", ids)
	}
	if len(ids["👍"]) > 100 {
		t.Errorf("custom ID %q is longer than Discord's 100 characters", ids["👍"])
	}
	if got := press(t, h, ids["👍"], m, fakediscord.DefaultChannelID, member); !strings.Contains(got, "noted 👍") {
		t.Errorf("first press: %q, want thanks for the 👍", got)
	}
	if got := press(t, h, ids["👎"], m, fakediscord.DefaultChannelID, member); !strings.Contains(got, "from 👍 to 👎") {
		t.Errorf("second press: %q, want the vote changed", got)
	}
	if got := press(t, h, ids["👍"], m, fakediscord.DefaultChannelID, moderator); !strings.Contains(got, "noted 👍") {
		t.Errorf("another user's press: %q, want their own vote", got)
	}

	// A mention's answer, in its thread, carries the buttons too.
	h.srv.DispatchMessageCreate(fakediscord.MessageSpec{Content: "What did Rubio offer Munir?", MentionBot: true})
	ctx := waitCtx(t)
	if _, err := h.srv.WaitFor(ctx, fakediscord.Match("POST", "/channels/*/messages/*/threads")); err != nil {
		t.Fatal(err)
	}
	thread := h.srv.Threads()[0]
	tm := waitMessages(t, h.srv, thread.ID, 1)
	last := tm[len(tm)-1]
	mids := buttonIDs(last)
	if mids["👎"] == "" {
		t.Fatalf("the mention's answer has buttons %v, want 👍 and 👎", mids)
	}

	// Restart: a new bot process, the same data directory, the same
	// messages on Discord.
	h.stop(t)
	j.Close()
	j2 := openJournal(t, dir)
	h2 := newJournalHarness(t, srv, e, lib, j2)
	if got := press(t, h2, ids["👍"], m, fakediscord.DefaultChannelID, member); !strings.Contains(got, "from 👎 to 👍") {
		t.Errorf("press after a restart: %q, want the vote from before the restart changed", got)
	}
	if got := press(t, h2, mids["👎"], last, thread.ID, member); !strings.Contains(got, "noted 👎") || !strings.Contains(got, "/gaps") {
		t.Errorf("press on the mention's answer after a restart: %q", got)
	}
	st, err := j2.Stats(context.Background(), time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// member: 👍 on the /ask answer (changed twice), 👎 on the mention's;
	// moderator: 👍 on the /ask answer.
	if st.Questions != 2 || st.Up != 2 || st.Down != 1 {
		t.Errorf("journal: %d questions, %d 👍, %d 👎; want 2, 2, 1", st.Questions, st.Up, st.Down)
	}
	if len(st.Cited) == 0 || !strings.Contains(st.Cited[0].Article, "rubio") {
		t.Errorf("most cited %+v, want Rubio's article", st.Cited)
	}
	// A forged button is refused, not recorded.
	if got := press(t, h2, "ask:vote:999999:up", m, fakediscord.DefaultChannelID, member); !strings.Contains(got, "older than the journal keeps") {
		t.Errorf("press for an unknown answer: %q", got)
	}
	if got := press(t, h2, "ask:vote:x:sideways", m, fakediscord.DefaultChannelID, member); !strings.Contains(got, "expired") {
		t.Errorf("press of a malformed button: %q", got)
	}
}

// TestGapsAndStats asks questions the sources can't answer, several in
// other words, then reads /gaps and /stats as a moderator; members are
// refused both.
func TestGapsAndStats(t *testing.T) {
	t.Parallel()
	lib := builtinLibrary(t)
	e := answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil)
	srv := newFakeDiscord(t)
	j := openJournal(t, t.TempDir())
	h := newJournalHarness(t, srv, e, lib, j)
	// Made up for this test: nothing in the built-in corpus answers them.
	for _, q := range []string{
		"How many goats were evacuated from the border villages?",
		"What number of goats did villagers evacuate near the border?",
		"How many goats were moved out of border villages?",
		"When will the Kartarpur corridor reopen?",
		"When does the Kartarpur corridor open again?",
		"Which cricket stadium hosted the final?",
	} {
		if m := askAndWait(t, h, q, member); !strings.Contains(m.Content, answer.NoAnswer) {
			t.Fatalf("%q was answered, the test needs a refusal:\n%s", q, m.Content)
		}
	}
	answered := askAndWait(t, h, "Who did Marco Rubio speak with on Friday?", member)
	press(t, h, buttonIDs(answered)["👎"], answered, fakediscord.DefaultChannelID, member)

	// Members can't reach either command, whatever the option.
	for _, spec := range []fakediscord.InteractionSpec{
		fakediscord.Slash("gaps").As(member, discordgo.PermissionSendMessages),
		fakediscord.Slash("gaps", fakediscord.Int("days", 30)).As(member, 0),
		fakediscord.Slash("stats").As(member, discordgo.PermissionSendMessages),
		fakediscord.Slash("stats").InDM(),
	} {
		it := h.srv.DispatchInteraction(spec)
		h.waitHandled(t, it.ID)
		cbs := callbacks(t, h.srv, it)
		data, _ := cbs[0]["data"].(map[string]any)
		content, _ := data["content"].(string)
		if len(cbs) != 1 || !strings.Contains(content, "Only moderators") || data["flags"] != float64(discordgo.MessageFlagsEphemeral) {
			t.Errorf("/%s by a member got %v, want a private refusal", spec.Name, cbs)
		}
	}

	it := h.srv.DispatchInteraction(fakediscord.Slash("gaps").As(moderator, discordgo.PermissionManageGuild))
	h.waitHandled(t, it.ID)
	gm := h.srv.OriginalMessage(it.Token)
	if gm == nil || gm.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("/gaps reply %+v, want a private message: it lists members' questions", gm)
	}
	gaps := gm.Content
	t.Logf("/gaps:\n%s", gaps)
	blocks := strings.Split(gaps, "\n\n**")
	if !strings.Contains(blocks[0], "7 questions refused or marked 👎, in 4 groups") {
		t.Errorf("/gaps header %q, want 7 questions (6 refused, 1 👎) in 4 groups", blocks[0])
	}
	if len(blocks) != 5 {
		t.Fatalf("/gaps has %d groups, want 4:\n%s", len(blocks)-1, gaps)
	}
	wantGroup := func(n int, counts string, wordings ...string) {
		t.Helper()
		b := blocks[n]
		if !strings.HasPrefix(b, counts) {
			t.Errorf("group %q, want it to start %q", b, counts)
		}
		for _, w := range wordings {
			if !strings.Contains(b, "> "+w) {
				t.Errorf("group %q lacks the wording %q", b, w)
			}
		}
	}
	wantGroup(1, "1.** 3 asked (3 refused)", "How many goats were evacuated from the border villages?", "What number of goats did villagers evacuate near the border?", "How many goats were moved out of border villages?")
	wantGroup(2, "2.** 2 asked (2 refused)", "When will the Kartarpur corridor reopen?", "When does the Kartarpur corridor open again?")
	if !strings.Contains(blocks[2], `Nearest: none came close · Why: no source mentions "Kartarpur"`) {
		t.Errorf("the Kartarpur group %q does not say no source mentions Kartarpur", blocks[2])
	}
	rest := blocks[3] + blocks[4]
	if !strings.Contains(rest, "cricket stadium") || !strings.Contains(rest, "Marco Rubio") || !strings.Contains(rest, "1 👎") {
		t.Errorf("the last groups %q, want the cricket question and the 👎 answer", rest)
	}
	if !strings.Contains(blocks[1], "Nearest: ") || !strings.Contains(blocks[1], "(`") {
		t.Errorf("the goats group names no nearest article: %q", blocks[1])
	}

	it = h.srv.DispatchInteraction(fakediscord.Slash("stats", fakediscord.Int("days", 1)).As(moderator, discordgo.PermissionManageGuild))
	h.waitHandled(t, it.ID)
	sm := h.srv.OriginalMessage(it.Token)
	if sm == nil || sm.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("/stats reply %+v, want a private message", sm)
	}
	t.Logf("/stats:\n%s", sm.Content)
	for _, want := range []string{"Questions: 7 · refused 6 (86%) · 👍 0 · 👎 1", "Answer time: median ", "p95 ", ": 7 (6 refused)", "**Most cited**", "`rubio"} {
		if !strings.Contains(sm.Content, want) {
			t.Errorf("/stats lacks %q:\n%s", want, sm.Content)
		}
	}
	// A moderator's reload is recorded, by a hash of who did it.
	it = h.srv.DispatchInteraction(fakediscord.Slash("reload").As(moderator, discordgo.PermissionManageGuild))
	h.waitHandled(t, it.ID)
	acts, err := j.Actions(context.Background(), time.Time{})
	if err != nil || len(acts) != 1 || acts[0].Kind != "reload" || acts[0].Detail != "ok" || acts[0].User == "" || acts[0].User == moderator.ID {
		t.Errorf("actions %+v, %v; want one reload, ok, by a hashed user", acts, err)
	}

	// A bad date is the moderator's to fix, said privately.
	it = h.srv.DispatchInteraction(fakediscord.Slash("stats", fakediscord.String("from", "10 May")).As(moderator, discordgo.PermissionManageGuild))
	h.waitHandled(t, it.ID)
	if cbs := callbacks(t, h.srv, it); len(cbs) != 1 || !strings.Contains(cbs[0]["data"].(map[string]any)["content"].(string), "YYYY-MM-DD") {
		t.Errorf("/stats from:10 May got %v, want the date format explained", cbs)
	}
}

// TestJournalUnwritable: with a journal whose writes fail, questions are
// still answered (without buttons) and the failure is logged; with none at
// all, /gaps says so.
func TestJournalUnwritable(t *testing.T) {
	t.Parallel()
	lib := builtinLibrary(t)
	e := answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil)
	srv := newFakeDiscord(t)
	j := openJournal(t, t.TempDir())
	j.Close() // every write now fails
	h := newJournalHarness(t, srv, e, lib, j)
	m := askAndWait(t, h, "Who did Marco Rubio speak with on Friday?", member)
	if !strings.Contains(m.Content, "Munir") {
		t.Errorf("answer %q, want it served despite the journal", m.Content)
	}
	if len(buttonIDs(m)) != 0 {
		t.Errorf("answer has buttons %v for an answer the journal does not hold", buttonIDs(m))
	}
	if !strings.Contains(h.logs.String(), "journal: answer not recorded") {
		t.Errorf("the journal's failure was not logged:\n%s", h.logs.String())
	}

	none := newJournalHarness(t, newFakeDiscord(t), e, lib, nil)
	m = askAndWait(t, none, "What did Rubio offer Munir?", member)
	if !strings.Contains(m.Content, "assistance") || len(buttonIDs(m)) != 0 {
		t.Errorf("without a journal: %q, buttons %v; want the answer, no buttons", m.Content, buttonIDs(m))
	}
	it := none.srv.DispatchInteraction(fakediscord.Slash("gaps").As(moderator, discordgo.PermissionManageGuild))
	none.waitHandled(t, it.ID)
	if cbs := callbacks(t, none.srv, it); len(cbs) != 1 || !strings.Contains(cbs[0]["data"].(map[string]any)["content"].(string), "journal is off") {
		t.Errorf("/gaps without a journal got %v", cbs)
	}
}

func TestStatsPeriod(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 5, 12, 15, 30, 0, 0, time.UTC)
	day := func(d int) time.Time { return time.Date(2025, 5, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name           string
		days           int
		from, to       string
		start, end     time.Time
		wantErrContain string
	}{
		{"last 7 days", 7, "", "", now.Add(-7 * 24 * time.Hour), now, ""},
		{"from a day to today", 7, "2025-05-07", "", day(7), day(13), ""},
		{"a closed period", 7, "2025-05-07", "2025-05-10", day(7), day(11), ""},
		{"days before a last day", 3, "", "2025-05-10", day(8), day(11), ""},
		{"bad from", 7, "7 May", "", time.Time{}, time.Time{}, "YYYY-MM-DD"},
		{"bad to", 7, "", "2025/05/10", time.Time{}, time.Time{}, "YYYY-MM-DD"},
		{"reversed", 7, "2025-05-10", "2025-05-07", time.Time{}, time.Time{}, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end, err := StatsPeriod(now, tt.days, tt.from, tt.to)
			if tt.wantErrContain != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErrContain) {
					t.Errorf("err %v, want one saying %q", err, tt.wantErrContain)
				}
				return
			}
			if err != nil || !start.Equal(tt.start) || !end.Equal(tt.end) {
				t.Errorf("got %v – %v, %v; want %v – %v", start, end, err, tt.start, tt.end)
			}
		})
	}
}
