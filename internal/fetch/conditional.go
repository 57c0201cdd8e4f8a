package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// Validators are what a server said about a document last time — its
// ETag and Last-Modified headers — sent back as If-None-Match and
// If-Modified-Since so that an unchanged document is not sent again.
type Validators struct {
	ETag         string
	LastModified string
}

// Stream is a document [Fetcher.Open] is reading: its body is read as it
// arrives, never held whole, and fails once it passes [Config.MaxBytes].
type Stream struct {
	// Body is the document; nil when NotModified. Close it.
	Body io.ReadCloser
	// ContentType is the server's Content-Type header.
	ContentType string
	// URL is the final URL, after redirects.
	URL string
	// Validators are the response's ETag and Last-Modified, for the next
	// conditional request.
	Validators Validators
	// NotModified reports a 304 answer: the document has not changed
	// since the validators sent.
	NotModified bool
}

// Open starts a conditional GET of rawURL under the rules of
// [Fetcher.Fetch] — schemes, addresses checked as dialled, redirects, and
// the time limit, which runs until the body is closed — and returns the
// body as a stream, so that a feed is parsed as it arrives and a huge one
// is refused at [Config.MaxBytes] without being held. A 304 answer comes
// back with NotModified set and no body.
func (f *Fetcher) Open(ctx context.Context, rawURL, accept string, v Validators) (Stream, error) {
	u, err := f.checkURL(rawURL)
	if err != nil {
		return Stream{}, fmt.Errorf("fetch %s: %w", displayURL(rawURL, u), err)
	}
	display := u.Redacted()
	tctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, u.String(), nil)
	if err != nil {
		cancel()
		return Stream{}, usererr.Wrap(fmt.Errorf("fetch %s: %w", display, err), "That is not a web link crisisbot can fetch.")
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", accept)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	client := &http.Client{Transport: f.transport, CheckRedirect: f.checkRedirect}
	resp, err := client.Do(req)
	if err != nil {
		defer cancel()
		return Stream{}, f.describe(ctx, tctx, display, "feed", err)
	}
	s := Stream{
		ContentType: resp.Header.Get("Content-Type"),
		URL:         resp.Request.URL.String(),
		Validators:  Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
	}
	if resp.StatusCode == http.StatusNotModified {
		resp.Body.Close()
		cancel()
		s.NotModified = true
		s.Validators = v.merge(s.Validators)
		return s, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body.Close()
		cancel()
		return Stream{}, usererr.Wrap(fmt.Errorf("fetch %s: server answered %s", display, resp.Status),
			fmt.Sprintf("That feed could not be fetched: the server answered %d.", resp.StatusCode))
	}
	if resp.ContentLength > f.cfg.MaxBytes {
		resp.Body.Close()
		cancel()
		return Stream{}, usererr.Wrap(fmt.Errorf("fetch %s: body of %s is over the %s limit", display, corpus.ByteSize(resp.ContentLength), corpus.ByteSize(f.cfg.MaxBytes)),
			fmt.Sprintf("That feed is larger than the %s limit.", corpus.ByteSize(f.cfg.MaxBytes)))
	}
	s.Body = &capped{body: resp.Body, left: f.cfg.MaxBytes, max: f.cfg.MaxBytes, display: display, cancel: cancel}
	return s, nil
}

// CheckURL refuses, as [Fetcher.Fetch] would before connecting, a URL it
// may not fetch: another scheme than http or https, user info, no host, or
// a host written as a forbidden address. A host name's addresses are
// checked only when dialled.
func (f *Fetcher) CheckURL(rawURL string) error {
	_, err := f.checkURL(rawURL)
	return err
}

// merge keeps v's validators where a 304 answer does not repeat them.
func (v Validators) merge(got Validators) Validators {
	if got.ETag == "" {
		got.ETag = v.ETag
	}
	if got.LastModified == "" {
		got.LastModified = v.LastModified
	}
	return got
}

// ErrTooLarge is wrapped by the error a [Stream]'s body returns once it
// has passed [Config.MaxBytes].
var ErrTooLarge = errors.New("body over the size limit")

// capped is a response body that fails past max bytes and ends the
// fetch's time limit when closed.
type capped struct {
	body    io.ReadCloser
	left    int64
	max     int64
	display string
	cancel  context.CancelFunc
}

// Read reads from the body, failing with [ErrTooLarge] once more than the
// limit has arrived.
func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, c.tooLarge()
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.body.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n - int(-c.left), c.tooLarge()
	}
	return n, err
}

func (c *capped) tooLarge() error {
	return usererr.Wrap(fmt.Errorf("fetch %s: %w of %s", c.display, ErrTooLarge, corpus.ByteSize(c.max)),
		fmt.Sprintf("That feed is larger than the %s limit.", corpus.ByteSize(c.max)))
}

// Close closes the body and ends the fetch's time limit.
func (c *capped) Close() error {
	err := c.body.Close()
	c.cancel()
	return err
}
