package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/journal"
)

// statsDefaultDays is the period of /stats without options.
const statsDefaultDays = 7

// statsCommand is /stats [days] [from] [to]: moderators see how the bot
// has been answering.
func (d *Discord) statsCommand() command {
	minDays := 1.0
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "stats",
			DefaultMemberPermissions: moderatorsByDefault(),
			Description:              "Questions, refusals, feedback, answer times and most cited articles (moderators)",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "days", Description: fmt.Sprintf("The last N days (default %d)", statsDefaultDays), MinValue: &minDays, MaxValue: maxPeriodDays},
				{Type: discordgo.ApplicationCommandOptionString, Name: "from", Description: "First day, YYYY-MM-DD (UTC); overrides days", MaxLength: 10},
				{Type: discordgo.ApplicationCommandOptionString, Name: "to", Description: "Last day, YYYY-MM-DD (UTC), included; default today", MaxLength: 10},
			},
		},
		handle: d.handleStats,
	}
}

func (d *Discord) handleStats(ctx context.Context, i *discordgo.InteractionCreate) {
	if !d.requireModerator(ctx, i, "stats", "Only moderators (Manage Server, or a moderator role) can see the stats.") {
		return
	}
	data := i.ApplicationCommandData()
	days := statsDefaultDays
	if o := data.GetOption("days"); o != nil {
		days = int(o.IntValue())
	}
	var from, to string
	if o := data.GetOption("from"); o != nil {
		from = o.StringValue()
	}
	if o := data.GetOption("to"); o != nil {
		to = o.StringValue()
	}
	start, end, err := StatsPeriod(d.now(), days, from, to)
	if err != nil {
		d.respondEphemeral(ctx, i, err.Error())
		return
	}
	if d.journal == nil {
		d.respondEphemeral(ctx, i, noJournal)
		return
	}
	if err := d.deferReply(ctx, i, true); err != nil {
		d.log.Error("stats: acknowledge", "err", err)
		return
	}
	st, err := d.journal.Stats(ctx, start, end)
	if err != nil {
		d.log.Error("stats", "err", err)
		d.editOrLog(ctx, i, "I couldn't read the journal; the bot's log says why.")
		return
	}
	text := StatsText(st, true)
	r := reply{parts: []string{text}}
	if !fits(text, MessageLimit) {
		r = reply{parts: []string{truncateForDiscord(text, MessageLimit-60) + "\n…the rest is in the attached stats.txt."}, file: textFile("stats.txt", StatsText(st, false))}
	}
	if err := d.sendReply(ctx, i, r, true); err != nil {
		d.log.Error("stats: reply", "err", err)
	}
}

// StatsPeriod is the period a /stats or `crisisbot stats` asks for: the
// last days days up to now, or from the day from to the day to (both
// YYYY-MM-DD, UTC, to included; to defaults to today). Its error is
// written for the person who asked.
func StatsPeriod(now time.Time, days int, from, to string) (start, end time.Time, err error) {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from == "" && to == "" {
		if days <= 0 {
			return start, end, fmt.Errorf("days must be at least 1, not %d", days)
		}
		return now.Add(-time.Duration(days) * 24 * time.Hour), now, nil
	}
	today := now.UTC().Truncate(24 * time.Hour)
	end = today.AddDate(0, 0, 1)
	if to != "" {
		t, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return start, end, fmt.Errorf("%q is not a date: write the last day as YYYY-MM-DD, e.g. 2025-05-10", to)
		}
		end = t.AddDate(0, 0, 1)
	}
	start = end.AddDate(0, 0, -days)
	if from != "" {
		f, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return start, end, fmt.Errorf("%q is not a date: write the first day as YYYY-MM-DD, e.g. 2025-05-07", from)
		}
		start = f
	}
	if !start.Before(end) {
		return start, end, fmt.Errorf("the period from %s to %s is empty: the first day must not be after the last", start.Format(time.DateOnly), end.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return start, end, nil
}

// StatsText lays stats out for a moderator, in Discord Markdown when
// markdown is set, else in plain text for a terminal or a file.
func StatsText(st journal.Stats, markdown bool) string {
	bold := func(s string) string {
		if markdown {
			return "**" + s + "**"
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s to %s (UTC)\n", bold("Stats,"), st.From.UTC().Format("2 Jan 2006 15:04"), st.To.UTC().Format("2 Jan 2006 15:04"))
	fmt.Fprintf(&b, "Questions: %d · refused %d (%.0f%%) · 👍 %d · 👎 %d\n", st.Questions, st.Refused, 100*st.RefusalRate(), st.Up, st.Down)
	if st.Questions > 0 {
		fmt.Fprintf(&b, "Answer time: median %s · p95 %s\n", roundDuration(st.Median), roundDuration(st.P95))
	}
	if len(st.Days) > 0 {
		b.WriteString(bold("Per day") + "\n")
		for _, day := range st.Days {
			fmt.Fprintf(&b, "%s: %d (%d refused)\n", day.Day.Format("Mon 2 Jan"), day.Questions, day.Refused)
		}
	}
	if len(st.Cited) > 0 {
		b.WriteString(bold("Most cited") + "\n")
		for n, c := range st.Cited {
			title := c.Title
			if title == "" {
				title = c.Article
			}
			if markdown {
				title = escapeTitle(clip(title, 120))
			}
			fmt.Fprintf(&b, "%d. %s (%s): %s\n", n+1, title, codeSpan(c.Article, markdown), plural(c.Answers, "answer"))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// codeSpan is an article ID in backticks for Markdown, as it is otherwise.
func codeSpan(id string, markdown bool) string {
	if !markdown {
		return id
	}
	return "`" + strings.ReplaceAll(clip(id, 80), "`", "'") + "`"
}

// roundDuration shows an answer time to a useful precision: milliseconds
// under a second, tenths of a second above.
func roundDuration(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}
