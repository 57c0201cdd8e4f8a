package fakediscord_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"go.uber.org/goleak"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// TestMain fails the run if any test leaves a goroutine behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// openSession starts a fake with cfg and opens a discordgo session on it,
// with handlers added before Open.
func openSession(tb testing.TB, cfg fakediscord.Config, handlers ...any) (*fakediscord.Server, *discordgo.Session) {
	tb.Helper()
	srv := fakediscord.New(tb, validated(tb, cfg))
	s := fakediscord.NewSession(tb, srv, "test-token")
	for _, h := range handlers {
		s.AddHandler(h)
	}
	if err := s.Open(); err != nil {
		tb.Fatalf("Open: %v\n%s", err, srv.Transcript())
	}
	return srv, s
}

// ctxFor returns a context bounded for one wait in a test.
func ctxFor(tb testing.TB) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

// errs collects errors from discordgo handler goroutines, which must not
// call t.Errorf after the test returns.
type errs chan error

func (e errs) report(err error) {
	if err != nil {
		select {
		case e <- err:
		default:
		}
	}
}

func (e errs) check(tb testing.TB) {
	tb.Helper()
	for {
		select {
		case err := <-e:
			tb.Error(err)
		default:
			return
		}
	}
}

// deferThenEdit answers every application command with a deferral, then
// edits the original response to "answer: <name>".
func deferThenEdit(e errs) func(*discordgo.Session, *discordgo.InteractionCreate) {
	return func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if ic.Type != discordgo.InteractionApplicationCommand {
			return
		}
		err := s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource})
		if err != nil {
			e.report(err)
			return
		}
		content := "answer: " + ic.ApplicationCommandData().Name
		_, err = s.InteractionResponseEdit(ic.Interaction, &discordgo.WebhookEdit{Content: &content})
		e.report(err)
	}
}

var matchEdit = fakediscord.Match("PATCH", "/webhooks/*/*/messages/@original")

