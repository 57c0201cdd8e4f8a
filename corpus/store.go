package corpus

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"

	"github.com/crisisbot/crisisbot/internal/atomicfile"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// maxSlugLen is the longest file name, extension aside, [Slug] returns.
const maxSlugLen = 80

// NewArticle is an article to add to a corpus directory with [Store.Add].
type NewArticle struct {
	Title     string
	URL       string
	Source    string
	Author    string
	Published time.Time // only the date is kept
	// Text is the article's text, paragraphs separated by a blank line.
	Text    string
	AddedBy string
	Tags    []string
	// Feed is the address of the feed the article arrived through, if any.
	Feed string
	// SummaryOnly marks an article that is only its feed's summary: its
	// page could not be fetched.
	SummaryOnly bool
}

// Removed says where [Store.Remove] put an article's file, so that
// [Store.Restore] can put it back.
type Removed struct {
	ID           string
	Title        string // the article's title, or its ID when the file did not parse
	TrashPath    string // the file in the trash directory
	OriginalPath string // where the file was in the corpus
}

// DuplicateError is returned, wrapped, by [Store.Add] when the corpus holds
// the article already.
type DuplicateError struct {
	ID   string // of the article already in the corpus
	Path string // of its file
	By   string // what matched: "url" or "text"
}

// Error says which article the new one duplicates.
func (e *DuplicateError) Error() string {
	what := "text"
	if e.By == "url" {
		what = "URL"
	}
	return fmt.Sprintf("already in the corpus as %s (%s): same %s", QuotePath(e.ID), QuotePath(e.Path), what)
}

// message says for people which article the new one duplicates.
func (e *DuplicateError) message() string {
	what := "the same text"
	if e.By == "url" {
		what = "the same address"
	}
	return fmt.Sprintf("That article is already in the corpus as %s (%s).", QuotePath(e.ID), what)
}

// Store adds articles to a corpus directory and moves them to a trash
// directory, one file at a time and atomically: a failed change leaves the
// corpus as it was. One Store serialises its own changes; it does not lock
// the directory against other processes.
type Store struct {
	dir   string
	real  string // dir with its symbolic links resolved: what moves are confined to
	trash string
	opts  Options
	now   func() time.Time
	mu    sync.Mutex
	// sums memoises each article's text sum by the hash of its file, for
	// the duplicate check: with the parse cache a check reads no file, and
	// summing every text would be most of its time at 10k articles.
	// Guarded by mu; it keeps the articles the last check saw.
	sums map[string][32]byte
}

