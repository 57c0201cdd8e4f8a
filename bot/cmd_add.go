package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/internal/editor"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// The editor the bot is built with in serve.
var _ Editor = (*editor.Editor)(nil)

// addCommand is /add url:<link> or /add file:<attachment>: moderators add
// an article to the corpus.
func (d *Discord) addCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "add",
			DefaultMemberPermissions: moderatorsByDefault(),
			Description:              "Add an article to the sources from a link or a file (moderators)",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "Link to the article", MaxLength: 2000},
				{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", Description: "A .md, .txt or .html file"},
			},
		},
		handle:    d.handleAdd,
		component: d.addComponent,
	}
}

// requireModerator refuses action privately, with refusal, and logs the
// attempt, unless the member is a moderator. It reports whether to go on.
func (d *Discord) requireModerator(ctx context.Context, i *discordgo.InteractionCreate, action, refusal string) bool {
	if d.isModerator(i) {
		return true
	}
	user := userOf(i)
	d.log.Warn(action+" refused: not a moderator", "user", user.ID, "username", user.Username, "guild", i.GuildID, "dm", i.Member == nil)
	d.respondEphemeral(ctx, i, refusal)
	return false
}

// mayEdit refuses, and logs, a corpus change by someone who is not a
// moderator or while the corpus is read-only. It reports whether to go on.
func (d *Discord) mayEdit(ctx context.Context, i *discordgo.InteractionCreate, action string) bool {
	if !d.requireModerator(ctx, i, action, "Only moderators (Manage Server, or a moderator role) can change the sources.") {
		return false
	}
	if d.editor == nil {
		d.respondEphemeral(ctx, i, "The sources can't be changed from Discord: crisisbot is serving its built-in corpus. Start it with --corpus DIR.")
		return false
	}
	return true
}

func (d *Discord) handleAdd(ctx context.Context, i *discordgo.InteractionCreate) {
	if !d.mayEdit(ctx, i, "add") {
		return
	}
	data := i.ApplicationCommandData()
	var rawURL string
	var file *discordgo.MessageAttachment
	for _, o := range data.Options {
		switch o.Name {
		case "url":
			rawURL = strings.TrimSpace(o.StringValue())
		case "file":
			if id, ok := o.Value.(string); ok && data.Resolved != nil {
				file = data.Resolved.Attachments[id]
			}
		}
	}
	if (rawURL == "") == (file == nil) {
		d.respondEphemeral(ctx, i, "Give either a `url` or a `file`, not both and not neither.")
		return
	}
	if err := d.deferReply(ctx, i, true); err != nil {
		d.log.Error("add: acknowledge", "err", err)
		return
	}
	user := userOf(i)
	var added editor.Added
	var err error
	if file != nil {
		added, err = d.editor.AddFile(ctx, file.Filename, file.URL, user.Username)
	} else {
		added, err = d.editor.AddURL(ctx, rawURL, user.Username)
	}
	a := added.Article
	d.journalAction(ctx, i, "add", cmp.Or(a.ID, rawURL, fileName(file)), err)
	switch {
	case err != nil && a.ID == "":
		d.log.Warn("add failed", "user", user.ID, "err", err)
		d.editOrLog(ctx, i, "Not added; nothing was changed. "+clip(forPeople(err), 1500))
		return
	case err != nil:
		d.log.Error("add: saved but not indexed", "id", a.ID, "err", err)
	}
	d.log.Info("article added", "id", a.ID, "by", user.ID, "username", user.Username)
	key := d.stash(pendingAction{kind: "undo-add", id: a.ID})
	d.editComponentMessage(ctx, i, addedSummary(added, err), []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Undo", Style: discordgo.DangerButton, CustomID: "add:undo:" + key},
	}}})
}

