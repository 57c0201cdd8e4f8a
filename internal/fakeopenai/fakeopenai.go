// Package fakeopenai is a loopback fake of the OpenAI HTTP API for tests. It
// serves chat completions (plain and streamed), embeddings and the model
// list on an httptest server, and, given a [specvalidate.Validator] for
// OpenAI's official document, checks every request it receives and every
// response it sends against that document, so the fake cannot drift from
// the real API without a test noticing.
//
// A test scripts how chat completions are answered, in order, with
// [Server.Enqueue] (answers, delays, rate limits, server and client errors,
// broken streams, malformed bodies) and how embeddings requests fail with
// [Server.EnqueueEmbeddings], and afterwards inspects what the client sent
// with [Server.Requests]:
//
//	srv := fakeopenai.New(t, fakeopenai.Config{APIKey: "sk-test", Validator: spec})
//	srv.Enqueue(fakeopenai.RateLimited(time.Second), fakeopenai.Answer("Boil water for 1 minute."))
//	cfg := openai.DefaultConfig("sk-test")
//	cfg.BaseURL = srv.URL()
//	... exercise the code under test ...
//	srv.AssertValid(t)
package fakeopenai

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

// Defaults for a zero [Config].
const (
	// DefaultAnswer is the answer to a chat completion nothing scripted.
	DefaultAnswer = "This is a fake answer."
	// DefaultDimensions is the length of embedding vectors.
	DefaultDimensions = 64
	// DefaultChatModel is listed by GET /v1/models, and reported when a chat
	// request names no model.
	DefaultChatModel = "gpt-4o-mini"
	// DefaultEmbeddingModel is listed by GET /v1/models, and reported when
	// an embeddings request names no model.
	DefaultEmbeddingModel = "text-embedding-3-small"
)

// Config configures a Server. The zero value serves without checking keys
// or validating, answering every chat completion with DefaultAnswer.
type Config struct {
	// APIKey, when set, is the key every request must carry as
	// "Authorization: Bearer <key>"; other requests are answered 401.
	APIKey string
	// Validator checks every request and response against OpenAI's
	// document (see [specvalidate.LoadOpenAI]); nil skips validation.
	Validator *specvalidate.Validator
	// Chat decides the reply to a chat completion when the queue filled by
	// [Server.Enqueue] is empty; nil answers with DefaultAnswer. It is
	// called from the server's goroutines, concurrently for concurrent
	// requests.
	Chat func(ChatRequest) Reply
	// Dimensions is the length of embedding vectors when a request does not
	// ask for one; 0 means DefaultDimensions.
	Dimensions int
	// Models are the ids GET /v1/models lists; nil means DefaultChatModel
	// and DefaultEmbeddingModel.
	Models []string
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	cfg  Config
	http *httptest.Server

	mu         sync.Mutex
	queue      []Reply
	embedQueue []Reply
	requests   []Request
	errs       []error
	seq        int // numbers chat completion ids
}

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	// Header is the request header, with the Authorization value replaced
	// by "[redacted]".
	Header http.Header
	// Body is the body decoded as JSON (map[string]any for an object), or
	// nil when it is empty or not JSON; RawBody holds its bytes.
	Body    any
	RawBody []byte
}

