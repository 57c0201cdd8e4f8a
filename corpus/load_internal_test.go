package corpus

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// unreadableRoot is a file system whose root cannot be listed, as a
// directory without read permission; root, which tests run as in CI, can
// list any directory, so a real one would not fail.
type unreadableRoot struct{ fstest.MapFS }

func (unreadableRoot) ReadDir(name string) ([]fs.DirEntry, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
}

// TestLoadErrorsNameTheDirectory: "open .: permission denied" said nothing
// of which directory; a corpus that cannot be read is named, as given.
func TestLoadErrorsNameTheDirectory(t *testing.T) {
	_, err := load(context.Background(), unreadableRoot{}, Options{}, "articles/may")
	if !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("load = %v, want a permission error", err)
	}
	if want := "load corpus articles/may: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start %q", err, want)
	}
}
