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

// ParseCache lets [Load] skip reading and parsing a file whose size and
// modification time match those it had when last loaded, returning the
// article parsed then. A reload of a large corpus after one edit then parses
// one file. Entries of files a load did not see are dropped at its end. It
// is safe for concurrent use; the zero value is not usable, call
// [NewParseCache].
type ParseCache struct {
	mu   sync.Mutex
	cur  map[string]parsed
	next map[string]parsed
	now  func() time.Time
	hits int // for tests
}

type parsed struct {
	size    int64
	mtime   time.Time
	checked time.Time // when size and mtime were read
	article Article
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
	c.next = map[string]parsed{}
	c.mu.Unlock()
}

// end finishes a load, keeping only the entries it saw.
func (c *ParseCache) end() {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.next != nil {
		c.cur, c.next = c.next, nil
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
	e, ok := c.cur[p]
	if !ok || e.size != st.Size() || !e.mtime.Equal(st.ModTime()) || e.checked.Sub(e.mtime) < racyWindow {
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
	c.mu.Lock()
	defer c.mu.Unlock()
	e := parsed{size: st.Size(), mtime: st.ModTime(), checked: checked, article: a}
	if c.next != nil {
		c.next[p] = e
	} else {
		c.cur[p] = e
	}
}

// clock returns the cache's time source.
func (c *ParseCache) clock() time.Time {
	if c == nil {
		return time.Time{}
	}
	return c.now()
}
