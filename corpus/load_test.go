package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

// spyFS wraps a file system: Open fails with fs.ErrNotExist for the names in
// vanished, as if the file were deleted after the directory was listed, and
// every Read is recorded, so a test can tell which files were read.
type spyFS struct {
	fs.FS
	vanished map[string]bool

	mu   sync.Mutex
	read map[string]bool
}

var (
	_ fs.ReadDirFS = (*spyFS)(nil)
	_ fs.StatFS    = (*spyFS)(nil)
)

func (s *spyFS) Open(name string) (fs.File, error) {
	if s.vanished[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	f, err := s.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &spyFile{File: f, read: func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.read == nil {
			s.read = map[string]bool{}
		}
		s.read[name] = true
	}}, nil
}

func (s *spyFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(s.FS, name) }

func (s *spyFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(s.FS, name) }

// wasRead reports whether any byte of name was read.
func (s *spyFS) wasRead(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.read[name]
}

// spyFile reports every Read.
type spyFile struct {
	fs.File
	read func()
}

func (f *spyFile) Read(p []byte) (int, error) {
	f.read()
	return f.File.Read(p)
}

// errorsByPath indexes a Result's errors by path.
func errorsByPath(res *corpus.Result) map[string]error {
	m := map[string]error{}
	for _, e := range res.Errors {
		m[e.Path] = e.Err
	}
	return m
}

// articleIDs returns the IDs of a Result's articles, in order.
func articleIDs(res *corpus.Result) []string {
	var ids []string
	for _, a := range res.Articles {
		ids = append(ids, a.ID)
	}
	return ids
}

func TestLoadHostileFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"good.md":             "---\ntitle: Good\npublished: 2025-05-10\n---\nA good article.\n",
		"nested/deeper/b.txt": "Plain text.\n",
		"page.html":           "<title>Page</title><p>HTML text.</p>",
		"Upper.MD":            "Upper-case extension.",
		"a.md":                "First by path keeps the ID.",
		"a.txt":               "Same ID as a.md.",
		".hidden.md":          "Hidden file.",
		".git/config.md":      "Hidden directory.",
		"notes.pdf":           "%PDF-1.4 ignored",
		"image.png":           "\x89PNG\x00ignored",
		"binary.txt":          "looks like text\x00\x01\x02",
		"latin1.md":           "caf\xe9",
		"empty.md":            "",
		"blank.txt":           "\n \n\t\n",
		"badfm.md":            "---\ntitle: x\npublished: someday\n---\nBody.\n",
		"unclosed.md":         "---\ntitle: x\n\nBody.\n",
		"gone.md":             "Listed, then deleted before it is read.",
	})
	// A 200 MB file, sparse so the test does not write 200 MB.
	f, err := os.Create(filepath.Join(dir, "huge.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(200 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	// Symbolic links: to the root (a loop), to itself, to a file, dangling.
	symlink(t, "..", filepath.Join(dir, "nested", "loop"))
	symlink(t, "self.md", filepath.Join(dir, "self.md"))
	symlink(t, "good.md", filepath.Join(dir, "alias.md"))
	symlink(t, "missing-target", filepath.Join(dir, "dangling"))

	fsys := &spyFS{FS: os.DirFS(dir), vanished: map[string]bool{"gone.md": true}}
	res, err := corpus.Load(context.Background(), fsys, corpus.Options{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}

	wantIDs := []string{"Upper", "a", "alias", "good", "nested/deeper/b", "page"}
	if got := articleIDs(res); !slices.Equal(got, wantIDs) {
		t.Errorf("article IDs = %q, want %q", got, wantIDs)
	}

	errs := errorsByPath(res)
	tests := []struct {
		path    string
		wantIs  error // nil: any error
		wantMsg []string
	}{
		{"a.txt", corpus.ErrDuplicateID, []string{`"a"`, "a.md already has it"}},
		{"binary.txt", corpus.ErrBinary, []string{"NUL byte at offset 15"}},
		{"latin1.md", corpus.ErrEncoding, []string{"byte offset 3"}},
		{"empty.md", corpus.ErrNoText, nil},
		{"blank.txt", corpus.ErrNoText, nil},
		{"badfm.md", corpus.ErrFrontMatter, []string{"line 3", "published", "someday"}},
		{"unclosed.md", corpus.ErrFrontMatter, []string{"no closing ---"}},
		{"gone.md", fs.ErrNotExist, []string{"vanished"}},
		{"huge.txt", corpus.ErrTooLarge, []string{"200.0 MiB", "10.0 MiB"}},
		{"nested/loop", corpus.ErrSymlinkLoop, []string{"corpus root"}},
		{"self.md", nil, []string{"symlink"}},
	}
	for _, tt := range tests {
		err, ok := errs[tt.path]
		if !ok {
			t.Errorf("no error for %s", tt.path)
			continue
		}
		if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
			t.Errorf("%s: error %v, want errors.Is %v", tt.path, err, tt.wantIs)
		}
		for _, m := range tt.wantMsg {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("%s: error %q, want it to contain %q", tt.path, err, m)
			}
		}
		delete(errs, tt.path)
	}
	for p, err := range errs {
		t.Errorf("unexpected error for %s: %v", p, err)
	}
	if fsys.wasRead("huge.txt") {
		t.Error("the over-size file was read; it should be refused on its size alone")
	}
	if !slices.IsSortedFunc(res.Errors, func(a, b corpus.FileError) int { return strings.Compare(a.Path, b.Path) }) {
		t.Error("Errors are not sorted by path")
	}
	if e := res.Errors[0]; !strings.HasPrefix(e.Error(), e.Path+": ") {
		t.Errorf("FileError.Error() = %q, want it to start with the path", e.Error())
	}
}

