package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
)

// onMessage answers a message that mentions the bot by opening a thread on
// it, and answers every later message in such a thread as a follow-up.
func (d *Discord) onMessage(s *discordgo.Session, m *discordgo.MessageCreate) {
	if m.Author == nil || m.Author.Bot || s.State == nil || s.State.User == nil || m.Author.ID == s.State.User.ID {
		return
	}
	me := s.State.User.ID
	history, inThread := d.threadHistory(m.ChannelID)
	mentioned := false
	for _, u := range m.Mentions {
		if u.ID == me {
			mentioned = true
		}
	}
	if !inThread && !mentioned {
		return
	}
	if !d.servesQuestions(m.GuildID) {
		// No reply: a reply to every mention in a server crisisbot does
		// not serve would be a way to make it talk there.
		d.log.Debug("mention ignored: server not configured", "guild", m.GuildID, "user", m.Author.ID)
		return
	}
	d.work("message", m.ID, func(ctx context.Context) { d.answerMessage(ctx, m, inThread, history) })
}

// answerMessage answers a mention in a new thread, or a follow-up in one.
//
// Everything that can refuse the question comes before the thread opens,
// and a refusal is a reply where the question was asked: a thread per
// refused mention, named with the user's text, let one user open threads
// at will (forty mentions opened forty threads to answer three). The rate
// limit comes first, so a flood of over-long or empty mentions is refused
// too, and a user asking too fast is told once, not once per mention.
func (d *Discord) answerMessage(ctx context.Context, m *discordgo.MessageCreate, inThread bool, history []answer.Turn) {
	// Mentions, the bot's own included, are syntax, not words.
	question := answer.CleanQuestion(m.Content)
	if ok, wait, told := d.limiter.allow(m.Author.ID); !ok {
		if !told {
			d.send(ctx, m.ChannelID, rateLimited(wait), m)
		}
		d.log.Info("mention refused: rate limit", "message", m.ID, "user", m.Author.ID, "told", told)
		return
	}
	if msg := d.checkQuestion(question); msg != "" {
		d.send(ctx, m.ChannelID, msg, m)
		return
	}
	release, refusal := d.acquire(ctx)
	if refusal != "" {
		d.send(ctx, m.ChannelID, refusal, m)
		return
	}
	defer release()
	channel := m.ChannelID
	if !inThread {
		th, err := d.s.MessageThreadStartComplex(m.ChannelID, m.ID, &discordgo.ThreadStart{
			Name:                threadName(question),
			AutoArchiveDuration: 1440,
		}, discordgo.WithContext(ctx))
		if err != nil {
			d.log.Error("mention: open thread", "message", m.ID, "err", apiError(d.s, err))
			// Answer in the channel instead, replying to the question.
			th = &discordgo.Channel{ID: m.ChannelID}
		} else {
			d.rememberThread(th.ID)
		}
		channel = th.ID
	}
	_ = d.s.ChannelTyping(channel, discordgo.WithContext(ctx))
	if len(history) > d.cfg.HistoryTurns {
		history = history[len(history)-d.cfg.HistoryTurns:]
	}
	ans, err := d.answerer.Answer(ctx, answer.Question{Text: question, History: history}, nil)
	if err != nil {
		d.log.Error("mention: answer", "message", m.ID, "err", err)
		d.send(ctx, channel, friendly(err), m)
		return
	}
	if len(history) > 0 {
		note := fmt.Sprintf("Read as a follow-up to the last %d question(s) in this thread.", len(history))
		if ans.Notice != "" {
			note += " " + ans.Notice
		}
		ans.Notice = note
	}
	// Record the turn before the answer goes out: a follow-up written as
	// soon as the answer shows must find it.
	d.recordTurn(channel, answer.Turn{Question: question, Answer: ans.Text})
	r := renderReply(ans, d.layout(""))
	r.components = d.journalAnswer(ctx, "mention", m.ID, m.Author.ID, ans)
	for n, part := range r.parts {
		var file *discordgo.File
		var components []discordgo.MessageComponent
		if n == len(r.parts)-1 {
			file, components = r.file, r.components
		}
		if !d.sendMessage(ctx, channel, part, nil, file, components) {
			return
		}
	}
	d.log.Info("answered mention", "message", m.ID, "thread", channel, "follow_up", len(history) > 0, "mode", ans.Mode, "abstained", ans.Abstained)
}

