// Package feeds follows news outlets' RSS and Atom feeds: it keeps the list
// of feeds and what each has already given, polls them with conditional
// GETs, fetches each new item's page through the SSRF-safe fetcher, and
// saves it to the corpus as /add would, re-indexing once per poll that
// found something.
//
// The state lives in one JSON file in the data directory, rewritten
// atomically after every change. An embedded database is planned by
// another issue and does not exist yet; the file is small (a feed keeps
// the hashes of at most [MaxSeen] items), so rewriting it whole is cheap.
package feeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/crisisbot/crisisbot/internal/atomicfile"
)

// StateFile is the name of the state file in the data directory.
const StateFile = "feeds.json"

// MaxSeen is how many item hashes a feed remembers: far more than any
// feed lists at once, so an item that stays in a feed is never taken
// twice, and few enough that the state file stays small.
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
