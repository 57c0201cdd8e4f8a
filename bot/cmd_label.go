package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Labeller sets an outlet's origin in the corpus's sources.yaml and
// re-indexes; [editor.Editor] is one. The bot's [Editor] may be one too.
type Labeller interface {
	Label(ctx context.Context, outlet, origin string) (previous string, rep retrieval.Report, err error)
}

var _ Labeller = (*editor.Editor)(nil)

// labelCommand is /label outlet:<name or site> origin:<label>: moderators
// say where an outlet comes from, shown beside its citations.
func (d *Discord) labelCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "label",
			DefaultMemberPermissions: moderatorsByDefault(),
			Description:              "Label an outlet's origin, shown beside its citations (moderators)",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "outlet", Description: "The outlet (its source: name, or its site)", Required: true, MaxLength: 200, Autocomplete: true},
				{Type: discordgo.ApplicationCommandOptionString, Name: "origin", Description: "indian, pakistani, international, official, or another label", Required: true, MaxLength: 40},
			},
		},
		handle:       d.handleLabel,
		autocomplete: d.autocompleteOutlet,
	}
}

func (d *Discord) handleLabel(ctx context.Context, i *discordgo.InteractionCreate) {
	if !d.mayEdit(ctx, i, "label") {
		return
	}
	l, ok := d.editor.(Labeller)
	if !ok {
		d.respondEphemeral(ctx, i, "Outlets can't be labelled from Discord here; use `crisisbot sources label` on the server.")
		return
	}
	data := i.ApplicationCommandData()
	var outlet, origin string
	if o := data.GetOption("outlet"); o != nil {
		outlet = strings.TrimSpace(o.StringValue())
	}
	if o := data.GetOption("origin"); o != nil {
		origin = strings.TrimSpace(o.StringValue())
	}
	if err := d.deferReply(ctx, i, true); err != nil {
		d.log.Error("label: acknowledge", "err", err)
		return
	}
	prev, _, err := l.Label(ctx, outlet, origin)
	if err != nil && !errors.Is(err, editor.ErrNotReindexed) {
		d.log.Warn("label failed", "outlet", outlet, "by", userOf(i).ID, "err", err)
		d.editOrLog(ctx, i, "Not labelled; nothing was changed. "+clip(forPeople(err), 1500))
		return
	}
	d.log.Info("outlet labelled", "outlet", outlet, "origin", origin, "by", userOf(i).ID)
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** is now labelled **%s**", escapeMarkdown(clip(outlet, 200)), escapeMarkdown(corpus.OriginLabel(origin)))
	if prev != "" && prev != origin {
		fmt.Fprintf(&b, " (was %s)", escapeMarkdown(corpus.OriginLabel(prev)))
	}
	b.WriteString(".")
	if ix := d.lib.Current(); ix != nil && err == nil {
		n := 0
		for _, a := range ix.Articles() {
			if corpus.SameOutlet(a, outlet) {
				n++
			}
		}
		if n == 0 {
			b.WriteString(" No article has that outlet yet; the label waits for one.")
		} else {
			fmt.Fprintf(&b, " %d article(s) are from it.", n)
		}
	}
	b.WriteString(notReindexed(err))
	d.editOrLog(ctx, i, b.String())
}

// autocompleteOutlet offers the corpus's outlets, unlabelled ones first.
func (d *Discord) autocompleteOutlet(ctx context.Context, i *discordgo.InteractionCreate) {
	var typed string
	for _, o := range i.ApplicationCommandData().Options {
		if o.Focused {
			typed = strings.ToLower(strings.TrimSpace(o.StringValue()))
		}
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	seen := map[string]bool{}
	if ix := d.lib.Current(); ix != nil {
		for _, unlabelled := range []bool{true, false} {
			for _, a := range ix.Articles() {
				name := a.Outlet()
				if name == "" || seen[name] || (a.Origin == "") != unlabelled || !strings.Contains(strings.ToLower(name), typed) || len(choices) == 25 {
					continue
				}
				seen[name] = true
				label := name
				if a.Origin == "" {
					label += " (unlabelled)"
				} else {
					label += " (" + corpus.OriginLabel(a.Origin) + ")"
				}
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(label, 100), Value: clip(name, 100)})
			}
		}
	}
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("label: autocomplete", "err", apiError(d.s, err))
	}
}
