package answer

import (
	"context"
	"errors"
)

// ChatModel is the one seam between the LLM answerer and a chat model: a
// provider implements it, and the answerer needs nothing else. [OpenAIChat]
// is the implementation for OpenAI and the servers that speak its API.
type ChatModel interface {
	// Chat sends one conversation and returns the model's reply. When
	// onDelta is not nil the reply is streamed: onDelta receives each new
	// piece of text as it arrives, in order, and the pieces make up the
	// returned text. Chat stops when ctx ends.
	//
	// Errors say what went wrong in terms of this package:
	// [ErrContextLength], [ErrIncomplete], [ErrBadReply], [ErrTooLong], or
	// one that [IsRetryable] reports on. Any other is final.
	Chat(ctx context.Context, req ChatRequest, onDelta func(text string)) (string, error)
}

// ChatRequest is one conversation for a [ChatModel]: the system prompt
// and the user's message.
type ChatRequest struct {
	System string
	User   string
	// MaxTokens caps the reply's length in tokens; 0 leaves it to the
	// model.
	MaxTokens int
}

// Provider-neutral errors of a [ChatModel].
var (
	// ErrContextLength is a prompt too long for the model; the answerer
	// tries again with fewer passages.
	ErrContextLength = errors.New("prompt too long for the model")
	// ErrIncomplete is a reply that ended before the model finished it: a
	// stream cut without a finish reason, a body broken off. A fresh call
	// may get all of it, so it is retried.
	ErrIncomplete = errors.New("reply ended before the model finished it")
	// ErrBadReply is a reply that arrived whole but makes no sense (not
	// JSON, no choices); retried.
	ErrBadReply = errors.New("reply makes no sense")
	// ErrTooLong is a reply longer than the answerer accepts. It is not
	// retried: the same question would get the same flood.
	ErrTooLong = errors.New("reply too long")
)

// RetryableError is an error that knows whether calling again may
// succeed. A provider whose client does not retry rate limits itself
// returns one for a 429, and the answerer retries it.
type RetryableError interface {
	error
	Retryable() bool
}

// IsRetryable reports whether a [ChatModel] call that failed with err is
// worth making again: [ErrIncomplete] and [ErrBadReply] are, and so is an
// error whose Retryable method says so. Everything else, rate limits and
// server errors included, is final here: [OpenAIChat] leaves those to its
// retrying HTTP client, which has already tried again by the time the
// error arrives.
func IsRetryable(err error) bool {
	if errors.Is(err, ErrIncomplete) || errors.Is(err, ErrBadReply) {
		return true
	}
	var r RetryableError
	return errors.As(err, &r) && r.Retryable()
}