// NewStore returns a [Store] over the existing directory corpusDir, moving
// removed articles into trashDir (created when first needed), which must
// lie outside the corpus or in a hidden directory of it (".trash"), which
// [Load] skips. opts are the options the corpus is loaded with, so that
// the duplicate check sees the articles the index sees. now stamps added
// and removed articles; nil means [time.Now].
func NewStore(corpusDir, trashDir string, opts Options, now func() time.Time) (*Store, error) {
	if corpusDir == "" || trashDir == "" {
		return nil, errors.New("store: a corpus directory and a trash directory are required")
	}
	dir, err := filepath.Abs(corpusDir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	trash, err := filepath.Abs(trashDir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("store: %s is not a directory", corpusDir)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if within(dir, trash) && !hiddenWithin(dir, trash) {
		return nil, fmt.Errorf("store: the trash directory %s is inside the corpus %s; removed articles would still load", trashDir, corpusDir)
	}
	if now == nil {
		now = time.Now
	}
	return &Store{dir: dir, real: real, trash: trash, opts: opts, now: now}, nil
}

// Add writes a as a Markdown file with YAML front matter, named by [Slug]
// and made unique with "-2", "-3"…, and returns it as the corpus will read
// it. It refuses, with a [*DuplicateError], an article whose URL matches an
// existing article's once both are put through [NormalizeURL], or whose
// text is the same but for case and white space. The file is written to a
// temporary file in the corpus directory, synced and renamed into place, so
// readers never see half of it.
func (s *Store) Add(ctx context.Context, a NewArticle) (Article, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.load(ctx)
	if err != nil {
		return Article{}, err
	}
	return s.add(res, s.newDupIndex(res), a)
}

// AddMany adds each of as as [Store.Add] does, reading the corpus once
// rather than once an article: a feed poll brings tens of articles into a
// corpus of thousands. Each article is checked against the corpus and the
// ones added before it; errs[i] is the error of as[i], or nil, and
// added[i] its article.
func (s *Store) AddMany(ctx context.Context, as []NewArticle) (added []Article, errs []error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	added, errs = make([]Article, len(as)), make([]error, len(as))
	res, err := s.load(ctx)
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return added, errs
	}
	if res == nil {
		res = &Result{}
	}
	idx := s.newDupIndex(res)
	for i, a := range as {
		if added[i], errs[i] = s.add(res, idx, a); errs[i] == nil {
			res.Articles = append(res.Articles, added[i])
			idx.put(&res.Articles[len(res.Articles)-1])
		}
	}
	return added, errs
}

// load reads the corpus for the duplicate check; an empty corpus is nil.
func (s *Store) load(ctx context.Context) (*Result, error) {
	res, err := LoadDir(ctx, s.dir, s.opts)
	if err != nil && !errors.Is(err, ErrEmpty) {
		return nil, fmt.Errorf("add: %w", err)
	}
	return res, nil
}

// add is [Store.Add] over res, the corpus as read, and idx, its
// duplicate index, with s.mu held.
func (s *Store) add(res *Result, idx *dupIndex, a NewArticle) (Article, error) {
	// The address is checked as it came: cleaning would drop a control
	// character from it, and keep what it hid.
	clean, err := cleanURL(a.URL)
	if err != nil {
		return Article{}, fmt.Errorf("add: %w", usererr.Wrap(err, "That article's address is not a web link (http or https), so it was not added."))
	}
	a.URL = clean
	a = cleanNewArticle(a)
	if a.Text == "" {
		return Article{}, fmt.Errorf("add: %w", usererr.Wrap(ErrNoText, "That article has no text."))
	}
	if err := s.checkDuplicate(idx, a); err != nil {
		return Article{}, fmt.Errorf("add: %w", err)
	}

	addedAt := s.now().UTC().Truncate(time.Second)
	data, err := renderArticle(a, addedAt)
	if err != nil {
		return Article{}, fmt.Errorf("add: %w", err)
	}
	name := s.uniqueName(res, Slug(a.Published, a.Title))
	art, err := Parse(name+".md", data)
	if err != nil {
		return Article{}, fmt.Errorf("add: the new file would not load: %w", err)
	}
	if art.Text != a.Text || art.Title != a.Title || art.URL != a.URL {
		return Article{}, usererr.Wrap(errors.New("add: the new file would not read back as written; not adding it"),
			"That article could not be saved in a form the corpus reads back as written, so it was not added.")
	}
	if err := writeFileAtomic(s.dir, name+".md", data); err != nil {
		return Article{}, fmt.Errorf("add: %w", err)
	}
	if res != nil {
		art.Origin = res.Sources.Origin(&art)
	}
	return art, nil
}

// dupIndex finds an article of the corpus by its normalised URL or its
// text's sum, computed once per read of the corpus rather than once per
// article added.
type dupIndex struct {
	byURL  map[string]*Article
	byText map[[32]byte]*Article
	sums   map[string][32]byte // text sums by file hash, from the last check
	seen   map[string][32]byte // those of this check
}

// newDupIndex indexes res's articles; the first article with a key wins,
// as the corpus reads them. s.mu must be held.
func (s *Store) newDupIndex(res *Result) *dupIndex {
	idx := &dupIndex{byURL: map[string]*Article{}, byText: map[[32]byte]*Article{}, sums: s.sums, seen: map[string][32]byte{}}
	if res != nil {
		for i := range res.Articles {
			idx.put(&res.Articles[i])
		}
	}
	s.sums = idx.seen
	return idx
}

// textSum is the article's text sum, memoised by its file's hash.
func (idx *dupIndex) textSum(a *Article) [32]byte {
	if sum, ok := idx.sums[a.Hash]; ok && a.Hash != "" {
		idx.seen[a.Hash] = sum
		return sum
	}
	sum := textSum(a.Text)
	if a.Hash != "" {
		idx.seen[a.Hash] = sum
	}
	return sum
}

// put indexes a unless an earlier article holds its keys.
func (idx *dupIndex) put(a *Article) {
	if key := NormalizeURL(a.URL); key != "" {
		if _, ok := idx.byURL[key]; !ok {
			idx.byURL[key] = a
		}
	}
	sum := idx.textSum(a)
	if _, ok := idx.byText[sum]; !ok {
		idx.byText[sum] = a
	}
}

// checkDuplicate returns a [*DuplicateError] when idx holds a already,
// by address first, then by text.
func (s *Store) checkDuplicate(idx *dupIndex, a NewArticle) error {
	by, ex := "url", (*Article)(nil)
	if key := NormalizeURL(a.URL); key != "" {
		ex = idx.byURL[key]
	}
	if ex == nil {
		by, ex = "text", idx.byText[textSum(a.Text)]
	}
	if ex == nil {
		return nil
	}
	dup := &DuplicateError{ID: ex.ID, Path: filepath.Join(s.dir, filepath.FromSlash(ex.Path)), By: by}
	return usererr.Wrap(dup, dup.message())
}

// uniqueName returns base, or base with "-2", "-3"… when an article or a
// file of the corpus has that ID already.
func (s *Store) uniqueName(res *Result, base string) string {
	taken := map[string]bool{}
	if res != nil {
		for _, a := range res.Articles {
			taken[a.ID] = true
		}
		for _, fe := range res.Errors {
			taken[strings.TrimSuffix(fe.Path, path.Ext(fe.Path))] = true
		}
	}
	free := func(name string) bool {
		if taken[name] {
			return false
		}
		for _, ext := range [...]string{".md", ".markdown", ".txt", ".html", ".htm"} {
			if _, err := os.Lstat(filepath.Join(s.dir, name+ext)); !errors.Is(err, fs.ErrNotExist) {
				return false
			}
		}
		return true
	}
	if free(base) {
		return base
	}
	for n := 2; ; n++ {
		suffix := fmt.Sprintf("-%d", n)
		name := strings.TrimRight(truncateSlug(base, maxSlugLen-len(suffix)), "-") + suffix
		if free(name) {
			return name
		}
	}
}

// Undo removes the article [Store.Add] returned, undoing the add.
func (s *Store) Undo(a Article) (Removed, error) { return s.Remove(a.ID) }

// Remove moves the file of the article with the given ID into the trash
// directory as "<timestamp>-<file name>", renaming it when the trash is on
// the same file system and copying then deleting it otherwise. An ID that
// is not a path inside the corpus — absolute, or containing ".." — is
// refused; an unknown ID is an error wrapping [fs.ErrNotExist].
func (s *Store) Remove(id string) (Removed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if err := checkID(id); err != nil {
		return Removed{}, usererr.Wrap(fmt.Errorf("remove %q: %w", id, err), "That is not an article ID.")
	}
	orig, src, err := s.findFile(id)
	switch {
	case errors.Is(err, ErrOutsideCorpus):
		return Removed{}, usererr.Wrap(fmt.Errorf("remove %s: %w", QuotePath(id), err), fmt.Sprintf("The file of %s lies outside the corpus, through a link, so it was not removed.", QuotePath(id)))
	case errors.Is(err, fs.ErrNotExist):
		return Removed{}, usererr.Wrap(fmt.Errorf("remove: %w", err), fmt.Sprintf("There is no article %s in the corpus.", QuotePath(id)))
	case err != nil:
		return Removed{}, fmt.Errorf("remove: %w", err)
	}
	title := id
	// A link is moved as a link; its target, which may lie anywhere, is not
	// read for a title.
	if fi, err := os.Lstat(src); err == nil && fi.Mode().IsRegular() {
		if data, err := os.ReadFile(src); err == nil {
			if a, err := Parse(filepath.Base(src), data); err == nil {
				title = a.Title
			}
		}
	}
	if err := os.MkdirAll(s.trash, 0o755); err != nil {
		return Removed{}, fmt.Errorf("remove %s: trash directory: %w", id, err)
	}
	stamp := s.now().UTC().Format("20060102T150405Z")
	dst := filepath.Join(s.trash, stamp+"-"+filepath.Base(orig))
	for n := 2; ; n++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = filepath.Join(s.trash, fmt.Sprintf("%s-%d-%s", stamp, n, filepath.Base(orig)))
	}
	if err := moveFile(src, dst); err != nil {
		return Removed{}, fmt.Errorf("remove %s: %w", id, err)
	}
	return Removed{ID: id, Title: title, TrashPath: dst, OriginalPath: orig}, nil
}

