//go:build !unix

package corpus

import "io/fs"

// inode is 0 where the file system gives no inode number: size and
// modification time alone tell [ParseCache] that a file is unchanged.
func inode(fs.FileInfo) uint64 { return 0 }
