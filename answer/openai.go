package answer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/internal/httpretry"
)

// openAIClient is the part of go-openai's client [OpenAIChat] uses.
type openAIClient interface {
	CreateChatCompletion(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error)
	CreateChatCompletionStream(ctx context.Context, req openai.ChatCompletionRequest) (*openai.ChatCompletionStream, error)
}

var _ openAIClient = (*openai.Client)(nil)

// TokenField is the request field that carries [ChatRequest.MaxTokens].
// OpenAI deprecated max_tokens for max_completion_tokens, and its
// reasoning models refuse the old one (go-openai refuses it for them
// before sending); but Ollama, llama.cpp's server and older vLLM read only
// max_tokens and silently ignore the new name, so sending it there would
// leave answers uncapped. [TokenFieldFor] picks by server.
type TokenField int

const (
	// MaxTokens sends max_tokens, which every OpenAI-compatible server
	// reads. It is the zero value.
	MaxTokens TokenField = iota
	// MaxCompletionTokens sends max_completion_tokens, for OpenAI itself.
	MaxCompletionTokens
)

// TokenFieldFor returns the field to use with the server at baseURL:
// [MaxCompletionTokens] for OpenAI's own API (an empty baseURL means it
// too), [MaxTokens] for any other.
func TokenFieldFor(baseURL string) TokenField {
	if baseURL == "" {
		return MaxCompletionTokens
	}
	u, err := url.Parse(baseURL)
	if err == nil && strings.EqualFold(u.Hostname(), "api.openai.com") {
		return MaxCompletionTokens
	}
	return MaxTokens
}

// OpenAIChatConfig configures an [OpenAIChat].
type OpenAIChatConfig struct {
	// Model is the chat model's name on the server (required).
	Model string
	// TokenField is where the token cap goes; see [TokenFieldFor].
	TokenField TokenField
}

// OpenAIChat is a [ChatModel] over go-openai, for OpenAI and any
// OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio). It makes
// one request per call and does not retry: build the go-openai client over
// an [httpretry.Client], which retries rate limits, server errors and
// transport failures, bounds each attempt and caps the body. What that
// client cannot see — a stream cut short, a garbled body — comes back as
// [ErrIncomplete] or [ErrBadReply] for the answerer to retry.
type OpenAIChat struct {
	client openAIClient
	cfg    OpenAIChatConfig
}

var _ ChatModel = (*OpenAIChat)(nil)

// NewOpenAIChat returns a [ChatModel] that talks through client.
func NewOpenAIChat(client *openai.Client, cfg OpenAIChatConfig) (*OpenAIChat, error) {
	if client == nil {
		return nil, errors.New("openai chat: no client")
	}
	if cfg.Model == "" {
		return nil, errors.New("openai chat: no model configured")
	}
	return &OpenAIChat{client: client, cfg: cfg}, nil
}

// Chat implements [ChatModel].
func (c *OpenAIChat) Chat(ctx context.Context, req ChatRequest, onDelta func(string)) (string, error) {
	r := openai.ChatCompletionRequest{
		Model: c.cfg.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: req.System},
			{Role: openai.ChatMessageRoleUser, Content: req.User},
		},
	}
	switch c.cfg.TokenField {
	case MaxCompletionTokens:
		r.MaxCompletionTokens = req.MaxTokens
	default:
		// Deprecated, and deliberately so: see TokenField.
		r.MaxTokens = req.MaxTokens
	}
	if onDelta == nil {
		resp, err := c.client.CreateChatCompletion(ctx, r)
		if err != nil {
			return "", classify(ctx, err)
		}
		if len(resp.Choices) == 0 {
			return "", fmt.Errorf("openai chat: %w: no choices", ErrBadReply)
		}
		return resp.Choices[0].Message.Content, nil
	}
	r.Stream = true
	stream, err := c.client.CreateChatCompletionStream(ctx, r)
	if err != nil {
		return "", classify(ctx, err)
	}
	defer stream.Close()
	var b strings.Builder
	finished := false
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", classifyStream(ctx, err)
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			if ch.Delta.Content != "" {
				b.WriteString(ch.Delta.Content)
				onDelta(ch.Delta.Content)
			}
			if ch.FinishReason != "" {
				finished = true
			}
		}
	}
	// go-openai reports a connection cut mid-stream as a clean io.EOF; only
	// a finish reason tells a complete answer from a truncated one.
	if !finished {
		return "", fmt.Errorf("openai chat: %w: the stream ended without a finish reason", ErrIncomplete)
	}
	return b.String(), nil
}

// ErrKeyRejected is a 401 from the server: the API key (OPENAI_API_KEY)
// is wrong or revoked, which no retry mends and which the operator, not
// the network, must fix.
var ErrKeyRejected = errors.New("the API key was rejected")

// classify maps a go-openai error onto the [ChatModel] errors. Rate
// limits, server errors and transport failures stay as they are: the HTTP
// client retried them already, so they are final.
func classify(ctx context.Context, err error) error {
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) && reqErr.Err == nil {
		err = causelessError{reqErr}
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("openai chat: %w", err)
	case errors.Is(err, httpretry.ErrBodyTooLarge):
		return fmt.Errorf("openai chat: %w: %w", ErrTooLong, err)
	case errors.Is(err, httpretry.ErrBodyInterrupted), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("openai chat: %w: %w", ErrIncomplete, err)
	case isContextLength(err):
		return fmt.Errorf("openai chat: %w: %w", ErrContextLength, err)
	case httpStatus(err) == http.StatusUnauthorized:
		return fmt.Errorf("openai chat: %w: %w", ErrKeyRejected, err)
	case errors.As(err, &syntax), errors.As(err, &typ):
		return fmt.Errorf("openai chat: %w: %w", ErrBadReply, err)
	}
	return fmt.Errorf("openai chat: %w", err)
}

// classifyStream maps an error that ended a stream already under way: the
// server answered, so whatever broke it — an error event, a cut
// connection, the attempt's deadline — left the reply incomplete, and no
// HTTP client can retry that.
func classifyStream(ctx context.Context, err error) error {
	if err := classify(ctx, err); ctx.Err() != nil || errors.Is(err, ErrTooLong) || errors.Is(err, ErrBadReply) || errors.Is(err, ErrContextLength) {
		return err
	}
	return fmt.Errorf("openai chat: %w: %w", ErrIncomplete, err)
}

// causelessError words a go-openai RequestError that has no cause — an
// error status whose JSON body holds no "error" object, as vLLM's and
// FastAPI's {"detail": …} — whose own message would read
// "message: %!s(<nil>)".
type causelessError struct{ *openai.RequestError }

func (e causelessError) Error() string {
	body := e.Body
	if len(body) > 300 {
		body = append(body[:300:300], "…"...)
	}
	return fmt.Sprintf("status %s, body: %s", e.HTTPStatus, body)
}

func (e causelessError) Unwrap() error { return e.RequestError }

// httpStatus is the HTTP status of a go-openai error, 0 when it has none.
func httpStatus(err error) int {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		return reqErr.HTTPStatusCode
	}
	return 0
}

// isContextLength reports whether the server refused the prompt as too
// long: OpenAI says so with a code, other servers only in the message.
func isContextLength(err error) bool {
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if code, ok := apiErr.Code.(string); ok && code == "context_length_exceeded" {
		return true
	}
	m := strings.ToLower(apiErr.Message)
	return strings.Contains(m, "context length") || strings.Contains(m, "context window") || strings.Contains(m, "maximum context")
}
