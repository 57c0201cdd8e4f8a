package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fetch"
	"github.com/crisisbot/crisisbot/internal/usererr"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Defaults for the zero fields of [Config].
const (
	// DefaultInterval is the default [Config.Interval].
	DefaultInterval = 15 * time.Minute
	// DefaultMaxItems is the default [Config.MaxItems].
	DefaultMaxItems = 20
	// DefaultMaxFeeds is the default [Config.MaxFeeds].
	DefaultMaxFeeds = 100
	// DefaultParseTime is the default [Config.ParseTime].
	DefaultParseTime = 10 * time.Second
	// DefaultMaxBackoff is the default [Config.MaxBackoff].
	DefaultMaxBackoff = 24 * time.Hour
	// FailingReport is how long a feed may fail before each failure is
	// logged as a warning rather than at info level.
	FailingReport = 24 * time.Hour
)

// Config bounds what a [Service] polls and takes. Zero fields take the
// defaults.
type Config struct {
	// Interval is how often a feed is polled; default 15 minutes. A
	// feed's own [Feed.Interval] overrides it.
	Interval time.Duration
	// MaxItems is the most new items taken from one feed in one poll;
	// default 20. The rest wait for the next poll, so a feed that
	// suddenly lists 10,000 items fills the corpus slowly, if at all.
	MaxItems int
	// MaxFeeds is the most feeds followed; default 100.
	MaxFeeds int
	// ParseTime bounds the parsing of one feed document; default 10s.
	// Its size is bounded by the fetcher's [fetch.Config.MaxBytes].
	ParseTime time.Duration
	// MaxBackoff caps the wait after consecutive failures; default 24h.
	MaxBackoff time.Duration
}

// Reloader rebuilds the index from the corpus directory, as
// [editor.Reloader] does; [retrieval.Library] is one.
type Reloader interface {
	Reload(ctx context.Context) (retrieval.Report, error)
}

// Service keeps the followed feeds in the data directory and polls them.
// It is safe for concurrent use; polls do not overlap.
type Service struct {
	cfg     Config
	state   StateStore
	store   *corpus.Store
	fetcher *fetch.Fetcher // for feed documents
	pages   *fetch.Fetcher // for items' pages
	lib     Reloader
	log     *slog.Logger
	now     func() time.Time

	pollMu sync.Mutex // one poll at a time, with pollLock
	// pollLock is the lock file that holds the same across processes
	// (see lock.go).
	pollLock string
}

// Option changes a [Service] beyond its [Config].
type Option func(*Service)

// WithPageFetcher fetches items' pages with f instead of the feeds'
// fetcher: for pages under other limits than feed documents, and for tests
// that serve a feed from loopback while its items' links meet the real
// address policy.
func WithPageFetcher(f *fetch.Fetcher) Option {
	return func(s *Service) {
		if f != nil {
			s.pages = f
		}
	}
}

// WithState keeps the feeds' state in st instead of the JSON file in the
// data directory: serve and the CLI pass the database's, from
// [OpenState].
func WithState(st StateStore) Option {
	return func(s *Service) {
		if st != nil {
			s.state = st
		}
	}
}