// symlink makes a symbolic link or skips the test where that is not allowed.
func symlink(tb testing.TB, target, link string) {
	tb.Helper()
	if err := os.Symlink(target, link); err != nil {
		tb.Skipf("cannot make symlinks here: %v", err)
	}
}

func TestLoadSymlinkedDirectories(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"shared.md": "Shared text."})
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"b/x.md": "X text.", "d/y.md": "Y text."})
	symlink(t, "d", filepath.Join(dir, "a-first-way-to-d"))
	symlink(t, outside, filepath.Join(dir, "a-outside"))
	symlink(t, "b", filepath.Join(dir, "c-same-as-b"))
	symlink(t, "..", filepath.Join(dir, "b", "up"))

	res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := articleIDs(res), []string{"a-first-way-to-d/y", "b/x"}; !slices.Equal(got, want) {
		t.Errorf("article IDs = %q, want %q", got, want)
	}
	errs := errorsByPath(res)
	if err := errs["a-outside"]; !errors.Is(err, corpus.ErrOutsideCorpus) {
		t.Errorf("a-outside: error %v, want ErrOutsideCorpus", err)
	}
	if err := errs["c-same-as-b"]; err == nil || !strings.Contains(err.Error(), "same directory as b") {
		t.Errorf("c-same-as-b: error %v, want one naming b", err)
	}
	if err := errs["d"]; err == nil || !strings.Contains(err.Error(), "same directory as a-first-way-to-d") {
		t.Errorf("d: error %v, want one naming a-first-way-to-d", err)
	}
	if err := errs["b/up"]; !errors.Is(err, corpus.ErrSymlinkLoop) {
		t.Errorf("b/up: error %v, want ErrSymlinkLoop", err)
	}
}

// TestLoadDirRefusesLinksOutOfTheCorpus: a symbolic link that leads out of
// the corpus directory — to a file or a directory, absolute or relative,
// directly or through another link — is a per-file error naming the link,
// and nothing behind it is loaded: a link to a secrets file must not make
// the secret answerable.
func TestLoadDirRefusesLinksOutOfTheCorpus(t *testing.T) {
	outside := t.TempDir()
	writeFiles(t, outside, map[string]string{"secrets.md": "DISCORD_TOKEN=abc.def", "dir/more.md": "DISCORD_TOKEN=abc.def again"})
	parent := t.TempDir()
	dir := filepath.Join(parent, "corpus")
	writeFiles(t, dir, map[string]string{"ok.md": "A story.", "sub/inner.md": "Inner story."})
	symlink(t, filepath.Join(outside, "secrets.md"), filepath.Join(dir, "absolute.md"))
	rel, err := filepath.Rel(dir, filepath.Join(outside, "secrets.md"))
	if err != nil {
		t.Fatal(err)
	}
	symlink(t, rel, filepath.Join(dir, "relative.md"))
	symlink(t, filepath.Join(outside, "dir"), filepath.Join(dir, "linked-dir"))
	symlink(t, "absolute.md", filepath.Join(dir, "chained.md")) // a link inside, to a link out
	symlink(t, "../ok.md", filepath.Join(dir, "sub", "up.md"))  // inside: loads
	symlink(t, filepath.Join(dir, "ok.md"), filepath.Join(dir, "abs-inside.md"))

	res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := articleIDs(res), []string{"ok", "sub/inner", "sub/up"}; !slices.Equal(got, want) {
		t.Errorf("article IDs = %q, want %q", got, want)
	}
	for _, a := range res.Articles {
		if strings.Contains(a.Text, "abc.def") {
			t.Errorf("%s holds the secret: %q", a.ID, a.Text)
		}
	}
	errs := errorsByPath(res)
	for _, p := range []string{"absolute.md", "relative.md", "linked-dir", "chained.md", "abs-inside.md"} {
		err := errs[p]
		if err == nil {
			t.Errorf("%s: no error", p)
			continue
		}
		if !errors.Is(err, corpus.ErrOutsideCorpus) {
			t.Errorf("%s: error %v, want ErrOutsideCorpus", p, err)
		}
		if strings.Contains(err.Error(), outside) {
			t.Errorf("%s: error %q names the file outside the corpus", p, err)
		}
	}
}

func TestLoadMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"small.md": "Small.", "big.md": strings.Repeat("Big. ", 100)})
	res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{MaxFileSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := articleIDs(res); !slices.Equal(got, []string{"small"}) {
		t.Errorf("article IDs = %q, want [small]", got)
	}
	err = errorsByPath(res)["big.md"]
	if !errors.Is(err, corpus.ErrTooLarge) || !strings.Contains(err.Error(), "500 bytes, over the 100 bytes limit") {
		t.Errorf("big.md: error %v, want ErrTooLarge naming 500 and 100 bytes", err)
	}
}

func TestLoadEmpty(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		wantMsg string
		wantN   int // FileErrors in the Result
	}{
		{"no files", map[string]string{"readme.rst": "x"}, "no .md, .markdown, .txt, .html or .htm files found", 0},
		{"all fail", map[string]string{"a.md": "", "b.txt": "\x00"}, "2 files failed to load, the first a.md: no text", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
			if !errors.Is(err, corpus.ErrEmpty) {
				t.Fatalf("LoadDir error = %v, want errors.Is ErrEmpty", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("LoadDir error = %q, want it to contain %q", err, tt.wantMsg)
			}
			if res == nil || len(res.Errors) != tt.wantN {
				t.Errorf("Result = %+v, want one with %d errors", res, tt.wantN)
			}
		})
	}
}

func TestLoadDirErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"file.md": "Text."})
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dir     string
		wantIs  error
		wantMsg string
	}{
		{"missing", filepath.Join(dir, "nope"), fs.ErrNotExist, "nope"},
		{"a file", filepath.Join(dir, "file.md"), nil, "not a directory"},
		// Every error names the directory, as given.
		{"empty", empty, corpus.ErrEmpty, "load corpus " + empty + ": no articles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corpus.LoadDir(context.Background(), tt.dir, corpus.Options{})
			if err == nil || (res != nil && !errors.Is(err, corpus.ErrEmpty)) {
				t.Fatalf("LoadDir = %v, %v; want nil and an error", res, err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("LoadDir error = %v, want errors.Is %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("LoadDir error = %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}

// TestLoadDirUnreadable: a corpus directory that cannot be listed is named
// in the error. Root lists any directory, so this runs only as another
// user; TestLoadErrorsNameTheDirectory covers the same with a fake.
func TestLoadDirUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can list a directory without read permission")
	}
	dir := filepath.Join(t.TempDir(), "locked")
	writeFiles(t, dir, map[string]string{"a.md": "Text."})
	if err := os.Chmod(dir, 0o311); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	_, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), dir) {
		t.Errorf("LoadDir = %v, want a permission error naming %s", err, dir)
	}
}

func TestLoadCancelled(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("d%d/a%d.md", i%5, i)] = "Text."
	}
	writeFiles(t, dir, files)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := corpus.LoadDir(ctx, dir, corpus.Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("LoadDir with a cancelled context: error %v, want context.Canceled", err)
	}
}

// TestLoadQuotesControlCharacterNames: a file name holding an escape
// sequence or a control character is quoted wherever an error names it,
// so it cannot rewrite a terminal or a message.
func TestLoadQuotesControlCharacterNames(t *testing.T) {
	dir := t.TempDir()
	evil := "red\x1b[31m\rnotes.md"
	writeFiles(t, dir, map[string]string{
		evil:          "---\ntitle: [unclosed\n---\nText.",
		"ok.md":       "Fine text.",
		"dup\x07.md":  "First.",
		"dup\x07.txt": "Second, same ID.",
		"plain é.md":  "---\ntitle: [unclosed\n---\nText.",
	})
	res, err := corpus.LoadDir(context.Background(), dir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, fe := range res.Errors {
		msgs = append(msgs, fe.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, raw := range []string{"\x1b", "\r", "\x07"} {
		if strings.Contains(all, raw) {
			t.Errorf("errors hold %q raw:\n%q", raw, all)
		}
	}
	for _, want := range []string{strconv.Quote(evil) + ": bad front matter", strconv.Quote("dup\x07.txt") + ": duplicate article id", strconv.Quote("dup\x07.md") + " already has it", "plain é.md: bad front matter"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors lack %q:\n%s", want, all)
		}
	}
	if got := corpus.QuotePath("2025/05/strikes.md"); got != "2025/05/strikes.md" {
		t.Errorf("QuotePath of a plain path = %q", got)
	}
}
