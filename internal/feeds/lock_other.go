//go:build !unix

package feeds

import (
	"errors"
	"io/fs"
	"os"
	"time"
)

// staleLock is how old a lock file must be to be taken for one a crashed
// process left: far longer than a change to the state or a poll holds it.
const staleLock = 10 * time.Minute

// tryLockFile creates the file at path exclusively, or returns errLocked
// when it exists; one older than [staleLock] is removed first, as left by
// a process that crashed holding it. Where flock exists, lock_unix.go is
// used instead.
func tryLockFile(path string) (func(), error) {
	if info, err := os.Stat(path); err == nil && time.Since(info.ModTime()) > staleLock {
		os.Remove(path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, errLocked
	}
	if err != nil {
		return nil, err
	}
	f.Close()
	return func() { os.Remove(path) }, nil
}
