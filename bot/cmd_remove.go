package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/corpus"
)

// removeCommand is /remove article:<id>: moderators move an article to the
// trash, after confirming, with an undo.
func (d *Discord) removeCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "remove",
			DefaultMemberPermissions: moderatorsByDefault(),
			Description:              "Remove an article from the sources (moderators; kept in the trash)",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "article", Description: "The article (start typing its title)", Required: true, Autocomplete: true, MaxLength: 200},
			},
		},
		handle:       d.handleRemove,
		component:    d.removeComponent,
		autocomplete: d.autocompleteArticles,
	}
}

func (d *Discord) handleRemove(ctx context.Context, i *discordgo.InteractionCreate) {
	if !d.mayEdit(ctx, i, "remove") {
		return
	}
	var id string
	for _, o := range i.ApplicationCommandData().Options {
		if o.Name == "article" {
			id = strings.TrimSpace(o.StringValue())
		}
	}
	var a *corpus.Article
	if ix := d.lib.Current(); ix != nil {
		a = ix.Article(id)
	}
	if a == nil {
		d.respondEphemeral(ctx, i, fmt.Sprintf("There is no article `%s`. Pick one from the list as you type.", clip(id, 100)))
		return
	}
	key := d.stash(pendingAction{kind: "confirm-remove", id: id})
	d.respond(ctx, i, fmt.Sprintf("Remove **%s** (`%s`) from the sources? The file goes to the trash and can be restored.", clip(a.Title, 200), id), true,
		[]discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Remove", Style: discordgo.DangerButton, CustomID: "remove:confirm:" + key},
			discordgo.Button{Label: "Cancel", Style: discordgo.SecondaryButton, CustomID: "remove:cancel:" + key},
		}}})
}

// removeComponent handles Remove, Cancel and Undo.
func (d *Discord) removeComponent(ctx context.Context, i *discordgo.InteractionCreate, args string) {
	if !d.mayEdit(ctx, i, "remove") {
		return
	}
	action, key, _ := strings.Cut(args, ":")
	switch action {
	case "cancel":
		msg := "That confirmation has expired (or was already used); nothing was removed."
		if p, ok := d.take(key, "confirm-remove"); ok {
			msg = fmt.Sprintf("Kept `%s`.", p.id)
		}
		d.updateMessage(ctx, i, msg, nil)
	case "confirm":
		p, ok := d.claim(ctx, i, key, "confirm-remove", "That confirmation has expired (or was already used); run /remove again.")
		if !ok {
			return
		}
		r, rep, err := d.editor.Remove(ctx, p.id)
		if !d.done(ctx, i, "remove", p.id, err) {
			return
		}
		d.log.Info("article removed", "id", r.ID, "trash", r.TrashPath, "by", userOf(i).ID, "err", err)
		d.journalAction(ctx, i, "remove", r.ID, err)
		undo := d.stash(pendingAction{kind: "undo-remove", id: r.ID, removed: r})
		msg := fmt.Sprintf("Removed **%s** (`%s`). Undo restores it.", clip(r.Title, 200), r.ID) + notReindexed(err)
		if err == nil {
			msg += fmt.Sprintf("\nIndex: %d articles, %d passages.", rep.Articles, rep.Passages)
		}
		d.editComponentMessage(ctx, i, msg, []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Undo", Style: discordgo.SecondaryButton, CustomID: "remove:undo:" + undo},
		}}})
	case "undo":
		p, ok := d.claim(ctx, i, key, "undo-remove", "That undo has expired (or was already used); the file is still in the trash.")
		if !ok {
			return
		}
		_, err := d.editor.Restore(ctx, p.removed)
		if !d.done(ctx, i, "restore", p.id, err) {
			return
		}
		d.log.Info("removal undone", "id", p.id, "by", userOf(i).ID, "err", err)
		d.journalAction(ctx, i, "restore", p.id, err)
		d.editComponentMessage(ctx, i, fmt.Sprintf("Restored **%s** (`%s`).", clip(p.removed.Title, 200), p.id)+notReindexed(err), nil)
	}
}

// autocompleteArticles offers the articles whose title or ID contains what
// the user typed, newest first, within Discord's 25 choices.
func (d *Discord) autocompleteArticles(ctx context.Context, i *discordgo.InteractionCreate) {
	var typed string
	for _, o := range i.ApplicationCommandData().Options {
		if o.Focused {
			typed, _ = o.Value.(string)
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if ix := d.lib.Current(); ix != nil {
		for _, a := range matchingArticles(ix.Articles(), typed) {
			if len(choices) == 25 {
				break
			}
			if len(a.ID) > 100 {
				continue // a choice's value is capped at 100 characters
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(a.Title+" ("+a.ID+")", 100), Value: a.ID})
		}
	}
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("autocomplete", "err", err)
	}
}