func TestSession(t *testing.T) {
	t.Run("open receives READY", func(t *testing.T) {
		t.Parallel()
		srv, s := openSession(t, fakediscord.Config{})
		if s.State.User == nil || s.State.User.ID != srv.AppID() || !s.State.User.Bot {
			t.Fatalf("State.User = %+v, want bot %s", s.State.User, srv.AppID())
		}
		if got, want := srv.Identified(), s.Identify.Intents; got != want {
			t.Errorf("Identified() = %d, want %d", got, want)
		}
		if st := srv.Stats(); st.Connects != 1 || st.Identifies != 1 || !st.Connected {
			t.Errorf("Stats() = %+v, want one connect and identify", st)
		}
		if _, err := srv.WaitFor(ctxFor(t), fakediscord.Match("GET", "/gateway")); err != nil {
			t.Error(err)
		}
		srv.AssertValid(t)
	})

	t.Run("deferred interaction then edit", func(t *testing.T) {
		t.Parallel()
		e := make(errs, 4)
		srv, _ := openSession(t, fakediscord.Config{}, deferThenEdit(e))
		i := srv.DispatchInteraction(fakediscord.Slash("ask", fakediscord.String("question", "where is help?")).
			As(fakediscord.User{ID: "1500000000000000001", Username: "mod"}, discordgo.PermissionManageGuild, "1600000000000000001"))
		if _, err := srv.WaitFor(ctxFor(t), matchEdit); err != nil {
			t.Fatal(err)
		}
		e.check(t)
		got := srv.InteractionResponses(i.Token)
		if len(got) != 2 || got[0].Endpoint() != "/interactions/"+i.ID+"/"+i.Token+"/callback" || got[0].Status != 204 || got[1].Status != 200 {
			t.Fatalf("InteractionResponses = %+v, want callback 204 then edit 200", got)
		}
		var cb discordgo.InteractionResponse
		if err := got[0].Decode(&cb); err != nil || cb.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Errorf("callback = %+v (%v), want type 5", cb, err)
		}
		m := srv.OriginalMessage(i.Token)
		if m == nil || m.Content != "answer: ask" || m.Flags&discordgo.MessageFlagsLoading != 0 || m.EditedTimestamp == nil {
			t.Errorf("OriginalMessage = %+v, want edited content without the loading flag", m)
		}
		if msgs := srv.Messages(fakediscord.DefaultChannelID); len(msgs) != 1 || msgs[0].ID != m.ID {
			t.Errorf("Messages = %v, want the original response only", msgs)
		}
		srv.AssertValid(t)
		t.Log("\n" + srv.Transcript())
	})

	t.Run("drop gateway then resume", func(t *testing.T) {
		t.Parallel()
		e := make(errs, 4)
		resumed := make(chan struct{}, 1)
		srv, _ := openSession(t, fakediscord.Config{}, deferThenEdit(e), func(*discordgo.Session, *discordgo.Resumed) { resumed <- struct{}{} })
		srv.DropGateway()
		st, err := srv.WaitStats(ctxFor(t), func(st fakediscord.GatewayStats) bool { return st.Resumes == 1 && st.Connected })
		if err != nil {
			t.Fatalf("%v\n%s", err, srv.Transcript())
		}
		if st.Identifies != 1 || st.Connects != 2 {
			t.Errorf("Stats() = %+v, want 2 connects, 1 identify, 1 resume", st)
		}
		select {
		case <-resumed:
		case <-time.After(5 * time.Second):
			t.Fatal("no RESUMED event in the session")
		}
		i := srv.DispatchInteraction(fakediscord.Slash("after"))
		if _, err := srv.WaitFor(ctxFor(t), matchEdit); err != nil {
			t.Fatal(err)
		}
		e.check(t)
		if m := srv.OriginalMessage(i.Token); m == nil || m.Content != "answer: after" {
			t.Errorf("OriginalMessage = %+v", m)
		}
		srv.AssertValid(t)
	})

	t.Run("events while disconnected are replayed", func(t *testing.T) {
		t.Parallel()
		e := make(errs, 4)
		srv, _ := openSession(t, fakediscord.Config{AckDeadline: -1}, deferThenEdit(e))
		srv.DropGateway()
		if _, err := srv.WaitStats(ctxFor(t), func(st fakediscord.GatewayStats) bool { return !st.Connected }); err != nil {
			t.Fatal(err)
		}
		i := srv.DispatchInteraction(fakediscord.Slash("queued"))
		if _, err := srv.WaitFor(ctxFor(t), matchEdit); err != nil {
			t.Fatalf("%v\n%s", err, srv.Transcript())
		}
		e.check(t)
		if m := srv.OriginalMessage(i.Token); m == nil || m.Content != "answer: queued" {
			t.Errorf("OriginalMessage = %+v", m)
		}
		if st := srv.Stats(); st.Resumes != 1 || st.Identifies != 1 {
			t.Errorf("Stats() = %+v, want the interaction replayed on RESUME", st)
		}
	})

	t.Run("429 on the edit is retried", func(t *testing.T) {
		t.Parallel()
		e := make(errs, 4)
		srv, _ := openSession(t, fakediscord.Config{}, deferThenEdit(e))
		const wait = 200 * time.Millisecond
		srv.FailNext(fakediscord.MatchHTTP("PATCH", "/webhooks/*/*/messages/@original"), 1, 429, wait)
		i := srv.DispatchInteraction(fakediscord.Slash("ask"))
		edits, err := srv.WaitForN(ctxFor(t), 2, matchEdit)
		if err != nil {
			t.Fatal(err)
		}
		e.check(t)
		if !edits[0].Fault || edits[0].Status != 429 || edits[1].Fault || edits[1].Status != 200 {
			t.Errorf("edits = %d (fault %v), %d (fault %v); want 429 injected then 200", edits[0].Status, edits[0].Fault, edits[1].Status, edits[1].Fault)
		}
		if gap := edits[1].Time.Sub(edits[0].Time); gap < wait {
			t.Errorf("retry after %v, want at least %v", gap, wait)
		}
		if m := srv.OriginalMessage(i.Token); m == nil || m.Content != "answer: ask" {
			t.Errorf("OriginalMessage = %+v", m)
		}
		srv.AssertValid(t)
	})

	t.Run("message starts a thread and answers in it", func(t *testing.T) {
		t.Parallel()
		e := make(errs, 4)
		answered := make(chan string, 1)
		onMessage := func(s *discordgo.Session, mc *discordgo.MessageCreate) {
			if mc.Author.ID == s.State.User.ID {
				return // the bot sees its own messages too
			}
			th, err := s.MessageThreadStartComplex(mc.ChannelID, mc.ID, &discordgo.ThreadStart{Name: "help", AutoArchiveDuration: 60})
			if err != nil {
				e.report(err)
				return
			}
			m, err := s.ChannelMessageSend(th.ID, "answer to "+strings.TrimSpace(mc.Content))
			if err != nil {
				e.report(err)
				return
			}
			answered <- m.ChannelID
		}
		srv, _ := openSession(t, fakediscord.Config{}, onMessage)
		q := srv.DispatchMessageCreate(fakediscord.MessageSpec{Content: "where is help?", MentionBot: true})
		var threadID string
		select {
		case threadID = <-answered:
		case <-time.After(10 * time.Second):
			e.check(t)
			t.Fatalf("no answer\n%s", srv.Transcript())
		}
		e.check(t)
		ths := srv.Threads()
		if len(ths) != 1 || ths[0].ID != q.ID || ths[0].ID != threadID || ths[0].ParentID != q.ChannelID || ths[0].Name != "help" {
			t.Fatalf("Threads() = %+v, want one thread with the question's ID", ths)
		}
		msgs := srv.Messages(threadID)
		if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Content, "answer to <@") || msgs[0].Author.ID != srv.AppID() {
			t.Errorf("thread messages = %+v", msgs)
		}
		srv.AssertValid(t)
	})
}

