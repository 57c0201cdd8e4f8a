package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
)

// giantSentence is a "sentence" of 393 KB, as an article without full stops
// gave one, answered and quoted whole.
func giantAnswer() answer.Answer {
	words := strings.Fields("Shelling along the Line of Control continued through the night as villagers in Poonch sheltered in bunkers and")
	var b strings.Builder
	for n := 0; b.Len() < 393<<10; n++ {
		b.WriteString(words[n%len(words)] + " ")
	}
	sentence := strings.TrimSpace(b.String()) + "."
	// The answer retells the quote, as an LLM's does, so the sources show
	// the quote too.
	return answer.Answer{
		Text: "In short: " + sentence + " [1]", Mode: answer.ModeLLM,
		Citations: []answer.Citation{{N: 1, Article: "poonch", Title: "Night of shelling in Poonch", URL: "https://news.example/poonch", Quote: "Overnight, " + sentence}},
	}
}

// TestDiscordGiantQuote is issue 10.6: one question became 394 messages.
// The answer now takes at most MaxAnswerMessages, the quote in the sources
// is clipped, and the whole answer comes as an attached file.
func TestDiscordGiantQuote(t *testing.T) {
	t.Parallel()
	giant := giantAnswer()
	h := newDiscordHarness(t, DiscordConfig{}, &stubAnswerer{answer: giant}, builtinLibrary(t))

	t.Run("ask", func(t *testing.T) {
		t.Parallel()
		it := h.srv.DispatchInteraction(ask("What happened in Poonch?"))
		h.waitHandled(t, it.ID)
		var msgs []*discordgo.Message
		if m := h.srv.OriginalMessage(it.Token); m != nil {
			msgs = append(msgs, m)
		}
		msgs = append(msgs, h.srv.Followups(it.Token)...)
		checkGiantReply(t, msgs)
	})
	t.Run("mention", func(t *testing.T) {
		t.Parallel()
		const channel = "1300000000000000300"
		asked := h.srv.DispatchMessageCreate(fakediscord.MessageSpec{ChannelID: channel, Content: "What happened in Poonch?", MentionBot: true})
		h.waitHandled(t, asked.ID)
		threads := threadsOf(h.srv, channel)
		if len(threads) != 1 {
			t.Fatalf("%d threads, want 1", len(threads))
		}
		checkGiantReply(t, botMessages(h.srv, threads[0].ID))
	})
}

// checkGiantReply checks what the bot sent for the giant answer: at most
// MaxAnswerMessages messages, the sources last with the quote clipped, and
// the whole answer attached to the last message.
func checkGiantReply(t *testing.T, msgs []*discordgo.Message) {
	t.Helper()
	if len(msgs) == 0 || len(msgs) > MaxAnswerMessages {
		t.Fatalf("%d messages for one answer, want 1 to %d", len(msgs), MaxAnswerMessages)
	}
	for n, m := range msgs {
		if l := discordLen(m.Content); l > MessageLimit {
			t.Errorf("message %d has %d characters", n, l)
		}
	}
	last := msgs[len(msgs)-1]
	i := strings.Index(last.Content, "**Sources**")
	if i < 0 {
		t.Fatalf("the last message has no sources:\n%s", last.Content)
	}
	src := last.Content[i:]
	if !strings.Contains(src, "[1] [Night of shelling in Poonch](<https://news.example/poonch>)") {
		t.Errorf("sources lack the linked title:\n%s", src)
	}
	quote := src[strings.Index(src, "\n> ")+3:]
	if n := utf8.RuneCountInString(quote); n > quoteLimit || !strings.HasSuffix(quote, "…") {
		t.Errorf("quote of %d characters ending %q, want at most %d ending with …", n, quote[max(0, len(quote)-10):], quoteLimit)
	}
	if !strings.Contains(msgs[len(msgs)-2].Content, "attached "+answerFileName) {
		t.Errorf("the answer does not say the rest is attached:\n%s", msgs[len(msgs)-2].Content)
	}
	if len(last.Attachments) != 1 || last.Attachments[0].Filename != answerFileName || last.Attachments[0].Size < 2*393<<10 {
		t.Errorf("attachments %+v, want %s with the answer and its quote in full", last.Attachments, answerFileName)
	}
	for _, m := range msgs[:len(msgs)-1] {
		if len(m.Attachments) > 0 {
			t.Errorf("a message before the last has attachments")
		}
	}
}

func TestClipQuote(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  string
	}{
		{"short enough", 20, "short enough"},
		{"Rubio spoke with Munir on Friday", 20, "Rubio spoke with…"},
		{strings.Repeat("x", 30), 10, strings.Repeat("x", 9) + "…"},
		{"😀😀😀😀😀😀", 7, "😀😀😀…"}, // each is two UTF-16 units
	}
	for _, tt := range tests {
		if got := clipQuote(tt.in, tt.limit); got != tt.want || !fits(got, tt.limit) {
			t.Errorf("clipQuote(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestRenderReplyFitsWithoutFile(t *testing.T) {
	r := renderReply(answer.Answer{Text: "Rubio spoke with Munir [1].", Citations: []answer.Citation{{N: 1, Title: "T", Quote: "q"}}}, layout{})
	if len(r.parts) != 1 || r.file != nil {
		t.Errorf("a short answer became %d parts, file %v", len(r.parts), r.file != nil)
	}
}
