package httpretry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// script is a test server that answers its requests in turn with the
// handlers given, then with 200 "ok", and records what it was sent.
type script struct {
	srv *httptest.Server

	mu     sync.Mutex
	steps  []http.HandlerFunc
	bodies []string
}

func newScript(t *testing.T, steps ...http.HandlerFunc) *script {
	t.Helper()
	s := &script{steps: steps}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies)
		s.bodies = append(s.bodies, string(b))
		var h http.HandlerFunc
		if n < len(s.steps) {
			h = s.steps[n]
		}
		s.mu.Unlock()
		if h == nil {
			fmt.Fprint(w, "ok")
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *script) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

func status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"error":{"message":"status %d"}}`, code)
	}
}

// hang answers nothing until the client gives up.
func hang(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// recorder is a Sleep that records the waits and returns at once.
type recorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits = append(r.waits, d)
	return ctx.Err()
}

func (r *recorder) got() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

func post(tb testing.TB, ctx context.Context, c *Client, url, body string) (*http.Response, string, error) {
	tb.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

func TestRetries(t *testing.T) {
	now := time.Date(2025, 5, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		policy     Policy
		steps      []http.HandlerFunc
		wantStatus int
		wantReqs   int
		wantWaits  []time.Duration // exact; nil checks only how many
		nWaits     int
	}{
		{"429 honours Retry-After seconds", Policy{}, []http.HandlerFunc{status(429, "Retry-After", "2")}, 200, 2, []time.Duration{2 * time.Second}, 1},
		{"503 honours a Retry-After date", Policy{}, []http.HandlerFunc{status(503, "Retry-After", now.Add(7*time.Second).Format(http.TimeFormat))}, 200, 2, []time.Duration{7 * time.Second}, 1},
		{"Retry-After is capped", Policy{MaxBackoff: 3 * time.Second}, []http.HandlerFunc{status(429, "Retry-After", "3600")}, 200, 2, []time.Duration{3 * time.Second}, 1},
		{"5xx retried", Policy{}, []http.HandlerFunc{status(500), status(502)}, 200, 3, nil, 2},
		{"gives up after the retries", Policy{Retries: 2}, []http.HandlerFunc{status(500), status(500), status(500), status(500)}, 500, 3, nil, 2},
		{"no retries", Policy{Retries: -1}, []http.HandlerFunc{status(500)}, 500, 1, nil, 0},
		{"400 not retried", Policy{}, []http.HandlerFunc{status(400)}, 400, 1, nil, 0},
		{"401 not retried", Policy{}, []http.HandlerFunc{status(401)}, 401, 1, nil, 0},
		{"404 not retried", Policy{}, []http.HandlerFunc{status(404)}, 404, 1, nil, 0},
		{"501 not retried", Policy{}, []http.HandlerFunc{status(501)}, 501, 1, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScript(t, tt.steps...)
			rec := &recorder{}
			c := New(Config{Policy: tt.policy, Sleep: rec.sleep, Now: func() time.Time { return now }})
			resp, _, err := post(t, context.Background(), c, s.srv.URL, "prompt")
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := len(s.requests()); got != tt.wantReqs {
				t.Errorf("%d requests, want %d", got, tt.wantReqs)
			}
			waits := rec.got()
			if len(waits) != tt.nWaits {
				t.Errorf("waits %v, want %d", waits, tt.nWaits)
			}
			for i, w := range tt.wantWaits {
				if i < len(waits) && waits[i] != w {
					t.Errorf("wait %d = %s, want %s", i, waits[i], w)
				}
			}
		})
	}
}

func TestPolicyDelay(t *testing.T) {
	p := Policy{Backoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	for n := 1; n <= 6; n++ {
		ceiling := min(100*time.Millisecond<<(n-1), time.Second)
		var top time.Duration
		for range 500 {
			d := p.Delay(n, 0)
			if d < 0 || d > ceiling {
				t.Fatalf("retry %d waited %s, want within [0, %s]", n, d, ceiling)
			}
			top = max(top, d)
		}
		// Full jitter spreads the waits over the whole range: after 500
		// draws the longest is near the ceiling, not stuck at its half.
		if top < ceiling*9/10 {
			t.Errorf("retry %d: longest of 500 waits %s, want close to %s", n, top, ceiling)
		}
	}
	if d := p.Delay(200, 0); d > time.Second {
		t.Errorf("retry 200 waited %s, want the cap", d)
	}
	if d := p.Delay(1, 4*time.Second); d != time.Second {
		t.Errorf("Retry-After 4s waited %s, want the 1s cap", d)
	}
	if d := p.Delay(3, 300*time.Millisecond); d != 300*time.Millisecond {
		t.Errorf("Retry-After 300ms waited %s", d)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 5, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{"0.5", 500 * time.Millisecond},
		{"Sat, 10 May 2025 12:00:07 GMT", 7 * time.Second},
		{"Sat, 10 May 2025 11:00:00 GMT", 0},
		{"soon", 0},
		{"-4", 0},
		{"NaN", 0},
		{"1e300", maxRetryAfter},
	}
	for _, tt := range tests {
		if got := ParseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("ParseRetryAfter(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// A retried request sends the same body again, whether the request can
// rebuild its body (GetBody) or not.
func TestReplaysBody(t *testing.T) {
	for _, getBody := range []bool{true, false} {
		t.Run(fmt.Sprintf("GetBody=%v", getBody), func(t *testing.T) {
			s := newScript(t, status(500), status(503))
			c := New(Config{Sleep: (&recorder{}).sleep})
			var body io.Reader = strings.NewReader(`{"prompt":"who spoke with Munir?"}`)
			if !getBody {
				body = io.MultiReader(body) // a type NewRequest cannot rewind
			}
			req, _ := http.NewRequest(http.MethodPost, s.srv.URL, body)
			if (req.GetBody != nil) != getBody {
				t.Fatalf("GetBody set %v, want %v", req.GetBody != nil, getBody)
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := s.requests()
			if len(got) != 3 {
				t.Fatalf("%d requests, want 3", len(got))
			}
			for i, b := range got {
				if b != `{"prompt":"who spoke with Munir?"}` {
					t.Errorf("request %d sent %q, want the whole body again", i, b)
				}
			}
		})
	}
}

// A connection cut before any response is a transport error, and retried.
func TestRetriesTransportErrors(t *testing.T) {
	cut := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		conn.Close()
	}
	s := newScript(t, cut, cut)
	rec := &recorder{}
	c := New(Config{Sleep: rec.sleep})
	resp, body, err := post(t, context.Background(), c, s.srv.URL, "x")
	if err != nil || resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("got %v %q, want 200 ok on the third attempt", err, body)
	}
	if n := len(rec.got()); n != 2 {
		t.Errorf("%d waits, want 2", n)
	}

	// A server that is gone fails every attempt; the error says how many.
	s.srv.Close()
	rec = &recorder{}
	c = New(Config{Policy: Policy{Retries: 2}, Sleep: rec.sleep})
	_, _, err = post(t, context.Background(), c, s.srv.URL, "x")
	var herr *Error
	if !errors.As(err, &herr) || herr.Attempts != 3 || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %v, want one naming 3 attempts", err)
	}
}

// Each attempt has its own deadline: a hung first attempt is given up in
// time for a second.
func TestAttemptTimeout(t *testing.T) {
	s := newScript(t, hang)
	c := New(Config{Limits: Limits{AttemptTimeout: 100 * time.Millisecond}, Sleep: (&recorder{}).sleep})
	start := time.Now()
	resp, body, err := post(t, context.Background(), c, s.srv.URL, "x")
	if err != nil || resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("got %v %q, want the second attempt's answer", err, body)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %s for a 100ms attempt deadline", took)
	}
	if n := len(s.requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// The attempt deadline covers reading the body, and a body cut short says
// so: the response began, so the client could not retry it.
func TestBodyInterrupted(t *testing.T) {
	s := newScript(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		fmt.Fprint(w, "partial")
		_ = http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	c := New(Config{Limits: Limits{AttemptTimeout: 200 * time.Millisecond}})
	_, body, err := post(t, context.Background(), c, s.srv.URL, "x")
	if !errors.Is(err, ErrBodyInterrupted) || body != "partial" {
		t.Errorf("got %q, %v; want ErrBodyInterrupted", body, err)
	}
}

// No wait runs past the context's deadline: when the next wait would, the
// last response is returned at once.
func TestNeverWaitsPastDeadline(t *testing.T) {
	s := newScript(t, status(429, "Retry-After", "5"))
	rec := &recorder{}
	c := New(Config{Policy: Policy{MaxBackoff: 10 * time.Second}, Sleep: rec.sleep})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	resp, _, err := post(t, ctx, c, s.srv.URL, "x")
	if err != nil || resp.StatusCode != 429 {
		t.Fatalf("got %v, want the 429 handed back", err)
	}
	if w := rec.got(); len(w) != 0 {
		t.Errorf("waited %v past a 1s deadline", w)
	}

	// Nor does an attempt: the context's deadline bounds it too.
	s = newScript(t, hang)
	c = New(Config{Limits: Limits{AttemptTimeout: time.Minute}, Sleep: rec.sleep})
	ctx, cancel = context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = post(t, ctx, c, s.srv.URL, "x")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("got %v after %s, want the context's deadline", err, time.Since(start))
	}
}

func TestRedirects(t *testing.T) {
	var elsewhere int
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere++ }))
	defer other.Close()
	s := newScript(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/moved", http.StatusTemporaryRedirect)
	}, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal", http.StatusTemporaryRedirect)
	})
	rec := &recorder{}
	c := New(Config{Sleep: rec.sleep})
	// The first redirect stays on the host and is followed, with the body;
	// the second leaves it and is refused, and not retried.
	_, _, err := post(t, context.Background(), c, s.srv.URL, "the prompt")
	if !errors.Is(err, ErrCrossHostRedirect) {
		t.Fatalf("error %v, want ErrCrossHostRedirect", err)
	}
	if got := s.requests(); len(got) != 2 || got[1] != "the prompt" {
		t.Errorf("requests %q, want the same-host redirect followed with the body", got)
	}
	if elsewhere != 0 || len(rec.got()) != 0 {
		t.Errorf("the other host got %d requests, %d retries; want none", elsewhere, len(rec.got()))
	}
}

func TestMaxBody(t *testing.T) {
	s := newScript(t,
		func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "0123456789") },
		func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "0123456789!") },
	)
	c := New(Config{Limits: Limits{MaxBody: 10}})
	if _, body, err := post(t, context.Background(), c, s.srv.URL, "x"); err != nil || body != "0123456789" {
		t.Errorf("a body of exactly the cap: %q, %v", body, err)
	}
	if _, body, err := post(t, context.Background(), c, s.srv.URL, "x"); !errors.Is(err, ErrBodyTooLarge) || len(body) > 10 {
		t.Errorf("a body past the cap: %d bytes, %v; want ErrBodyTooLarge", len(body), err)
	}
	// WithLimits changes the cap for its own requests only.
	if _, _, err := post(t, context.Background(), c.WithLimits(Limits{MaxBody: 100}), s.srv.URL, "x"); err != nil {
		t.Errorf("with a larger cap: %v", err)
	}
}

// The secrets never appear in a log line, an error or an error body the
// client hands on, even from a server that echoes them.
func TestRedactsSecrets(t *testing.T) {
	const key, password = "sk-live-0123456789", "hunter2-pass"
	echo := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		fmt.Fprintf(w, `{"error":{"message":"bad key %s for %s"}}`, r.Header.Get("Authorization"), r.URL.User)
	}
	s := newScript(t, echo, echo)
	var logs bytes.Buffer
	c := New(Config{
		Policy:  Policy{Retries: 1},
		Secrets: []string{key, password, "", "x"},
		Log:     slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Sleep:   (&recorder{}).sleep,
	})
	u := strings.Replace(s.srv.URL, "http://", "http://bot:"+password+"@", 1)
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader("x"))
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(body), key) || !strings.Contains(string(body), "Bearer [REDACTED]") {
		t.Errorf("error body %s, want the key redacted", body)
	}

	// A failure without a response names the URL: without its password.
	s.srv.Close()
	_, err = c.Do(req.Clone(context.Background()))
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	for _, out := range []string{logs.String(), err.Error()} {
		if strings.Contains(out, key) || strings.Contains(out, password) {
			t.Errorf("a secret leaked:\n%s", out)
		}
	}
	if !strings.Contains(logs.String(), "http: retrying") {
		t.Errorf("no retry logged:\n%s", logs.String())
	}
}

func TestPolicyAttempts(t *testing.T) {
	for _, tt := range []struct {
		p    Policy
		want int
	}{
		{Policy{}, DefaultRetries + 1},
		{Policy{Retries: 1}, 2},
		{Policy{Retries: -1}, 1},
		// Defaults applied twice change nothing: "none" stays none.
		{Policy{Retries: -1}.OrDefaults().OrDefaults(), 1},
	} {
		if got := tt.p.Attempts(); got != tt.want {
			t.Errorf("%+v.Attempts() = %d, want %d", tt.p, got, tt.want)
		}
	}
}
