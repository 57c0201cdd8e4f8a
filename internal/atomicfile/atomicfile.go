// Package atomicfile writes files so that a crash or a full disk never
// leaves half of one where a reader can see it: the data goes to a synced
// temporary file beside the target, which the caller then renames into
// place, and the directory is synced so the rename survives a power cut.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// WriteTemp copies r into a new temporary file in dir, named after pattern
// as [os.CreateTemp] names it, with permissions perm, and syncs and closes
// it. It returns the file's path; the caller renames it into place (or
// removes it). On error nothing is left behind.
func WriteTemp(dir, pattern string, perm fs.FileMode, r io.Reader) (path string, err error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := io.Copy(f, r); err != nil {
		return "", fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if err := f.Chmod(perm); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", fmt.Errorf("sync %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return f.Name(), nil
}

// SyncDir flushes a directory's entries to disk, so a rename in it survives
// a crash. File systems that cannot sync a directory are not an error.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
