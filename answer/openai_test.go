package answer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/internal/fakeopenai"
	"github.com/crisisbot/crisisbot/internal/httpretry"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

// newOpenAIChat is an OpenAIChat against a validating fake, over httpretry
// with no retries, so each call is one request.
func newOpenAIChat(t *testing.T, cfg OpenAIChatConfig) (*OpenAIChat, *fakeopenai.Server) {
	t.Helper()
	srv := fakeopenai.New(t, fakeopenai.Config{Validator: specvalidate.Require(t, openAISpec)})
	t.Cleanup(func() { srv.AssertValid(t) })
	oc := openai.DefaultConfig("sk-test")
	oc.BaseURL = srv.URL()
	oc.HTTPClient = httpretry.New(httpretry.Config{Policy: httpretry.Policy{Retries: -1}})
	if cfg.Model == "" {
		cfg.Model = "gpt-4o-mini"
	}
	chat, err := NewOpenAIChat(openai.NewClientWithConfig(oc), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return chat, srv
}

func TestTokenFieldFor(t *testing.T) {
	tests := []struct {
		base string
		want TokenField
	}{
		{"", MaxCompletionTokens},
		{"https://api.openai.com/v1", MaxCompletionTokens},
		{"https://API.OpenAI.com:443/v1/", MaxCompletionTokens},
		{"http://localhost:11434/v1", MaxTokens},
		{"http://127.0.0.1:8080/v1", MaxTokens},
		{"https://api.openai.com.evil.example/v1", MaxTokens},
		{"::not a url", MaxTokens},
	}
	for _, tt := range tests {
		if got := TokenFieldFor(tt.base); got != tt.want {
			t.Errorf("TokenFieldFor(%q) = %v, want %v", tt.base, got, tt.want)
		}
	}
}

// The token cap goes in the field the server reads, and the request is
// valid against OpenAI's document either way.
func TestOpenAIChatTokenField(t *testing.T) {
	for _, tt := range []struct {
		field     TokenField
		want, not string
		maxTokens int
	}{
		{field: MaxTokens, want: "max_tokens", not: "max_completion_tokens", maxTokens: 600},
		{field: MaxCompletionTokens, want: "max_completion_tokens", not: "max_tokens", maxTokens: 600},
	} {
		t.Run(tt.want, func(t *testing.T) {
			chat, srv := newOpenAIChat(t, OpenAIChatConfig{TokenField: tt.field})
			for _, stream := range []bool{false, true} {
				var onDelta func(string)
				if stream {
					onDelta = func(string) {}
				}
				if _, err := chat.Chat(context.Background(), ChatRequest{System: "s", User: "u", MaxTokens: tt.maxTokens}, onDelta); err != nil {
					t.Fatal(err)
				}
			}
			for _, r := range srv.Requests() {
				body, _ := r.Body.(map[string]any)
				if body[tt.want] != float64(tt.maxTokens) || body[tt.not] != nil {
					t.Errorf("sent %s, want %s=%d and no %s", r.RawBody, tt.want, tt.maxTokens, tt.not)
				}
			}
		})
	}
}

// OpenAIChat reports go-openai's failures as the provider-neutral errors
// the answerer acts on.
func TestOpenAIChatErrors(t *testing.T) {
	tests := []struct {
		name      string
		reply     fakeopenai.Reply
		stream    bool
		want      error // nil: an error that is neither retryable nor one of ours
		retryable bool
	}{
		{"context length", fakeopenai.ContextLengthExceeded(), false, ErrContextLength, false},
		{"cut stream", fakeopenai.BrokenStream(2), true, ErrIncomplete, true},
		{"cut body", fakeopenai.BrokenStream(2), false, ErrIncomplete, true},
		{"malformed", fakeopenai.MalformedJSON(), false, ErrBadReply, true},
		{"malformed stream", fakeopenai.MalformedJSON(), true, ErrBadReply, true},
		// The HTTP client retried these already.
		{"server error", fakeopenai.ServerError(), false, nil, false},
		{"rate limited", fakeopenai.RateLimited(1), false, nil, false},
		{"unauthorized", fakeopenai.Unauthorized(), true, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			chat, srv := newOpenAIChat(t, OpenAIChatConfig{})
			srv.Enqueue(tt.reply)
			var onDelta func(string)
			if tt.stream {
				onDelta = func(string) {}
			}
			_, err := chat.Chat(context.Background(), ChatRequest{System: "s", User: "u"}, onDelta)
			if err == nil {
				t.Fatal("no error")
			}
			for _, e := range []error{ErrContextLength, ErrIncomplete, ErrBadReply, ErrTooLong} {
				if errors.Is(err, e) != (e == tt.want) {
					t.Errorf("error %v: errors.Is(%v) = %v", err, e, !(e == tt.want))
				}
			}
			if IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v, want %v", err, !tt.retryable, tt.retryable)
			}
		})
	}
}

