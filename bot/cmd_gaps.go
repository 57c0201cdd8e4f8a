package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/journal"
)

// gapsDefaultDays is the window of /gaps without a days option.
const gapsDefaultDays = 7

// maxPeriodDays caps the days option of /gaps and /stats: the journal
// keeps 90 days by default, a year at most is worth asking about.
const maxPeriodDays = 366

// gapsCommand is /gaps [days]: moderators see what members asked that the
// sources could not answer.
func (d *Discord) gapsCommand() command {
	minDays := 1.0
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "gaps",
			DefaultMemberPermissions: moderatorsByDefault(),
			Description:              "Questions the sources couldn't answer or that got a 👎, grouped (moderators)",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "days", Description: fmt.Sprintf("How many days back (default %d)", gapsDefaultDays), MinValue: &minDays, MaxValue: maxPeriodDays},
			},
		},
		handle: d.handleGaps,
	}
}

func (d *Discord) handleGaps(ctx context.Context, i *discordgo.InteractionCreate) {
	if !d.requireModerator(ctx, i, "gaps", "Only moderators (Manage Server, or a moderator role) can see the gaps.") {
		return
	}
	days := gapsDefaultDays
	if o := i.ApplicationCommandData().GetOption("days"); o != nil {
		days = int(o.IntValue())
	}
	if d.journal == nil {
		d.respondEphemeral(ctx, i, noJournal)
		return
	}
	// Private: the list holds members' questions, private ones included.
	if err := d.deferReply(ctx, i, true); err != nil {
		d.log.Error("gaps: acknowledge", "err", err)
		return
	}
	gaps, err := d.journal.Gaps(ctx, d.now().Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		d.log.Error("gaps", "err", err)
		d.editOrLog(ctx, i, "I couldn't read the journal; the bot's log says why.")
		return
	}
	if err := d.sendReply(ctx, i, gapsReply(gaps, days), true); err != nil {
		d.log.Error("gaps: reply", "err", err)
	}
}

// noJournal is the reply to /gaps and /stats when nothing is recorded.
const noJournal = "Nothing is recorded: crisisbot's journal is off (its database could not be opened; the log says why)."

// gapsShown is how many groups the message shows; the attached file lists
// them all.
const gapsShown = 10

// wordingsShown is how many wordings of a group the message quotes.
const wordingsShown = 3

// gapsFileName is the attached full list.
const gapsFileName = "gaps.txt"

// gapsReply lays the gaps out for a moderator: a header, then per group
// its count, its wordings (members' own words, escaped), the nearest
// article and the reason for the refusals. What does not fit in one
// message is in the attached file.
func gapsReply(gaps []journal.Gap, days int) reply {
	asked := 0
	for _, g := range gaps {
		asked += g.Asked
	}
	var b strings.Builder
	if len(gaps) == 0 {
		fmt.Fprintf(&b, "**Gaps, last %s:** none. Every question was answered and nobody pressed 👎.", plural(days, "day"))
		return reply{parts: []string{b.String()}}
	}
	fmt.Fprintf(&b, "**Gaps, last %s:** %s refused or marked 👎, in %s, most asked first.", plural(days, "day"), plural(asked, "question"), plural(len(gaps), "group"))
	shown := 0
	for n, g := range gaps {
		block := gapBlock(n+1, g)
		if n >= gapsShown || discordLen(b.String())+discordLen(block)+120 > MessageLimit {
			break
		}
		b.WriteString(block)
		shown++
	}
	if more := len(gaps) - shown; more > 0 {
		fmt.Fprintf(&b, "\n\n…and %s more; all of them are in the attached %s.", plural(more, "group"), gapsFileName)
		return reply{parts: []string{b.String()}, file: textFile(gapsFileName, GapsText(gaps, days))}
	}
	return reply{parts: []string{b.String()}}
}

// gapBlock is group n as the message shows it.
func gapBlock(n int, g journal.Gap) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n\n**%d.** %s", n, gapCounts(g))
	for k, w := range g.Wordings {
		if k == wordingsShown {
			fmt.Fprintf(&b, "\n> …and %s more", plural(len(g.Wordings)-k, "wording"))
			break
		}
		b.WriteString("\n> " + escapeMarkdown(clipQuote(w.Text, 150)))
		if w.Count > 1 {
			fmt.Fprintf(&b, " ×%d", w.Count)
		}
	}
	b.WriteString("\n")
	if g.Nearest != "" {
		title := g.NearestTitle
		if title == "" {
			title = g.Nearest
		}
		fmt.Fprintf(&b, "Nearest: %s (`%s`)", escapeTitle(clip(title, 120)), strings.ReplaceAll(clip(g.Nearest, 80), "`", "'"))
	} else {
		b.WriteString("Nearest: none came close")
	}
	if g.Reason != "" {
		b.WriteString(" · Why: " + escapeMarkdown(clip(g.Reason, 200)))
	}
	return b.String()
}

// gapCounts is a group's counts: "4 asked (3 refused, 1 👎), last 12 May".
func gapCounts(g journal.Gap) string {
	var what []string
	if g.Refused > 0 {
		what = append(what, fmt.Sprintf("%d refused", g.Refused))
	}
	if g.Down > 0 {
		what = append(what, fmt.Sprintf("%d 👎", g.Down))
	}
	return fmt.Sprintf("%d asked (%s), last %s", g.Asked, strings.Join(what, ", "), g.Last.Format("2 Jan 15:04 UTC"))
}

// GapsText is every group in plain text, for the attached file and for
// `crisisbot gaps`.
func GapsText(gaps []journal.Gap, days int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Gaps, last %s\n", plural(days, "day"))
	for n, g := range gaps {
		fmt.Fprintf(&b, "\n%d. %s\n", n+1, gapCounts(g))
		for _, w := range g.Wordings {
			fmt.Fprintf(&b, "   %q ×%d\n", w.Text, w.Count)
		}
		if g.Nearest != "" {
			fmt.Fprintf(&b, "   nearest: %s (%s)\n", g.NearestTitle, g.Nearest)
		}
		if g.Reason != "" {
			fmt.Fprintf(&b, "   why: %s\n", g.Reason)
		}
	}
	return b.String()
}

// plural is "1 day", "3 days".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
