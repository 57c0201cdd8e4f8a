package bot

import (
	"sync"
	"time"
)

// rateLimiter is a token bucket per user: each user may ask burst
// questions at once, refilled at perMinute per minute.
type rateLimiter struct {
	perMinute float64
	burst     float64
	now       func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newRateLimiter(perMinute float64, burst int, now func() time.Time) *rateLimiter {
	if burst < 1 {
		burst = 1
	}
	return &rateLimiter{perMinute: perMinute, burst: float64(burst), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for user. When none is left it reports how long until
// one will be.
func (r *rateLimiter) allow(user string) (bool, time.Duration) {
	if r.perMinute <= 0 {
		return true, 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	b := r.buckets[user]
	if b == nil {
		b = &bucket{tokens: r.burst, last: now}
		r.buckets[user] = b
	}
	b.tokens = min(r.burst, b.tokens+now.Sub(b.last).Minutes()*r.perMinute)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		r.prune(now)
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / r.perMinute * float64(time.Minute))
	return false, wait
}

// prune forgets users whose buckets are full again, so the map does not
// grow with every user the bot has ever seen.
func (r *rateLimiter) prune(now time.Time) {
	if len(r.buckets) < 1024 {
		return
	}
	for u, b := range r.buckets {
		if b.tokens+now.Sub(b.last).Minutes()*r.perMinute >= r.burst {
			delete(r.buckets, u)
		}
	}
}
