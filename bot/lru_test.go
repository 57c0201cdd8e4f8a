package bot

import (
	"slices"
	"testing"
	"time"
)

// TestLRUForgets: the cache keeps at most maxLen entries and maxCost in
// all, drops entries unused for its ttl, and names each entry it drops by
// itself, never one removed on purpose.
func TestLRUForgets(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC)
	c := newLRU[string, int](100, time.Hour, func(_ string, v int) int { return v })
	c.maxLen = 2
	var forgot []string
	c.forgot = func(k string) { forgot = append(forgot, k) }

	c.put("a", 1, start)
	c.put("b", 1, start.Add(time.Minute))
	c.get("a", start.Add(2*time.Minute)) // b is now the least recently used
	c.put("c", 1, start.Add(3*time.Minute))
	if want := []string{"b"}; !slices.Equal(forgot, want) {
		t.Fatalf("over the count the cache forgot %v, want %v", forgot, want)
	}
	c.put("d", 99, start.Add(4*time.Minute)) // three entries: a, the oldest, goes
	if want := []string{"b", "a"}; !slices.Equal(forgot, want) {
		t.Fatalf("over the count again the cache forgot %v, want %v", forgot, want)
	}
	c.put("c", 2, start.Add(4*time.Minute)) // c (2) and d (99) exceed 100: d, the older, goes
	if want := []string{"b", "a", "d"}; !slices.Equal(forgot, want) {
		t.Fatalf("over the cost the cache forgot %v, want %v", forgot, want)
	}
	c.put("d", 1, start.Add(4*time.Minute))
	c.remove("d")
	c.put("e", 1, start.Add(5*time.Minute))
	if _, ok := c.get("e", start.Add(5*time.Minute+time.Hour)); ok {
		t.Error("an entry unused for the ttl was kept")
	}
	if want := []string{"b", "a", "d", "c", "e"}; !slices.Equal(forgot, want) {
		t.Errorf("the cache forgot %v, want %v (d was removed, not forgotten)", forgot, want)
	}
	var order []string
	c.put("f", 1, start.Add(7*time.Hour))
	c.put("g", 1, start.Add(7*time.Hour+time.Minute))
	c.each(func(k string, _ int, _ time.Time) { order = append(order, k) })
	if want := []string{"f", "g"}; !slices.Equal(order, want) {
		t.Errorf("each visited %v, want the least recently used first %v", order, want)
	}
}