// scriptedChat is a ChatModel of no provider at all: it returns its
// replies in turn, streaming each word by word when asked to.
type scriptedChat struct {
	replies []func() (string, error)
	reqs    []ChatRequest
}

var _ ChatModel = (*scriptedChat)(nil)

func (s *scriptedChat) Chat(ctx context.Context, req ChatRequest, onDelta func(string)) (string, error) {
	s.reqs = append(s.reqs, req)
	next := s.replies[0]
	s.replies = s.replies[1:]
	text, err := next()
	if err == nil && onDelta != nil {
		for _, w := range strings.SplitAfter(text, " ") {
			onDelta(w)
		}
	}
	return text, err
}

// rateLimited is a provider's own error that says it may be retried.
type rateLimited struct{}

func (rateLimited) Error() string   { return "slow down" }
func (rateLimited) Retryable() bool { return true }

// The answerer works with any ChatModel, and retries what its errors say
// may be retried.
func TestLLMWithAnotherProvider(t *testing.T) {
	lib := builtinLibrary(t)
	model := &scriptedChat{replies: []func() (string, error){
		func() (string, error) { return "", fmt.Errorf("provider: %w", rateLimited{}) },
		func() (string, error) { return "", ErrIncomplete },
		func() (string, error) { return "Rubio spoke with Asim Munir [1].", nil },
	}}
	llm, err := NewLLM(LLMConfig{Stream: true, MaxTokens: 99}, model, lib, NewExtractive(ExtractiveConfig{}, lib, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	llm.sleep = func(ctx context.Context, d time.Duration) error { return nil }
	var partials []string
	ans, err := llm.Answer(context.Background(), Question{Text: "Who did Marco Rubio speak with on Friday?"}, func(s string) { partials = append(partials, s) })
	if err != nil {
		t.Fatal(err)
	}
	if ans.Mode != ModeLLM || ans.Text != "Rubio spoke with Asim Munir [1]." || len(ans.Citations) != 1 {
		t.Errorf("got %s %q with %d citations", ans.Mode, ans.Text, len(ans.Citations))
	}
	if len(model.reqs) != 3 || model.reqs[0].MaxTokens != 99 || !strings.Contains(model.reqs[0].User, "Rubio") || model.reqs[0].System == "" {
		t.Errorf("requests %+v, want 3 carrying the prompt and the token cap", model.reqs)
	}
	if len(partials) == 0 || partials[len(partials)-1] != ans.Text {
		t.Errorf("partials %q, want the streamed text", partials)
	}
}

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{ErrIncomplete, true},
		{fmt.Errorf("x: %w", ErrBadReply), true},
		{rateLimited{}, true},
		{fmt.Errorf("wrapped: %w", rateLimited{}), true},
		{ErrContextLength, false},
		{ErrTooLong, false},
		{errors.New("401"), false},
		{context.DeadlineExceeded, false},
	}
	for _, tt := range tests {
		if got := IsRetryable(tt.err); got != tt.want {
			t.Errorf("IsRetryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
