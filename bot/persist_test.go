package bot

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// offlineBot is a bot that is never connected, for what it keeps.
func offlineBot(tb testing.TB, cfg DiscordConfig, now func() time.Time) *Discord {
	tb.Helper()
	s, err := discordgo.New("Bot " + testToken)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.AnyGuild = true
	d, err := NewDiscord(cfg, s, &stubAnswerer{}, emptyLibrary{}, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	// The state loaded in NewDiscord used the real clock; later calls use
	// the test's.
	d.now = now
	return d
}

// threadFiles lists the thread IDs that have a history file.
func threadFiles(tb testing.TB, data string) []string {
	tb.Helper()
	entries, err := os.ReadDir(filepath.Join(data, stateDirName, threadsDirName))
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for _, e := range entries {
		if id, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestThreadHistorySurvivesRestart(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	now := time.Now()
	clock := func() time.Time { return now }
	cfg := DiscordConfig{DataDir: data, HistoryTurns: 2, MaxThreads: 3}
	d := offlineBot(t, cfg, clock)
	for n := range 5 {
		thread := fmt.Sprint(1500000000000000000 + n)
		d.rememberThread(thread)
		for turn := range 3 {
			d.recordTurn(thread, answer.Turn{Question: fmt.Sprintf("q%d.%d", n, turn), Answer: fmt.Sprintf("a%d.%d", n, turn)})
		}
		now = now.Add(time.Minute)
	}
	// The bounds hold on disk: three threads, two turns each.
	if got, want := threadFiles(t, data), []string{"1500000000000000002", "1500000000000000003", "1500000000000000004"}; !slices.Equal(got, want) {
		t.Fatalf("history files for threads %v, want the 3 latest %v", got, want)
	}

	again := offlineBot(t, cfg, clock)
	turns, ok := again.threadHistory("1500000000000000004")
	if want := []answer.Turn{{Question: "q4.1", Answer: "a4.1"}, {Question: "q4.2", Answer: "a4.2"}}; !ok || !slices.Equal(turns, want) {
		t.Errorf("after a restart the thread holds %v (%v), want %v", turns, ok, want)
	}
	if _, ok := again.threadHistory("1500000000000000000"); ok {
		t.Error("a thread forgotten before the restart came back")
	}
	// A new thread after the restart pushes out the least recently used.
	again.rememberThread("1600000000000000000")
	if got := threadFiles(t, data); slices.Contains(got, "1500000000000000002") || !slices.Contains(got, "1600000000000000000") || len(got) != 3 {
		t.Errorf("history files %v after a new thread, want the oldest gone", got)
	}
}

func TestThreadHistoryFilesCheckedOnLoad(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	cfg := DiscordConfig{DataDir: data}
	d := offlineBot(t, cfg, time.Now)
	d.rememberThread("1500000000000000001")
	d.recordTurn("1500000000000000001", answer.Turn{Question: "q", Answer: "a"})
	dir := filepath.Join(data, stateDirName, threadsDirName)
	// A truncated file, one naming another thread, and one idle too long.
	os.WriteFile(filepath.Join(dir, "1500000000000000002.json"), []byte(`{"thread":"15000`), 0o600)
	os.WriteFile(filepath.Join(dir, "1500000000000000003.json"), []byte(`{"thread":"1500000000000000001","used":"2025-05-10T00:00:00Z"}`), 0o600)
	old := time.Now().Add(-threadIdle - time.Hour).UTC().Format(time.RFC3339)
	os.WriteFile(filepath.Join(dir, "1500000000000000004.json"), []byte(`{"thread":"1500000000000000004","used":"`+old+`","turns":[]}`), 0o600)

	logs := &syncBuffer{}
	s, _ := discordgo.New("Bot " + testToken)
	again, err := NewDiscord(DiscordConfig{DataDir: data, AnyGuild: true}, s, &stubAnswerer{}, emptyLibrary{}, nil, slogTo(logs))
	if err != nil {
		t.Fatal(err)
	}
	if turns, ok := again.threadHistory("1500000000000000001"); !ok || len(turns) != 1 {
		t.Errorf("the good thread holds %v (%v)", turns, ok)
	}
	for _, id := range []string{"1500000000000000002", "1500000000000000003", "1500000000000000004"} {
		if _, ok := again.threadHistory(id); ok {
			t.Errorf("thread %s was loaded", id)
		}
	}
	for _, name := range []string{"1500000000000000002.json.bad", "1500000000000000003.json.bad"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("an unreadable file was not set aside as %s: %v", name, err)
		}
		if !strings.Contains(logs.String(), strings.TrimSuffix(name, ".bad")) {
			t.Errorf("the log does not name %s:\n%s", name, logs.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "1500000000000000004.json")); err == nil {
		t.Error("the file of a thread idle for over a week is still there")
	}
}

func TestButtonsSurviveRestart(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	d := offlineBot(t, DiscordConfig{DataDir: data}, time.Now)
	removed := corpus.Removed{ID: "a", Title: "A", TrashPath: "/trash/a.md", OriginalPath: "/corpus/a.md"}
	undo := d.stash(pendingAction{kind: "undo-remove", id: "a", removed: removed})
	confirm := d.stash(pendingAction{kind: "confirm-remove", id: "b"})
	if _, ok := d.take(confirm, "confirm-remove"); !ok {
		t.Fatal("the confirmation was not there")
	}

	again := offlineBot(t, DiscordConfig{DataDir: data}, time.Now)
	if p, ok := again.take(undo, "undo-remove"); !ok || p.removed != removed || p.id != "a" {
		t.Errorf("after a restart the undo is %+v (%v), want what it restores", p, ok)
	}
	if _, ok := again.take(confirm, "confirm-remove"); ok {
		t.Error("a used button works again after a restart")
	}
	// What was taken stays taken through another restart.
	if _, ok := offlineBot(t, DiscordConfig{DataDir: data}, time.Now).take(undo, "undo-remove"); ok {
		t.Error("a used undo works again after a second restart")
	}
	// Buttons expire on disk as they do in memory.
	key := again.stash(pendingAction{kind: "undo-add", id: "c"})
	later := offlineBot(t, DiscordConfig{DataDir: data}, func() time.Time { return time.Now().Add(pendingTTL + time.Minute) })
	if _, ok := later.take(key, "undo-add"); ok {
		t.Error("a button older than its time to live works after a restart")
	}
	if fi, err := os.Stat(filepath.Join(data, stateDirName, buttonsName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("buttons file: %v, mode %v; want it private to the bot's user", err, fi.Mode().Perm())
	}
}

// TestDiscordFollowUpAfterRestart: a thread's follow-up, asked after the
// bot restarted, is read with the thread's earlier turn.
func TestDiscordFollowUpAfterRestart(t *testing.T) {
	t.Parallel()
	e, lib := newTestExtractive(t)
	cfg := DiscordConfig{DataDir: t.TempDir()}
	first := newDiscordHarness(t, cfg, e, lib)
	asked := first.srv.DispatchMessageCreate(fakediscord.MessageSpec{Content: "Who did Marco Rubio speak with on Friday?", MentionBot: true})
	first.waitHandled(t, asked.ID)
	threads := threadsOf(first.srv, fakediscord.DefaultChannelID)
	if len(threads) != 1 {
		t.Fatalf("%d threads, want 1", len(threads))
	}
	thread := threads[0].ID
	first.stop(t)

	second := newDiscordHarnessOn(t, first.srv, cfg, e, lib, nil)
	follow := second.srv.DispatchMessageCreate(fakediscord.MessageSpec{ChannelID: thread, Content: "And what did he offer him?"})
	second.waitHandled(t, follow.ID)
	msgs := botMessages(second.srv, thread)
	reply := msgs[len(msgs)-1].Content
	if !strings.Contains(reply, "assistance") || !strings.Contains(reply, "follow-up to the last 1 question") {
		t.Errorf("follow-up after a restart got %q, want Rubio's offer, read as a follow-up", reply)
	}
}

// TestDiscordButtonsAfterRestart: a confirmation button pressed after a
// restart works when the data directory kept its action, and says clearly
// that it expired when there is none.
func TestDiscordButtonsAfterRestart(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, data, want string
	}{
		{"kept", t.TempDir(), "Removed **Rubio reaches out"},
		{"forgotten", "", "That confirmation has expired (or was already used); run /remove again."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := DiscordConfig{DataDir: tt.data}
			h := newEditHarnessWith(t, false, cfg)
			it := h.srv.DispatchInteraction(fakediscord.Slash("remove", fakediscord.String("article", "rubio-calls-munir")).As(moderator, discordgo.PermissionManageGuild))
			h.waitReply(t, it, nonEmpty)
			h.stop(t)
			second := newDiscordHarnessOn(t, h.srv, cfg, answer.NewExtractive(answer.ExtractiveConfig{}, h.lib, nil), h.lib, h.editor)
			press := h.press(t, it, "Remove")
			second.waitHandled(t, press.ID)
			if got := second.srv.OriginalMessage(press.Token).Content; !strings.HasPrefix(got, tt.want) {
				t.Errorf("after a restart the button gave %q, want %q", got, tt.want)
			}
		})
	}
}

// slogTo is a debug logger writing to w.
func slogTo(w *syncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
