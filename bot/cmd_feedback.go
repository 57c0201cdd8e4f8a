package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/journal"
)

// Journal records questions, answers, feedback and moderators' actions,
// and reads them back for /gaps and /stats; [journal.Journal] is one. Its
// errors never stop an answer: the bot logs them and goes on.
type Journal interface {
	RecordAnswer(ctx context.Context, a journal.Answer) (int64, error)
	SetFeedback(ctx context.Context, id int64, user string, v journal.Vote) (journal.Vote, error)
	RecordAction(ctx context.Context, a journal.Action) error
	Gaps(ctx context.Context, since time.Time) ([]journal.Gap, error)
	Stats(ctx context.Context, from, to time.Time) (journal.Stats, error)
}

var _ Journal = (*journal.Journal)(nil)

// SetJournal makes the bot record what it answers and put 👍/👎 buttons on
// every answer. Call it before [Discord.Run]. Without a journal, answers
// carry no buttons and /gaps and /stats say there is nothing recorded.
func (d *Discord) SetJournal(j Journal) { d.journal = j }

// feedbackPrefix starts the custom ID of a feedback button, after the
// command name: "ask:vote:<answer id>:up". The answer's ID is the
// journal's, so a button pressed after a restart still finds its answer.
const feedbackPrefix = "vote"

// withFeedback makes c, the /ask command, also handle the feedback buttons
// of every answer, mentions' included: they are members' buttons, allowed
// where questions are. Buttons of /ask's own go on to its own handler.
func (d *Discord) withFeedback(c command) command {
	own := c.component
	c.component = func(ctx context.Context, i *discordgo.InteractionCreate, args string) {
		if strings.HasPrefix(args, feedbackPrefix+":") || own == nil {
			d.feedbackComponent(ctx, i, args)
			return
		}
		own(ctx, i, args)
	}
	return c
}

// journalAnswer records an answer and returns the feedback buttons for its
// last message, or nil when there is no journal or recording failed (then
// the answer goes out without them, and the failure is logged). via is
// where the question came from, id the interaction's or message's
// snowflake: the answer time runs from its creation, as the asker waited.
func (d *Discord) journalAnswer(ctx context.Context, via, id, user string, ans answer.Answer) []discordgo.MessageComponent {
	if d.journal == nil {
		return nil
	}
	now := d.now()
	var took time.Duration
	if created, err := discordgo.SnowflakeTimestamp(id); err == nil && now.After(created) {
		took = now.Sub(created)
	}
	rec := journal.Answer{At: now, Via: via, User: user, Question: ans.Question, Text: ans.Text, Mode: ans.Mode,
		Refused: ans.Abstained, Reason: refusalReason(ans), Latency: took, Citations: journalCitations(ans)}
	if len(ans.Retrieved) > 0 && ans.Retrieved[0].Article != nil {
		rec.Nearest, rec.NearestTitle = ans.Retrieved[0].Article.ID, ans.Retrieved[0].Article.Title
	}
	// The answer must not wait long on a slow disk: the journal gets a few
	// seconds of the handler's time.
	jctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	jid, err := d.journal.RecordAnswer(jctx, rec)
	if err != nil {
		d.log.Error("journal: answer not recorded; answering without feedback buttons", "via", via, "id", id, "err", err)
		if jid == 0 {
			return nil
		}
	}
	return feedbackButtons(jid)
}

// journalTimeout bounds one write to the journal.
const journalTimeout = 5 * time.Second

// feedbackButtons are the 👍 and 👎 under an answer.
func feedbackButtons(id int64) []discordgo.MessageComponent {
	key := "ask:" + feedbackPrefix + ":" + strconv.FormatInt(id, 10)
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton, CustomID: key + ":up"},
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton, CustomID: key + ":down"},
	}}}
}

