// Package httpretry is the one HTTP client crisisbot uses for calls that
// leave the machine to the LLM server, chat and embeddings alike, so that
// both get the same care: a 429, a 5xx, a transport failure or an attempt
// that ran out of its own time is retried, after the server's Retry-After
// (seconds or an HTTP date) or an exponential backoff with full jitter,
// capped; other 4xx are not, because they would fail again. Every attempt
// has its own deadline, no wait runs past the caller's, request bodies are
// replayed, response bodies are capped, redirects to another host are
// refused (they would carry the prompt and the key elsewhere), and the
// configured secrets never appear in an error or log line it produces, nor
// in an error body it hands on.
//
// [Client.Do] has the signature of go-openai's HTTPDoer, which is how the
// chat and embeddings clients use it.
package httpretry

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Policy is how often to retry and how long to wait in between. Its zero
// value means the defaults.
type Policy struct {
	// Retries is how many times a failed attempt is repeated (default 3; a
	// negative value means none).
	Retries int
	// Backoff is the ceiling of the first wait, doubled for each retry
	// after it (default 500ms). The wait is drawn uniformly below the
	// ceiling ("full jitter"), so clients that failed together do not
	// retry together.
	Backoff time.Duration
	// MaxBackoff caps any single wait, Retry-After included (default 20s):
	// a server asking for minutes gets an answer sooner, refused or not.
	MaxBackoff time.Duration
}

// Defaults for a zero [Policy].
const (
	DefaultRetries    = 3
	DefaultBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff = 20 * time.Second
)

