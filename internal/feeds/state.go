// Package feeds follows news outlets' RSS and Atom feeds: it keeps the list
// of feeds and what each has already given, polls them with conditional
// GETs, fetches each new item's page through the SSRF-safe fetcher, and
// saves it to the corpus as /add would, re-indexing once per poll that
// found something.
//
// The state lives behind a [StateStore]: serve and the CLI keep it in the
// journal's SQLite database ([NewDBState]), where each change to a feed
// is one transaction on its own rows, so processes sharing the data
// directory never lose each other's changes. The JSON file an earlier
// crisisbot kept, [StateFile], is imported into the database once
// ([OpenState]), and is what the feeds fall back to when the database
// cannot be opened ([NewFileState]).
package feeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/crisisbot/crisisbot/internal/atomicfile"
)

// StateFile is the name of the state file in the data directory.
const StateFile = "feeds.json"

// MaxSeen is how many item hashes a feed remembers: far more than any
// feed lists at once, so an item that stays in a feed is never taken
// twice, and few enough that the state stays small.
const MaxSeen = 2000

// Feed is one followed feed and what polling it has found so far.
type Feed struct {
	// ID is a short hash of URL, for removing a feed without typing it.
	ID    string `json:"id"`
	URL   string `json:"url"`
	Label string `json:"label,omitempty"`
	// Title is the feed's own title, from its last successful poll.
	Title   string    `json:"title,omitempty"`
	AddedAt time.Time `json:"added_at"`
	// Interval overrides the poller's interval for this feed; zero means
	// the poller's.
	Interval time.Duration `json:"interval,omitempty"`

	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	// FailingSince is when the current run of failures began.
	FailingSince time.Time `json:"failing_since,omitzero"`
	Failures     int       `json:"failures,omitempty"`
	NextPoll     time.Time `json:"next_poll,omitzero"`
	// LastAttempt is when the feed was last fetched, successfully or not.
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// Seen holds hashes of the GUIDs and links of items already taken,
	// oldest first.
	Seen []string `json:"seen,omitempty"`
}

// Source is what articles from f name as their outlet: its label, or
// else its title, or else its URL.
func (f Feed) Source() string {
	switch {
	case f.Label != "":
		return f.Label
	case f.Title != "":
		return f.Title
	}
	return f.URL
}

// StateStore keeps the followed feeds and what polling each has found.
// Each method is one atomic change, safe against other processes on the
// same data directory; check and match run inside it and must not call
// the store.
type StateStore interface {
	// Load returns the followed feeds, in the order they were added.
	Load(ctx context.Context) ([]Feed, error)
	// Add follows f unless check, given the feeds followed at that moment
	// (their Seen may be empty), returns an error, which Add returns.
	Add(ctx context.Context, f Feed, check func(followed []Feed) error) error
	// Remove stops following the first feed match picks and returns it,
	// or false when it picks none.
	Remove(ctx context.Context, match func(Feed) bool) (Feed, bool, error)
	// Save writes f's polling state — validators, times, errors,
	// backoff, title, seen items — over the stored feed of its ID, whose
	// URL, label and interval stay as they are; nothing, without error,
	// when that feed was removed meanwhile.
	Save(ctx context.Context, f Feed) error
}

// state is the state file's content.
type state struct {
	Version int     `json:"version"`
	Feeds   []*Feed `json:"feeds"`
}

// feedID is the ID of the feed at url.
func feedID(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:4])
}

// FileState is a [StateStore] in one JSON file, rewritten whole and
// atomically by each change under a lock across processes (see lock.go):
// the state an earlier crisisbot kept, and the fallback when the
// database cannot be opened.
type FileState struct {
	path string
	// seed is read when path does not exist: the file an import renamed,
	// so a fallback after the import starts from the feeds it knew.
	seed string
	lock string
	mu   sync.Mutex // the lock within this process
}

var _ StateStore = (*FileState)(nil)

// NewFileState returns the [FileState] at dataDir/[StateFile].
func NewFileState(dataDir string) *FileState {
	path := filepath.Join(dataDir, StateFile)
	return &FileState{path: path, seed: path + importedSuffix, lock: filepath.Join(dataDir, stateLockName)}
}

