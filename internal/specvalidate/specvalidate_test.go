package specvalidate

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Each document loads once per test binary; the tests that need one run in
// parallel so the two loads overlap.
var (
	openAISpec  = sync.OnceValues(LoadOpenAI)
	discordSpec = sync.OnceValues(LoadDiscord)
)

// preloadSpecs starts loading both documents at once, so that the loads
// overlap whichever test asks for one first.
func preloadSpecs() {
	go openAISpec()
	go discordSpec()
}

const (
	validChat     = `{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hi"}]}`
	validChatResp = `{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",` +
		`"choices":[{"index":0,"message":{"role":"assistant","content":"hello","refusal":null},"finish_reason":"stop","logprobs":null}],` +
		`"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}`
	validChunk = `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",` +
		`"choices":[{"index":0,"delta":{"role":"assistant","content":"hel"},"finish_reason":null}]}`
	lastChunk = `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",` +
		`"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`
	errorBody = `{"error":{"message":"boom","type":"server_error","param":null,"code":null}}`
)

func newRequest(method, target, body string, header ...string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	return r
}

func jsonHeader(kv ...string) http.Header {
	h := http.Header{"Content-Type": {"application/json"}}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	preloadSpecs()
	const (
		chat     = "http://127.0.0.1:8080/v1/chat/completions"
		callback = "http://127.0.0.1:8080/api/v9/interactions/123456789012345678/aW50ZXJhY3Rpb24/callback"
		original = "http://127.0.0.1:8080/api/v9/webhooks/223456789012345678/aW50ZXJhY3Rpb24/messages/@original"
		commands = "http://127.0.0.1:8080/api/v9/applications/323456789012345678/guilds/423456789012345678/commands"
	)
	tests := []struct {
		name    string
		spec    func() (*Validator, error)
		req     *http.Request
		wantErr string // a substring of the error, or "" for none
	}{
		{"chat", openAISpec, newRequest("POST", chat, validChat, "Content-Type", "application/json", "Authorization", "Bearer sk-test"), ""},
		{"chat without base path", openAISpec, newRequest("POST", "http://127.0.0.1:8080/chat/completions", validChat, "Content-Type", "application/json", "Authorization", "Bearer sk-test"), ""},
		{"chat messages as string", openAISpec, newRequest("POST", chat, `{"model":"gpt-4o-mini","messages":"hi"}`, "Content-Type", "application/json", "Authorization", "Bearer sk-test"), "$.messages"},
		{"chat without key", openAISpec, newRequest("POST", chat, validChat, "Content-Type", "application/json"), "Authorization"},
		{"unknown path", openAISpec, newRequest("GET", "http://127.0.0.1:8080/v1/nope", "", "Authorization", "Bearer sk-test"), "not found"},
		{"deferred callback", discordSpec, newRequest("POST", callback, `{"type":5}`, "Content-Type", "application/json"), ""},
		{"callback type string", discordSpec, newRequest("POST", callback, `{"type":"x"}`, "Content-Type", "application/json"), "$.type"},
		{"callback type 99", discordSpec, newRequest("POST", callback, `{"type":99}`, "Content-Type", "application/json"), "$.type"},
		{"edit original", discordSpec, newRequest("PATCH", original, `{"content":"hi"}`, "Content-Type", "application/json"), ""},
		{"edit original content number", discordSpec, newRequest("PATCH", original, `{"content":5}`, "Content-Type", "application/json"), "$.content"},
		// Discord documents permissions as decimal strings, as discordgo
		// sends them; the document's request schemas say integer.
		{"command permissions as string", discordSpec, newRequest("PUT", commands, `[{"name":"reload","description":"d","default_member_permissions":"32"}]`, "Content-Type", "application/json", "Authorization", "Bot x"), ""},
		{"command permissions as integer", discordSpec, newRequest("PUT", commands, `[{"name":"reload","description":"d","default_member_permissions":32}]`, "Content-Type", "application/json", "Authorization", "Bot x"), ""},
		{"command permissions not a number", discordSpec, newRequest("PUT", commands, `[{"name":"reload","description":"d","default_member_permissions":"manage"}]`, "Content-Type", "application/json", "Authorization", "Bot x"), "default_member_permissions"},
		{"command permissions negative", discordSpec, newRequest("PUT", commands, `[{"name":"reload","description":"d","default_member_permissions":"-1"}]`, "Content-Type", "application/json", "Authorization", "Bot x"), "default_member_permissions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Require(t, tt.spec)
			body := bodyOf(t, tt.req)
			err := v.ValidateRequest(tt.req)
			checkErr(t, err, tt.wantErr)
			if got := bodyOf(t, tt.req); got != body {
				t.Errorf("body after validation = %q, want %q", got, body)
			}
		})
	}
}

