package specvalidate

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// reports collects what Middleware reports, safely across goroutines.
type reports struct {
	mu   sync.Mutex
	errs []error
}

func (r *reports) add(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

func (r *reports) get() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

func TestMiddleware(t *testing.T) {
	t.Parallel()
	sse := func(w http.ResponseWriter, events ...string) {
		w.Header().Set("Content-Type", "text/event-stream")
		for _, e := range events {
			fmt.Fprintf(w, "data: %s\n\n", e)
			w.(http.Flusher).Flush()
		}
	}
	tests := []struct {
		name    string
		body    string
		handler http.HandlerFunc
		want    []string // a substring of each report, in order
	}{
		{
			name: "valid json",
			body: validChat,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, validChatResp)
			},
		},
		{
			name: "invalid request and response",
			body: `{"model":"m","messages":"hi"}`,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"object":"chat.completion"}`)
			},
			want: []string{"request POST /v1/chat/completions", "response 200 to POST /v1/chat/completions"},
		},
		{
			name: "sniffed content type",
			body: validChat,
			handler: func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, validChatResp)
			},
			want: []string{"text/plain"},
		},
		{
			name: "undocumented error status",
			body: validChat,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				io.WriteString(w, errorBody)
			},
		},
		{
			name: "stream",
			body: validChat,
			handler: func(w http.ResponseWriter, r *http.Request) {
				sse(w, validChunk, lastChunk, "[DONE]")
			},
		},
		{
			name: "stream with bad chunk",
			body: validChat,
			handler: func(w http.ResponseWriter, r *http.Request) {
				sse(w, validChunk, `{"object":"chat.completion.chunk"}`, "[DONE]")
			},
			want: []string{"event 1"},
		},
		{
			name: "stream hijacked mid-event",
			body: validChat,
			handler: func(w http.ResponseWriter, r *http.Request) {
				sse(w, validChunk)
				io.WriteString(w, `data: {"id":`)
				w.(http.Flusher).Flush()
				conn, _, err := w.(http.Hijacker).Hijack()
				if err != nil {
					t.Errorf("hijack: %v", err)
					return
				}
				conn.Close()
			},
		},
		{
			name: "json aborted",
			body: validChat,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"id":`)
				panic(http.ErrAbortHandler)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Require(t, openAISpec)
			var got reports
			var seen string
			srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, err := io.ReadAll(r.Body)
				if err != nil {
					t.Errorf("handler read body: %v", err)
				}
				seen = string(b)
				tt.handler(w, r)
			}), got.add))
			defer srv.Close()

			req, err := http.NewRequest("POST", srv.URL+"/v1/chat/completions", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer sk-test")
			resp, err := srv.Client().Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			srv.Close() // waits for the handler, and so for the reports

			if seen != tt.body {
				t.Errorf("handler read body %q, want %q", seen, tt.body)
			}
			errs := got.get()
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d reports %v, want %d", len(errs), errs, len(tt.want))
			}
			for i, err := range errs {
				if !strings.Contains(err.Error(), tt.want[i]) {
					t.Errorf("report %d = %v, want it to contain %q", i, err, tt.want[i])
				}
			}
		})
	}
}
