//go:build unix

package retrieval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadSnapshotRefusesSpecialFiles: a named pipe in the snapshot's place
// must not block loading, and a link to /dev/zero must not be read without
// end; each is refused with an error that says what is wrong.
func TestLoadSnapshotRefusesSpecialFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		make func(path string) error
	}{
		{"named pipe", func(path string) error { return syscall.Mkfifo(path, 0o600) }},
		{"link to /dev/zero", func(path string) error { return os.Symlink("/dev/zero", path) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tt.make(filepath.Join(dir, snapshotName)); err != nil {
				t.Skipf("cannot make it here: %v", err)
			}
			done := make(chan error, 1)
			go func() {
				_, err := loadSnapshot(context.Background(), dir, HashEmbedder(8))
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "not a regular file") {
					t.Errorf("err %v, want it refused as not a regular file", err)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("loading did not return")
			}
		})
	}
}

// TestLoadSnapshotChecksSizes: a header that claims more than the file
// holds is refused before anything that large is allocated.
func TestLoadSnapshotChecksSizes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// The magic, then a metadata length of 1 GiB in a 30-byte file.
	data := append([]byte(snapshotMagic), 0, 0, 0, 0x40, 0, 0, 0, 0)
	if err := os.WriteFile(filepath.Join(dir, snapshotName), data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSnapshot(context.Background(), dir, HashEmbedder(8)); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("err %v, want the claimed length refused", err)
	}
}
