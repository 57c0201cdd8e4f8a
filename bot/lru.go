package bot

import (
	"container/list"
	"time"
)

// lru is a map that forgets, so what the bot remembers per thread, per
// user or per button stays bounded however many it sees: entries cost
// what cost says (1 each when cost is nil) and, past maxCost in all, the
// least recently used go first; with a ttl, so do entries unused for that
// long. Entries are kept in order of use, so both kinds of forgetting look
// only at the oldest entries and no call scans the map. It is not safe for
// concurrent use: its owner holds a lock.
type lru[K comparable, V any] struct {
	maxCost int
	ttl     time.Duration // 0: entries expire only by cost
	cost    func(K, V) int
	// maxLen, when above 0, also caps the number of entries.
	maxLen int
	// forgot, when set, is told each key the cache forgets by itself (by
	// cost, count or age; not by remove), so what mirrors it on disk can
	// forget it too.
	forgot func(K)

	order   *list.List // of *lruEntry; front is the most recently used
	entries map[K]*list.Element
	total   int
}

type lruEntry[K comparable, V any] struct {
	key  K
	val  V
	cost int
	used time.Time
}

func newLRU[K comparable, V any](maxCost int, ttl time.Duration, cost func(K, V) int) *lru[K, V] {
	return &lru[K, V]{maxCost: max(maxCost, 1), ttl: ttl, cost: cost, order: list.New(), entries: map[K]*list.Element{}}
}

// get returns key's value and marks it used at now.
func (c *lru[K, V]) get(key K, now time.Time) (V, bool) {
	c.expire(now)
	el, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*lruEntry[K, V])
	e.used = now
	c.order.MoveToFront(el)
	return e.val, true
}

// peek returns key's value without marking it used.
func (c *lru[K, V]) peek(key K, now time.Time) (V, bool) {
	c.expire(now)
	el, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	return el.Value.(*lruEntry[K, V]).val, true
}

// put sets key's value, marks it used at now and forgets what no longer
// fits. An entry costing more than maxCost on its own is not kept.
func (c *lru[K, V]) put(key K, val V, now time.Time) {
	c.expire(now)
	cost := 1
	if c.cost != nil {
		cost = c.cost(key, val)
	}
	if el, ok := c.entries[key]; ok {
		e := el.Value.(*lruEntry[K, V])
		c.total += cost - e.cost
		e.val, e.cost, e.used = val, cost, now
		c.order.MoveToFront(el)
	} else {
		c.entries[key] = c.order.PushFront(&lruEntry[K, V]{key: key, val: val, cost: cost, used: now})
		c.total += cost
	}
	for c.total > c.maxCost || c.maxLen > 0 && len(c.entries) > c.maxLen {
		c.forget(c.order.Back())
	}
}

// forget removes el, which the cache drops by itself, and says so.
func (c *lru[K, V]) forget(el *list.Element) {
	key := el.Value.(*lruEntry[K, V]).key
	c.removeElement(el)
	if c.forgot != nil {
		c.forgot(key)
	}
}

// each calls f with every entry and when it was last used, least
// recently used first.
func (c *lru[K, V]) each(f func(key K, val V, used time.Time)) {
	for el := c.order.Back(); el != nil; el = el.Prev() {
		e := el.Value.(*lruEntry[K, V])
		f(e.key, e.val, e.used)
	}
}

// remove forgets key and returns what it held.
func (c *lru[K, V]) remove(key K) (V, bool) {
	el, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	return c.removeElement(el), true
}

// len is the number of entries kept.
func (c *lru[K, V]) len() int { return len(c.entries) }

// expire forgets the entries unused for ttl: all at the back of the order.
func (c *lru[K, V]) expire(now time.Time) {
	if c.ttl <= 0 {
		return
	}
	for el := c.order.Back(); el != nil; el = c.order.Back() {
		if now.Sub(el.Value.(*lruEntry[K, V]).used) < c.ttl {
			return
		}
		c.forget(el)
	}
}

func (c *lru[K, V]) removeElement(el *list.Element) V {
	e := c.order.Remove(el).(*lruEntry[K, V])
	delete(c.entries, e.key)
	c.total -= e.cost
	return e.val
}
