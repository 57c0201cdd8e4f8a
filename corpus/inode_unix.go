//go:build unix

package corpus

import (
	"io/fs"
	"syscall"
)

// inode is the file's inode number, part of what tells [ParseCache] that
// a file is the one it parsed: a file replaced by another of the same size
// and time (a rename over it) has a new inode.
func inode(st fs.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Ino)
	}
	return 0
}
