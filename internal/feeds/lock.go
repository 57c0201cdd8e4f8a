package feeds

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// The state file ([FileState]) is shared by every crisisbot process on the
// data directory — a running serve and a "crisisbot feeds poll" beside it
// — and each change to it reads, changes and rewrites it whole, so each is
// done under a lock that holds across processes: [tryLockFile] on a lock
// file beside the state (not the state file itself, which each save
// replaces by a rename). The database needs no such lock: its
// transactions are the lock. A poll, whatever the store, holds a second
// lock for its whole length, so that two processes never poll at once and
// take the same items twice.
const (
	stateLockName = StateFile + ".lock"
	pollLockName  = "feeds-poll.lock"
	// lockRetry is how often a held lock is tried again.
	lockRetry = 20 * time.Millisecond
)

// errLocked is returned when a lock is still held when ctx ends.
var errLocked = errors.New("held by another crisisbot process")

// lock takes the lock file at path, waiting for another process to let it
// go until ctx ends, and returns the function that lets it go.
func lock(ctx context.Context, path string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	for {
		unlock, err := tryLockFile(path)
		if err == nil {
			return unlock, nil
		}
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("lock %s: %w (%w)", path, errLocked, ctx.Err())
		case <-time.After(lockRetry):
		}
	}
}

// stateLockWait bounds how long a change to the state waits for another
// process's: each holds the lock for one read and one write of a small
// file.
const stateLockWait = 30 * time.Second

// lockState takes the lock on the state file, in this process and across
// processes, and returns the function that lets both go.
func (s *FileState) lockState(ctx context.Context) (func(), error) {
	s.mu.Lock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stateLockWait)
	defer cancel()
	unlock, err := lock(ctx, s.lock)
	if err != nil {
		s.mu.Unlock()
		return nil, fmt.Errorf("feeds state: %w", err)
	}
	return func() { unlock(); s.mu.Unlock() }, nil
}