// closeForGood closes s so that it stays closed. discordgo v0.29.0's Close
// holds the session lock for a second; a heartbeat goroutine that its
// ticker woke just before is then blocked, and once Close returns it writes
// on the closed connection, calls Close again and reconnects: the session
// reopens, or, once the fake is gone, retries forever in a leaked
// goroutine. No wait before Close rules that out, since the ticker can fire
// at any moment. With ShouldReconnectOnError off that goroutine finds the
// session closed and returns. It reads the field only after its own Close
// has taken the session lock, so setting the field under the lock is
// race-free.
func closeForGood(tb testing.TB, s *discordgo.Session) {
	tb.Helper()
	s.Lock()
	s.ShouldReconnectOnError = false
	s.Unlock()
	if err := s.Close(); err != nil {
		tb.Fatalf("Close: %v", err)
	}
}

// verifyNoGoroutines fails tb if goroutines other than those ignore
// excludes are still running at the deadline. It polls rather than waiting
// a fixed time, so a goroutine that is finishing on a loaded machine has
// until then and a clean exit returns at once.
func verifyNoGoroutines(tb testing.TB, ignore goleak.Option, timeout time.Duration) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := goleak.Find(ignore)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			tb.Errorf("goroutines still running %v after the test: %v", timeout, err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSessionCloseLeavesNoGoroutines closes a session that heartbeated,
// resumed and called REST, then the fake, and checks nothing is left running.
func TestSessionCloseLeavesNoGoroutines(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	defer verifyNoGoroutines(t, ignore, 10*time.Second)
	srv := fakediscord.New(t, fakediscord.Config{HeartbeatInterval: 100 * time.Millisecond})
	s := fakediscord.NewSession(t, srv, "test-token")
	e := make(errs, 4)
	s.AddHandler(deferThenEdit(e))
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	srv.DropGateway()
	if _, err := srv.WaitStats(ctxFor(t), func(st fakediscord.GatewayStats) bool { return st.Resumes == 1 && st.Heartbeats >= 3 }); err != nil {
		t.Fatal(err)
	}
	srv.DispatchInteraction(fakediscord.Slash("ask"))
	if _, err := srv.WaitFor(ctxFor(t), matchEdit); err != nil {
		t.Fatal(err)
	}
	closeForGood(t, s)
	if st, err := srv.WaitStats(ctxFor(t), func(st fakediscord.GatewayStats) bool { return !st.Connected }); err != nil {
		t.Fatalf("after Close: %+v: %v", st, err)
	}
	srv.Close()
	e.check(t)
	if errs := srv.Errors(); len(errs) > 0 {
		t.Error(errors.Join(errs...))
	}
}
