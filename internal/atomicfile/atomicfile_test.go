package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteTemp(t *testing.T) {
	dir := t.TempDir()
	p, err := WriteTemp(dir, "x-*.tmp", 0o640, strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p) != dir || !strings.HasPrefix(filepath.Base(p), "x-") {
		t.Errorf("temporary file %s, want one named x-… in %s", p, dir)
	}
	data, err := os.ReadFile(p)
	if err != nil || string(data) != "hello" {
		t.Errorf("file holds %q (%v), want hello", data, err)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v (%v), want 0640", fi.Mode().Perm(), err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestWriteTempLeavesNothingOnError(t *testing.T) {
	dir := t.TempDir()
	_, err := WriteTemp(dir, "x-*.tmp", 0o644, io.MultiReader(strings.NewReader("half"), failingReader{}))
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("error %v, want the reader's", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d files behind", len(entries))
	}
	if _, err := WriteTemp(filepath.Join(dir, "missing"), "x-*.tmp", 0o644, strings.NewReader("x")); err == nil {
		t.Error("WriteTemp into a missing directory: no error")
	}
}

func TestSyncDir(t *testing.T) {
	if err := SyncDir(t.TempDir()); err != nil {
		t.Errorf("SyncDir: %v", err)
	}
	if err := SyncDir(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("SyncDir of a missing directory: no error")
	}
}
