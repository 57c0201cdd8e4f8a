package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/timeline"
)

// timelineBudget is how much of a message one page of /timeline may fill,
// leaving room for its header and footer.
const timelineBudget = MessageLimit - 250

// timelineSentence caps the sentence of one line, so a page holds several.
const timelineSentence = 280

// timelineTopicKey caps the topic carried in a page button's custom ID,
// which Discord caps at 100 characters.
const timelineTopicKey = 60

// timelineCommand is /timeline [topic] [from] [to]: the dated events of the
// corpus, oldest first, paged.
func (d *Discord) timelineCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:        "timeline",
			Description: "The events the sources report, oldest first, with their dates and sources",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Only events about this (“drones”, “ceasefire”)", MaxLength: timelineTopicKey},
				{Type: discordgo.ApplicationCommandOptionString, Name: "from", Description: "From this day (2025-05-07 or 7 May 2025)", MaxLength: 30},
				{Type: discordgo.ApplicationCommandOptionString, Name: "to", Description: "To this day (2025-05-10 or 10 May 2025)", MaxLength: 30},
			},
		},
		handle:    d.handleTimeline,
		component: d.timelineComponent,
	}
}

// timelineQuery is what a /timeline shows: its options, as the page
// buttons carry them.
type timelineQuery struct {
	opts timeline.Options
}

// key encodes q for a button: "<from>:<to>:<topic>", days as 20250507.
func (q timelineQuery) key() string {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("20060102")
	}
	return day(q.opts.From) + ":" + day(q.opts.To) + ":" + truncateForDiscord(q.opts.Topic, timelineTopicKey)
}

// parseTimelineKey reads what [timelineQuery.key] wrote.
func parseTimelineKey(s string) timelineQuery {
	from, rest, _ := strings.Cut(s, ":")
	to, topic, _ := strings.Cut(rest, ":")
	var q timelineQuery
	q.opts.From, _ = time.Parse("20060102", from)
	q.opts.To, _ = time.Parse("20060102", to)
	q.opts.Topic = topic
	return q
}

func (d *Discord) handleTimeline(ctx context.Context, i *discordgo.InteractionCreate) {
	var q timelineQuery
	data := i.ApplicationCommandData()
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.opts.From}, {"to", &q.opts.To}} {
		o := data.GetOption(f.name)
		if o == nil || strings.TrimSpace(o.StringValue()) == "" {
			continue
		}
		t, err := timeline.ParseDay(o.StringValue())
		if err != nil {
			d.respondEphemeral(ctx, i, usererr.MessageOr(err, "That is not a date I can read; write it as 2025-05-07."))
			return
		}
		*f.dst = t
	}
	if !q.opts.From.IsZero() && !q.opts.To.IsZero() && q.opts.To.Before(q.opts.From) {
		d.respondEphemeral(ctx, i, "`to` is before `from`.")
		return
	}
	if o := data.GetOption("topic"); o != nil {
		q.opts.Topic = strings.TrimSpace(o.StringValue())
	}
	if err := d.deferReply(ctx, i, false); err != nil {
		d.log.Error("timeline: acknowledge", "err", err)
		return
	}
	content, components := d.timelinePage(ctx, q, 0)
	d.editComponentMessage(ctx, i, content, components)
}

// timelineComponent turns a page. The reply to /timeline is everyone's,
// so a press on it opens the page in a message only the presser sees;
// a press on such a message turns that message's page.
func (d *Discord) timelineComponent(ctx context.Context, i *discordgo.InteractionCreate, args string) {
	pageStr, key, _ := strings.Cut(args, ":")
	page, _ := strconv.Atoi(pageStr)
	q := parseTimelineKey(key)
	own := i.Message != nil && i.Message.Flags&discordgo.MessageFlagsEphemeral != 0
	if own {
		if !d.deferUpdate(ctx, i) {
			return
		}
	} else if err := d.deferReply(ctx, i, true); err != nil {
		d.log.Error("timeline: acknowledge page", "err", err)
		return
	}
	content, components := d.timelinePage(ctx, q, page)
	d.editComponentMessage(ctx, i, content, components)
}

