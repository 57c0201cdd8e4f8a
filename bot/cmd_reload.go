package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/corpus"
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
	d.journalAction(ctx, i, "reload", "", err)
	if errors.Is(err, retrieval.ErrReloadInProgress) {
		d.editOrLog(ctx, i, "A reload is already running; its report will appear where it was asked for.")
		return
	}
	if err != nil {
		d.log.Error("reload failed; previous index keeps serving", "err", err)
	}
	if err := d.sendReply(ctx, i, reloadReport(rep, err), false); err != nil {
		d.log.Error("reload: report", "err", err)
	}
}

// reloadShown is how many IDs of each kind the report names; the rest are
// counted, and listed in the attached file.
const reloadShown = 5

// reloadFileName is the name of the attached full report.
const reloadFileName = "reload-report.txt"

// reloadReport tells a moderator what a reload did in one message: counts,
// a few IDs of each kind, and, when there was more to say, the full lists
// and every failure's reason in an attached file. A reload of a large
// corpus changes thousands of articles: listing them all in messages took
// about 1,400 for 100,000 articles.
func reloadReport(rep retrieval.Report, err error) reply {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "**Reload failed** after %s; the previous index is still serving. %s", rep.Took.Round(time.Millisecond), reloadFailure(err))
	} else {
		fmt.Fprintf(&b, "**Reloaded** in %s: %d articles, %d passages (%d embedded).", rep.Took.Round(time.Millisecond), rep.Articles, rep.Passages, rep.Embedded)
		if rep.Diff.Empty() {
			b.WriteString("\nNothing changed.")
		}
	}
	var failed []string
	for _, f := range rep.Failed {
		failed = append(failed, corpus.QuotePath(f.Path))
	}
	elided := err != nil
	list := func(label string, ids []string) {
		if len(ids) == 0 {
			return
		}
		shown := make([]string, 0, reloadShown)
		for _, id := range ids[:min(len(ids), reloadShown)] {
			shown = append(shown, "`"+strings.ReplaceAll(clip(id, 60), "`", "'")+"`")
		}
		fmt.Fprintf(&b, "\n%s (%d): %s", label, len(ids), strings.Join(shown, ", "))
		if more := len(ids) - len(shown); more > 0 {
			fmt.Fprintf(&b, " and %d more", more)
			elided = true
		}
	}
	list("Added", rep.Added)
	list("Changed", rep.Changed)
	list("Removed", rep.Removed)
	list("Could not be read", failed)
	if len(failed) > 0 {
		elided = true // the reasons are in the file
	}
	if !elided {
		return reply{parts: []string{b.String()}}
	}
	fmt.Fprintf(&b, "\nThe full report is attached (%s).", reloadFileName)
	return reply{parts: []string{truncateForDiscord(b.String(), MessageLimit)}, file: textFile(reloadFileName, reloadReportText(rep, err))}
}

// reloadFailure says why a reload failed, for a moderator; the error
// itself goes to the log and the attached report.
func reloadFailure(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "It took too long."
	}
	return "The corpus could not be read or indexed; the attached report and the bot's log say why."
}

// reloadReportText is the full report: every ID of each kind, and every
// file that could not be read with the reason.
func reloadReportText(rep retrieval.Report, err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reload: %d articles, %d passages, %d embedded, took %s\n", rep.Articles, rep.Passages, rep.Embedded, rep.Took.Round(time.Millisecond))
	if err != nil {
		fmt.Fprintf(&b, "Failed: %v\n", err)
	}
	for _, l := range []struct {
		label string
		ids   []string
	}{{"Added", rep.Added}, {"Changed", rep.Changed}, {"Removed", rep.Removed}} {
		if len(l.ids) > 0 {
			fmt.Fprintf(&b, "\n%s (%d):\n%s\n", l.label, len(l.ids), strings.Join(l.ids, "\n"))
		}
	}
	if len(rep.Failed) > 0 {
		fmt.Fprintf(&b, "\nCould not be read (%d):\n", len(rep.Failed))
		for _, f := range rep.Failed {
			fmt.Fprintf(&b, "%s: %v\n", corpus.QuotePath(f.Path), f.Err)
		}
	}
	return b.String()
}
