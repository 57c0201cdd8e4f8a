package journal

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Feed is one followed news feed as the journal keeps it: its address and
// settings, its polling state, and the hashes of the items it has given.
// Feeds have no users, so nothing here is hashed beyond the items.
type Feed struct {
	ID           string
	URL          string
	Label        string
	Title        string
	AddedAt      time.Time
	Interval     time.Duration // zero: the poller's
	ETag         string
	LastModified string
	LastAttempt  time.Time
	LastSuccess  time.Time
	LastError    string
	FailingSince time.Time
	Failures     int
	NextPoll     time.Time
	// Seen holds the hashes of the items taken, oldest first.
	Seen []string
}

// FeedStore keeps the followed feeds in the journal's database. Every
// method is one transaction that takes the database's write lock before
// it reads, so two processes on one database — serve and "crisisbot feeds
// poll" — never change a feed from a stale read of it. It is safe for
// concurrent use.
type FeedStore struct {
	j *Journal
}

// Feeds returns the journal's [FeedStore].
func (j *Journal) Feeds() *FeedStore { return &FeedStore{j: j} }

// ErrFeedGone is returned by [FeedStore.Save] for a feed no longer
// followed: removed meanwhile, by this process or another.
var ErrFeedGone = errors.New("journal: feed not followed")

// Load returns the followed feeds in the order they were added, with the
// items each has seen.
func (s *FeedStore) Load(ctx context.Context) ([]Feed, error) {
	var out []Feed
	err := s.j.inTxWrap(ctx, "load feeds", func(tx *sql.Tx) error {
		var err error
		if out, err = loadFeeds(ctx, tx); err != nil {
			return err
		}
		at := make(map[string]int, len(out))
		for i, f := range out {
			at[f.ID] = i
		}
		rows, err := tx.QueryContext(ctx, `SELECT feed_id, hash FROM feed_items ORDER BY n`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, h string
			if err := rows.Scan(&id, &h); err != nil {
				return err
			}
			if i, ok := at[id]; ok {
				out[i].Seen = append(out[i].Seen, h)
			}
		}
		return rows.Err()
	})
	return out, err
}

