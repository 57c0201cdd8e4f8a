//go:build unix

package retrieval

import (
	"errors"
	"math"
	"os"
	"syscall"
)

// readSnapshot maps the snapshot file f, size bytes, read-only into
// memory, and returns its bytes and the function that unmaps them, for a
// snapshot that did not decode. A snapshot that did is never unmapped: its
// vectors and texts are the index's, shared with every index reloads
// derive from it, for the life of the process. The mapping holds the file
// even after a new snapshot is renamed over it, so a process pins the disk
// space of the snapshot it started from until it exits, and nothing
// crisisbot does changes a snapshot file once written: each is written to
// a new file and renamed.
//
// Mapping rather than reading saves a start copying the vectors and
// faulting in fresh memory for them, most of its system time.
func readSnapshot(f *os.File, size int64) ([]byte, func(), error) {
	if size == 0 {
		return nil, func() {}, nil
	}
	if size > math.MaxInt {
		return nil, nil, errors.New("snapshot too large to map")
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return readWhole(f, size)
	}
	return data, func() { syscall.Munmap(data) }, nil
}
