package fakediscord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Request is one REST request the fake received, with the answer it gave.
type Request struct {
	// N orders requests and gateway frames in one exchange.
	N int64
	// Time is when the request arrived.
	Time time.Time
	// Method is the HTTP method.
	Method string
	// Path is the URL path, e.g. /api/v9/channels/1/messages.
	Path string
	// Query is the parsed query string.
	Query url.Values
	// Header is the request header.
	Header http.Header
	// ContentType is the media type of the body, without parameters.
	ContentType string
	// JSON is the JSON body, or the payload_json part of a multipart body.
	JSON json.RawMessage
	// Body is JSON decoded into maps, slices and float64s; nil without one.
	Body any
	// Files are the file parts of a multipart body.
	Files []File
	// Status is the HTTP status of the response.
	Status int
	// Response is the response body.
	Response json.RawMessage
	// Fault is true when [Server.FailNext] answered the request.
	Fault bool
}

// File is a file part of a multipart request.
type File struct {
	// Field is the form field name, e.g. files[0].
	Field string
	// Name is the file name.
	Name string
	// ContentType is the part's content type.
	ContentType string
	// Size is the length of the content in bytes.
	Size int
}

// Decode unmarshals the request's JSON body into v.
func (r Request) Decode(v any) error {
	if len(r.JSON) == 0 {
		return fmt.Errorf("decode %s %s: no JSON body", r.Method, r.Path)
	}
	if err := json.Unmarshal(r.JSON, v); err != nil {
		return fmt.Errorf("decode %s %s: %w", r.Method, r.Path, err)
	}
	return nil
}

// Endpoint is the path below the API version, e.g. /channels/1/messages.
func (r Request) Endpoint() string { return endpoint(r.Path) }

// endpoint strips the /api/vN prefix from path.
func endpoint(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v")
	if !ok {
		return path
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 {
		return path
	}
	return rest[i:]
}

// Match returns a predicate for requests with the method (any if empty) whose
// [Request.Endpoint] matches pattern, where a "*" segment matches any one
// segment: Match("PATCH", "/webhooks/*/*/messages/@original").
func Match(method, pattern string) func(Request) bool {
	return func(r Request) bool { return matches(method, pattern, r.Method, r.Path) }
}

// MatchHTTP is [Match] for raw requests, as [Server.FailNext] takes.
func MatchHTTP(method, pattern string) func(*http.Request) bool {
	return func(r *http.Request) bool { return matches(method, pattern, r.Method, r.URL.Path) }
}

func matches(wantMethod, pattern, method, path string) bool {
	if wantMethod != "" && !strings.EqualFold(wantMethod, method) {
		return false
	}
	want := strings.Split(strings.Trim(pattern, "/"), "/")
	got := strings.Split(strings.Trim(endpoint(path), "/"), "/")
	if len(want) != len(got) {
		return false
	}
	for i := range want {
		if want[i] != "*" && want[i] != got[i] {
			return false
		}
	}
	return true
}

// parseBody fills the body fields of rec from a raw body.
func parseBody(rec *Request, header http.Header, body []byte) {
	ct := header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = ct
	}
	rec.ContentType = mt
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(p)
			if p.FormName() == "payload_json" {
				rec.JSON = buf.Bytes()
				continue
			}
			rec.Files = append(rec.Files, File{Field: p.FormName(), Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Size: buf.Len()})
		}
	case len(bytes.TrimSpace(body)) > 0:
		rec.JSON = body
	}
	if len(rec.JSON) > 0 {
		_ = json.Unmarshal(rec.JSON, &rec.Body)
	}
}

// Requests returns the REST requests received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requestsLocked()
}

func (s *Server) requestsLocked() []Request {
	out := append([]Request(nil), s.requests...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].N < out[j].N })
	return out
}