// OrDefaults returns p with its zero fields set to the defaults. A
// negative Retries stays as it is, so that applying it twice changes
// nothing; [Policy.Attempts] reads it.
func (p Policy) OrDefaults() Policy {
	if p.Retries == 0 {
		p.Retries = DefaultRetries
	}
	if p.Backoff <= 0 {
		p.Backoff = DefaultBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	return p
}

// Attempts is how many attempts p allows in all: the first and its
// retries.
func (p Policy) Attempts() int {
	return max(p.OrDefaults().Retries, 0) + 1
}

// Delay is the wait before retry n (1 for the first): retryAfter, when the
// server sent one, else a uniform draw in [0, Backoff·2^(n-1)]; capped by
// MaxBackoff either way.
func (p Policy) Delay(n int, retryAfter time.Duration) time.Duration {
	p = p.OrDefaults()
	if retryAfter > 0 {
		return min(retryAfter, p.MaxBackoff)
	}
	ceiling := p.MaxBackoff
	// Past 30 doublings any backoff is over any sane cap; stop shifting
	// before the duration overflows.
	if shift := max(n-1, 0); shift < 30 {
		ceiling = min(p.Backoff<<shift, p.MaxBackoff)
	}
	return rand.N(ceiling + 1)
}

// WaitFits reports whether a wait of d would end before ctx's deadline.
// Waiting past it is pointless — the attempt after the wait would have no
// time — and the caller has something better to do with what is left.
func WaitFits(ctx context.Context, now time.Time, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || now.Add(d).Before(dl)
}

// Limits are what one use of a [Client] may spend on one attempt.
type Limits struct {
	// AttemptTimeout is each attempt's deadline, reading the body
	// included (0: none but the request's context). It keeps one hung
	// attempt from spending the time a retry would need.
	AttemptTimeout time.Duration
	// MaxBody caps a response body (default 16 MiB); reading past it
	// fails with [ErrBodyTooLarge].
	MaxBody int64
}

// DefaultMaxBody is the body cap of a zero [Limits].
const DefaultMaxBody = 16 << 20

// Config configures a [Client]. The zero value retries with the default
// [Policy] over a transport of its own.
type Config struct {
	Policy
	Limits
	// Secrets are strings (the API key, a password in the base URL) that
	// must not appear in what the client produces: they are replaced by
	// "[REDACTED]" in its errors, its log lines and the bodies of the
	// error responses it returns. Strings shorter than four bytes are
	// ignored, so an unset or placeholder secret cannot shred every
	// message.
	Secrets []string
	// Log receives a line per retry; nil discards them.
	Log *slog.Logger
	// Transport makes the requests; nil means a clone of
	// [http.DefaultTransport].
	Transport http.RoundTripper
	// Sleep waits between attempts; nil waits on a timer. Tests pass one
	// that records the waits and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now tells the time, for Retry-After dates and deadlines; nil means
	// [time.Now].
	Now func() time.Time
}

// Client sends requests, retrying as its [Policy] says. It is safe for
// concurrent use; [Client.WithLimits] makes variants that share its
// connections.
type Client struct {
	policy  Policy
	limits  Limits
	secrets []string
	log     *slog.Logger
	http    *http.Client
	sleep   func(ctx context.Context, d time.Duration) error
	now     func() time.Time
}

// Errors a [Client] reports.
var (
	// ErrBodyTooLarge is returned by a response body's Read once the body
	// is longer than [Limits.MaxBody].
	ErrBodyTooLarge = errors.New("response body too large")
	// ErrBodyInterrupted wraps the error of a response body that broke off
	// before its end (a connection cut, the attempt's deadline): the
	// response began, so the client could not retry it.
	ErrBodyInterrupted = errors.New("response body interrupted")
	// ErrCrossHostRedirect is a redirect to another scheme or host, which
	// the client refuses to follow.
	ErrCrossHostRedirect = errors.New("redirect to another host refused")
)

// New returns a Client.
func New(cfg Config) *Client {
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{
		policy:  cfg.Policy.OrDefaults(),
		limits:  cfg.Limits.orDefaults(),
		secrets: secretList(cfg.Secrets),
		log:     log,
		http:    &http.Client{Transport: transport, CheckRedirect: sameHost},
		sleep:   cfg.Sleep,
		now:     cfg.Now,
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

func (l Limits) orDefaults() Limits {
	if l.MaxBody <= 0 {
		l.MaxBody = DefaultMaxBody
	}
	return l
}

// WithLimits returns a Client that shares c's connections, policy,
// secrets and logger but spends l on each attempt: chat and embeddings go
// through one client, with deadlines and body sizes of their own.
func (c *Client) WithLimits(l Limits) *Client {
	d := *c
	d.limits = l.orDefaults()
	return &d
}

// Redact replaces every configured secret in s with "[REDACTED]".
func (c *Client) Redact(s string) string {
	for _, secret := range c.secrets {
		s = strings.ReplaceAll(s, secret, "[REDACTED]")
	}
	return s
}

// secretList keeps the secrets worth replacing, longest first, so a
// secret containing another is replaced whole.
func secretList(in []string) []string {
	var out []string
	for _, s := range in {
		if len(s) >= 4 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// Do sends req, retrying as the policy says, and returns the last
// response or error. A response it returns has a body that cancels the
// attempt's deadline when closed, so the caller must close it, as with
// [http.Client.Do]. The body of an error response (4xx, 5xx) has been read
// and redacted; any other body is capped at [Limits.MaxBody].
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	first, replay, err := bodies(req)
	if err != nil {
		return nil, c.fail(req, 1, err)
	}
	for attempt := 1; ; attempt++ {
		body := first
		if attempt > 1 && replay != nil {
			if body, err = replay(); err != nil {
				return nil, c.fail(req, attempt, fmt.Errorf("replay the request body: %w", err))
			}
		}
		resp, err := c.attempt(req, body)
		if ctx.Err() != nil {
			discard(resp)
			return nil, c.fail(req, attempt, ctx.Err())
		}
		if attempt >= c.policy.Attempts() || !retryable(resp, err) {
			return c.finish(req, attempt, resp, err)
		}
		wait := c.policy.Delay(attempt, c.retryAfter(resp))
		if !WaitFits(ctx, c.now(), wait) {
			c.log.Info("http: not retrying, the wait would pass the deadline",
				"url", c.url(req), "attempt", attempt, "wait", wait, "failure", c.failure(resp, err))
			return c.finish(req, attempt, resp, err)
		}
		c.log.Info("http: retrying", "url", c.url(req), "attempt", attempt, "wait", wait, "failure", c.failure(resp, err))
		discard(resp)
		if err := c.sleep(ctx, wait); err != nil {
			return nil, c.fail(req, attempt, err)
		}
	}
}

// bodies returns the body of the first attempt and a way to make the body
// of each later one. A request without GetBody has its body read into
// memory once, so it can be sent again.
func bodies(req *http.Request) (io.ReadCloser, func() (io.ReadCloser, error), error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req.Body, nil, nil
	}
	if req.GetBody != nil {
		return req.Body, req.GetBody, nil
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("read the request body: %w", err)
	}
	replay := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	first, _ := replay()
	return first, replay, nil
}

// attempt sends one copy of req with body, under its own deadline.
func (c *Client) attempt(req *http.Request, body io.ReadCloser) (*http.Response, error) {
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if c.limits.AttemptTimeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, c.limits.AttemptTimeout)
	}
	r := req.Clone(ctx)
	r.Body = body
	resp, err := c.http.Do(r)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &limitedBody{rc: resp.Body, cancel: cancel, max: c.limits.MaxBody}
	return resp, nil
}

// retryable: 429s, 5xx (but 501, which says the server never will) and
// transport failures, an attempt's own deadline among them; not other
// statuses, nor a refused redirect or a certificate that does not verify,
// which would fail the same way again.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		var cert *tls.CertificateVerificationError
		return !errors.Is(err, ErrCrossHostRedirect) && !errors.As(err, &cert)
	}
	s := resp.StatusCode
	return s == http.StatusTooManyRequests || (s >= 500 && s != http.StatusNotImplemented)
}

