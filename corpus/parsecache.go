package corpus

import (
	"io/fs"
	"sync"
	"time"
)

// racyWindow is how long after a file's modification time its size and
// time must have been seen for [ParseCache] to trust them: a file rewritten
// with the same size within the file system's timestamp granularity of the
// moment it was read would otherwise look unchanged (git's "racy clean"
// problem).
const racyWindow = 2 * time.Second

// ParseCache lets [Load] skip reading and parsing a file whose size,
// modification time and inode match those it had when last loaded,
// returning the article parsed then. A reload of a large corpus after one
// edit then parses one file. Entries of files a load did not see are
// dropped at its end. It is safe for concurrent use, and loads may overlap
// (an /add's duplicate check beside a reload): entries are dropped only
// when the last of them ends. The zero value is not usable, call
// [NewParseCache].
//
// A new process starts with an empty cache; [ParseCache.Seed] fills it
// from what the index saved ([ParseCache.Stamp]), so that a start does
// not parse a corpus it indexed already.
type ParseCache struct {
	mu   sync.Mutex
	cur  map[string]parsed
	next map[string]parsed
	// loads is how many loads are running; next collects what they see.
	loads int
	now   func() time.Time
	hits  int // for tests
}

// FileStamp is what [ParseCache] compares to tell that a file is unchanged:
// its size, modification time and inode, and when they were read. The
// zero value matches no file.
type FileStamp struct {
	Size int64
	// ModTime is the modification time in nanoseconds since 1970.
	ModTime int64
	Inode   uint64
	// Checked is when size and time were read, in nanoseconds since 1970:
	// a stamp read within [racyWindow] of the modification time is not
	// trusted.
	Checked int64
}

type parsed struct {
	stamp   FileStamp
	article Article
}

// stampOf is the stamp of a file described by st, read at checked.
func stampOf(st fs.FileInfo, checked time.Time) FileStamp {
	if st.ModTime().IsZero() || checked.IsZero() {
		return FileStamp{} // nothing to compare: never trusted
	}
	return FileStamp{Size: st.Size(), ModTime: st.ModTime().UnixNano(), Inode: inode(st), Checked: checked.UnixNano()}
}

// matches reports whether a file described by st is the one stamped,
// unchanged since.
func (s FileStamp) matches(st fs.FileInfo) bool {
	return s.Checked != 0 && s.Size == st.Size() && s.ModTime == st.ModTime().UnixNano() &&
		s.Inode == inode(st) && s.Checked-s.ModTime >= int64(racyWindow)
}

// NewParseCache returns an empty cache.
func NewParseCache() *ParseCache {
	return &ParseCache{cur: map[string]parsed{}, now: time.Now}
}

// begin starts a load: entries it sees are kept for the next one.
func (c *ParseCache) begin() {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.loads == 0 {
		c.next = map[string]parsed{}
	}
	c.loads++
	c.mu.Unlock()
}

// end finishes a load; when it is the last one running, only the entries
// seen since the first of them began are kept.
func (c *ParseCache) end() {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.loads > 0 {
		c.loads--
		if c.loads == 0 {
			c.cur, c.next = c.next, nil
		}
	}
	c.mu.Unlock()
}

// abort ends a load that failed: what it saw is no reason to drop
// entries, so the cache keeps them all.
func (c *ParseCache) abort() {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.loads > 0 {
		c.loads--
		if c.loads == 0 {
			for p, e := range c.next {
				c.cur[p] = e
			}
			c.next = nil
		}
	}
	c.mu.Unlock()
}

// lookup returns the article parsed from the file at p when st says the
// file has not changed since.
func (c *ParseCache) lookup(p string, st fs.FileInfo) (Article, bool) {
	if c == nil {
		return Article{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.next[p]
	if !ok {
		e, ok = c.cur[p]
	}
	if !ok || !e.stamp.matches(st) {
		return Article{}, false
	}
	if c.next != nil {
		c.next[p] = e
	}
	c.hits++
	return e.article, true
}

// store records the article parsed from the file at p, whose size and
// modification time st gives as they were before it was read.
func (c *ParseCache) store(p string, st fs.FileInfo, a Article, checked time.Time) {
	if c == nil {
		return
	}
	c.put(p, parsed{stamp: stampOf(st, checked), article: a})
}

func (c *ParseCache) put(p string, e parsed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next != nil {
		c.next[p] = e
	} else {
		c.cur[p] = e
	}
}

// Stamp returns the stamp of the file the article a was parsed from, when
// the cache holds a as it is (same path, same hash): what an index saves
// so that the next process can [ParseCache.Seed] its cache.
func (c *ParseCache) Stamp(a *Article) (FileStamp, bool) {
	if c == nil {
		return FileStamp{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.next[a.Path]
	if !ok {
		e, ok = c.cur[a.Path]
	}
	if !ok || e.article.Hash != a.Hash || e.article.ID != a.ID {
		return FileStamp{}, false
	}
	return e.stamp, true
}

// Seed records that the file at a.Path, as stamp describes it, parses to
// a: an article an index saved with its stamp. A file that no longer
// matches the stamp is parsed again, as any changed file is.
func (c *ParseCache) Seed(a Article, stamp FileStamp) {
	if c == nil || stamp.Checked == 0 {
		return
	}
	c.put(a.Path, parsed{stamp: stamp, article: a})
}

// clock returns the cache's time source.
func (c *ParseCache) clock() time.Time {
	if c == nil {
		return time.Time{}
	}
	return c.now()
}