// New returns a [Service] keeping its state in dataDir/[StateFile] unless
// given [WithState], holding its poll lock in dataDir, saving
// articles through store, fetching feeds and pages with fetcher, and
// re-indexing lib after a poll that saved something. now is the clock;
// nil means [time.Now].
func New(cfg Config, dataDir string, store *corpus.Store, fetcher *fetch.Fetcher, lib Reloader, log *slog.Logger, now func() time.Time, opts ...Option) (*Service, error) {
	if dataDir == "" || store == nil || fetcher == nil || lib == nil {
		return nil, errors.New("feeds: a data directory, a store, a fetcher and a library are required")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.MaxItems <= 0 {
		cfg.MaxItems = DefaultMaxItems
	}
	if cfg.MaxFeeds <= 0 {
		cfg.MaxFeeds = DefaultMaxFeeds
	}
	if cfg.ParseTime <= 0 {
		cfg.ParseTime = DefaultParseTime
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	s := &Service{cfg: cfg, state: NewFileState(dataDir), store: store, fetcher: fetcher, pages: fetcher, lib: lib, log: log, now: now,
		pollLock: filepath.Join(dataDir, pollLockName)}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// MinInterval is the shortest [Feed.Interval]: an outlet is not asked for
// its feed more than once a minute.
const MinInterval = time.Minute

// Add follows the feed at rawURL, labelled label (the outlet its articles
// are attributed to; "" uses the feed's title) and polled every interval
// (zero: [Config.Interval]). It refuses a URL the fetcher would refuse, a
// feed followed already, and a feed past [Config.MaxFeeds]. The feed is
// first polled by the next poll.
func (s *Service) Add(ctx context.Context, rawURL, label string, interval time.Duration) (Feed, error) {
	rawURL = strings.TrimSpace(rawURL)
	if interval != 0 && interval < MinInterval {
		return Feed{}, usererr.Wrap(fmt.Errorf("add feed: interval %s is under %s", interval, MinInterval),
			fmt.Sprintf("A feed is polled at most once every %s.", MinInterval))
	}
	if err := s.fetcher.CheckURL(rawURL); err != nil {
		return Feed{}, fmt.Errorf("add feed: %w", err)
	}
	u, _ := url.Parse(rawURL)
	u.Fragment = ""
	rawURL = u.String()
	key := corpus.NormalizeURL(rawURL)
	f := Feed{ID: feedID(rawURL), URL: rawURL, Label: strings.Join(strings.Fields(label), " "), AddedAt: s.now().UTC().Truncate(time.Second), Interval: interval}
	err := s.state.Add(ctx, f, func(followed []Feed) error {
		for _, g := range followed {
			if corpus.NormalizeURL(g.URL) == key || g.ID == f.ID {
				return usererr.Wrap(fmt.Errorf("add feed: %s is followed already as %s", rawURL, g.ID),
					fmt.Sprintf("That feed is followed already (ID %s).", g.ID))
			}
		}
		if len(followed) >= s.cfg.MaxFeeds {
			return usererr.Wrap(fmt.Errorf("add feed: %d feeds followed already, the limit", len(followed)),
				fmt.Sprintf("crisisbot follows %d feeds already, its limit; remove one first.", len(followed)))
		}
		return nil
	})
	if err != nil {
		return Feed{}, err
	}
	s.log.InfoContext(ctx, "feed added", "feed", f.URL, "id", f.ID)
	return f, nil
}

// List returns the followed feeds, in the order they were added.
func (s *Service) List(ctx context.Context) ([]Feed, error) {
	return s.state.Load(ctx)
}

// Remove stops following the feed whose URL or ID is urlOrID. Articles it
// brought stay in the corpus.
func (s *Service) Remove(ctx context.Context, urlOrID string) (Feed, error) {
	urlOrID = strings.TrimSpace(urlOrID)
	key := corpus.NormalizeURL(urlOrID)
	f, found, err := s.state.Remove(ctx, func(f Feed) bool {
		return f.ID == urlOrID || f.URL == urlOrID || (key != "" && corpus.NormalizeURL(f.URL) == key)
	})
	if err != nil {
		return Feed{}, err
	}
	if !found {
		return Feed{}, usererr.Wrap(fmt.Errorf("remove feed: no feed %q", urlOrID), "No feed with that address or ID is followed.")
	}
	s.log.InfoContext(ctx, "feed removed", "feed", f.URL, "id", f.ID)
	return f, nil
}

// Run polls the feeds that are due, checking every minute (or sooner when
// a feed falls due) until ctx is cancelled, and hands each poll that saved
// something to announce (which may be nil).
func (s *Service) Run(ctx context.Context, announce func(context.Context, Report)) {
	for {
		rep, err := s.Poll(ctx, false)
		if err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "feed poll failed", "err", err)
		}
		if len(rep.Arrived) > 0 && announce != nil {
			announce(ctx, rep)
		}
		wait := time.Minute
		if next, ok := s.nextDue(ctx); ok {
			wait = min(wait, max(next.Sub(s.now()), time.Second))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// nextDue returns the earliest next poll of any feed.
func (s *Service) nextDue(ctx context.Context) (time.Time, bool) {
	list, err := s.state.Load(ctx)
	if err != nil || len(list) == 0 {
		return time.Time{}, false
	}
	next := list[0].NextPoll
	for _, f := range list[1:] {
		if f.NextPoll.Before(next) {
			next = f.NextPoll
		}
	}
	return next, true
}

// schedule sets f's next poll after a success or failure: its interval
// with up to a tenth of jitter, so that feeds added together spread out,
// doubled for each consecutive failure up to [Config.MaxBackoff].
func (s *Service) schedule(f *Feed, now time.Time) {
	iv := f.Interval
	if iv <= 0 {
		iv = s.cfg.Interval
	}
	wait := iv
	for i := 0; i < f.Failures && wait < s.cfg.MaxBackoff; i++ {
		wait *= 2
	}
	wait = min(wait, s.cfg.MaxBackoff)
	wait += time.Duration(rand.Int64N(int64(wait)/10 + 1))
	f.NextPoll = now.Add(wait).UTC().Truncate(time.Second)
}
