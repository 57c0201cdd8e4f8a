package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/bot"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/feeds"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/journal"
	"github.com/crisisbot/crisisbot/retrieval"
)

const feedsUsage = `Usage:
  crisisbot feeds add [flags] URL [--label L] [--every D]   follow an RSS or Atom feed
  crisisbot feeds list [flags]                              the feeds followed and how each is doing
  crisisbot feeds remove [flags] URL|ID                     stop following a feed
  crisisbot feeds poll [flags]                              poll every feed now and print what arrived

crisisbot serve polls the feeds by itself, each every 15 minutes unless
added with --every. Run "crisisbot feeds COMMAND -h" for the flags.
`

// runFeeds is "crisisbot feeds": it follows, lists, forgets and polls the
// news feeds whose new articles arrive in the corpus by themselves.
func runFeeds(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return runFeedsWith(ctx, args, getenv, stdout, stderr)
}

// runFeedsWith is [runFeeds] with options for the fetcher: tests pass
// fetchtest.AllowLoopback to poll a loopback server, which no flag can.
func runFeedsWith(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, fetchOpts ...fetch.Option) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, feedsUsage)
		return usageError{"feeds: want add, list, remove or poll"}
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "add", "list", "remove", "poll":
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, feedsUsage)
		return nil
	default:
		fmt.Fprint(stderr, feedsUsage)
		return usageError{fmt.Sprintf("feeds: unknown command %q", sub)}
	}

	cfg, warnings := newConfig(getenv)
	fs := flagSet("feeds "+sub, stderr)
	cfg.corpusFlags(fs)
	var label string
	var every time.Duration
	if sub == "add" {
		fs.StringVar(&label, "label", "", "the outlet articles from this feed are attributed to (default the feed's title)")
		fs.DurationVar(&every, "every", 0, "how often to poll this feed (default 15m)")
	}
	fs.Usage = func() { fmt.Fprint(stderr, feedsUsage); fs.PrintDefaults() }
	pos, err := parseInterspersed(fs, rest)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if err := parse(fs, nil, &cfg, warnings, stderr); err != nil {
		return err
	}
	want := map[string]int{"add": 1, "list": 0, "remove": 1, "poll": 0}[sub]
	if len(pos) != want {
		fs.Usage()
		return usageError{fmt.Sprintf("feeds %s: want %d argument(s), got %d", sub, want, len(pos))}
	}
	if cfg.Corpus == "" {
		return usageError{"feeds: --corpus (or CRISISBOT_CORPUS) is required: feeds add to the corpus directory, and the built-in corpus is read-only"}
	}
	log := newLogger(cfg, stderr)
	reindex := func(ctx context.Context) (retrieval.Report, error) {
		_, rep, err := openLibrary(ctx, cfg, log, true)
		return rep, err
	}
	state, closeState := openFeedState(ctx, cfg, log)
	defer closeState()
	svc, err := newFeedService(cfg, log, reloadFunc(reindex), state, fetchOpts...)
	if err != nil {
		return fmt.Errorf("feeds: %w", err)
	}

	switch sub {
	case "add":
		f, err := svc.Add(ctx, pos[0], label, every)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Following %s (ID %s)", f.URL, f.ID)
		if f.Label != "" {
			fmt.Fprintf(stdout, " as %s", f.Label)
		}
		fmt.Fprintln(stdout, "\nIts new articles arrive when crisisbot serve polls it, or now with crisisbot feeds poll.")
	case "list":
		list, err := svc.List(ctx)
		if err != nil {
			return err
		}
		writeFeeds(stdout, list, time.Now())
	case "remove":
		f, err := svc.Remove(ctx, pos[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Stopped following %s (ID %s); its articles stay in the corpus.\n", f.URL, f.ID)
	case "poll":
		rep, err := svc.Poll(ctx, true)
		writePoll(stdout, rep)
		if err != nil {
			return fmt.Errorf("feeds poll: %w", err)
		}
	}
	return nil
}

// reloadFunc adapts a function to [feeds.Reloader].
type reloadFunc func(ctx context.Context) (retrieval.Report, error)

// Reload calls f.
func (f reloadFunc) Reload(ctx context.Context) (retrieval.Report, error) { return f(ctx) }

// newFeedService is the feed service of the CLI and of serve: state in
// state (see [feeds.OpenState]), articles saved to the corpus directory,
// feeds and pages fetched under the fetcher's default limits (5 MiB,
// 20 s).
func newFeedService(cfg config, log *slog.Logger, lib feeds.Reloader, state feeds.StateStore, fetchOpts ...fetch.Option) (*feeds.Service, error) {
	store, err := openStore(cfg)
	if err != nil {
		return nil, err
	}
	return feeds.New(feeds.Config{}, cfg.Data, store, fetch.New(fetch.Config{}, fetchOpts...), lib, log, time.Now, feeds.WithState(state))
}

// openFeedState opens the feeds' state for the CLI: in the journal's
// database, which serve shares — created if need be, never pruned, since
// the journal's retention is serve's to apply — or, when it cannot be
// opened, in the JSON file, with a warning. The returned function closes
// the database.
func openFeedState(ctx context.Context, cfg config, log *slog.Logger) (feeds.StateStore, func()) {
	j, err := journal.Open(ctx, journal.Config{Dir: journalDir(cfg.Data), Retention: -1})
	if err != nil {
		log.Warn("feeds: the journal's database could not be opened", "err", err)
		return feeds.OpenState(ctx, cfg.Data, nil, log), func() {}
	}
	return feeds.OpenState(ctx, cfg.Data, j.Feeds(), log), func() { j.Close() }
}

// parseInterspersed parses fs from args with flags allowed after the
// positional arguments ("feeds add URL --label L"), returning those; "--"
// ends the flags, as for every command (see [interspersed]).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(interspersed(fs, args)); err != nil {
		return nil, err
	}
	return fs.Args(), nil
}

