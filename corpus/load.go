package corpus

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crisisbot/crisisbot/internal/usererr"
)

// DefaultMaxFileSize is the largest file [Load] reads when
// [Options.MaxFileSize] is zero: 10 MiB.
const DefaultMaxFileSize = 10 << 20

// maxSymlinkDirs bounds how many symbolic links to directories one path may
// pass through, for file systems where [os.SameFile] cannot spot a loop.
const maxSymlinkDirs = 32

// Options configures [Load].
type Options struct {
	// MaxFileSize is the size in bytes above which a file is refused without
	// being read; zero or less means [DefaultMaxFileSize].
	MaxFileSize int64
	// Cache, when set, skips parsing files unchanged since the last Load
	// with the same cache (see [ParseCache]).
	Cache *ParseCache
}

// Result is a loaded corpus.
type Result struct {
	// Articles holds every article that loaded, sorted by ID.
	Articles []Article
	// Errors holds a [FileError] for every file or directory that could not
	// be loaded, sorted by path.
	Errors []FileError
	// Sources are the origin labels of [SourcesFile], already applied to
	// Articles; empty when there is no such file or it is malformed (then
	// Errors says why).
	Sources Sources
}

// Load reads every article under the root of fsys: files ending in .md,
// .markdown, .txt, .html or .htm, in all subdirectories, following symbolic
// links that stay inside the root. Other files are ignored, as are files
// and directories whose name starts with ".". A file that cannot be read or
// parsed — too large, binary, not UTF-8, empty, with bad front matter, or
// with the ID of a file earlier by path — is reported in [Result.Errors]
// and the rest still loads.
//
// A symbolic link that is absolute or climbs out of the root is reported
// with [ErrOutsideCorpus] and not followed, when fsys can read links
// ([fs.ReadLinkFS]); beyond that, confinement is fsys's: [LoadDir] opens
// its directory as an [os.Root], which refuses every way out, a chain of
// links included.
//
// Load fails when the root cannot be read, when ctx is cancelled, and when no
// article loads at all; in the last case the error wraps [ErrEmpty] and the
// Result, holding the reasons, is returned with it.
func Load(ctx context.Context, fsys fs.FS, opts Options) (*Result, error) {
	return load(ctx, fsys, opts, "")
}

// load is [Load], naming the corpus dir in its errors when dir is not "".
func load(ctx context.Context, fsys fs.FS, opts Options, dir string) (*Result, error) {
	prefix := "load corpus"
	if dir != "" {
		prefix += " " + QuotePath(dir)
	}
	l := &loader{ctx: ctx, fsys: fsys, limit: opts.MaxFileSize, cache: opts.Cache}
	l.cache.begin()
	if l.limit <= 0 {
		l.limit = DefaultMaxFileSize
	}
	if root, err := fs.Stat(fsys, "."); err == nil {
		l.dirs = append(l.dirs, visitedDir{".", root})
	}
	if err := l.walk(".", 0); err != nil {
		l.cache.abort()
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	if err := l.readAll(); err != nil {
		l.cache.abort()
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	l.cache.end()

	res := &Result{Errors: l.errs}
	slices.SortFunc(l.articles, func(a, b Article) int { return strings.Compare(a.Path, b.Path) })
	owner := make(map[string]string, len(l.articles)) // article ID → path of the file that has it
	for _, a := range l.articles {
		if first, ok := owner[a.ID]; ok {
			res.Errors = append(res.Errors, FileError{a.Path, fmt.Errorf("%w %q: %s already has it", ErrDuplicateID, a.ID, QuotePath(first))})
			continue
		}
		owner[a.ID] = a.Path
		res.Articles = append(res.Articles, a)
	}
	slices.SortFunc(res.Articles, func(a, b Article) int { return strings.Compare(a.ID, b.ID) })
	if src, err := ReadSources(fsys); err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			res.Errors = append(res.Errors, *fe)
		}
	} else {
		res.Sources = src
		src.label(res.Articles)
	}
	slices.SortStableFunc(res.Errors, func(a, b FileError) int { return cmp.Compare(a.Path, b.Path) })

	if len(res.Articles) == 0 {
		if len(res.Errors) == 0 {
			return res, fmt.Errorf("%s: %w: no .md, .markdown, .txt, .html or .htm files found", prefix, ErrEmpty)
		}
		return res, fmt.Errorf("%s: %w: %d files failed to load, the first %v", prefix, ErrEmpty, len(res.Errors), &res.Errors[0])
	}
	return res, nil
}

