package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/retrieval"
)

// reloadCommand is /reload: moderators re-read the corpus directory.
func (d *Discord) reloadCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "reload",
			DefaultMemberPermissions: moderatorsByDefault(),
			Description:              "Re-read the corpus and update the index (moderators)",
		},
		handle: d.handleReload,
	}
}

func (d *Discord) handleReload(ctx context.Context, i *discordgo.InteractionCreate) {
	user := userOf(i)
	if !d.requireModerator(ctx, i, "reload", "Only moderators (Manage Server, or a moderator role) can reload the sources.") {
		return
	}
	if err := d.deferReply(ctx, i, false); err != nil {
		d.log.Error("reload: acknowledge", "err", err)
		return
	}
	d.log.Info("reload requested", "user", user.ID)
	rep, err := d.lib.Reload(ctx)
	if errors.Is(err, retrieval.ErrReloadInProgress) {
		d.editOrLog(ctx, i, "A reload is already running; its report will appear where it was asked for.")
		return
	}
	msg := reloadReport(rep, err)
	if err != nil {
		d.log.Error("reload failed; previous index keeps serving", "err", err)
	}
	if err := d.sendReply(ctx, i, reply{parts: SplitMessage(msg, MessageLimit)}, false); err != nil {
		d.log.Error("reload: report", "err", err)
	}
}

// reloadReport tells a moderator what a reload did.
func reloadReport(rep retrieval.Report, err error) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "**Reload failed** after %s; the previous index is still serving.\nReason: %s", rep.Took.Round(time.Millisecond), err)
	} else {
		fmt.Fprintf(&b, "**Reloaded** in %s: %d articles, %d passages (%d embedded).", rep.Took.Round(time.Millisecond), rep.Articles, rep.Passages, rep.Embedded)
		if rep.Diff.Empty() {
			b.WriteString("\nNothing changed.")
		}
	}
	list := func(label string, ids []string) {
		if len(ids) > 0 {
			fmt.Fprintf(&b, "\n%s (%d): %s", label, len(ids), strings.Join(ids, ", "))
		}
	}
	list("Added", rep.Added)
	list("Changed", rep.Changed)
	list("Removed", rep.Removed)
	if len(rep.Failed) > 0 {
		fmt.Fprintf(&b, "\nFailed (%d):", len(rep.Failed))
		for _, f := range rep.Failed {
			fmt.Fprintf(&b, "\n• `%s`: %v", f.Path, f.Err)
		}
	}
	return b.String()
}