// writeFeeds prints the followed feeds and how each is doing.
func writeFeeds(w io.Writer, list []feeds.Feed, now time.Time) {
	if len(list) == 0 {
		fmt.Fprintln(w, "No feeds followed. Add one with: crisisbot feeds add URL")
		return
	}
	for _, f := range list {
		fmt.Fprintf(w, "%s  %s\n", f.ID, f.URL)
		fmt.Fprintf(w, "  outlet:       %s\n", f.Source())
		fmt.Fprintf(w, "  last attempt: %s\n", when(f.LastAttempt))
		fmt.Fprintf(w, "  last success: %s\n", when(f.LastSuccess))
		if f.Failures > 0 {
			fmt.Fprintf(w, "  failing:      %d time(s) in a row since %s\n", f.Failures, when(f.FailingSince))
			fmt.Fprintf(w, "  last error:   %s\n", clipLine(f.LastError, 300))
		}
		fmt.Fprintf(w, "  next poll:    %s\n", when(f.NextPoll))
		fmt.Fprintf(w, "  items seen:   %d\n", len(f.Seen))
	}
}

// when formats t for the list, "never" when zero.
func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04:05 MST")
}

// writePoll prints what a poll brought, skipped and failed on.
func writePoll(w io.Writer, rep feeds.Report) {
	fmt.Fprintf(w, "Polled %d feed(s), %d unchanged: %d new article(s).\n", rep.Polled, rep.NotModified, len(rep.Arrived))
	for _, a := range rep.Arrived {
		note := ""
		if a.SummaryOnly {
			note = " (summary only: the page could not be fetched)"
		}
		fmt.Fprintf(w, "  %s — %s — %s <%s>%s\n", corpus.QuotePath(a.Article.ID), a.Article.Title, firstNonEmpty(a.Article.Source, "unknown"), a.Article.URL, note)
	}
	if len(rep.Skipped) > 0 {
		fmt.Fprintln(w, "Skipped:")
		for _, s := range rep.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", firstNonEmpty(s.Link, s.Title), s.Reason)
		}
	}
	if len(rep.Failed) > 0 {
		fmt.Fprintln(w, "Failed:")
		for _, f := range rep.Failed {
			fmt.Fprintf(w, "  %s: %s (%s)\n", f.Feed.URL, usererr.MessageOr(f.Err, "it could not be read"), f.Err)
		}
	}
	if rep.Reloaded {
		fmt.Fprintln(w, "\nIndex:")
		writeReport(w, rep.Index)
	}
}

// startFeeds gives the bot its feed service and polls the feeds in the
// background until ctx is cancelled, announcing each poll that saved
// something in the channel CRISISBOT_ANNOUNCE_CHANNEL names, if any. The
// returned function waits for the poller to stop. The state is in j, the
// journal serve opened, or in the JSON file when j is nil (the journal
// could not be opened). The variable is read
// here rather than in config.go only while that file is being changed
// elsewhere; it belongs there.
func startFeeds(ctx context.Context, cfg config, getenv func(string) string, log *slog.Logger, lib feeds.Reloader, d *bot.Discord, j *journal.Journal) (wait func(), err error) {
	var db *journal.FeedStore
	if j != nil {
		db = j.Feeds()
	}
	svc, err := newFeedService(cfg, log, lib, feeds.OpenState(ctx, cfg.Data, db, log))
	if err != nil {
		return nil, fmt.Errorf("serve: feeds: %w", err)
	}
	d.SetFeeds(svc)
	channel := strings.TrimSpace(getenv("CRISISBOT_ANNOUNCE_CHANNEL"))
	done := make(chan struct{})
	go func() {
		defer close(done)
		svc.Run(ctx, func(ctx context.Context, rep feeds.Report) {
			if err := d.Announce(ctx, channel, rep); err != nil {
				log.Error("announce new articles", "channel", channel, "err", err)
			}
		})
	}()
	return func() { <-done }, nil
}
