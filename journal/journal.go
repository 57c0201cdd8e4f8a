// Package journal keeps what crisisbot was asked and how it answered —
// questions, answers with their citations, members' 👍/👎 and moderators'
// actions — in an SQLite database in the data directory, for moderators'
// /gaps and /stats. It is pure Go (modernc.org/sqlite), so the binary stays
// static and needs no server. Every write is one transaction in WAL mode
// with full syncs: a crash loses at most the write in flight. User IDs are
// stored only as keyed hashes (HMAC-SHA256, with a key kept beside the
// database), so the journal can say "the same person pressed twice"
// without saying who.
package journal

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// DefaultRetention is how long rows are kept when [Config.Retention] is
// zero.
const DefaultRetention = 90 * 24 * time.Hour

// pruneEvery is how often, at most, writes also delete expired rows: once
// an hour keeps the table within an hour of the retention without a
// goroutine of its own.
const pruneEvery = time.Hour

// File names inside [Config.Dir].
const (
	dbName  = "journal.db"
	keyName = "journal.key"
)

// Config configures a [Journal]. Zero values mean the documented defaults.
type Config struct {
	// Dir holds the database and its hashing key; it is created if
	// missing.
	Dir string
	// Retention is how long questions, feedback and actions are kept
	// (default 90 days); older rows are deleted. Negative keeps them for
	// ever.
	Retention time.Duration
	// Similarity, when set, lets [Journal.Gaps] group questions that use
	// near synonyms ("truce", "ceasefire"); without it only words with the
	// same stem match.
	Similarity Similarity
	// Ranks, when set, weighs a question's words by how rare they are in
	// English when grouping gaps: "happen" says less than "Kartarpur".
	Ranks Ranks
	// Now tells the time; nil means [time.Now].
	Now func() time.Time
}

// Journal is the database. It is safe for concurrent use.
type Journal struct {
	cfg  Config
	db   *sql.DB
	key  []byte
	path string

	mu        sync.Mutex
	lastPrune time.Time
}

// Errors a [Journal] reports.
var (
	// ErrUnknownAnswer is feedback on an answer the journal does not hold:
	// expired, or from another data directory.
	ErrUnknownAnswer = errors.New("journal: no such answer")
	// ErrNewerSchema is a database written by a newer crisisbot.
	ErrNewerSchema = errors.New("journal: database written by a newer crisisbot")
)

// Open opens the journal in cfg.Dir, creating the directory, the key and
// the database as needed, migrates the schema to this version and deletes
// expired rows.
func Open(ctx context.Context, cfg Config) (*Journal, error) {
	if cfg.Dir == "" {
		return nil, errors.New("journal: no directory given")
	}
	if cfg.Retention == 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	key, err := loadKey(filepath.Join(cfg.Dir, keyName))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(cfg.Dir, dbName)
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("journal: open %s: %w", path, err)
	}
	// One connection: SQLite takes one writer at a time anyway, and a
	// single connection never meets SQLITE_BUSY from itself. Reads are a
	// moderator's occasional /gaps or /stats.
	db.SetMaxOpenConns(1)
	j := &Journal{cfg: cfg, db: db, key: key, path: path}
	if err := j.useWAL(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := j.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := j.Prune(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return j, nil
}

// walWait bounds how long [Journal.useWAL] retries a busy switch to WAL.
const walWait = 10 * time.Second

// useWAL puts the database in WAL mode, so a reader never blocks the
// writer and a crash leaves the last committed state. The mode is kept
// in the file, so it is set once here rather than by every connection.
//
// Switching a new database needs it to itself, and SQLite answers
// SQLITE_BUSY at once, without its busy timeout, when another process
// (serve, and "crisisbot feeds" beside it) is opening it at the same
// moment; so a busy switch is tried again, a little later each time,
// for up to walWait.
func (j *Journal) useWAL(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, walWait)
	defer cancel()
	pause := 5 * time.Millisecond
	for {
		var mode string
		err := j.db.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode)
		switch {
		case err == nil && mode == "wal":
			return nil
		case err == nil:
			// SQLite keeps the old mode, and says which, when it cannot
			// take the lock the switch needs.
			err = fmt.Errorf("journal mode stayed %q", mode)
		case !isBusy(err):
			return fmt.Errorf("journal: %s: switch to wal: %w", j.path, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("journal: %s: switch to wal: %w", j.path, err)
		case <-time.After(pause):
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY, of any extended
// kind.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// dsn is the driver's address for the database at path: synchronous
// FULL, so a commit is on disk when it returns; foreign keys, so
// deleting an answer deletes its citations and feedback. WAL is set by
// [Journal.useWAL].
func dsn(path string) string {
	q := url.Values{}
	// The busy timeout comes first, so that every later statement waits
	// for another process's write lock rather than failing.
	for _, p := range []string{"busy_timeout(5000)", "synchronous(FULL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	return (&url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: q.Encode()}).String()
}

// Path is the database's file.
func (j *Journal) Path() string { return j.path }

// Close closes the database.
func (j *Journal) Close() error { return j.db.Close() }

// hashUser is the keyed hash the journal stores instead of a user ID, or
// "" for no user (the terminal).
func (j *Journal) hashUser(id string) string {
	if id == "" {
		return ""
	}
	m := hmac.New(sha256.New, j.key)
	m.Write([]byte(id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// ms is t as the journal stores times: Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// inTx runs f in one transaction, committed when f returns nil.
func (j *Journal) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Prune deletes the rows older than the retention and reports how many
// answers went (their citations and feedback go with them).
func (j *Journal) Prune(ctx context.Context) (int64, error) {
	if j.cfg.Retention < 0 {
		return 0, nil
	}
	now := j.cfg.Now()
	cutoff := ms(now.Add(-j.cfg.Retention))
	var n int64
	err := j.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM answers WHERE at < ?`, cutoff)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `DELETE FROM actions WHERE at < ?`, cutoff)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("journal: prune: %w", err)
	}
	j.mu.Lock()
	j.lastPrune = now
	j.mu.Unlock()
	return n, nil
}

// maybePrune prunes when the last prune is more than [pruneEvery] ago.
func (j *Journal) maybePrune(ctx context.Context) error {
	j.mu.Lock()
	due := j.cfg.Now().Sub(j.lastPrune) >= pruneEvery
	j.mu.Unlock()
	if !due {
		return nil
	}
	_, err := j.Prune(ctx)
	return err
}