// bodyOf reads r's body and puts it back.
func bodyOf(tb testing.TB, r *http.Request) string {
	tb.Helper()
	b, err := readBody(r)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func checkErr(tb testing.TB, err error, want string) {
	tb.Helper()
	switch {
	case want == "" && err != nil:
		tb.Errorf("got error %v, want none", err)
	case want != "" && err == nil:
		tb.Errorf("got no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		tb.Errorf("got error %v, want one containing %q", err, want)
	case err != nil:
		var verr *Error
		if !errors.As(err, &verr) || len(verr.Failures) == 0 {
			tb.Errorf("got error %T %v, want *Error with failures", err, err)
		}
	}
}

func TestValidateResponse(t *testing.T) {
	t.Parallel()
	preloadSpecs()
	const chat = "http://127.0.0.1:8080/v1/chat/completions"
	sse := http.Header{"Content-Type": {"text/event-stream; charset=utf-8"}}
	tests := []struct {
		name    string
		spec    func() (*Validator, error)
		method  string
		target  string
		status  int
		header  http.Header
		body    string
		wantErr string
	}{
		{"chat", openAISpec, "POST", chat, 200, jsonHeader(), validChatResp, ""},
		{"chat missing choices", openAISpec, "POST", chat, 200, jsonHeader(), `{"id":"x","object":"chat.completion","created":1,"model":"m"}`, "choices"},
		{"chat wrong object", openAISpec, "POST", chat, 200, jsonHeader(), strings.Replace(validChatResp, `"chat.completion"`, `"chat"`, 1), "$.object"},
		{"chat not json", openAISpec, "POST", chat, 200, jsonHeader(), `{"id":`, "decode"},
		{"stream", openAISpec, "POST", chat, 200, sse, "data: " + validChunk + "\n\ndata: " + lastChunk + "\n\ndata: [DONE]\n\n", ""},
		{"stream cut short", openAISpec, "POST", chat, 200, sse, "data: " + validChunk + "\n\ndata: {\"id\":", ""},
		{"stream bad chunk", openAISpec, "POST", chat, 200, sse, "data: " + validChunk + "\n\ndata: {\"object\":\"chat.completion.chunk\"}\n\n", "event 1"},
		{"stream empty", openAISpec, "POST", chat, 200, sse, "", "no complete event"},
		{"rate limited", openAISpec, "POST", chat, 429, jsonHeader("Retry-After", "2"), errorBody, ""},
		{"server error", openAISpec, "POST", chat, 500, jsonHeader(), errorBody, ""},
		{"server error bad body", openAISpec, "POST", chat, 500, jsonHeader(), `{"message":"boom"}`, "error"},
		{"server error as text", openAISpec, "POST", chat, 500, http.Header{"Content-Type": {"text/plain"}}, "boom", "text/plain"},
		{"models", openAISpec, "GET", "http://127.0.0.1:8080/v1/models", 200, jsonHeader(), `{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1700000000,"owned_by":"openai"}]}`, ""},
		{"deferred callback", discordSpec, "POST", "http://127.0.0.1:8080/api/v9/interactions/123456789012345678/tok/callback", 204, http.Header{}, "", ""},
		{"undocumented status", discordSpec, "POST", "http://127.0.0.1:8080/api/v9/interactions/123456789012345678/tok/callback", 302, http.Header{}, "", "302"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Require(t, tt.spec)
			r := newRequest(tt.method, tt.target, "")
			err := v.ValidateResponse(r, tt.status, tt.header, []byte(tt.body))
			checkErr(t, err, tt.wantErr)
		})
	}
}
