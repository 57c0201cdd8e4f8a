package fakeopenai

import (
	"math"
	"net/http"
	"time"
)

// Reply is how the server answers one chat completion request, streamed or
// not. Make one with [Answer], [AnswerFunc], [Echo], [RateLimited],
// [ServerError], [EchoingServerError], [ContextLengthExceeded],
// [Unauthorized], [Error], [BrokenStream] or [MalformedJSON], and hold it
// back with [Delay]. The zero Reply answers with empty text. Embeddings
// requests take replies too ([Server.EnqueueEmbeddings]): an error reply
// is sent as it is, and any other serves the vectors.
type Reply struct {
	kind   replyKind
	delay  time.Duration
	answer func(ChatRequest) string

	// For kindError.
	status     int
	err        apiError
	retryAfter int // seconds; 0 sends no Retry-After
	// echoAuth appends the request's Authorization header to the error
	// message, as a careless server or proxy does.
	echoAuth bool

	// For kindBroken: how many content chunks go out before the cut.
	chunks int
}

type replyKind int

const (
	kindAnswer replyKind = iota
	kindError
	kindBroken
	kindMalformed
)

// Answer replies with text.
func Answer(text string) Reply {
	return AnswerFunc(func(ChatRequest) string { return text })
}

// AnswerFunc replies with what f returns for the request, so a test can
// inspect the prompt or echo it.
func AnswerFunc(f func(ChatRequest) string) Reply {
	return Reply{kind: kindAnswer, answer: f}
}

// Echo replies with the content of the last user message.
func Echo() Reply {
	return AnswerFunc(ChatRequest.LastUser)
}

// Delay holds r back for d before sending it. If the client gives up first
// (the request's context ends), nothing is sent.
func Delay(d time.Duration, r Reply) Reply {
	r.delay += d
	return r
}

// Error replies with status and an OpenAI error body of the given type,
// code (omitted from the body as null when "") and message.
func Error(status int, typ, code, message string) Reply {
	e := apiError{Message: message, Type: typ}
	if code != "" {
		e.Code = ptr(code)
	}
	return Reply{kind: kindError, status: status, err: e}
}

// RateLimited replies 429 with a Retry-After header of retryAfter in whole
// seconds, rounded up to at least 1 as the document requires.
func RateLimited(retryAfter time.Duration) Reply {
	r := Error(http.StatusTooManyRequests, "requests", "rate_limit_exceeded",
		"Rate limit reached for requests. Please try again later.")
	r.retryAfter = max(1, int(math.Ceil(retryAfter.Seconds())))
	return r
}

// ServerError replies 500 with a server_error body.
func ServerError() Reply {
	return Error(http.StatusInternalServerError, "server_error", "",
		"The server had an error while processing your request. Sorry about that!")
}

// ContextLengthExceeded replies 400 with an invalid_request_error body whose
// code is "context_length_exceeded" and whose param is "messages", as
// OpenAI does when the prompt does not fit the model.
func ContextLengthExceeded() Reply {
	r := Error(http.StatusBadRequest, "invalid_request_error", "context_length_exceeded",
		"This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.")
	r.err.Param = ptr("messages")
	return r
}

// EchoingServerError replies 500 with a server_error body whose message
// repeats the request's Authorization header, key and all, as a careless
// server or proxy might: a client that logs error bodies verbatim logs the
// key.
func EchoingServerError() Reply {
	r := ServerError()
	r.echoAuth = true
	return r
}

// Unauthorized replies 401 with an invalid_api_key body, whatever key was
// sent.
func Unauthorized() Reply {
	return Reply{kind: kindError, status: http.StatusUnauthorized, err: errInvalidKey}
}

// BrokenStream starts a successful reply and then closes the connection
// without finishing it: a streamed reply sends its first chunk and then
// chunks more content chunks of DefaultAnswer's words and half a chunk; an
// unstreamed one sends half its body. The client sees an unexpected EOF.
func BrokenStream(chunks int) Reply {
	return Reply{kind: kindBroken, chunks: chunks}
}

// MalformedJSON replies 200 with a body that is not valid JSON: for a
// streamed request, an event whose data is not JSON followed by the final
// "[DONE]". Its validation failures are not reported.
func MalformedJSON() Reply {
	return Reply{kind: kindMalformed}
}