// LoadDir loads the corpus in the directory dir with [Load], through an
// [os.Root], so no link leads the loader out of it. A dir that does not
// exist or is not a directory is an error; every error names dir, as
// given.
func LoadDir(ctx context.Context, dir string, opts Options) (*Result, error) {
	prefix := "load corpus " + QuotePath(dir)
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", prefix)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	defer root.Close()
	return load(ctx, root.FS(), opts, dir)
}

// loader holds the state of one [Load].
type loader struct {
	ctx        context.Context
	fsys       fs.FS
	limit      int64
	dirs       []visitedDir // every directory walked
	linkedDirs []visitedDir // those reached through a symbolic link
	files      []listed     // the article files found, read after the walk
	articles   []Article
	errs       []FileError
	cache      *ParseCache // nil: parse every file
}

// listed is an article file the walk found, with what the directory
// listing says of it (nil when it was reached through a link).
type listed struct {
	path string
	info fs.FileInfo
}

// visitedDir is a directory already walked, to spot symbolic links that
// loop or lead to a directory loaded already.
type visitedDir struct {
	path string
	info fs.FileInfo
}

// fail records that the file or directory at p could not be loaded.
func (l *loader) fail(p string, err error) {
	l.errs = append(l.errs, FileError{Path: p, Err: err})
}

// walk loads the articles in dir and its subdirectories. links counts the
// symbolic links to directories on the way to dir. Only a cancelled context
// or an unreadable root stop the walk; other problems are recorded.
func (l *loader) walk(dir string, links int) error {
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		if dir == "." {
			return err
		}
		l.fail(dir, fmt.Errorf("read directory: %w", err))
	}
	for _, e := range entries {
		if err := l.ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := path.Join(dir, name)
		typ := e.Type()
		if typ&fs.ModeSymlink != 0 {
			if err := l.symlink(p, links); err != nil {
				return err
			}
			continue
		}
		if typ.IsDir() {
			info, err := e.Info()
			if err == nil && l.seen(p, info, false) {
				continue
			}
			if err := l.walk(p, links); err != nil {
				return err
			}
			continue
		}
		if fileKind(name) == "" {
			continue
		}
		if !typ.IsRegular() {
			l.fail(p, fmt.Errorf("%w (%v)", ErrNotRegular, typ))
			continue
		}
		// An [os.Root]'s listing has stat'ed every entry already, so
		// the cache can be asked without opening the file.
		info, _ := e.Info()
		l.files = append(l.files, listed{p, info})
	}
	return nil
}

// symlink follows the symbolic link at p: into a directory, unless that
// makes a loop, or to a file to load.
func (l *loader) symlink(p string, links int) error {
	if leavesRoot(l.fsys, p) {
		l.fail(p, ErrOutsideCorpus)
		return nil
	}
	info, err := fs.Stat(l.fsys, p)
	switch {
	case err != nil:
		if fileKind(p) != "" || !errors.Is(err, fs.ErrNotExist) {
			l.fail(p, fmt.Errorf("follow symlink: %w", err))
		}
	case info.IsDir():
		if links >= maxSymlinkDirs {
			l.fail(p, fmt.Errorf("%w: more than %d symlinks to directories on the way", ErrSymlinkLoop, maxSymlinkDirs))
			return nil
		}
		if l.seen(p, info, true) {
			return nil
		}
		return l.walk(p, links+1)
	case fileKind(p) == "":
	case !info.Mode().IsRegular():
		l.fail(p, fmt.Errorf("%w (%v)", ErrNotRegular, info.Mode().Type()))
	default:
		l.files = append(l.files, listed{path: p})
	}
	return nil
}

// leavesRoot reports whether the symbolic link at p, in fsys, is absolute or
// leads above the root, judged on the text of the link and of the links it
// leads to in turn. A way out through a linked directory on the way is
// refused when followed, by an [os.Root].
func leavesRoot(fsys fs.FS, p string) bool {
	rl, ok := fsys.(fs.ReadLinkFS)
	if !ok {
		return false
	}
	for range maxSymlinkDirs {
		target, err := rl.ReadLink(p)
		if err != nil {
			return false // Stat will say what is wrong
		}
		if path.IsAbs(target) || filepath.IsAbs(target) {
			return true
		}
		if p = path.Join(path.Dir(p), filepath.ToSlash(target)); !fs.ValidPath(p) {
			return true
		}
		if fi, err := rl.Lstat(p); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return false
		}
	}
	return false
}

