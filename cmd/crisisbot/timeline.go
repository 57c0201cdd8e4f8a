package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/timeline"
)

// runTimeline is "crisisbot timeline [--from DATE] [--to DATE] [TOPIC]":
// the corpus's dated events, oldest first, one a line.
func runTimeline(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := flagSet("timeline", stderr)
	cfg.corpusFlags(fs)
	from := fs.String("from", "", "only events on or after this day (2025-05-07 or 7 May 2025)")
	to := fs.String("to", "", "only events on or before this day")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: crisisbot timeline [flags] [TOPIC]")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	var opts timeline.Options
	for _, f := range []struct {
		flag, value string
		dst         *time.Time
	}{{"--from", *from, &opts.From}, {"--to", *to, &opts.To}} {
		if f.value == "" {
			continue
		}
		t, err := timeline.ParseDay(f.value)
		if err != nil {
			return usageError{fmt.Sprintf("timeline: %s: %q is not a date (write 2025-05-07 or 7 May 2025)", f.flag, f.value)}
		}
		*f.dst = t
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && opts.To.Before(opts.From) {
		return usageError{"timeline: --to is before --from"}
	}
	opts.Topic = strings.Join(fs.Args(), " ")
	lib, _, err := openLibrary(ctx, cfg, newLogger(cfg, stderr), false)
	if err != nil {
		return err
	}
	events, err := timeline.Build(ctx, lib.Current(), opts)
	if err != nil {
		return err
	}
	if len(events) == 0 {
		fmt.Fprintln(stdout, "No dated events found.")
		return nil
	}
	for _, e := range events {
		fmt.Fprintln(stdout, timeline.Line(e))
	}
	return nil
}