// Restore moves a file [Store.Remove] put in the trash back where it was,
// undoing the removal. It refuses when a file exists at the original path
// now, and paths outside the corpus and the trash.
func (s *Store) Restore(r Removed) error {
	s.mu.Lock()
	defer s.mu.Unlock()

	if !within(s.dir, r.OriginalPath) || !within(s.trash, r.TrashPath) {
		return fmt.Errorf("restore %s: refused: %s is not in the corpus or %s is not in the trash", r.ID, r.OriginalPath, r.TrashPath)
	}
	if _, err := os.Lstat(r.OriginalPath); !errors.Is(err, fs.ErrNotExist) {
		if err == nil {
			return usererr.Wrap(fmt.Errorf("restore %s: %s exists now; not overwriting it", r.ID, r.OriginalPath),
				fmt.Sprintf("A file is back where %s was, so it was not restored over it.", QuotePath(r.ID)))
		}
		return fmt.Errorf("restore %s: %w", r.ID, err)
	}
	dst, err := s.confine(r.OriginalPath)
	if errors.Is(err, ErrOutsideCorpus) {
		return usererr.Wrap(fmt.Errorf("restore %s: %w", r.ID, err),
			fmt.Sprintf("The place of %s now lies outside the corpus, through a link, so it was not restored.", QuotePath(r.ID)))
	}
	if err != nil {
		return fmt.Errorf("restore %s: %w", r.ID, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("restore %s: %w", r.ID, err)
	}
	if err := moveFile(r.TrashPath, dst); err != nil {
		return fmt.Errorf("restore %s: %w", r.ID, err)
	}
	return nil
}

// checkID refuses an ID that is not a slash-separated path inside the
// corpus.
func checkID(id string) error {
	switch {
	case id == "":
		return errors.New("empty article ID")
	case strings.Contains(id, ".."):
		return errors.New(`refused: an article ID may not contain ".."`)
	case strings.HasPrefix(id, "/") || strings.HasPrefix(id, `\`) || filepath.IsAbs(id) || filepath.VolumeName(id) != "":
		return errors.New("refused: an article ID is a path inside the corpus, not an absolute path")
	case strings.ContainsAny(id, "\\\x00") || !filepath.IsLocal(filepath.FromSlash(id)):
		return errors.New("refused: not an article ID")
	}
	return nil
}

// findFile returns the path of the file that holds the article id — the
// first by name of the files in its directory whose name, without an
// extension the corpus reads, is the ID's last element, the one [Load]
// keeps — as it lies in the corpus (orig) and with the links of its
// directory resolved (src), which is the path to move. A directory that
// leads out of the corpus through a link is refused with
// [ErrOutsideCorpus] before it is read.
func (s *Store) findFile(id string) (orig, src string, err error) {
	dir := filepath.Join(s.dir, filepath.FromSlash(path.Dir(id)))
	base := path.Base(id)
	real, err := s.confine(filepath.Join(dir, base))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf("find %s: %w", id, err)
	}
	var names []string
	if err == nil {
		entries, err := os.ReadDir(filepath.Dir(real))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", "", fmt.Errorf("find %s: %w", id, err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") || e.IsDir() || fileKind(name) == "" {
				continue
			}
			if strings.TrimSuffix(name, path.Ext(name)) == base {
				names = append(names, name)
			}
		}
	}
	if len(names) == 0 {
		return "", "", fmt.Errorf("no article with ID %q in %s: %w", id, QuotePath(s.dir), fs.ErrNotExist)
	}
	slices.Sort(names)
	return filepath.Join(dir, names[0]), filepath.Join(filepath.Dir(real), names[0]), nil
}

// confine returns p, a path in the corpus directory, with the symbolic
// links of its directory resolved, refusing with [ErrOutsideCorpus] one
// whose directory leads out of the corpus. The file itself is not
// resolved: a link is moved as a link. A directory that does not exist
// (yet) is judged by its nearest ancestor that does. Moves use the path
// returned, so what was checked is what is moved.
func (s *Store) confine(p string) (string, error) {
	dir, rest := filepath.Dir(p), []string{filepath.Base(p)}
	for {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			resolved := filepath.Join(append([]string{real}, rest...)...)
			if !within(s.real, resolved) {
				return "", ErrOutsideCorpus
			}
			return resolved, nil
		}
		parent := filepath.Dir(dir)
		if !errors.Is(err, fs.ErrNotExist) || parent == dir {
			return "", err
		}
		dir, rest = parent, append([]string{filepath.Base(dir)}, rest...)
	}
}

// within reports whether p is dir or lies inside it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// hiddenWithin reports whether p lies in dir under a file or directory
// whose name starts with ".", which [Load] skips.
func hiddenWithin(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == "." || !filepath.IsLocal(rel) {
		return false
	}
	for part := range strings.SplitSeq(filepath.ToSlash(rel), "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// Slug returns the file name, without extension, [Store.Add] gives an
// article: the publication date, when known, and the title, in lower-case
// ASCII letters and digits joined by hyphens, at most 80 characters:
// "2025-05-10-india-and-pakistan-agree-to-a-ceasefire".
func Slug(published time.Time, title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’':
			// Accents and apostrophes vanish: "Pakistan's" is "pakistans".
		default:
			hyphen = true
		}
	}
	slug := b.String()
	if !published.IsZero() {
		slug = strings.TrimSuffix(published.Format("2006-01-02")+"-"+slug, "-")
	}
	if slug == "" {
		slug = "article"
	}
	return truncateSlug(slug, maxSlugLen)
}

// truncateSlug cuts slug to at most n bytes, at a hyphen when one falls in
// the second half.
func truncateSlug(slug string, n int) string {
	if len(slug) <= n {
		return slug
	}
	cut := slug[:n]
	if i := strings.LastIndexByte(cut, '-'); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, "-")
}

// NormalizeURL returns the form of a URL used to spot an article added
// twice: scheme and host lower-cased, default port, fragment, user info,
// tracking parameters (utm_*, fbclid, gclid) and trailing slashes dropped,
// and the query sorted. A string that is not an absolute URL is returned
// trimmed; an empty one stays empty.
func NormalizeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || lk == "fbclid" || lk == "gclid" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode() // sorted by key
	u.ForceQuery = false
	p := strings.TrimRight(u.EscapedPath(), "/")
	if pu, err := url.Parse(p); err == nil && p != "" {
		u.Path, u.RawPath = pu.Path, pu.RawPath
	} else {
		u.Path, u.RawPath = "", ""
	}
	return u.String()
}

// cleanURL returns raw, an article's address, as the store records it: an
// absolute http or https URL without user info, its scheme and host
// lower-cased, an international host name in its ASCII (punycode) form,
// and everything a URL may not hold as it is — spaces, quotes, "<" and
// ">", braces, non-ASCII letters — percent-encoded, so that the address a
// citation shows and Discord links is the one recorded. Control characters
// and other schemes are refused; "" stays "".
func cleanURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if i := strings.IndexFunc(raw, unicode.IsControl); i >= 0 {
		return "", fmt.Errorf("URL %q: control character at byte %d", raw, i)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("URL %q: %w", raw, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("URL %q: want an http or https URL", raw)
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("URL %q: no host", raw)
	case u.User != nil:
		return "", fmt.Errorf("URL %q: user info refused", raw)
	}
	host, err := idna.Lookup.ToASCII(strings.ToLower(u.Hostname()))
	if err != nil {
		return "", fmt.Errorf("URL %q: host: %w", raw, err)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" {
		host += ":" + port
	}
	u.Host = host
	// String encodes the path and the fragment, but writes the query as it
	// came.
	u.RawQuery = escapeQuery(u.RawQuery)
	return u.String(), nil
}

// escapeQuery percent-encodes the bytes of a raw query that a URL may not
// hold as they are, and a "%" that starts no escape; the query's own
// delimiters and existing escapes stay.
func escapeQuery(q string) string {
	const hex = "0123456789ABCDEF"
	isHex := func(c byte) bool { return strings.IndexByte(hex+"abcdef", c) >= 0 }
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '%' && i+2 < len(q) && isHex(q[i+1]) && isHex(q[i+2]):
			b.WriteByte(c)
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// textSum is the SHA-256 of text lower-cased with its white space
// collapsed: two texts that differ only in those ways are the same.
func textSum(text string) [32]byte {
	// The sum of strings.ToLower(strings.Join(strings.Fields(text), " ")),
	// worked out a few kilobytes at a time: the duplicate check sums every
	// text of the corpus, and building those strings was most of its time.
	h := sha256.New()
	var buf [8192]byte
	n := 0
	// space: white space followed the last word, so a word that comes
	// next is preceded by one space.
	started, space := false, false
	for i := 0; i < len(text); {
		if n > len(buf)-utf8.UTFMax-1 {
			h.Write(buf[:n])
			n = 0
		}
		c := text[i]
		if c < utf8.RuneSelf {
			// ASCII, nearly all of a news text: as strings.Fields and
			// strings.ToLower treat it, without decoding.
			i++
			if c == ' ' || c-'\t' <= '\r'-'\t' {
				space = started
				continue
			}
			if c-'A' < 26 {
				c += 'a' - 'A'
			}
			if space {
				buf[n] = ' '
				n++
				space = false
			}
			buf[n] = c
			n++
			started = true
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if unicode.IsSpace(r) {
			space = started
			continue
		}
		if space {
			buf[n] = ' '
			n++
			space = false
		}
		n += utf8.EncodeRune(buf[n:], unicode.ToLower(r))
		started = true
	}
	h.Write(buf[:n])
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// cleanNewArticle puts a's fields in the form the corpus reads them back
// in: white space collapsed, paragraphs separated by one blank line, the
// publication time cut to its date, empty tags dropped.
func cleanNewArticle(a NewArticle) NewArticle {
	a.Title = collapseSpace(a.Title)
	a.URL = collapseSpace(a.URL)
	a.Source = collapseSpace(a.Source)
	a.Author = collapseSpace(a.Author)
	a.AddedBy = collapseSpace(a.AddedBy)
	a.Feed = collapseSpace(a.Feed)
	if !a.Published.IsZero() {
		y, m, d := a.Published.Date()
		a.Published = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	var tags []string
	for _, t := range a.Tags {
		if t = collapseSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	a.Tags = tags
	var w paraWriter
	for line := range strings.Lines(normalizeNewlines(a.Text)) {
		if strings.TrimSpace(line) == "" {
			w.para()
			continue
		}
		w.write(line)
	}
	a.Text = w.String()
	if a.Title == "" {
		first, _, _ := strings.Cut(a.Text, "\n")
		a.Title = firstWords(first, 12)
	}
	return a
}

// firstWords returns up to n words of s.
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

// frontMatter is the YAML block [Store.Add] writes, in this order.
type frontMatter struct {
	Title     string   `yaml:"title"`
	URL       string   `yaml:"url,omitempty"`
	Source    string   `yaml:"source,omitempty"`
	Author    string   `yaml:"author,omitempty"`
	Published string   `yaml:"published,omitempty"`
	AddedBy   string   `yaml:"added_by,omitempty"`
	AddedAt   string   `yaml:"added_at"`
	Tags      []string `yaml:"tags,omitempty"`
	Feed      string   `yaml:"feed,omitempty"`
	// SummaryOnly is written only when true.
	SummaryOnly bool `yaml:"summary_only,omitempty"`
}

// renderArticle returns the Markdown file for a: front matter, then each
// paragraph of the text escaped so that it reads back as written.
func renderArticle(a NewArticle, addedAt time.Time) ([]byte, error) {
	fm := frontMatter{
		Title:   a.Title,
		URL:     a.URL,
		Source:  a.Source,
		Author:  a.Author,
		AddedBy: a.AddedBy,
		AddedAt: addedAt.Format(time.RFC3339),
		Tags:    a.Tags,
		Feed:    a.Feed,

		SummaryOnly: a.SummaryOnly,
	}
	if !a.Published.IsZero() {
		fm.Published = a.Published.Format("2006-01-02")
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(fm); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("front matter: %w", err)
	}
	b.WriteString("---\n")
	for p := range strings.SplitSeq(a.Text, "\n\n") {
		b.WriteString("\n")
		b.WriteString(escapeMarkdown(p))
		b.WriteString("\n")
	}
	return b.Bytes(), nil
}

// escapeMarkdown escapes one paragraph of plain text so that the corpus's
// Markdown reader gives it back unchanged: inline markup characters get a
// backslash, "&", "<" and ">" become entities (which also defuses HTML
// comments, tags and quotes), and a paragraph that would start a heading,
// list, table or rule has its first marker escaped.
func escapeMarkdown(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '\\', '`', '*', '_', '~', '[', ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=', '|':
		return `\` + s
	}
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n < len(s) && (s[n] == '.' || s[n] == ')') {
		return s[:n] + `\` + s[n:]
	}
	return s
}

// writeFileAtomic writes data to dir/name through a temporary file in dir
// that is synced and renamed into place; it refuses to replace a file.
func writeFileAtomic(dir, name string, data []byte) error {
	final := filepath.Join(dir, name)
	tmp, err := atomicfile.WriteTemp(dir, ".crisisbot-*.tmp", 0o644, bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("write %s: %w", final, err)
	}
	if _, err := os.Lstat(final); !errors.Is(err, fs.ErrNotExist) {
		os.Remove(tmp)
		return fmt.Errorf("write %s: a file is there already", final)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", final, err)
	}
	return atomicfile.SyncDir(dir)
}

// moveFile moves src to dst, which must not exist: a rename on one file
// system, a copy that is synced before src is deleted across two.
func moveFile(src, dst string) error {
	err := os.Rename(src, dst)
	if err == nil {
		return errors.Join(atomicfile.SyncDir(filepath.Dir(dst)), atomicfile.SyncDir(filepath.Dir(src)))
	}
	if !errors.Is(err, syscall.EXDEV) {
		return fmt.Errorf("move: %w", err)
	}
	if err := copyFile(src, dst); err != nil {
		return fmt.Errorf("move across file systems: %w", err)
	}
	if err := os.Remove(src); err != nil {
		os.Remove(dst)
		return fmt.Errorf("move across file systems: %w", err)
	}
	return atomicfile.SyncDir(filepath.Dir(src))
}

// copyFile copies src to dst through a synced temporary file beside dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	tmp, err := atomicfile.WriteTemp(filepath.Dir(dst), ".crisisbot-*.tmp", fi.Mode().Perm(), in)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return atomicfile.SyncDir(filepath.Dir(dst))
}
