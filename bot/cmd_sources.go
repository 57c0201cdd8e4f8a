package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/corpus"
)

// sourcesPerPage is the most articles a page of /sources lists; fewer
// when their lines would not fit in one message.
const sourcesPerPage = 10

// sourcesCommand is /sources [search]: the corpus at a glance, shown to
// the asker only. Its page buttons therefore page only the presser's view:
// an ephemeral message's buttons reach no one else.
func (d *Discord) sourcesCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:        "sources",
			Description: "List the articles crisisbot answers from",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "search", Description: "Only articles whose title or ID contains this", MaxLength: 100},
				{Type: discordgo.ApplicationCommandOptionString, Name: "origin", Description: "Only outlets of this origin (indian, pakistani, international, … or unlabelled)", MaxLength: 40},
			},
		},
		handle: func(ctx context.Context, i *discordgo.InteractionCreate) {
			var search string
			if o := i.ApplicationCommandData().GetOption("search"); o != nil {
				search = o.StringValue()
			}
			if o := i.ApplicationCommandData().GetOption("origin"); o != nil {
				search = withOrigin(search, o.StringValue())
			}
			content, components := d.sourcesPage(search, 0)
			d.respondSources(ctx, i, discordgo.InteractionResponseChannelMessageWithSource, content, components)
		},
		component: d.sourcesComponent,
	}
}

// sourcesComponent turns a page. The buttons carry
// "sources:<first>:<search>" (the index of the page's first article), all
// a page needs, so they work after a restart. A press on a page everyone sees — one posted before /sources
// answered privately — gets the page privately instead of changing it
// for everyone.
func (d *Discord) sourcesComponent(ctx context.Context, i *discordgo.InteractionCreate, args string) {
	firstStr, search, _ := strings.Cut(args, ":")
	first, _ := strconv.Atoi(firstStr)
	content, components := d.sourcesPage(search, first)
	kind := discordgo.InteractionResponseUpdateMessage
	if i.Message == nil || i.Message.Flags&discordgo.MessageFlagsEphemeral == 0 {
		kind = discordgo.InteractionResponseChannelMessageWithSource
	}
	d.respondSources(ctx, i, kind, content, components)
}

// respondSources answers with a page of /sources, privately and without
// link previews.
func (d *Discord) respondSources(ctx context.Context, i *discordgo.InteractionCreate, kind discordgo.InteractionResponseType, content string, components []discordgo.MessageComponent) {
	data := &discordgo.InteractionResponseData{Content: content, Components: components, AllowedMentions: noMentions(),
		Flags: discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsSuppressEmbeds}
	if kind == discordgo.InteractionResponseUpdateMessage {
		// An update keeps the message's own flags; a page that needs no
		// buttons (the corpus shrank) clears them.
		data.Flags = 0
		if components == nil {
			data.Components = []discordgo.MessageComponent{}
		}
	}
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: kind, Data: data}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("sources: respond", "err", apiError(d.s, err))
	}
}

// sourcesPage renders the page of the article list, newest first, that
// starts at article first, with buttons to move between pages. A page
// lists up to sourcesPerPage articles, fewer when their lines would not fit
// in one message: outlets, titles and addresses vary in length.
func (d *Discord) sourcesPage(search string, first int) (string, []discordgo.MessageComponent) {
	ix := d.lib.Current()
	if ix == nil {
		return "No sources are loaded yet. A moderator can run /reload.", nil
	}
	all := ix.Articles()
	var newest *corpus.Article
	for _, a := range all {
		if newest == nil || a.Published.After(newest.Published) {
			newest = a
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%d articles, %d passages.** Last reloaded <t:%d:R>.", len(all), ix.Len(), ix.Built().Unix())
	if newest != nil && !newest.Published.IsZero() {
		fmt.Fprintf(&b, " Newest article: %s.", newest.Published.Format("2 January 2006"))
	}
	arts := matchingArticles(all, search)
	if strings.TrimSpace(search) != "" {
		fmt.Fprintf(&b, "\n%d matching “%s”:", len(arts), escapeMarkdown(truncateForDiscord(search, 100)))
	}
	if len(arts) == 0 {
		b.WriteString("\nNo articles match.")
		return truncateForDiscord(b.String(), MessageLimit), nil
	}
	lines := make([]string, len(arts))
	line := func(n int) string {
		if lines[n] == "" {
			lines[n] = "\n• " + sourceLine(arts[n])
		}
		return lines[n]
	}
	// Room for the lines: the message less the header and the footer.
	room := MessageLimit - discordLen(b.String()) - 40
	fit := func(from, step int) int { // how many lines from from, going step, fit
		n, used := 0, 0
		for i := from; i >= 0 && i < len(arts) && n < sourcesPerPage; i += step {
			if used += discordLen(line(i)); used > room && n > 0 {
				break
			}
			n++
		}
		return n
	}
	first = min(max(first, 0), len(arts)-1)
	count := fit(first, 1)
	for i := first; i < first+count; i++ {
		b.WriteString(truncateForDiscord(line(i), room))
	}
	if count == len(arts) {
		return b.String(), nil
	}
	fmt.Fprintf(&b, "\nArticles %d–%d of %d.", first+1, first+count, len(arts))
	prev := first - fit(first-1, -1)
	// The search rides in the button's custom ID, which Discord caps at
	// 100 characters.
	key := truncateForDiscord(search, 80)
	buttons := []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("sources:%d:%s", prev, key), Disabled: first == 0},
		discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("sources:%d:%s", first+count, key), Disabled: first+count >= len(arts)},
	}}}
	return b.String(), buttons
}

// sourceLine is one article in /sources: its [sourceHeading] (outlet,
// date, title linked), its ID, and who added it through crisisbot.
func sourceLine(a *corpus.Article) string {
	line := sourceHeading(a)
	// An ID is a file path: a backtick in it would end the code span.
	line += " `" + strings.ReplaceAll(truncateForDiscord(a.ID, 60), "`", "'") + "`"
	if a.AddedBy != "" {
		line += " — added by " + escapeMarkdown(a.AddedBy)
		if !a.AddedAt.IsZero() {
			line += " on " + a.AddedAt.Format("2 Jan 2006 15:04 MST")
		}
	}
	return line
}

// matchingArticles returns the articles whose title or ID contains search
// (any case; all of them when search is blank), newest first. It filters
// before it sorts: autocomplete calls it on every keystroke.
func matchingArticles(arts []*corpus.Article, search string) []*corpus.Article {
	origin, search, byOrigin := splitOrigin(search)
	q := strings.ToLower(strings.TrimSpace(search))
	var out []*corpus.Article
	for _, a := range arts {
		if byOrigin && !originMatches(a, origin) {
			continue
		}
		if q == "" || strings.Contains(strings.ToLower(a.Title), q) || strings.Contains(strings.ToLower(a.ID), q) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b *corpus.Article) int { return b.Published.Compare(a.Published) })
	return out
}
