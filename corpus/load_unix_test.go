//go:build unix

package corpus_test

import (
	"context"
	"errors"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestLoadNamedPipe(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ok.md": "Text."})
	// Opening a named pipe for reading blocks until a writer comes: Load
	// must refuse it without opening it.
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	symlink(t, "pipe.md", filepath.Join(dir, "pipe-link.md"))
	res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := errorsByPath(res)
	for _, p := range []string{"pipe.md", "pipe-link.md"} {
		if !errors.Is(errs[p], corpus.ErrNotRegular) {
			t.Errorf("%s: error %v, want ErrNotRegular", p, errs[p])
		}
	}
}