// Add follows f, with its state and seen items as given, unless check —
// called in the same transaction with the feeds followed then, without
// their items — returns an error, which Add returns as it is.
func (s *FeedStore) Add(ctx context.Context, f Feed, check func(followed []Feed) error) error {
	var refused error
	err := s.j.inWriteTx(ctx, "add feed", func(tx dbtx) error {
		followed, err := loadFeeds(ctx, tx)
		if err != nil {
			return err
		}
		if check != nil {
			if refused = check(followed); refused != nil {
				return refused
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (id, url, label, title, added_at, interval_ms, etag, last_modified,
			last_attempt, last_success, last_error, failing_since, failures, next_poll)
			VALUES (?, ?, ?, ?, ?, ?, '', '', 0, 0, '', 0, 0, 0)`,
			f.ID, f.URL, f.Label, f.Title, msOrZero(f.AddedAt), f.Interval.Milliseconds()); err != nil {
			return err
		}
		return saveState(ctx, tx, f, len(f.Seen), s.j.cfg.Now())
	})
	if refused != nil {
		return refused
	}
	return err
}

// Remove stops following the first feed match picks, in the order added,
// and returns it; false when none matched.
func (s *FeedStore) Remove(ctx context.Context, match func(Feed) bool) (Feed, bool, error) {
	var gone Feed
	var found bool
	err := s.j.inWriteTx(ctx, "remove feed", func(tx dbtx) error {
		followed, err := loadFeeds(ctx, tx)
		if err != nil {
			return err
		}
		for _, f := range followed {
			if match(f) {
				gone, found = f, true
				// The feed's items go with it (ON DELETE CASCADE).
				_, err := tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, f.ID)
				return err
			}
		}
		return nil
	})
	return gone, found, err
}

// Save writes the polling state of the feed f.ID — validators, times,
// errors, backoff, title — and remembers its seen items, keeping the
// newest keepSeen. Its URL, label and interval stay as stored: edits made
// while it was polled win. A feed no longer followed is [ErrFeedGone].
func (s *FeedStore) Save(ctx context.Context, f Feed, keepSeen int) error {
	return s.j.inWriteTx(ctx, "save feed", func(tx dbtx) error {
		return saveState(ctx, tx, f, keepSeen, s.j.cfg.Now())
	})
}

// saveState is [FeedStore.Save] inside tx.
func saveState(ctx context.Context, tx dbtx, f Feed, keepSeen int, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE feeds SET title = ?, etag = ?, last_modified = ?, last_attempt = ?, last_success = ?,
		last_error = ?, failing_since = ?, failures = ?, next_poll = ? WHERE id = ?`,
		f.Title, f.ETag, f.LastModified, msOrZero(f.LastAttempt), msOrZero(f.LastSuccess),
		f.LastError, msOrZero(f.FailingSince), f.Failures, msOrZero(f.NextPoll), f.ID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrFeedGone
	}
	if len(f.Seen) > 0 {
		ins, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO feed_items (feed_id, hash, first_seen) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, h := range f.Seen {
			if _, err := ins.ExecContext(ctx, f.ID, h, ms(now)); err != nil {
				return err
			}
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM feed_items WHERE feed_id = ? AND n NOT IN
		(SELECT n FROM feed_items WHERE feed_id = ? ORDER BY n DESC LIMIT ?)`, f.ID, f.ID, max(keepSeen, 0))
	return err
}

// loadFeeds reads the feeds' rows, without their items.
func loadFeeds(ctx context.Context, tx dbtx) ([]Feed, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, url, label, title, added_at, interval_ms, etag, last_modified,
		last_attempt, last_success, last_error, failing_since, failures, next_poll FROM feeds ORDER BY n`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Feed
	for rows.Next() {
		var f Feed
		var added, interval, attempt, success, failing, next int64
		if err := rows.Scan(&f.ID, &f.URL, &f.Label, &f.Title, &added, &interval, &f.ETag, &f.LastModified,
			&attempt, &success, &f.LastError, &failing, &f.Failures, &next); err != nil {
			return nil, err
		}
		f.AddedAt, f.LastAttempt, f.LastSuccess, f.FailingSince, f.NextPoll = zeroOrMS(added), zeroOrMS(attempt), zeroOrMS(success), zeroOrMS(failing), zeroOrMS(next)
		f.Interval = time.Duration(interval) * time.Millisecond
		out = append(out, f)
	}
	return out, rows.Err()
}

// msOrZero is t in Unix ms, 0 for the zero time (whose Unix ms would be
// far before 1970, and unreadable as "never").
func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return ms(t)
}

func zeroOrMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMS(v)
}

// dbtx is what the feed store's statements run on: a [*sql.Tx], or the
// connection of [Journal.inWriteTx]'s transaction.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inWriteTx runs f in one transaction begun with BEGIN IMMEDIATE, which
// takes the write lock first, waiting for another process's up to the
// busy timeout. A deferred transaction, database/sql's only kind, would
// read, then fail to write with SQLITE_BUSY when another process wrote in
// between; so the transaction is begun by hand on a connection of its own.
func (j *Journal) inWriteTx(ctx context.Context, what string, f func(tx dbtx) error) error {
	err := func() error {
		conn, err := j.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
			return err
		}
		if err := f(conn); err != nil {
			if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`); rerr != nil {
				// A connection left inside a transaction must not go back
				// to the pool.
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
			return err
		}
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `COMMIT`); err != nil {
			conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
			return err
		}
		return nil
	}()
	if err != nil {
		if errors.Is(err, ErrFeedGone) || errors.Is(err, ErrNewerSchema) {
			return err
		}
		return fmt.Errorf("journal: %s: %w", what, err)
	}
	return nil
}
