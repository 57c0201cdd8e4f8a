package bot

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
)

// askCommand is /ask question:<text> [private:<bool>]. The question's
// declared maximum length is the one the bot enforces, so Discord stops the
// user typing more instead of the bot refusing what was typed.
func (d *Discord) askCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:        "ask",
			Description: "Ask a question about the India–Pakistan crisis; answered from the sources, with citations",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question", Required: true, MaxLength: d.cfg.MaxQuestionLen},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", Description: "Only you see the answer"},
			},
		},
		handle: d.handleAsk,
	}
}

func (d *Discord) handleAsk(ctx context.Context, i *discordgo.InteractionCreate) {
	data := i.ApplicationCommandData()
	var question string
	if o := data.GetOption("question"); o != nil {
		question = answer.CleanQuestion(o.StringValue())
	}
	private := d.cfg.Private
	if o := data.GetOption("private"); o != nil {
		private = o.BoolValue()
	}
	user := userOf(i)
	if msg := d.checkQuestion(question); msg != "" {
		d.respondEphemeral(ctx, i, msg)
		return
	}
	// A private refusal goes out every time: Discord needs an answer.
	if ok, wait, _ := d.limiter.allow(user.ID); !ok {
		d.respondEphemeral(ctx, i, rateLimited(wait))
		return
	}
	// Acknowledge first: Discord drops an interaction not answered within
	// three seconds, and answering can take much longer.
	if err := d.deferReply(ctx, i, private); err != nil {
		d.log.Error("ask: acknowledge", "interaction", i.ID, "err", err)
		return
	}
	release, refusal := d.acquire(ctx)
	if refusal != "" {
		d.editOrLog(ctx, i, refusal)
		return
	}
	defer release()
	log := d.log.With("interaction", i.ID, "user", user.ID)
	edits := d.streamEditor(ctx, i, questionLine(question))
	ans, err := d.answerer.Answer(ctx, answer.Question{Text: question}, edits.partial)
	edits.stop()
	if err != nil {
		log.Error("ask: answer", "err", err)
		d.editOrLog(ctx, i, friendly(err))
		return
	}
	r := d.askReply(question, ans)
	r.components = d.journalAnswer(ctx, "ask", i.ID, user.ID, ans)
	if err := d.sendReply(ctx, i, r, private); err != nil {
		log.Error("ask: send answer", "err", err)
		return
	}
	log.Info("answered", "mode", ans.Mode, "abstained", ans.Abstained, "citations", len(ans.Citations))
}

// askReply is everything /ask sends for an answer: the question, the
// answer and its sources, and buttons on its last message (set
// r.components here; [Discord.sendReply] attaches them).
func (d *Discord) askReply(question string, ans answer.Answer) reply {
	r := renderReply(ans, d.layout(question))
	return r
}

// layout is how replies are laid out with the index now serving: it gives
// the cited articles' outlets.
func (d *Discord) layout(question string) layout {
	l := layout{question: question}
	if ix := d.lib.Current(); ix != nil {
		l.article = ix.Article
	}
	return l
}

func rateLimited(wait time.Duration) string {
	return "You're asking faster than I can keep up with. Please try again in " + roundUp(wait).String() + "."
}

func (d *Discord) editOrLog(ctx context.Context, i *discordgo.InteractionCreate, msg string) {
	if err := d.editReply(ctx, i, msg); err != nil {
		d.log.Error("edit reply", "interaction", i.ID, "err", err)
	}
}

// streamEditor edits the deferred reply with the answer as it is written,
// under head (the question), at most once per EditInterval; the final
// answer replaces it.
type streamEditor struct {
	partial func(string)
	stop    func()
}

func (d *Discord) streamEditor(ctx context.Context, i *discordgo.InteractionCreate, head string) streamEditor {
	if head != "" {
		head += "\n\n"
	}
	var mu sync.Mutex
	var last time.Time
	var latest string
	var wg sync.WaitGroup
	stopped := false
	busy := false
	partial := func(text string) {
		mu.Lock()
		defer mu.Unlock()
		latest = text
		if stopped || busy || d.now().Sub(last) < d.cfg.EditInterval {
			return
		}
		busy = true
		last = d.now()
		snapshot := latest
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Show the text so far within one message, marked as unfinished,
			// escaped as the final answer will be.
			shown := truncateForDiscord(head+escapeAnswer(strings.TrimSpace(snapshot)), MessageLimit-2)
			if n := len(shown) - len(strings.TrimRight(shown, `\`)); n%2 == 1 {
				shown = shown[:len(shown)-1] // the cut split an escape
			}
			shown += " …"
			if err := d.editReply(ctx, i, shown); err != nil {
				d.log.Warn("stream edit", "interaction", i.ID, "err", err)
			}
			mu.Lock()
			busy = false
			mu.Unlock()
		}()
	}
	stop := func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
		// The final edit must land after any partial one.
		wg.Wait()
	}
	return streamEditor{partial: partial, stop: stop}
}
