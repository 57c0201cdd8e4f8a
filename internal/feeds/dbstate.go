package feeds

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/crisisbot/crisisbot/journal"
)

// importedSuffix is added to the state file's name once the database has
// imported it: kept, not deleted, for whoever wants to go back.
const importedSuffix = ".imported"

// DBState is a [StateStore] in the journal's database: a feed is a row,
// its seen items rows of their own, and every change is one transaction
// on the rows it changes.
type DBState struct {
	db *journal.FeedStore
}

var _ StateStore = (*DBState)(nil)

// NewDBState returns the [DBState] over db.
func NewDBState(db *journal.FeedStore) *DBState { return &DBState{db: db} }

// Load implements [StateStore].
func (s *DBState) Load(ctx context.Context) ([]Feed, error) {
	rows, err := s.db.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("load feeds: %w", err)
	}
	out := make([]Feed, len(rows))
	for i, r := range rows {
		out[i] = fromRow(r)
	}
	return out, nil
}

// Add implements [StateStore].
func (s *DBState) Add(ctx context.Context, f Feed, check func([]Feed) error) error {
	return s.db.Add(ctx, toRow(f), func(rows []journal.Feed) error {
		if check == nil {
			return nil
		}
		followed := make([]Feed, len(rows))
		for i, r := range rows {
			followed[i] = fromRow(r)
		}
		return check(followed)
	})
}

// Remove implements [StateStore].
func (s *DBState) Remove(ctx context.Context, match func(Feed) bool) (Feed, bool, error) {
	r, ok, err := s.db.Remove(ctx, func(r journal.Feed) bool { return match(fromRow(r)) })
	return fromRow(r), ok, err
}

// Save implements [StateStore].
func (s *DBState) Save(ctx context.Context, f Feed) error {
	err := s.db.Save(ctx, toRow(f), MaxSeen)
	if errors.Is(err, journal.ErrFeedGone) {
		return nil
	}
	return err
}

func toRow(f Feed) journal.Feed {
	return journal.Feed{ID: f.ID, URL: f.URL, Label: f.Label, Title: f.Title, AddedAt: f.AddedAt, Interval: f.Interval,
		ETag: f.ETag, LastModified: f.LastModified, LastAttempt: f.LastAttempt, LastSuccess: f.LastSuccess, LastError: f.LastError,
		FailingSince: f.FailingSince, Failures: f.Failures, NextPoll: f.NextPoll, Seen: f.Seen}
}

func fromRow(r journal.Feed) Feed {
	return Feed{ID: r.ID, URL: r.URL, Label: r.Label, Title: r.Title, AddedAt: r.AddedAt, Interval: r.Interval,
		ETag: r.ETag, LastModified: r.LastModified, LastAttempt: r.LastAttempt, LastSuccess: r.LastSuccess, LastError: r.LastError,
		FailingSince: r.FailingSince, Failures: r.Failures, NextPoll: r.NextPoll, Seen: r.Seen}
}

// OpenState is the state serve and the CLI keep the feeds in: the
// database when db is not nil, after importing into it the state file an
// earlier crisisbot left in dataDir, if any; else, with a warning, the
// state file, so that feeds keep working without the database.
//
// The import runs once: the file is then renamed [StateFile].imported. A
// feed the database has already (an import cut short, or a fallback's
// file) takes the file's polling state and seen items, which are the
// newer. An import that fails leaves the file where it is, to be tried
// again at the next start, and the database serves meanwhile.
func OpenState(ctx context.Context, dataDir string, db *journal.FeedStore, log *slog.Logger) StateStore {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	file := NewFileState(dataDir)
	if db == nil {
		log.WarnContext(ctx, "feeds: the database is not open; keeping the feeds' state in the JSON file meanwhile", "path", file.Path())
		return file
	}
	st := NewDBState(db)
	n, err := importFile(ctx, file.Path(), st)
	switch {
	case err != nil:
		log.ErrorContext(ctx, "feeds: importing the state file into the database failed; it stays where it is and is tried again at the next start", "path", file.Path(), "err", err)
	case n >= 0:
		log.InfoContext(ctx, "feeds: state file imported into the database", "feeds", n, "renamed", file.Path()+importedSuffix)
	}
	return st
}

// importFile imports the state file at path into st and renames it,
// returning how many feeds it held, or -1 when there is no file.
func importFile(ctx context.Context, path string, st StateStore) (int, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return -1, nil
	}
	old, err := loadState(path)
	if err != nil {
		return 0, err
	}
	errHave := errors.New("followed already")
	for _, f := range old.Feeds {
		err := st.Add(ctx, *f, func(followed []Feed) error {
			for _, g := range followed {
				if g.ID == f.ID || g.URL == f.URL {
					return errHave
				}
			}
			return nil
		})
		if errors.Is(err, errHave) {
			err = st.Save(ctx, *f)
		}
		if err != nil {
			return 0, fmt.Errorf("import %s: feed %s: %w", path, f.URL, err)
		}
	}
	if err := os.Rename(path, path+importedSuffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Imported, but to be imported again: harmless, as above.
		return 0, fmt.Errorf("import %s: %w", path, err)
	}
	return len(old.Feeds), nil
}
