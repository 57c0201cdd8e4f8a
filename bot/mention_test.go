package bot

import (
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// TestDiscordMentionFlood is issue 10.4: forty mentions from one user at the
// default rate (6 a minute, 3 at once) opened forty public threads, named
// with the user's text, to answer three. Now the three answered open a
// thread each; the rest are refused before any thread opens, with one
// reply in the channel.
func TestDiscordMentionFlood(t *testing.T) {
	t.Parallel()
	stub := &stubAnswerer{answer: answer.Answer{Text: "Rubio spoke with Munir [1].", Mode: answer.ModeExtractive, Citations: []answer.Citation{{N: 1, Article: "a", Title: "A", Quote: "q"}}}}
	h := newDiscordHarness(t, DiscordConfig{RatePerMinute: 6, RateBurst: 3}, stub, builtinLibrary(t))
	const channel = "1300000000000000200"
	flooder := fakediscord.User{ID: "800", Username: "flooder"}
	var ids []string
	for range 40 {
		m := h.srv.DispatchMessageCreate(fakediscord.MessageSpec{ChannelID: channel, Author: flooder, Content: "spam thread title " + rubio, MentionBot: true})
		ids = append(ids, m.ID)
	}
	for _, id := range ids {
		h.waitHandled(t, id)
	}
	if th := threadsOf(h.srv, channel); len(th) != 3 {
		t.Errorf("%d threads for 40 mentions at 3 at once, want 3", len(th))
	}
	replies := botMessages(h.srv, channel)
	if len(replies) != 1 || !strings.Contains(replies[0].Content, "asking faster") || replies[0].MessageReference == nil {
		var got []string
		for _, m := range replies {
			got = append(got, m.Content)
		}
		t.Errorf("bot messages in the channel %q, want one reply saying the user is asking too fast", got)
	}
}

// TestDiscordMentionRefusedInChannel checks that a question the bot won't
// take, as a mention, is refused with a reply in the channel and no thread.
func TestDiscordMentionRefusedInChannel(t *testing.T) {
	t.Parallel()
	stub := &stubAnswerer{answer: answer.Answer{Text: "never", Mode: answer.ModeExtractive, Abstained: true}}
	h := newDiscordHarness(t, DiscordConfig{MaxQuestionLen: 50}, stub, builtinLibrary(t))
	const channel = "1300000000000000201"
	asked := h.srv.DispatchMessageCreate(fakediscord.MessageSpec{ChannelID: channel, Content: strings.Repeat("why ", 30), MentionBot: true})
	h.waitHandled(t, asked.ID)
	if th := threadsOf(h.srv, channel); len(th) != 0 {
		t.Errorf("an over-long question opened %d threads", len(th))
	}
	replies := botMessages(h.srv, channel)
	if len(replies) != 1 || !strings.Contains(replies[0].Content, "the limit is 50") || replies[0].MessageReference == nil || replies[0].MessageReference.MessageID != asked.ID {
		t.Errorf("channel holds %d bot messages, want one reply giving the limit", len(replies))
	}
	if len(stub.got) != 0 {
		t.Errorf("the answerer was asked %d questions", len(stub.got))
	}
}