// addedSummary shows what was extracted, so a bad extraction is caught at
// once: title, date, outlet, length, address and the first lines. A page
// that named another site's address as its own shows that address too,
// beside the one recorded.
func addedSummary(added editor.Added, indexErr error) string {
	a, rep := added.Article, added.Report
	var b strings.Builder
	fmt.Fprintf(&b, "**Added** `%s`\n**%s**", a.ID, clip(a.Title, 200))
	if !a.Published.IsZero() {
		b.WriteString(" — " + a.Published.Format("2 January 2006"))
	} else {
		b.WriteString(" — no date found")
	}
	b.WriteString(outletNote(&a))
	fmt.Fprintf(&b, " — %d characters", utf8.RuneCountInString(a.Text))
	// Angle brackets keep Discord from embedding a preview; the store's
	// URLs hold none of their own.
	if a.URL != "" {
		fmt.Fprintf(&b, "\nAddress: <%s>", clip(a.URL, 300))
	}
	if added.Canonical != "" {
		fmt.Fprintf(&b, "\nThe page gives <%s> as its address, on another site; the address it was fetched from is kept.", clip(added.Canonical, 300))
	}
	for n, para := range strings.SplitN(a.Text, "\n\n", 4) {
		if n == 3 {
			b.WriteString("\n> …")
			break
		}
		b.WriteString("\n> " + clip(strings.ReplaceAll(para, "\n", " "), 300))
	}
	if indexErr != nil {
		b.WriteString(notReindexed(indexErr))
	} else {
		fmt.Fprintf(&b, "\nIndexed: %d articles, %d passages (%d embedded).", rep.Articles, rep.Passages, rep.Embedded)
	}
	b.WriteString("\nWrong article or a bad extraction? Press Undo.")
	return truncateForDiscord(b.String(), MessageLimit)
}

// addComponent handles the Undo button of /add.
func (d *Discord) addComponent(ctx context.Context, i *discordgo.InteractionCreate, args string) {
	if !d.mayEdit(ctx, i, "undo add") {
		return
	}
	key, _ := strings.CutPrefix(args, "undo:")
	p, ok := d.claim(ctx, i, key, "undo-add", "That button has expired (or was already used); use /remove instead.")
	if !ok {
		return
	}
	_, _, err := d.editor.Remove(ctx, p.id)
	if !d.done(ctx, i, "undo adding", p.id, err) {
		return
	}
	d.journalAction(ctx, i, "undo-add", p.id, err)
	msg := fmt.Sprintf("Undone: `%s` was moved to the trash.", p.id) + notReindexed(err)
	d.log.Info("add undone", "id", p.id, "by", userOf(i).ID, "err", err)
	d.editComponentMessage(ctx, i, msg, nil)
}

// updateMessage answers a button by rewriting the message it sits on.
func (d *Discord) updateMessage(ctx context.Context, i *discordgo.InteractionCreate, content string, components []discordgo.MessageComponent) {
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{Content: content, Components: components, AllowedMentions: noMentions()},
	}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("update message", "err", err)
	}
}

// claim takes the action behind a pressed button and acknowledges the
// press, so the work may take longer than Discord's three seconds; when the
// action has expired or was used, it says so with expired instead. It
// reports whether to go on.
func (d *Discord) claim(ctx context.Context, i *discordgo.InteractionCreate, key, kind, expired string) (pendingAction, bool) {
	p, ok := d.take(key, kind)
	if !ok {
		d.updateMessage(ctx, i, expired, nil)
		return p, false
	}
	return p, d.deferUpdate(ctx, i)
}

// deferUpdate acknowledges a button whose work may take longer than
// Discord's three seconds; the message is edited afterwards.
func (d *Discord) deferUpdate(ctx context.Context, i *discordgo.InteractionCreate) bool {
	err := d.s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("defer update", "err", err)
		return false
	}
	return true
}

// editComponentMessage rewrites the deferred reply to an interaction — the
// message a button sits on, or a command's own reply — with its buttons.
func (d *Discord) editComponentMessage(ctx context.Context, i *discordgo.InteractionCreate, content string, components []discordgo.MessageComponent) {
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	_, err := d.s.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{Content: &content, Components: &components, AllowedMentions: noMentions()}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Error("edit message", "err", err)
	}
}

// forPeople is what a moderator reads about a failed change: the
// message the error carries for people (see [usererr.Message]), never its
// text, which may hold file paths and Go wording; the cause goes to the log.
func forPeople(err error) string {
	return usererr.MessageOr(err, "Something went wrong on crisisbot's side; the log says what.")
}

// done reports whether a change to the sources was made, err aside. When
// it was not, it logs why and tells the moderator, in words for people,
// that it could not do what (to the article id).
func (d *Discord) done(ctx context.Context, i *discordgo.InteractionCreate, what, id string, err error) bool {
	if err == nil || errors.Is(err, editor.ErrNotReindexed) {
		return true
	}
	d.log.Warn("could not "+what, "id", id, "by", userOf(i).ID, "err", err)
	d.editComponentMessage(ctx, i, fmt.Sprintf("Could not %s `%s`: %s", what, id, clip(forPeople(err), 1500)), nil)
	return false
}

// notReindexed is what to add to the report of a change that was made
// but, as err says, not re-indexed: "" when there is no error.
func notReindexed(err error) string {
	if err == nil {
		return ""
	}
	return "\n" + clip(forPeople(err), 300)
}

// clip shortens s to n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