// refusalReason is why an answer was refused, in a moderator's words, or
// "" for an answer.
func refusalReason(a answer.Answer) string {
	switch {
	case !a.Abstained:
		return ""
	case a.Unknown != "":
		return fmt.Sprintf("no source mentions %q", a.Unknown)
	case a.Reason != "":
		return a.Reason
	case len(a.Retrieved) == 0:
		return "nothing found"
	}
	return "no sentence answered it"
}

// journalCitations are an answer's citations with the passage each quote
// came from: the retrieved passage of the cited article that holds the
// quote, else that article's best-ranked passage.
func journalCitations(a answer.Answer) []journal.Citation {
	out := make([]journal.Citation, 0, len(a.Citations))
	for _, c := range a.Citations {
		jc := journal.Citation{N: c.N, Article: c.Article, Title: c.Title}
		for _, h := range a.Retrieved {
			if h.Passage == nil || h.Passage.ArticleID != c.Article {
				continue
			}
			if jc.Passage == "" {
				jc.Passage = h.Passage.ID
			}
			if c.Quote != "" && strings.Contains(h.Passage.Text, c.Quote) {
				jc.Passage = h.Passage.ID
				break
			}
		}
		out = append(out, jc)
	}
	return out
}

// feedbackComponent records a 👍 or 👎 press and tells the member, privately.
func (d *Discord) feedbackComponent(ctx context.Context, i *discordgo.InteractionCreate, args string) {
	kind, rest, _ := strings.Cut(args, ":")
	idText, dir, _ := strings.Cut(rest, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	vote := map[string]journal.Vote{"up": journal.Up, "down": journal.Down}[dir]
	if kind != feedbackPrefix || err != nil || vote == 0 {
		d.log.Warn("unknown feedback button", "custom_id", i.MessageComponentData().CustomID)
		d.respondEphemeral(ctx, i, "That button has expired.")
		return
	}
	if d.journal == nil {
		d.respondEphemeral(ctx, i, "Feedback isn't being recorded right now; thanks all the same.")
		return
	}
	user := userOf(i)
	jctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	prev, err := d.journal.SetFeedback(jctx, id, user.ID, vote)
	switch {
	case errors.Is(err, journal.ErrUnknownAnswer):
		d.respondEphemeral(ctx, i, "That answer is older than the journal keeps, so your vote can't be counted.")
		return
	case err != nil:
		d.log.Error("journal: feedback not recorded", "answer", id, "user", user.ID, "err", err)
		d.respondEphemeral(ctx, i, "I couldn't record that just now; please try again later.")
		return
	}
	d.log.Info("feedback", "answer", id, "user", user.ID, "vote", dir, "changed", prev != 0 && prev != vote)
	var msg string
	switch prev {
	case 0:
		msg = fmt.Sprintf("Thanks: noted %s. Press the other button to change it.", vote)
	case vote:
		msg = fmt.Sprintf("You had already given this answer %s.", vote)
	default:
		msg = fmt.Sprintf("Changed your vote from %s to %s.", prev, vote)
	}
	if vote == journal.Down {
		msg += " Moderators see questions marked 👎 in /gaps."
	}
	d.respondEphemeral(ctx, i, msg)
}

// journalAction records a moderator's action, logging a failure: the
// action itself is done either way.
func (d *Discord) journalAction(ctx context.Context, i *discordgo.InteractionCreate, kind, target string, err error) {
	if d.journal == nil {
		return
	}
	detail := "ok"
	if err != nil {
		detail = clip(err.Error(), 500)
	}
	jctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	if jerr := d.journal.RecordAction(jctx, journal.Action{User: userOf(i).ID, Kind: kind, Target: target, Detail: detail}); jerr != nil {
		d.log.Error("journal: action not recorded", "kind", kind, "target", target, "err", jerr)
	}
}

// fileName is an uploaded file's name, "" for none: the target of an /add
// that failed before the article had an ID.
func fileName(a *discordgo.MessageAttachment) string {
	if a == nil {
		return ""
	}
	return a.Filename
}
