package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/timeline"
)

// whatsNewSince is how far back /whatsnew looks when not told.
const whatsNewSince = 24 * time.Hour

// whatsNewCommand is /whatsnew [since]: the articles added or changed
// lately, newest first.
func (d *Discord) whatsNewCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:        "whatsnew",
			Description: "Articles added or changed lately, newest first, with their key sentences",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "since", Description: "How far back: 24h, 3d, 1w, or a date (2025-05-07); default 24h", MaxLength: 30},
			},
		},
		handle: d.handleWhatsNew,
	}
}

func (d *Discord) handleWhatsNew(ctx context.Context, i *discordgo.InteractionCreate) {
	now := d.now()
	since := now.Add(-whatsNewSince)
	if o := i.ApplicationCommandData().GetOption("since"); o != nil && strings.TrimSpace(o.StringValue()) != "" {
		t, err := timeline.ParseSince(o.StringValue(), now)
		if err != nil {
			d.respondEphemeral(ctx, i, usererr.MessageOr(err, "Give a length of time (24h, 3d, 1w) or a date (2025-05-07)."))
			return
		}
		since = t
	}
	ix := d.lib.Current()
	if ix == nil {
		d.respondEphemeral(ctx, i, "No sources are loaded yet. A moderator can run /reload.")
		return
	}
	d.respond(ctx, i, whatsNewMessage(timeline.WhatsNew(ix, since), since), false, nil)
}

// whatsNewMessage lists the new articles in one message: as many as fit,
// then how many more there are.
func whatsNewMessage(news []timeline.New, since time.Time) string {
	var b strings.Builder
	if len(news) == 0 {
		fmt.Fprintf(&b, "Nothing added or changed since <t:%d:f>.", since.Unix())
		return b.String()
	}
	fmt.Fprintf(&b, "**What's new**: %d article(s) added or changed since <t:%d:f>, newest first.", len(news), since.Unix())
	for k, n := range news {
		entry := whatsNewEntry(n)
		more := fmt.Sprintf("\n…and %d more; `crisisbot whatsnew` lists them all.", len(news)-k)
		if discordLen(b.String())+discordLen(entry)+discordLen(more) > MessageLimit {
			b.WriteString(more)
			break
		}
		b.WriteString(entry)
	}
	return b.String()
}

// whatsNewEntry is one article: its title linked, its outlet, origin and
// date, when it arrived, and its two most informative sentences.
func whatsNewEntry(n timeline.New) string {
	a := n.Article
	title := escapeTitle(clipQuote(a.Title, 150))
	if u := linkURL(a.URL); u != "" {
		title = fmt.Sprintf("[%s](<%s>)", title, u)
	} else {
		title = "**" + title + "**"
	}
	verb := "added"
	if n.Changed {
		verb = "changed"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n\n%s — %s — %s <t:%d:R>", title, citeArticle(a), verb, n.When.Unix())
	for _, s := range n.Sentences {
		b.WriteString("\n> " + escapeMarkdown(clipQuote(s, 300)))
	}
	return b.String()
}
