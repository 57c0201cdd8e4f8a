package fakeopenai

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// state is what a handler tells the validation hook about its request.
type state struct {
	// brokenOnPurpose marks a response the fake breaks deliberately, whose
	// validation failures are expected and not reported.
	brokenOnPurpose bool
}

type stateKey struct{}

func withState(ctx context.Context, st *state) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// markBroken marks the response to r as broken on purpose.
func markBroken(r *http.Request) {
	if st, ok := r.Context().Value(stateKey{}).(*state); ok {
		st.brokenOnPurpose = true
	}
}

// ChatRequest is the part of a chat completion request the fake reads.
type ChatRequest struct {
	Model         string         `json:"model"`
	Messages      []Message      `json:"messages"`
	Stream        bool           `json:"stream"`
	StreamOptions *StreamOptions `json:"stream_options"`
}

// StreamOptions are the options of a streamed chat completion.
type StreamOptions struct {
	// IncludeUsage asks for a last chunk carrying the token usage.
	IncludeUsage bool `json:"include_usage"`
}

// LastUser returns the content of the last message whose role is "user", or
// "" if there is none.
func (r ChatRequest) LastUser() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// Message is one message of a chat completion request.
type Message struct {
	Role string
	// Content is the text of the message: the string content, or the text
	// parts of an array content joined with "\n".
	Content string
}

// UnmarshalJSON decodes a message whose content is a string, an array of
// content parts, or null.
func (m *Message) UnmarshalJSON(b []byte) error {
	var wire struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(b, &wire); err != nil {
		return fmt.Errorf("decode message: %w", err)
	}
	m.Role = wire.Role
	m.Content = ""
	content := bytes.TrimSpace(wire.Content)
	switch {
	case len(content) == 0 || bytes.Equal(content, []byte("null")):
	case content[0] == '"':
		if err := json.Unmarshal(content, &m.Content); err != nil {
			return fmt.Errorf("decode message content: %w", err)
		}
	default:
		var parts []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(content, &parts); err != nil {
			return fmt.Errorf("decode message content: %w", err)
		}
		var texts []string
		for _, p := range parts {
			if p.Type == "text" {
				texts = append(texts, p.Text)
			}
		}
		m.Content = strings.Join(texts, "\n")
	}
	return nil
}

// apiError is the "error" member of an OpenAI error body.
type apiError struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func ptr(s string) *string { return &s }

var errInvalidKey = apiError{
	Message: "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
	Type:    "invalid_request_error",
	Code:    ptr("invalid_api_key"),
}

func writeError(w http.ResponseWriter, status int, e apiError) {
	writeJSON(w, status, map[string]apiError{"error": e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, fmt.Sprintf("fakeopenai: encode response: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// readBody reads r's body and puts back a reader over the same bytes.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return b, nil
}

// badJSON is the error OpenAI returns for a body it cannot parse.
func badJSON(err error) apiError {
	return apiError{
		Message: fmt.Sprintf("We could not parse the JSON body of your request. (%v)", err),
		Type:    "invalid_request_error",
	}
}
