package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/bot"
	"github.com/crisisbot/crisisbot/internal/metrics"
	"github.com/crisisbot/crisisbot/journal"
	"github.com/crisisbot/crisisbot/retrieval"
)

// opsConfig is what serve's operations read: the journal's retention and
// the metrics address. It is apart from [config] so that the journal and
// the metrics stay out of the commands that have neither.
type opsConfig struct {
	// JournalDays is how long the journal keeps rows, in days
	// (CRISISBOT_JOURNAL_DAYS, default 90); 0 keeps them for ever.
	JournalDays int
	// Metrics is the address /metrics and /healthz are served on
	// (CRISISBOT_METRICS); "" serves neither.
	Metrics string
}

// journalDefaultDays is the journal's retention when nothing says.
const journalDefaultDays = 90

// newOps reads the operations' environment, registers their flags on fs
// and returns warnings with any of its own appended.
func newOps(fs *flag.FlagSet, getenv func(string) string, warnings []string) (*opsConfig, []string) {
	e := &env{getenv: getenv}
	o := &opsConfig{
		JournalDays: e.int("CRISISBOT_JOURNAL_DAYS", journalDefaultDays, 0, 0),
		Metrics:     e.str("CRISISBOT_METRICS", ""),
	}
	fs.IntVar(&o.JournalDays, "journal-days", o.JournalDays, "days the journal of questions, feedback and actions keeps its rows; 0 keeps them for ever (env CRISISBOT_JOURNAL_DAYS)")
	fs.StringVar(&o.Metrics, "metrics", o.Metrics, "serve Prometheus /metrics and /healthz on this address, e.g. 127.0.0.1:9464; off by default (env CRISISBOT_METRICS)")
	return o, append(warnings, e.warn...)
}

// journalDir is where the journal lives in the data directory: one for
// every corpus, since it records the bot, not an index.
func journalDir(data string) string { return filepath.Join(data, "journal") }

// retention is days as the journal takes it.
func retention(days int) time.Duration {
	if days <= 0 {
		return -1 // for ever
	}
	return time.Duration(days) * 24 * time.Hour
}

// lazyWords loads the word tables gaps are grouped with when a /gaps
// first needs them, not at start: serve would otherwise load them a
// second time (the answerer has its own) for a command moderators run now
// and then. A table that fails to load leaves grouping by stems alone.
type lazyWords struct {
	sim   func() (*retrieval.Similarity, error)
	ranks func() (*retrieval.WordRanks, error)
}

func newLazyWords() *lazyWords {
	return &lazyWords{sim: sync.OnceValues(retrieval.LoadSimilarity), ranks: sync.OnceValues(retrieval.EnglishWordRanks)}
}

// Similar implements [journal.Similarity].
func (l *lazyWords) Similar(a, b string) float32 {
	s, err := l.sim()
	if err != nil {
		return 0
	}
	return s.Similar(a, b)
}

// Neighbours implements [journal.Similarity].
func (l *lazyWords) Neighbours(word string) []retrieval.Neighbour {
	s, err := l.sim()
	if err != nil {
		return nil
	}
	return s.Neighbours(word)
}

// Rank implements [journal.Ranks].
func (l *lazyWords) Rank(term string) int {
	r, err := l.ranks()
	if err != nil {
		return 1
	}
	return r.Rank(term)
}

// openJournal opens the journal in the data directory.
func openJournal(ctx context.Context, data string, days int) (*journal.Journal, error) {
	words := newLazyWords()
	return journal.Open(ctx, journal.Config{Dir: journalDir(data), Retention: retention(days), Similarity: words, Ranks: words})
}

// openJournalForReading opens an existing journal for gaps and stats, or
// says there is none yet: reading should not create one.
func openJournalForReading(ctx context.Context, data string) (*journal.Journal, error) {
	dir := journalDir(data)
	if _, err := os.Stat(filepath.Join(dir, "journal.db")); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no journal in %s yet: crisisbot serve records one as it answers", dir)
	}
	// Reading never prunes more than serve would: retention is serve's.
	words := newLazyWords()
	return journal.Open(ctx, journal.Config{Dir: dir, Retention: -1, Similarity: words, Ranks: words})
}

// ops is what serve runs beside the bot: the journal and the metrics.
type ops struct {
	journal *journal.Journal // nil when it could not be opened
	metrics *metrics.Metrics // nil without --metrics
	wait    func()           // waits for the metrics server to stop
}

// startOps opens the journal — logging, not failing, when it can't: the
// bot answers without one — and, with --metrics, serves the metrics,
// failing at once on an address it can't listen on.
func (o *opsConfig) start(ctx context.Context, data string, log *slog.Logger, session *discordgo.Session, lib metrics.Library) (*ops, error) {
	r := &ops{wait: func() {}}
	j, err := openJournal(ctx, data, o.JournalDays)
	if err != nil {
		log.Error("journal off: questions and feedback are not recorded, /gaps and /stats have nothing to show; answering goes on", "err", err)
	} else {
		r.journal = j
		log.Info("journal open", "path", j.Path(), "keep_days", o.JournalDays)
	}
	if o.Metrics == "" {
		return r, nil
	}
	r.metrics = metrics.New(lib)
	r.metrics.WatchGateway(session)
	addr, wait, err := r.metrics.Serve(ctx, o.Metrics, log)
	if err != nil {
		r.close()
		return nil, fmt.Errorf("serve: %w", err)
	}
	r.wait = wait
	if !isLoopback(o.Metrics) {
		log.Warn("metrics served beyond this machine: anyone who reaches the address reads them", "addr", addr.String())
	}
	log.Info("serving metrics", "addr", addr.String(), "paths", "/metrics /healthz")
	return r, nil
}

// isLoopback reports whether addr listens on loopback only.
func isLoopback(addr string) bool {
	host := addr
	if i := strings.LastIndex(addr, ":"); i >= 0 {
		host = addr[:i]
	}
	host = strings.Trim(host, "[]")
	return host == "localhost" || strings.HasPrefix(host, "127.") || host == "::1"
}

// answerer wraps a so the metrics count its questions, when there are
// metrics.
func (r *ops) answerer(a answer.Answerer) answer.Answerer {
	if r.metrics == nil {
		return a
	}
	return r.metrics.Answerer(a)
}

// library wraps lib so the metrics time its reloads, when there are
// metrics.
func (r *ops) library(lib metrics.Library) metrics.Library {
	if r.metrics == nil {
		return lib
	}
	return r.metrics.Library(lib)
}

// attach gives the bot the journal, if one opened.
func (r *ops) attach(d *bot.Discord) {
	if r.journal != nil {
		d.SetJournal(r.journal)
	}
}

// close closes the journal and waits for the metrics server, which stops
// with serve's context.
func (r *ops) close() {
	if r.journal != nil {
		r.journal.Close()
	}
	r.wait()
}
