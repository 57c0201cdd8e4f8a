package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/crisisbot/crisisbot/bot"
)

// runGaps is "crisisbot gaps": the questions of the last days that were
// refused or got a 👎, grouped, as /gaps shows them.
func runGaps(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := flagSet("gaps", stderr)
	fs.StringVar(&cfg.Data, "data", cfg.Data, "data directory whose journal to read (env CRISISBOT_DATA)")
	days := fs.Int("days", 7, "how many days back")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if *days < 1 {
		return usageError{fmt.Sprintf("gaps: --days must be at least 1, not %d", *days)}
	}
	j, err := openJournalForReading(ctx, cfg.Data)
	if err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	defer j.Close()
	gaps, err := j.Gaps(ctx, time.Now().Add(-time.Duration(*days)*24*time.Hour))
	if err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	if len(gaps) == 0 {
		fmt.Fprintf(stdout, "No gaps in the last %d days: every question was answered and nobody pressed 👎.\n", *days)
		return nil
	}
	_, err = io.WriteString(stdout, bot.GapsText(gaps, *days))
	return err
}