// New starts a Server on a loopback port and closes it when the test ends.
func New(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	if cfg.Dimensions <= 0 {
		cfg.Dimensions = DefaultDimensions
	}
	if cfg.Models == nil {
		cfg.Models = []string{DefaultChatModel, DefaultEmbeddingModel}
	}
	s := &Server{cfg: cfg}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

// URL returns the base URL of the API, ending in "/v1", for
// openai.ClientConfig.BaseURL.
func (s *Server) URL() string { return s.http.URL + "/v1" }

// Close stops the server, cutting any request in flight, and waits for its
// handlers to return. Requests made afterwards fail to connect, so a test
// calls it to simulate a dead endpoint. It is safe to call more than once,
// and [New] arranges for it to run when the test ends.
func (s *Server) Close() {
	s.http.CloseClientConnections()
	s.http.Close()
}

// Enqueue appends replies to the queue that answers chat completions, one
// reply per request, in order. Once the queue is empty, Config.Chat answers.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// EnqueueEmbeddings appends replies to the queue that answers embeddings
// requests, one reply per request, in order: an error reply ([RateLimited],
// [ServerError], [Error] and the like, or one under [Delay]) is sent as it
// is, any other serves the vectors after its delay. Once the queue is
// empty, every request gets its vectors.
func (s *Server) EnqueueEmbeddings(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embedQueue = append(s.embedQueue, replies...)
}

// nextEmbeddingsReply takes the next reply to an embeddings request; the
// zero Reply, which serves the vectors, when none is queued.
func (s *Server) nextEmbeddingsReply() Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.embedQueue) == 0 {
		return Reply{}
	}
	r := s.embedQueue[0]
	s.embedQueue = s.embedQueue[1:]
	return r
}

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests were made to path, such as
// "/v1/chat/completions".
func (s *Server) Count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == path {
			n++
		}
	}
	return n
}

// Errors returns every validation failure so far: each is a
// *specvalidate.Error for a request or response that does not match the
// document. Responses the fake breaks on purpose ([MalformedJSON],
// [BrokenStream]) are not reported.
func (s *Server) Errors() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.errs...)
}

// AssertValid fails tb for each validation failure so far.
func (s *Server) AssertValid(tb testing.TB) {
	tb.Helper()
	for _, err := range s.Errors() {
		tb.Errorf("fake OpenAI: %v", err)
	}
}

// serve records the request, validates it and its response when a
// validator is configured, and routes it.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	st := &state{}
	r = r.WithContext(withState(r.Context(), st))
	var h http.Handler = http.HandlerFunc(s.route)
	if s.cfg.Validator != nil {
		h = s.cfg.Validator.Middleware(h, func(err error) {
			var verr *specvalidate.Error
			if st.brokenOnPurpose && errors.As(err, &verr) && verr.Kind == specvalidate.KindResponse {
				return
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			s.errs = append(s.errs, err)
		})
	}
	h.ServeHTTP(w, r)
}

// route records the request, checks the key and dispatches by path.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, apiError{Message: fmt.Sprintf("could not read the body: %v", err), Type: "invalid_request_error"})
		return
	}
	s.record(r, body)

	if s.cfg.APIKey != "" && r.Header.Get("Authorization") != "Bearer "+s.cfg.APIKey {
		writeError(w, http.StatusUnauthorized, errInvalidKey)
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v1/chat/completions":
		s.chat(w, r, body)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/embeddings":
		s.embeddings(w, r, body)
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		s.models(w)
	default:
		writeError(w, http.StatusNotFound, apiError{
			Message: fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path),
			Type:    "invalid_request_error",
		})
	}
}

func (s *Server) record(r *http.Request, body []byte) {
	header := r.Header.Clone()
	if header.Get("Authorization") != "" {
		header.Set("Authorization", "[redacted]")
	}
	var decoded any
	if json.Unmarshal(body, &decoded) != nil {
		decoded = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Method:  r.Method,
		Path:    r.URL.Path,
		Header:  header,
		Body:    decoded,
		RawBody: body,
	})
}

// nextReply takes the next reply from the queue, or asks Config.Chat.
func (s *Server) nextReply(req ChatRequest) Reply {
	s.mu.Lock()
	if len(s.queue) > 0 {
		reply := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		return reply
	}
	s.mu.Unlock()
	if s.cfg.Chat != nil {
		return s.cfg.Chat(req)
	}
	return Answer(DefaultAnswer)
}

// nextID returns a new chat completion id.
func (s *Server) nextID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("chatcmpl-fake%d", s.seq)
}
