package retrieval

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// ErrReloadInProgress is returned by [Library.Reload] when another reload
// has not finished; the caller tells the user to wait rather than queueing.
var ErrReloadInProgress = errors.New("a reload is already running")

// LoadFunc reads the corpus. It returns the articles that loaded and a
// [corpus.FileError] for each file that did not; an error means nothing
// usable was read.
type LoadFunc func(ctx context.Context) (*corpus.Result, error)

// LibraryConfig configures a [Library].
type LibraryConfig struct {
	// Dir is where the index snapshot is kept; empty keeps it in memory only.
	Dir string
	// Settings name the embedder and chunking; changing them rebuilds.
	Settings Settings
	// Files, when set, is the parse cache of the corpus loader: the index
	// saves the stamps of the files its articles came from, and seeds
	// Files with them on [Library.Open], so that a new process parses only
	// the files that changed since.
	Files *corpus.ParseCache
}

// Library serves the current index and replaces it on reload. Searches read
// whichever index is current; a reload builds the next one beside it and
// swaps it in only once it is complete and saved, so a failed reload leaves
// the previous index serving.
type Library struct {
	cfg   LibraryConfig
	embed EmbedFunc
	load  LoadFunc
	log   *slog.Logger
	now   func() time.Time

	cur       atomic.Pointer[Index]
	reloading sync.Mutex
	// disk is what the data directory holds; guarded by reloading.
	disk diskState
}

// NewLibrary returns a library that has no index until [Library.Open] or
// [Library.Reload] succeeds.
func NewLibrary(cfg LibraryConfig, embed EmbedFunc, load LoadFunc, log *slog.Logger) (*Library, error) {
	if embed == nil || load == nil {
		return nil, errors.New("library: an embedder and a corpus loader are required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Library{cfg: cfg, embed: embed, load: load, log: log, now: time.Now}, nil
}

// Report describes one reload.
type Report struct {
	Diff
	Articles int
	Passages int
	Failed   []corpus.FileError // files that did not load, with the reason
	Took     time.Duration
	Saved    bool // the index was written to the data directory
	// ServingUnsaved: the save failed with no index serving before, so
	// the new index serves from memory only.
	ServingUnsaved bool
}

// Current returns the index now serving, or nil before the first load.
func (l *Library) Current() *Index { return l.cur.Load() }

// Open starts from the saved index, if any, then refreshes it from the
// corpus. When the refresh fails but the saved index loaded, Open returns
// the refresh error and the saved index keeps serving: a caller that can
// live with a stale index (answering questions) goes on, one whose job is
// the refresh (crisisbot index) fails.
func (l *Library) Open(ctx context.Context) (Report, error) {
	if l.cfg.Dir != "" {
		if !l.reloading.TryLock() {
			return Report{}, ErrReloadInProgress
		}
		saved, st, err := loadSaved(ctx, l.cfg.Dir, l.embed)
		switch {
		case err == nil:
			l.serveSaved(saved)
			l.disk = st
		case errors.Is(err, errNoSnapshot):
		case saved.idx != nil:
			// The snapshot loaded but its log did not apply: serve the
			// snapshot, which the refresh below brings up to date, and
			// let the next save start a new log.
			l.log.Warn("saved index log unusable; refreshing from the snapshot", "err", err)
			l.serveSaved(saved)
			l.disk = st
		default:
			// A corrupt snapshot costs a re-embed, nothing more.
			l.log.Warn("saved index unusable; rebuilding", "err", err)
		}
		l.reloading.Unlock()
	}
	return l.Reload(ctx)
}

// serveSaved makes a loaded index the current one, and tells the parse
// cache what its articles' files were like, so that the refresh that
// follows parses only the files changed since.
func (l *Library) serveSaved(saved savedIndex) {
	l.cur.Store(saved.idx)
	if l.cfg.Files == nil {
		return
	}
	for _, a := range saved.idx.articles {
		if st, ok := saved.stamps[a.ID]; ok {
			l.cfg.Files.Seed(*a, st)
		}
	}
}

// WarmStore makes the current index's chromem-go collection now, so that
// the first reload of a long-running process does not wait for it. A
// process that only answers never needs it.
func (l *Library) WarmStore(ctx context.Context) error {
	ix := l.Current()
	if ix == nil {
		return nil
	}
	_, err := ix.Collection(ctx)
	return err
}

// Reload re-reads the corpus, embeds only new and changed articles, saves the
// result and swaps it in. It returns [ErrReloadInProgress] at once if
// another reload is running.
func (l *Library) Reload(ctx context.Context) (Report, error) {
	if !l.reloading.TryLock() {
		return Report{}, ErrReloadInProgress
	}
	defer l.reloading.Unlock()
	start := l.now()
	res, err := l.load(ctx)
	if err != nil {
		rep := Report{Took: l.now().Sub(start)}
		if res != nil {
			rep.Failed = res.Errors
		}
		return rep, fmt.Errorf("reload: %w", err)
	}
	rep := Report{Failed: res.Errors}
	prev := l.Current()
	ix, diff, err := build(ctx, l.cfg.Settings, l.embed, res.Articles, prev, start)
	rep.Diff = diff
	if err != nil {
		rep.Took = l.now().Sub(start)
		return rep, fmt.Errorf("reload: %w", err)
	}
	rep.Articles, rep.Passages = len(ix.articles), len(ix.passages)
	if prev != nil && diff.Empty() {
		// Nothing changed: keep serving (and keep on disk) what we have,
		// with the outlets' origins as the corpus now labels them.
		l.cur.Store(ix)
		rep.Took = l.now().Sub(start)
		return rep, nil
	}
	if l.cfg.Dir != "" {
		st, err := saveChange(l.cfg.Dir, l.disk, prev, ix, diff, l.cfg.Files)
		if err != nil {
			rep.Took = l.now().Sub(start)
			// With nothing serving, an unsaved index beats none; otherwise
			// the previous, saved index keeps serving.
			if prev == nil && ix.commitStore(ctx) == nil {
				l.cur.Store(ix)
				rep.ServingUnsaved = true
			}
			return rep, fmt.Errorf("reload: %w", err)
		}
		l.disk = st
		rep.Saved = true
	}
	if err := ix.commitStore(ctx); err != nil {
		// Saved but not served: the next start loads it; until then the
		// previous index, which never reads the collection, keeps serving.
		// The next reload's change would be relative to that index, not
		// to what is saved, so it must write a whole snapshot.
		l.disk.gen = 0
		rep.Took = l.now().Sub(start)
		return rep, fmt.Errorf("reload: %w", err)
	}
	l.cur.Store(ix)
	rep.Took = l.now().Sub(start)
	l.log.Info("index reloaded", "articles", rep.Articles, "passages", rep.Passages,
		"added", len(diff.Added), "changed", len(diff.Changed), "removed", len(diff.Removed),
		"embedded", diff.Embedded, "failed", len(rep.Failed), "took", rep.Took)
	return rep, nil
}
