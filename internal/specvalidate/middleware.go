package specvalidate

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
)

// Middleware validates every request before next sees it, and the response
// next writes after it returns, and calls report with each failure (an
// [*Error], or an error reading the request body). Nothing is rejected:
// requests and responses pass through unchanged. report is called from the
// serving goroutines, so it must be safe for concurrent use.
//
// The response writer given to next captures the status, the header as it
// was when the status was written, and the body; it passes Flush and Hijack
// through, so server-sent events stream as they are written. When next
// hijacks the connection or panics (for example with [http.ErrAbortHandler])
// the response is cut short: a text/event-stream response is then checked
// up to its last complete event and any other response is not checked. When
// next writes nothing because the client has gone (the request's context is
// done), there is no response to check.
func (v *Validator) Middleware(next http.Handler, report func(error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(r)
		if err != nil {
			report(fmt.Errorf("validate request %s %s: %w", r.Method, r.URL.Path, err))
		} else if err := v.validateRequest(r, body); err != nil {
			report(err)
		}
		// Keep the request as it arrived, in case next changes it.
		orig := r.Clone(r.Context())

		rec := &recorder{w: w}
		completed := false
		defer func() {
			if !completed {
				// next panicked: check what reached the client, and let the
				// panic go on.
				rec.aborted = true
			}
			if err := rec.validate(v, orig); err != nil {
				report(err)
			}
		}()
		next.ServeHTTP(rec, r)
		completed = true
	})
}

// recorder is the http.ResponseWriter that [Validator.Middleware] gives the
// handler: it writes through to w and keeps a copy of what was written.
type recorder struct {
	w       http.ResponseWriter
	status  int
	header  http.Header
	body    bytes.Buffer
	aborted bool // the handler hijacked the connection or panicked
}

var (
	_ http.Flusher  = (*recorder)(nil)
	_ http.Hijacker = (*recorder)(nil)
)

// Header returns the header of the underlying writer.
func (rec *recorder) Header() http.Header { return rec.w.Header() }

// WriteHeader records the status and a copy of the header, then writes them.
// Informational (1xx) statuses pass through unrecorded.
func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 && status >= 200 {
		rec.status = status
		rec.header = rec.w.Header().Clone()
	}
	rec.w.WriteHeader(status)
}

// Write records p and writes it, first writing a 200 status if none was
// written, with the content type net/http would sniff from p.
func (rec *recorder) Write(p []byte) (int, error) {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
		_, typed := rec.header["Content-Type"]
		if !typed && rec.header.Get("Transfer-Encoding") == "" && len(p) > 0 {
			rec.header.Set("Content-Type", http.DetectContentType(p))
		}
	}
	n, err := rec.w.Write(p)
	rec.body.Write(p[:n])
	return n, err
}

// Flush sends what has been written so far to the client.
func (rec *recorder) Flush() {
	if rec.status == 0 {
		rec.WriteHeader(http.StatusOK)
	}
	// An unflushable writer buffers until the handler returns; there is no
	// error to report through http.Flusher.
	_ = http.NewResponseController(rec.w).Flush()
}

// Hijack hands the connection to the handler; the response is then checked
// only as far as it was written through the recorder.
func (rec *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(rec.w).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("hijack: %w", err)
	}
	rec.aborted = true
	return conn, rw, nil
}

// Unwrap returns the underlying writer, for [http.ResponseController].
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.w }

// validate checks the recorded response to r.
func (rec *recorder) validate(v *Validator, r *http.Request) error {
	if rec.aborted {
		if rec.status == 0 || !isEventStream(rec.header) {
			return nil
		}
		return v.ValidateResponse(r, rec.status, rec.header, rec.body.Bytes())
	}
	if rec.status == 0 {
		if r.Context().Err() != nil {
			// The client went away and the handler gave up: nothing was sent.
			return nil
		}
		// The handler wrote nothing: net/http sends an empty 200.
		return v.ValidateResponse(r, http.StatusOK, rec.w.Header().Clone(), nil)
	}
	return v.ValidateResponse(r, rec.status, rec.header, rec.body.Bytes())
}