// Path is the state file.
func (s *FileState) Path() string { return s.path }

// Load implements [StateStore].
func (s *FileState) Load(ctx context.Context) ([]Feed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.read()
	if err != nil {
		return nil, err
	}
	out := make([]Feed, len(st.Feeds))
	for i, f := range st.Feeds {
		out[i] = *f
	}
	return out, nil
}

// Add implements [StateStore].
func (s *FileState) Add(ctx context.Context, f Feed, check func([]Feed) error) error {
	return s.change(ctx, func(st *state) (bool, error) {
		if check != nil {
			followed := make([]Feed, len(st.Feeds))
			for i, g := range st.Feeds {
				followed[i] = *g
			}
			if err := check(followed); err != nil {
				return false, err
			}
		}
		st.Feeds = append(st.Feeds, &f)
		return true, nil
	})
}

// Remove implements [StateStore].
func (s *FileState) Remove(ctx context.Context, match func(Feed) bool) (Feed, bool, error) {
	var gone Feed
	var found bool
	err := s.change(ctx, func(st *state) (bool, error) {
		i := slices.IndexFunc(st.Feeds, func(f *Feed) bool { return match(*f) })
		if i < 0 {
			return false, nil
		}
		gone, found = *st.Feeds[i], true
		st.Feeds = slices.Delete(st.Feeds, i, i+1)
		return true, nil
	})
	return gone, found, err
}

// Save implements [StateStore].
func (s *FileState) Save(ctx context.Context, f Feed) error {
	return s.change(ctx, func(st *state) (bool, error) {
		for i, g := range st.Feeds {
			if g.ID == f.ID {
				f.URL, f.Label, f.Interval, f.AddedAt = g.URL, g.Label, g.Interval, g.AddedAt // edits made meanwhile win
				st.Feeds[i] = &f
				return true, nil
			}
		}
		return false, nil
	})
}

// change reads the file, lets edit change it and, when edit says so,
// writes it back, all under the lock.
func (s *FileState) change(ctx context.Context, edit func(*state) (bool, error)) error {
	unlock, err := s.lockState(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := s.read()
	if err != nil {
		return err
	}
	changed, err := edit(st)
	if err != nil || !changed {
		return err
	}
	return st.save(s.path)
}

// read loads the file, or the seed when there is none.
func (s *FileState) read() (*state, error) {
	st, err := loadState(s.path)
	if err == nil && len(st.Feeds) == 0 && s.seed != "" {
		if _, serr := os.Stat(s.path); errors.Is(serr, fs.ErrNotExist) {
			return loadState(s.seed)
		}
	}
	return st, err
}

// loadState reads the state file at path; a missing file is an empty
// state.
func loadState(path string) (*state, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &state{Version: 1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load feeds: %w", err)
	}
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("load feeds: %s: %w", path, err)
	}
	if st.Version != 1 {
		return nil, fmt.Errorf("load feeds: %s: unknown version %d", path, st.Version)
	}
	return &st, nil
}

// save writes st to path through a synced temporary file renamed into
// place, so a crash leaves the old state or the new, never half of one.
func (st *state) save(path string) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("save feeds: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save feeds: %w", err)
	}
	tmp, err := atomicfile.WriteTemp(dir, ".feeds-*.tmp", 0o644, bytes.NewReader(append(data, '\n')))
	if err != nil {
		return fmt.Errorf("save feeds: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save feeds: %w", err)
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		return fmt.Errorf("save feeds: %w", err)
	}
	return nil
}

// hasSeen reports whether f has taken an item with hash h.
func (f *Feed) hasSeen(h string) bool {
	for _, s := range f.Seen {
		if s == h {
			return true
		}
	}
	return false
}

// see remembers hashes hs, forgetting the oldest past [MaxSeen].
func (f *Feed) see(hs ...string) {
	for _, h := range hs {
		if h != "" && !f.hasSeen(h) {
			f.Seen = append(f.Seen, h)
		}
	}
	if over := len(f.Seen) - MaxSeen; over > 0 {
		f.Seen = append([]string(nil), f.Seen[over:]...)
	}
}