// seen reports whether the directory at p, described by info, was walked
// already — so it is a symbolic link loop, or a second way to the same files
// — and reports it; otherwise it remembers the directory. A directory reached
// through a symbolic link (viaLink) is checked against all directories seen;
// another only against those reached through links, since only a link can
// lead into a directory a second time.
func (l *loader) seen(p string, info fs.FileInfo, viaLink bool) bool {
	candidates := l.linkedDirs
	if viaLink {
		candidates = l.dirs
	}
	for _, d := range candidates {
		if !os.SameFile(d.info, info) {
			continue
		}
		if d.path == "." || strings.HasPrefix(p, d.path+"/") {
			l.fail(p, fmt.Errorf("%w: leads back to %s", ErrSymlinkLoop, displayDir(d.path)))
		} else {
			l.fail(p, fmt.Errorf("same directory as %s, loaded already", QuotePath(d.path)))
		}
		return true
	}
	l.dirs = append(l.dirs, visitedDir{p, info})
	if viaLink {
		l.linkedDirs = append(l.linkedDirs, visitedDir{p, info})
	}
	return false
}

// displayDir names a directory of the corpus in messages.
func displayDir(p string) string {
	if p == "." {
		return "the corpus root"
	}
	return QuotePath(p)
}

// readAll reads and parses the files the walk found, on every core:
// parsing Markdown is most of what loading a corpus costs. A file the
// cache knows unchanged from its listing is not opened at all.
func (l *loader) readAll() error {
	arts := make([]Article, len(l.files))
	errs := make([]error, len(l.files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), len(l.files))) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(l.files) || l.ctx.Err() != nil {
					return
				}
				f := l.files[i]
				if f.info != nil {
					if a, ok := l.cache.lookup(f.path, f.info); ok {
						arts[i] = a
						continue
					}
				}
				arts[i], errs[i] = l.read(f.path)
			}
		})
	}
	wg.Wait()
	if err := l.ctx.Err(); err != nil {
		return err
	}
	for i, f := range l.files {
		if errs[i] != nil {
			l.fail(f.path, errs[i])
			continue
		}
		l.articles = append(l.articles, arts[i])
	}
	return nil
}

// read opens, checks, reads and parses the file at p.
func (l *loader) read(p string) (Article, error) {
	f, err := l.fsys.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return Article{}, fmt.Errorf("file vanished after it was listed: %w", err)
	}
	if err != nil {
		return Article{}, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	var modified time.Time
	if st, err := f.Stat(); err == nil {
		modified = st.ModTime()
		if a, ok := l.cache.lookup(p, st); ok {
			a.Modified = modified
			return a, nil
		}
	}
	checked := l.cache.clock()
	data, err := readLimited(f, l.limit)
	if err != nil {
		return Article{}, err
	}
	a, err := Parse(p, data)
	a.Modified = modified
	if err == nil {
		if st, serr := f.Stat(); serr == nil {
			l.cache.store(p, st, a, checked)
		}
	}
	return a, err
}

// ReadFile reads the article file at name, a path on the local file
// system, with the checks [Load] makes of the files of a corpus: a regular
// file, no larger than opts.MaxFileSize. It is for files handed over for
// adding; [ParseUpload] reads what it returns.
func ReadFile(name string, opts Options) ([]byte, error) {
	limit := opts.MaxFileSize
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	// Checked before opening: opening a named pipe blocks until a writer
	// comes.
	if fi, err := os.Stat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%v)", QuotePath(name), ErrNotRegular, fi.Mode().Type())
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readLimited(f, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", QuotePath(name), err)
	}
	return data, nil
}

// readLimited reads the open file f, refusing anything but a regular file
// and more than limit bytes. The size is checked before anything is read.
func readLimited(f fs.File, limit int64) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%v)", ErrNotRegular, st.Mode().Type())
	}
	tooLarge := fmt.Sprintf("That file is larger than the %s limit for an article.", ByteSize(limit))
	if st.Size() > limit {
		return nil, usererr.Wrap(fmt.Errorf("%w: %s, over the %s limit", ErrTooLarge, ByteSize(st.Size()), ByteSize(limit)), tooLarge)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, usererr.Wrap(fmt.Errorf("%w: grew past the %s limit while being read", ErrTooLarge, ByteSize(limit)), tooLarge)
	}
	return data, nil
}

// ByteSize formats n bytes for people: "200.0 MiB (209715200 bytes)".
func ByteSize(n int64) string {
	const unit = 1 << 10
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffix := float64(n)/unit, "KiB"
	for _, s := range [...]string{"MiB", "GiB", "TiB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	return fmt.Sprintf("%.1f %s (%d bytes)", v, suffix, n)
}