// timelinePage renders page n of q's timeline with its buttons.
func (d *Discord) timelinePage(ctx context.Context, q timelineQuery, n int) (string, []discordgo.MessageComponent) {
	ix := d.lib.Current()
	if ix == nil {
		return "No sources are loaded yet. A moderator can run /reload.", nil
	}
	release, refusal := d.acquire(ctx)
	if release == nil {
		return refusal, nil
	}
	events, err := timeline.Build(ctx, ix, q.opts)
	release()
	if err != nil {
		d.log.Warn("timeline failed", "err", err)
		return usererr.MessageOr(err, "I couldn't build that timeline; the log says why."), nil
	}
	head := timelineHeading(q, len(events))
	if len(events) == 0 {
		return head + "\nNo dated events found.", nil
	}
	pages := pageEvents(events)
	n = min(max(n, 0), len(pages)-1)
	var b strings.Builder
	b.WriteString(head)
	for _, e := range pages[n] {
		b.WriteString("\n" + timelineLine(e))
	}
	if len(pages) == 1 {
		return truncateForDiscord(b.String(), MessageLimit), nil
	}
	fmt.Fprintf(&b, "\nPage %d of %d.", n+1, len(pages))
	key := q.key()
	buttons := []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("timeline:%d:%s", n-1, key), Disabled: n == 0},
		discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("timeline:%d:%s", n+1, key), Disabled: n >= len(pages)-1},
	}}}
	return truncateForDiscord(b.String(), MessageLimit), buttons
}

// timelineHeading says what the timeline holds.
func timelineHeading(q timelineQuery, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Timeline**: %d events", n)
	if q.opts.Topic != "" {
		fmt.Fprintf(&b, " about “%s”", escapeMarkdown(q.opts.Topic))
	}
	if !q.opts.From.IsZero() {
		b.WriteString(" from " + q.opts.From.Format("2 January 2006"))
	}
	if !q.opts.To.IsZero() {
		b.WriteString(" to " + q.opts.To.Format("2 January 2006"))
	}
	b.WriteString(", oldest first.")
	return b.String()
}

// pageEvents packs the lines into pages that each fit a message.
func pageEvents(events []timeline.Event) [][]timeline.Event {
	var pages [][]timeline.Event
	var cur []timeline.Event
	size := 0
	for _, e := range events {
		l := discordLen(timelineLine(e)) + 1
		if len(cur) > 0 && size+l > timelineBudget {
			pages = append(pages, cur)
			cur, size = nil, 0
		}
		cur = append(cur, e)
		size += l
	}
	return append(pages, cur)
}

// timelineLine is one event as Discord shows it: the date in bold, the
// sentence, each source linked with its origin and date, and a warning
// when the sources' figures differ.
func timelineLine(e timeline.Event) string {
	var b strings.Builder
	b.WriteString("• **" + escapeMarkdown(e.Date.String()) + "** — ")
	b.WriteString(escapeMarkdown(clipQuote(e.Sentence(), timelineSentence)))
	b.WriteString(" — ")
	for i, r := range e.Reports {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(citeArticle(r.Article))
	}
	if len(e.Differ) > 0 {
		b.WriteString("\n  ⚠️ " + escapeMarkdown(timeline.DifferNote(e, func(a *corpus.Article) string { return a.Outlet() })))
	}
	return b.String()
}

// citeArticle names an article as a citation in Discord: its outlet (else
// its ID) linked to its address, then its origin and date.
func citeArticle(a *corpus.Article) string {
	name := a.Outlet()
	if name == "" {
		name = a.ID
	}
	name = escapeTitle(clip(name, 60))
	if u := linkURL(a.URL); u != "" {
		name = fmt.Sprintf("[%s](<%s>)", name, u)
	}
	if rest := corpus.Attribution("", a.Origin, a.Published); rest != "" {
		name += " · " + escapeMarkdown(rest)
	}
	return name
}