// WaitFor returns the first request, already answered or yet to come, for which
// match is true, or an error when ctx ends first.
func (s *Server) WaitFor(ctx context.Context, match func(Request) bool) (Request, error) {
	got, err := s.WaitForN(ctx, 1, match)
	if err != nil {
		return Request{}, err
	}
	return got[0], nil
}

// WaitForN waits until n answered requests match and returns the first n.
func (s *Server) WaitForN(ctx context.Context, n int, match func(Request) bool) ([]Request, error) {
	var got []Request
	err := s.waitUntil(ctx, func() bool {
		got = got[:0]
		for _, r := range s.requestsLocked() {
			if match(r) {
				got = append(got, r)
			}
		}
		return len(got) >= n
	})
	if err != nil {
		return nil, fmt.Errorf("wait for %d requests (have %d): %w", n, len(got), err)
	}
	return got[:n], nil
}

// Transcript renders the exchange in order: gateway frames other than
// heartbeats, and REST requests with their bodies and statuses. Tokens are
// redacted.
func (s *Server) Transcript() string {
	s.mu.Lock()
	reqs := s.requestsLocked()
	frames := append([]Frame(nil), s.frames...)
	s.mu.Unlock()

	type line struct {
		n    int64
		text string
	}
	var lines []line
	for _, r := range reqs {
		var b strings.Builder
		target := r.Path
		if len(r.Query) > 0 {
			target += "?" + r.Query.Encode()
		}
		fault := ""
		if r.Fault {
			fault = " (injected)"
		}
		fmt.Fprintf(&b, "%s %s %s -> %d%s", s.offset(r.Time), r.Method, target, r.Status, fault)
		if len(r.JSON) > 0 {
			fmt.Fprintf(&b, "\n        > %s", compact(r.JSON))
		}
		for _, f := range r.Files {
			fmt.Fprintf(&b, "\n        > file %s %q (%s, %d bytes)", f.Field, f.Name, f.ContentType, f.Size)
		}
		if len(r.Response) > 0 && (r.Status >= 400 || r.Method != http.MethodGet) {
			fmt.Fprintf(&b, "\n        < %s", compact(r.Response))
		}
		lines = append(lines, line{r.N, b.String()})
	}
	for _, f := range frames {
		dir := "gateway <-"
		if f.FromFake {
			dir = "gateway ->"
		}
		name := opName(f.Op)
		if f.T != "" {
			name = f.T
		}
		seq := ""
		if f.S > 0 {
			seq = fmt.Sprintf(" s=%d", f.S)
		}
		text := fmt.Sprintf("%s %s op=%d %s%s", s.offset(f.Time), dir, f.Op, name, seq)
		if len(f.D) > 0 && string(f.D) != "null" {
			text += "\n        " + compact(redactToken(f.D))
		}
		lines = append(lines, line{f.N, text})
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].n < lines[j].n })
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return b.String()
}

func (s *Server) offset(t time.Time) string {
	return fmt.Sprintf("+%7.3fs", t.Sub(s.start).Seconds())
}

func compact(raw []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	const max = 4000
	if b.Len() > max {
		return b.String()[:max] + "…"
	}
	return b.String()
}

// redactToken replaces a top-level "token" field of a JSON object.
func redactToken(raw []byte) []byte {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m["token"] == nil {
		return raw
	}
	m["token"] = json.RawMessage(`"REDACTED"`)
	out, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return out
}

func opName(op int) string {
	switch op {
	case opDispatch:
		return "DISPATCH"
	case opHeartbeat:
		return "HEARTBEAT"
	case opIdentify:
		return "IDENTIFY"
	case opPresenceUpdate:
		return "PRESENCE_UPDATE"
	case opResume:
		return "RESUME"
	case opReconnect:
		return "RECONNECT"
	case opRequestGuildMembers:
		return "REQUEST_GUILD_MEMBERS"
	case opInvalidSession:
		return "INVALID_SESSION"
	case opHello:
		return "HELLO"
	case opHeartbeatACK:
		return "HEARTBEAT_ACK"
	}
	return "UNKNOWN"
}
