//go:build !unix

package retrieval

import "os"

// readSnapshot reads the snapshot file f, size bytes, into memory where
// files cannot be mapped; the index keeps the vectors and texts where they
// lie in the bytes read.
func readSnapshot(f *os.File, size int64) ([]byte, func(), error) {
	return readWhole(f, size)
}
