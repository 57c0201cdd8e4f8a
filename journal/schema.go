package journal

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/crisisbot/crisisbot/internal/atomicfile"
)

// migrations take the schema from version i to i+1 (PRAGMA user_version).
// Append only: a released migration is never edited, since databases in
// the field have already run it.
var migrations = []string{
	// 1: questions and answers, their citations, feedback, actions.
	`CREATE TABLE answers (
		id INTEGER PRIMARY KEY,
		at INTEGER NOT NULL,             -- Unix ms, when answered
		via TEXT NOT NULL,               -- "ask", "mention", "terminal"
		user_hash TEXT NOT NULL,         -- keyed hash of the asker, "" for none
		question TEXT NOT NULL,
		answer TEXT NOT NULL,
		mode TEXT NOT NULL,              -- "extractive" or "llm"
		refused INTEGER NOT NULL,
		reason TEXT NOT NULL,            -- why it was refused, if it was
		latency_ms INTEGER NOT NULL,
		nearest TEXT NOT NULL,           -- article ranked first by the retrieval
		nearest_title TEXT NOT NULL
	);
	CREATE INDEX answers_at ON answers(at);
	CREATE TABLE citations (
		answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
		n INTEGER NOT NULL,
		article TEXT NOT NULL,
		passage TEXT NOT NULL,
		title TEXT NOT NULL,
		PRIMARY KEY (answer_id, n)
	);
	CREATE INDEX citations_article ON citations(article);
	CREATE TABLE feedback (
		answer_id INTEGER NOT NULL REFERENCES answers(id) ON DELETE CASCADE,
		user_hash TEXT NOT NULL,
		vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
		at INTEGER NOT NULL,
		PRIMARY KEY (answer_id, user_hash)
	);
	CREATE TABLE actions (
		id INTEGER PRIMARY KEY,
		at INTEGER NOT NULL,
		user_hash TEXT NOT NULL,
		kind TEXT NOT NULL,              -- "add", "remove", "restore", "reload", ...
		target TEXT NOT NULL,
		detail TEXT NOT NULL
	);
	CREATE INDEX actions_at ON actions(at);`,
	// 2: the followed news feeds, their polling state and the items each
	// has given (see feeds.go). Times are Unix ms, 0 for never.
	`CREATE TABLE feeds (
		n INTEGER PRIMARY KEY,           -- the order feeds were added in
		id TEXT NOT NULL UNIQUE,         -- short hash of url
		url TEXT NOT NULL UNIQUE,
		label TEXT NOT NULL,
		title TEXT NOT NULL,             -- the feed's own, from its last good poll
		added_at INTEGER NOT NULL,
		interval_ms INTEGER NOT NULL,    -- 0: the poller's
		etag TEXT NOT NULL,
		last_modified TEXT NOT NULL,
		last_attempt INTEGER NOT NULL,
		last_success INTEGER NOT NULL,
		last_error TEXT NOT NULL,
		failing_since INTEGER NOT NULL,
		failures INTEGER NOT NULL,       -- in a row: the backoff's exponent
		next_poll INTEGER NOT NULL
	);
	CREATE TABLE feed_items (
		n INTEGER PRIMARY KEY,           -- oldest first
		feed_id TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
		hash TEXT NOT NULL,              -- of an item's GUID or link
		first_seen INTEGER NOT NULL,
		UNIQUE (feed_id, hash)
	);`,
}

// migrate brings the database to the newest schema, len(migrations), in
// one transaction, so a crash mid-migration leaves the old schema. The
// transaction takes the write lock before it reads the version: two
// processes opening a new database at once (serve, and "crisisbot feeds"
// beside it) then migrate one after the other, instead of the second
// failing busy after reading the version the first was changing.
func (j *Journal) migrate(ctx context.Context) error {
	return j.inWriteTx(ctx, "migrate", func(tx dbtx) error {
		var v int
		if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
			return err
		}
		if v > len(migrations) {
			return fmt.Errorf("%w (schema version %d, this one knows %d)", ErrNewerSchema, v, len(migrations))
		}
		for ; v < len(migrations); v++ {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return fmt.Errorf("to version %d: %w", v+1, err)
			}
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v))
		return err
	})
}

// inTxWrap is inTx with the error prefixed "journal: what:".
func (j *Journal) inTxWrap(ctx context.Context, what string, f func(tx *sql.Tx) error) error {
	if err := j.inTx(ctx, f); err != nil {
		if errors.Is(err, ErrNewerSchema) || errors.Is(err, ErrUnknownAnswer) {
			return err
		}
		return fmt.Errorf("journal: %s: %w", what, err)
	}
	return nil
}

// keyBytes is the length of the hashing key.
const keyBytes = 32

// loadKey reads the key that user IDs are hashed with, or makes one. It is
// made once and kept: a new key would make every earlier hash a stranger,
// and "one vote per user per answer" would let a restart vote twice. The
// file is readable by its owner only; a looser one is tightened.
func loadKey(path string) ([]byte, error) {
	for range 2 {
		key, err := readKey(path)
		if !errors.Is(err, fs.ErrNotExist) {
			return key, err
		}
		var b [keyBytes]byte
		rand.Read(b[:])
		tmp, err := atomicfile.WriteTemp(filepath.Dir(path), ".key-*", 0o600, strings.NewReader(hex.EncodeToString(b[:])+"\n"))
		if err != nil {
			return nil, fmt.Errorf("journal: key: %w", err)
		}
		// A link, unlike a rename, fails when another process made the
		// key first: then the loop reads theirs.
		err = os.Link(tmp, path)
		os.Remove(tmp)
		if err == nil {
			if err := atomicfile.SyncDir(filepath.Dir(path)); err != nil {
				return nil, fmt.Errorf("journal: key: %w", err)
			}
			return b[:], nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("journal: key: %w", err)
		}
	}
	return nil, fmt.Errorf("journal: key %s: could not be created", path)
}

func readKey(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("journal: key %s: not a regular file", path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("journal: key %s: readable by others and cannot be made private: %w", path, err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != keyBytes {
		return nil, fmt.Errorf("journal: key %s: not %d hex-encoded bytes; move it away to make a new one (earlier users' hashes will no longer match)", path, keyBytes)
	}
	return key, nil
}
