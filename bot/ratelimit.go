package bot

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// defaultMaxTrackedUsers is how many users' buckets the limiter keeps by
// default (about 250 bytes each).
const defaultMaxTrackedUsers = 50_000

// rateLimiter is a token bucket per user: each user may ask burst
// questions at once, refilled at perMinute per minute.
//
// A bucket left alone long enough to fill up again is the same as a new
// one, so it is forgotten then, oldest first, without scanning the others;
// and at most maxUsers are kept, so a flood of distinct users costs bounded
// memory (the least recently seen user past that starts with a full
// bucket, which only a flood of more than maxUsers others can bring about).
type rateLimiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets *lru[string, *bucket]
}

// bucket is one user's token bucket.
type bucket struct {
	lim *rate.Limiter
	// told is set once the user has been refused since their last
	// question was allowed.
	told bool
}

func newRateLimiter(perMinute float64, burst, maxUsers int, now func() time.Time) *rateLimiter {
	if burst < 1 {
		burst = 1
	}
	if maxUsers <= 0 {
		maxUsers = defaultMaxTrackedUsers
	}
	r := &rateLimiter{limit: rate.Limit(perMinute / 60), burst: burst, now: now}
	var refill time.Duration // how long an empty bucket takes to fill
	if perMinute > 0 {
		refill = time.Duration(float64(burst) / perMinute * float64(time.Minute))
	}
	r.buckets = newLRU[string, *bucket](maxUsers, refill, nil)
	return r
}

// allow takes a token for user. When none is left it reports how long until
// one will be, and whether user was already refused since their last
// question was allowed: where a refusal is public, once is enough.
func (r *rateLimiter) allow(user string) (ok bool, wait time.Duration, told bool) {
	if r.limit <= 0 {
		return true, 0, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	b, found := r.buckets.get(user, now)
	if !found {
		b = &bucket{lim: rate.NewLimiter(r.limit, r.burst)}
		r.buckets.put(user, b, now)
	}
	if b.lim.AllowN(now, 1) {
		b.told = false
		return true, 0, false
	}
	told, b.told = b.told, true
	wait = time.Duration((1 - b.lim.TokensAt(now)) / float64(r.limit) * float64(time.Second))
	return false, wait, told
}