// threadIdle is how long a thread is remembered without a message. Discord
// archives the bot's threads after a day without one, but a message
// reopens an archived thread.
const threadIdle = 7 * 24 * time.Hour

// historyAnswerLimit is how much of an answer a thread's history keeps: a
// follow-up needs the gist of what was said, not a quote of any length.
const historyAnswerLimit = 2000

// historyCost is roughly the memory one thread's entry takes, in bytes:
// the strings plus the bookkeeping around them.
func historyCost(thread string, turns []answer.Turn) int {
	n := 200 + len(thread)
	for _, t := range turns {
		n += 64 + len(t.Question) + len(t.Answer)
	}
	return n
}

// threadHistory returns the turns so far of a thread this bot opened, and
// whether it is one.
func (d *Discord) threadHistory(thread string) ([]answer.Turn, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	turns, ok := d.threads.get(thread, d.now())
	return slices.Clone(turns), ok
}

// rememberThread records a thread the bot opened, so later messages in it
// are read as follow-ups.
func (d *Discord) rememberThread(thread string) {
	d.mu.Lock()
	d.threads.put(thread, nil, d.now())
	d.mu.Unlock()
	d.saveThread(thread)
}

// recordTurn adds a turn to a remembered thread's history, keeping the last
// HistoryTurns, each answer clipped to historyAnswerLimit, and saves it
// when there is a data directory.
func (d *Discord) recordTurn(thread string, t answer.Turn) {
	t.Answer = clip(t.Answer, historyAnswerLimit)
	d.mu.Lock()
	now := d.now()
	turns, ok := d.threads.get(thread, now)
	if ok {
		keep := turns[max(0, len(turns)-d.cfg.HistoryTurns+1):]
		d.threads.put(thread, append(slices.Clone(keep), t), now)
	}
	d.mu.Unlock()
	if ok {
		d.saveThread(thread)
	}
}

// send posts content in a channel, optionally as a reply; it reports
// whether the message went out.
func (d *Discord) send(ctx context.Context, channel, content string, replyTo *discordgo.MessageCreate) bool {
	return d.sendWith(ctx, channel, content, replyTo, nil)
}

// sendWith is send with a file attached, if not nil.
func (d *Discord) sendWith(ctx context.Context, channel, content string, replyTo *discordgo.MessageCreate, file *discordgo.File) bool {
	return d.sendMessage(ctx, channel, content, replyTo, file, nil)
}

// sendMessage is sendWith with buttons. Link previews are suppressed: a
// source's link is for following, and a preview of each would bury the
// answer.
func (d *Discord) sendMessage(ctx context.Context, channel, content string, replyTo *discordgo.MessageCreate, file *discordgo.File, components []discordgo.MessageComponent) bool {
	msg := &discordgo.MessageSend{Content: content, AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsSuppressEmbeds, Components: components}
	if replyTo != nil && replyTo.ChannelID == channel {
		msg.Reference = replyTo.Reference()
	}
	if file != nil {
		msg.Files = []*discordgo.File{file}
	}
	if _, err := d.s.ChannelMessageSendComplex(channel, msg, discordgo.WithContext(ctx)); err != nil {
		d.log.Error("send message", "channel", channel, "err", apiError(d.s, err))
		return false
	}
	return true
}

// threadName turns a question into a thread title within Discord's 100
// characters.
func threadName(q string) string {
	if q = strings.TrimSpace(q); q == "" {
		return "Question"
	}
	return clip(q, 90)
}
