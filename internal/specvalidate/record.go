package specvalidate

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"unicode/utf8"
)

// RecordEnv is the environment variable that, set to a directory, makes
// [LoadDiscord] and [LoadOpenAI] record every request and response their
// Validator checks there (see [WithRecordDir]). The equivalence test's
// corpus of exchanges under testdata/exchanges is built from such a
// recording of the whole test suite: make exchanges.
const RecordEnv = "CRISISBOT_SPEC_RECORD"

// WithRecordDir makes the Validator append every request and response it
// checks, as one JSON [Exchange] a line, to a new file in dir named after
// the document. Authorization credentials are replaced by "redacted". A
// Validator that cannot write its record fails to load, or, on a later
// write, stops recording.
func WithRecordDir(dir string) Option {
	return func(o *options) {
		o.recordDir = dir
	}
}

// Exchange is one request, or one response with the request it answers,
// as a Validator checked it.
type Exchange struct {
	// Doc is the base name of the document it was checked against, such
	// as "discord-openapi.json".
	Doc string `json:"doc"`
	// Kind is KindRequest or KindResponse.
	Kind string `json:"kind"`
	// Method and URL are the request's, before any prefix rewrite; URL is
	// the path and query.
	Method string `json:"method"`
	URL    string `json:"url"`
	// Header is the request's header.
	Header http.Header `json:"header,omitempty"`
	// Body is the request's body; empty for a response.
	Body Body `json:"body,omitempty"`
	// Status, ResponseHeader and ResponseBody are the response's; zero for
	// a request.
	Status         int         `json:"status,omitempty"`
	ResponseHeader http.Header `json:"response_header,omitempty"`
	ResponseBody   Body        `json:"response_body,omitempty"`
}

// Body is an HTTP body. It is written in JSON as a string when it is valid
// UTF-8, and otherwise as {"base64": "..."}.
type Body []byte

// MarshalJSON implements [json.Marshaler].
func (b Body) MarshalJSON() ([]byte, error) {
	if utf8.Valid(b) {
		return json.Marshal(string(b))
	}
	return json.Marshal(map[string]string{"base64": base64.StdEncoding.EncodeToString(b)})
}

// UnmarshalJSON implements [json.Unmarshaler].
func (b *Body) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*b = Body(s)
		return nil
	}
	var enc struct {
		Base64 string `json:"base64"`
	}
	if err := json.Unmarshal(data, &enc); err != nil {
		return fmt.Errorf("body: want a string or {\"base64\": ...}: %w", err)
	}
	raw, err := base64.StdEncoding.DecodeString(enc.Base64)
	if err != nil {
		return fmt.Errorf("body: %w", err)
	}
	*b = raw
	return nil
}

// Request returns the request e records, addressed to 127.0.0.1.
func (e Exchange) Request() (*http.Request, error) {
	r, err := http.NewRequest(e.Method, "http://127.0.0.1"+e.URL, bytes.NewReader(e.Body))
	if err != nil {
		return nil, fmt.Errorf("exchange %s %s: %w", e.Method, e.URL, err)
	}
	r.Header = e.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	return r, nil
}

// Validate checks e with v as it was first checked: the request, or the
// response to it.
func (v *Validator) Validate(e Exchange) error {
	r, err := e.Request()
	if err != nil {
		return err
	}
	if e.Kind == KindResponse {
		return v.ValidateResponse(r, e.Status, e.ResponseHeader, e.ResponseBody)
	}
	return v.ValidateRequest(r)
}

// exchangeLog appends exchanges to a file, one JSON object a line.
type exchangeLog struct {
	doc string

	mu sync.Mutex
	f  *os.File // nil once a write has failed
}

// newExchangeLog creates a file for doc's exchanges in dir.
func newExchangeLog(dir, doc string) (*exchangeLog, error) {
	base := strings.TrimSuffix(doc, ".json")
	f, err := os.CreateTemp(dir, base+"-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("record exchanges: %w", err)
	}
	return &exchangeLog{doc: doc, f: f}, nil
}

// record appends e. Each exchange goes out in one write, so a test binary
// that exits without closing the file loses nothing already recorded.
func (rec *exchangeLog) record(e Exchange) {
	if rec == nil {
		return
	}
	e.Doc = rec.doc
	e.Header = redact(e.Header)
	line, err := json.Marshal(e)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.f == nil {
		return
	}
	if err == nil {
		_, err = rec.f.Write(append(line, '\n'))
	}
	if err != nil {
		_ = rec.f.Close()
		rec.f = nil
	}
}

// recordFromEnv returns [WithRecordDir] for the directory [RecordEnv]
// names, or nothing when it is unset.
func recordFromEnv() []Option {
	if dir := os.Getenv(RecordEnv); dir != "" {
		return []Option{WithRecordDir(dir)}
	}
	return nil
}

// redact returns a copy of h whose Authorization credentials read
// "redacted", keeping the scheme ("Bot", "Bearer").
func redact(h http.Header) http.Header {
	h = h.Clone()
	for i, v := range h.Values("Authorization") {
		scheme, _, ok := strings.Cut(v, " ")
		if !ok {
			scheme = ""
		} else {
			scheme += " "
		}
		h["Authorization"][i] = scheme + "redacted"
	}
	return h
}
