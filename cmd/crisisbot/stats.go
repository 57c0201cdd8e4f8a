package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/crisisbot/crisisbot/bot"
)

// runStats is "crisisbot stats": questions per day, refusal rate,
// feedback, answer times and most cited articles for a period, as /stats
// shows them.
func runStats(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := flagSet("stats", stderr)
	fs.StringVar(&cfg.Data, "data", cfg.Data, "data directory whose journal to read (env CRISISBOT_DATA)")
	days := fs.Int("days", 7, "the last N days (with --to: the N days up to it)")
	from := fs.String("from", "", "first day, YYYY-MM-DD (UTC); overrides --days")
	to := fs.String("to", "", "last day, YYYY-MM-DD (UTC), included; default today")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	start, end, err := bot.StatsPeriod(time.Now(), *days, *from, *to)
	if err != nil {
		return usageError{"stats: " + err.Error()}
	}
	j, err := openJournalForReading(ctx, cfg.Data)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	defer j.Close()
	st, err := j.Stats(ctx, start, end)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	_, err = fmt.Fprintln(stdout, bot.StatsText(st, false))
	return err
}
