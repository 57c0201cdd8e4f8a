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

// sourcesPerPage keeps a page of /sources well inside one message.
const sourcesPerPage = 10

// sourcesCommand is /sources [search]: the corpus at a glance.
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
			d.respond(ctx, i, content, false, components)
		},
		// Page buttons carry "sources:<page>:<search>".
		component: func(ctx context.Context, i *discordgo.InteractionCreate, args string) {
			pageStr, search, _ := strings.Cut(args, ":")
			page, _ := strconv.Atoi(pageStr)
			content, components := d.sourcesPage(search, page)
			err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseUpdateMessage,
				Data: &discordgo.InteractionResponseData{Content: content, Components: components, AllowedMentions: noMentions()},
			}, discordgo.WithContext(ctx))
			if err != nil {
				d.log.Error("sources: page", "err", apiError(d.s, err))
			}
		},
	}
}

// sourcesPage renders one page of the article list, newest first, with
// buttons to move between pages.
func (d *Discord) sourcesPage(search string, page int) (string, []discordgo.MessageComponent) {
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
	pages := max(1, (len(arts)+sourcesPerPage-1)/sourcesPerPage)
	page = min(max(page, 0), pages-1)
	for _, a := range arts[page*sourcesPerPage : min(len(arts), (page+1)*sourcesPerPage)] {
		b.WriteString("\n• " + sourceLine(a))
	}
	if len(arts) == 0 {
		b.WriteString("\nNo articles match.")
	}
	if pages == 1 {
		return truncateForDiscord(b.String(), MessageLimit), nil
	}
	fmt.Fprintf(&b, "\nPage %d of %d.", page+1, pages)
	// The search rides in the button's custom ID, which Discord caps at
	// 100 characters.
	key := truncateForDiscord(search, 80)
	buttons := []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("sources:%d:%s", page-1, key), Disabled: page == 0},
		discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: fmt.Sprintf("sources:%d:%s", page+1, key), Disabled: page >= pages-1},
	}}}
	return truncateForDiscord(b.String(), MessageLimit), buttons
}

// sourceLine is one article in /sources: title (linked), date, ID, and who
// added it through crisisbot.
func sourceLine(a *corpus.Article) string {
	title := escapeTitle(clipQuote(a.Title, 120))
	line := "**" + title + "**"
	if u := linkURL(a.URL); u != "" {
		line = fmt.Sprintf("[%s](<%s>)", title, u)
	}
	if !a.Published.IsZero() {
		line += " — " + a.Published.Format("2 Jan 2006")
	}
	if a.Origin != "" {
		line += " · " + escapeMarkdown(corpus.OriginLabel(a.Origin))
	}
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
