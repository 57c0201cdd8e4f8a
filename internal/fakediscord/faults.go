package fakediscord

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// fault answers matching requests with an error instead of serving them.
type fault struct {
	match      func(*http.Request) bool
	left       int
	status     int
	retryAfter time.Duration
}

// FailNext answers the next n requests for which match is true (all requests
// if match is nil) with status instead of serving them, then serves normally.
//
// A 429 carries Discord's rate-limit headers (X-RateLimit-Remaining: 0,
// X-RateLimit-Reset-After and Retry-After from retryAfter, scope "user") and
// the body {"message":"You are being rate limited.","retry_after":0.2,
// "global":false,"code":0}; code is there because the OpenAPI document
// requires it. Other statuses get {"message":"502: Bad Gateway","code":0}
// and, when retryAfter > 0, a Retry-After header. Responses to injected
// 5xx are not validated: the document describes none.
func (s *Server) FailNext(match func(*http.Request) bool, n, status int, retryAfter time.Duration) {
	if match == nil {
		match = func(*http.Request) bool { return true }
	}
	s.mu.Lock()
	s.faults = append(s.faults, &fault{match: match, left: n, status: status, retryAfter: retryAfter})
	s.mu.Unlock()
}

// takeFault returns the first fault that applies to r, consuming one use.
func (s *Server) takeFault(r *http.Request) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.left > 0 && f.match(r) {
			f.left--
			cp := *f
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
			return &cp
		}
	}
	return nil
}

func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f *fault) {
	secs := f.retryAfter.Seconds()
	if f.status == http.StatusTooManyRequests {
		s.rateLimitHeaders(w.Header(), r, 0, f.retryAfter)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
		w.Header().Set("X-RateLimit-Scope", "user")
		writeJSON(w, f.status, map[string]any{
			"message":     "You are being rate limited.",
			"retry_after": math.Round(secs*1000) / 1000,
			"global":      false,
			"code":        0,
		})
		return
	}
	if f.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	}
	apiError(w, f.status, 0, strconv.Itoa(f.status)+": "+http.StatusText(f.status))
}