// finish returns what the last attempt got, errors redacted and an error
// response's body read and redacted, so that neither a log line nor an
// error message built from it can carry a secret the server echoed.
func (c *Client) finish(req *http.Request, attempts int, resp *http.Response, err error) (*http.Response, error) {
	if err != nil {
		return nil, c.fail(req, attempts, err)
	}
	if resp.StatusCode < 400 {
		return resp, nil
	}
	// Error bodies are short; a long one is cut rather than read whole.
	b, rerr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	if rerr != nil {
		b = append(b, "\n[error body cut short]"...)
	}
	b = []byte(c.Redact(string(b)))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// maxErrorBody is how much of an error response's body is kept.
const maxErrorBody = 64 << 10

// Error is a request that failed without a response, after Attempts
// attempts. Its message is redacted; Unwrap gives the cause.
type Error struct {
	Attempts int
	Err      error
	msg      string
}

// Error returns the redacted message.
func (e *Error) Error() string { return e.msg }

// Unwrap returns the cause, for [errors.Is] and [errors.As].
func (e *Error) Unwrap() error { return e.Err }

func (c *Client) fail(req *http.Request, attempts int, err error) error {
	msg := err.Error()
	// net/http's errors name the request already, others do not.
	if uerr := (*url.Error)(nil); !errors.As(err, &uerr) {
		msg = fmt.Sprintf("%s %s: %v", req.Method, c.url(req), err)
	}
	if attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", attempts)
	}
	return &Error{Attempts: attempts, Err: err, msg: c.Redact(msg)}
}

// url is req's URL fit for a log line: no password, no secret.
func (c *Client) url(req *http.Request) string {
	return c.Redact(req.URL.Redacted())
}

// failure describes what went wrong with an attempt, for the log.
func (c *Client) failure(resp *http.Response, err error) string {
	if err != nil {
		return c.Redact(err.Error())
	}
	return resp.Status
}

// retryAfter reads a response's Retry-After; 0 when there is none.
func (c *Client) retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	return ParseRetryAfter(resp.Header.Get("Retry-After"), c.now())
}

// ParseRetryAfter reads a Retry-After value: delay-seconds or an HTTP
// date. It returns 0 for an empty, malformed, negative or past value.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		switch {
		case !(secs > 0): // zero, negative or NaN
			return 0
		case secs > maxRetryAfter.Seconds():
			// Past any cap it makes no difference, and a huge number
			// would overflow the duration.
			return maxRetryAfter
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// maxRetryAfter bounds a parsed Retry-After; any cap a caller sets is
// smaller.
const maxRetryAfter = 24 * time.Hour

// discard drains a little of a response not handed on, so its connection
// can be reused, and closes it.
func discard(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// sameHost is the redirect policy: follow a redirect only to the same
// scheme and host, at most ten times. Go drops the Authorization header on
// a redirect to another host, but a 307 or 308 would still replay the
// whole prompt there.
func sameHost(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	from := via[0].URL
	if req.URL.Scheme != from.Scheme || !strings.EqualFold(req.URL.Host, from.Host) {
		return fmt.Errorf("%w: %s to %s", ErrCrossHostRedirect, origin(from), origin(req.URL))
	}
	return nil
}

func origin(u *url.URL) string { return u.Scheme + "://" + u.Host }

// limitedBody is a response body under its attempt's deadline, capped at
// max bytes; closing it ends the deadline.
type limitedBody struct {
	rc     io.ReadCloser
	cancel context.CancelFunc
	max    int64
	read   int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.read > b.max {
		return 0, ErrBodyTooLarge
	}
	// Read one byte past the cap, to tell a body of exactly max bytes from
	// a longer one.
	if room := b.max - b.read + 1; int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.rc.Read(p)
	b.read += int64(n)
	if b.read > b.max {
		return n - int(b.read-b.max), ErrBodyTooLarge
	}
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %w", ErrBodyInterrupted, err)
	}
	return n, err
}

func (b *limitedBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
