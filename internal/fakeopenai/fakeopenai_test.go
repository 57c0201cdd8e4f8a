package fakeopenai

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

// openAISpec loads OpenAI's document once per test binary (about 11 s).
var openAISpec = sync.OnceValues(specvalidate.LoadOpenAI)

const testKey = "sk-test"

// newTest starts a validating fake and a go-openai client pointed at it.
func newTest(tb testing.TB, cfg Config) (*Server, *openai.Client) {
	tb.Helper()
	cfg.Validator = specvalidate.Require(tb, openAISpec)
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	srv := New(tb, cfg)
	return srv, newClient(srv, testKey)
}

func newClient(srv *Server, key string) *openai.Client {
	cc := openai.DefaultConfig(key)
	cc.BaseURL = srv.URL()
	return openai.NewClientWithConfig(cc)
}

func chatRequest(prompt string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{
		Model: openai.GPT4oMini,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "Answer from the sources."},
			{Role: openai.ChatMessageRoleUser, Content: prompt},
		},
	}
}

func TestChatCompletion(t *testing.T) {
	srv, client := newTest(t, Config{})
	srv.Enqueue(Answer("Boil water for one minute."), Echo())

	tests := []struct {
		prompt string
		want   string
	}{
		{"Is the tap water safe?", "Boil water for one minute."},
		{"Where is the shelter?", "Where is the shelter?"},
		{"And now?", DefaultAnswer},
	}
	for _, tt := range tests {
		resp, err := client.CreateChatCompletion(context.Background(), chatRequest(tt.prompt))
		if err != nil {
			t.Fatalf("CreateChatCompletion(%q): %v", tt.prompt, err)
		}
		if len(resp.Choices) != 1 {
			t.Fatalf("got %d choices, want 1", len(resp.Choices))
		}
		if got := resp.Choices[0].Message.Content; got != tt.want {
			t.Errorf("answer to %q = %q, want %q", tt.prompt, got, tt.want)
		}
		if resp.Usage.TotalTokens == 0 || resp.Choices[0].FinishReason != openai.FinishReasonStop {
			t.Errorf("usage %+v, finish %q: want tokens counted and stop", resp.Usage, resp.Choices[0].FinishReason)
		}
	}

	if got, want := srv.Count("/v1/chat/completions"), len(tests); got != want {
		t.Errorf("Count = %d, want %d", got, want)
	}
	reqs := srv.Requests()
	if got := reqs[0].Header.Get("Authorization"); got != "[redacted]" {
		t.Errorf("recorded Authorization = %q, want it redacted", got)
	}
	body, ok := reqs[0].Body.(map[string]any)
	if !ok || body["model"] != openai.GPT4oMini {
		t.Errorf("recorded body = %#v, want the decoded request", reqs[0].Body)
	}
	srv.AssertValid(t)
}

func TestChatFunc(t *testing.T) {
	var (
		mu   sync.Mutex
		seen []ChatRequest
	)
	srv, client := newTest(t, Config{Chat: func(r ChatRequest) Reply {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
		return AnswerFunc(func(r ChatRequest) string { return strings.ToUpper(r.LastUser()) })
	}})
	req := chatRequest("")
	req.Messages[1] = openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, MultiContent: []openai.ChatMessagePart{
		{Type: openai.ChatMessagePartTypeText, Text: "first part"},
		{Type: openai.ChatMessagePartTypeText, Text: "second part"},
	}}
	resp, err := client.CreateChatCompletion(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Choices[0].Message.Content, "FIRST PART\nSECOND PART"; got != want {
		t.Errorf("answer = %q, want %q", got, want)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0].Messages[0].Role != "system" || seen[0].Model != openai.GPT4oMini {
		t.Errorf("Config.Chat saw %+v, want the one request", seen)
	}
	srv.AssertValid(t)
}

func TestChatCompletionStream(t *testing.T) {
	const answer = "Go to the high school gym on Main Street."
	tests := []struct {
		name         string
		includeUsage bool
	}{
		{"plain", false},
		{"with usage", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, client := newTest(t, Config{})
			srv.Enqueue(Answer(answer))
			req := chatRequest("Where is the shelter?")
			req.Stream = true
			if tt.includeUsage {
				req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
			}
			stream, err := client.CreateChatCompletionStream(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			var got strings.Builder
			var finish openai.FinishReason
			var usage *openai.Usage
			for {
				resp, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("Recv: %v", err)
				}
				for _, c := range resp.Choices {
					got.WriteString(c.Delta.Content)
					if c.FinishReason != "" {
						finish = c.FinishReason
					}
				}
				if resp.Usage != nil {
					usage = resp.Usage
				}
			}
			if got.String() != answer || finish != openai.FinishReasonStop {
				t.Errorf("streamed %q finishing %q, want %q finishing stop", got.String(), finish, answer)
			}
			if tt.includeUsage != (usage != nil) {
				t.Errorf("usage = %+v, want it sent: %v", usage, tt.includeUsage)
			}
			srv.AssertValid(t)
		})
	}
}

func TestEmbeddings(t *testing.T) {
	srv, client := newTest(t, Config{Dimensions: 32})
	tests := []struct {
		name     string
		req      openai.EmbeddingRequestConverter
		want     []string
		wantDims int
	}{
		{"string", openai.EmbeddingRequest{Input: "boil water", Model: openai.SmallEmbedding3}, []string{"boil water"}, 32},
		{"strings", openai.EmbeddingRequestStrings{Input: []string{"boil water", "Water, boil!", "shelter"}, Model: openai.SmallEmbedding3}, []string{"boil water", "Water, boil!", "shelter"}, 32},
		{"dimensions", openai.EmbeddingRequest{Input: []string{"shelter"}, Model: openai.SmallEmbedding3, Dimensions: 8}, []string{"shelter"}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.CreateEmbeddings(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Data) != len(tt.want) {
				t.Fatalf("got %d embeddings, want %d", len(resp.Data), len(tt.want))
			}
			for i, e := range resp.Data {
				if e.Index != i || len(e.Embedding) != tt.wantDims {
					t.Errorf("embedding %d: index %d, %d dims; want %d dims", i, e.Index, len(e.Embedding), tt.wantDims)
				}
				if want := Vector(tt.want[i], tt.wantDims); !slices.Equal(e.Embedding, want) {
					t.Errorf("embedding of %q = %v, want %v", tt.want[i], e.Embedding, want)
				}
				if n := norm(e.Embedding); math.Abs(n-1) > 1e-5 {
					t.Errorf("embedding of %q has norm %v, want 1", tt.want[i], n)
				}
			}
			if resp.Usage.PromptTokens == 0 || resp.Usage.TotalTokens != resp.Usage.PromptTokens {
				t.Errorf("usage = %+v, want prompt tokens counted", resp.Usage)
			}
		})
	}
	srv.AssertValid(t)
}

func norm(v []float32) float64 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	return math.Sqrt(sum)
}

func TestVector(t *testing.T) {
	same, other := Vector("Boil the water", 64), Vector("boil THE water!", 64)
	if !slices.Equal(same, other) {
		t.Errorf("Vector ignores case and punctuation: got %v and %v", same, other)
	}
	if got := Vector("?!", 4); !slices.Equal(got, []float32{1, 0, 0, 0}) {
		t.Errorf("Vector without words = %v, want the first unit vector", got)
	}
	near, far := dot(Vector("boil the water", 64), Vector("boil water now", 64)), dot(Vector("boil the water", 64), Vector("shelter at school", 64))
	if near <= far {
		t.Errorf("similarity of shared words %v <= of unrelated %v", near, far)
	}
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func TestListModels(t *testing.T) {
	srv, client := newTest(t, Config{Models: []string{"gpt-test"}})
	list, err := client.ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Models) != 1 || list.Models[0].ID != "gpt-test" {
		t.Errorf("ListModels = %+v, want gpt-test", list.Models)
	}
	srv.AssertValid(t)
}

func TestChatFailures(t *testing.T) {
	tests := []struct {
		name   string
		reply  Reply
		stream bool
		key    string // the client's key, if not testKey
		check  func(error) bool
		want   string // describes check
	}{
		{"rate limited", RateLimited(1500 * time.Millisecond), false, "", apiStatus(429, "rate_limit_exceeded"), "*openai.APIError 429"},
		{"rate limited stream", RateLimited(time.Second), true, "", apiStatus(429, "rate_limit_exceeded"), "*openai.APIError 429"},
		{"server error", ServerError(), false, "", apiStatus(500, ""), "*openai.APIError 500"},
		{"context length", ContextLengthExceeded(), false, "", apiStatus(400, "context_length_exceeded"), "*openai.APIError 400 context_length_exceeded"},
		{"unauthorized", Unauthorized(), false, "", apiStatus(401, "invalid_api_key"), "*openai.APIError 401"},
		{"wrong key", Answer("never"), false, "sk-wrong", apiStatus(401, "invalid_api_key"), "*openai.APIError 401"},
		{"custom error", Error(503, "server_error", "overloaded", "Try later."), false, "", apiStatus(503, "overloaded"), "*openai.APIError 503"},
		{"malformed", MalformedJSON(), false, "", isNot(io.EOF), "a decoding error"},
		{"malformed stream", MalformedJSON(), true, "", isNot(io.EOF), "a decoding error"},
		{"broken", BrokenStream(3), false, "", isNot(io.EOF), "an error other than io.EOF"},
		{"broken stream", BrokenStream(3), true, "", isNot(io.EOF), "an error other than io.EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, client := newTest(t, Config{})
			if tt.key != "" {
				client = newClient(srv, tt.key)
			}
			srv.Enqueue(tt.reply)
			err := chat(client, tt.stream)
			if err == nil || !tt.check(err) {
				t.Errorf("got error %v (%T), want %s", err, err, tt.want)
			}
			if got := srv.Count("/v1/chat/completions"); got != 1 {
				t.Errorf("server saw %d requests, want 1", got)
			}
			srv.AssertValid(t)
		})
	}
}

// chat makes one chat completion, streamed or not, reading a stream until
// it ends, and returns the error that ended it (nil for io.EOF).
func chat(client *openai.Client, stream bool) error {
	ctx := context.Background()
	req := chatRequest("Is the tap water safe?")
	if !stream {
		_, err := client.CreateChatCompletion(ctx, req)
		return err
	}
	req.Stream = true
	s, err := client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return err
	}
	defer s.Close()
	for {
		if _, err := s.Recv(); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// apiStatus checks for an *openai.APIError with status and, unless code is
// "", that code. (go-openai decodes a null code as the int 0.)
func apiStatus(status int, code string) func(error) bool {
	return func(err error) bool {
		var apiErr *openai.APIError
		return errors.As(err, &apiErr) && apiErr.HTTPStatusCode == status && (code == "" || apiErr.Code == code)
	}
}

func isNot(target error) func(error) bool {
	return func(err error) bool { return !errors.Is(err, target) }
}

func TestRetryAfterHeader(t *testing.T) {
	srv, _ := newTest(t, Config{})
	srv.Enqueue(RateLimited(1500 * time.Millisecond))
	req, err := http.NewRequest("POST", srv.URL()+"/chat/completions",
		strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Errorf("got %d with Retry-After %q, want 429 with 2", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	srv.AssertValid(t)
}

func TestDelay(t *testing.T) {
	srv, client := newTest(t, Config{})
	srv.Enqueue(Delay(50*time.Millisecond, Answer("late")), Delay(time.Minute, Answer("too late")))

	start := time.Now()
	resp, err := client.CreateChatCompletion(context.Background(), chatRequest("q"))
	if err != nil || resp.Choices[0].Message.Content != "late" {
		t.Fatalf("delayed answer: %v, %v", resp, err)
	}
	if elapsed := time.Since(start); elapsed < 50*time.Millisecond {
		t.Errorf("answer came after %v, want at least 50ms", elapsed)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = client.CreateChatCompletion(ctx, chatRequest("q"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got error %v, want context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("cancelled request took %v", elapsed)
	}
	srv.Close() // waits for the handler, which must notice the cancellation
	srv.AssertValid(t)
}

func TestClosedServer(t *testing.T) {
	srv, client := newTest(t, Config{})
	srv.Close()
	_, err := client.CreateChatCompletion(context.Background(), chatRequest("q"))
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	if err == nil || errors.As(err, &apiErr) || errors.As(err, &reqErr) {
		t.Errorf("got error %v (%T), want a connection error", err, err)
	}
}

func TestValidationCatchesBadRequests(t *testing.T) {
	srv, _ := newTest(t, Config{})
	tests := []struct {
		name, body, auth string
	}{
		{"messages as string", `{"model":"gpt-4o-mini","messages":"hi"}`, "Bearer " + testKey},
		{"no key", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}`, ""},
	}
	for _, tt := range tests {
		req, err := http.NewRequest("POST", srv.URL()+"/chat/completions", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if tt.auth != "" {
			req.Header.Set("Authorization", tt.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	errs := srv.Errors()
	if len(errs) != len(tests) {
		t.Fatalf("got %d validation errors %v, want %d", len(errs), errs, len(tests))
	}
	for i, err := range errs {
		var verr *specvalidate.Error
		if !errors.As(err, &verr) || verr.Kind != specvalidate.KindRequest {
			t.Errorf("%s: got %v, want a request validation error", tests[i].name, err)
		}
	}
}

func TestEmbeddingsFailures(t *testing.T) {
	srv, client := newTest(t, Config{})
	srv.EnqueueEmbeddings(RateLimited(time.Second), ServerError(), Delay(10*time.Millisecond, Answer("")))
	req := openai.EmbeddingRequestStrings{Input: []string{"boil water"}, Model: openai.SmallEmbedding3}
	for i, check := range []func(error) bool{apiStatus(429, "rate_limit_exceeded"), apiStatus(500, "")} {
		if _, err := client.CreateEmbeddings(context.Background(), req); err == nil || !check(err) {
			t.Errorf("request %d: error %v, want the queued error", i, err)
		}
	}
	for i := range 2 {
		if resp, err := client.CreateEmbeddings(context.Background(), req); err != nil || len(resp.Data) != 1 {
			t.Errorf("request %d after the queue: %v, %v; want the vectors", i+2, resp, err)
		}
	}
	if n := srv.Count("/v1/embeddings"); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
	srv.AssertValid(t)
}

func TestEchoingServerError(t *testing.T) {
	srv, client := newTest(t, Config{})
	srv.Enqueue(EchoingServerError())
	err := chat(client, false)
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 500 || !strings.Contains(apiErr.Message, "Bearer "+testKey) {
		t.Errorf("got %v, want a 500 whose message repeats the Authorization header", err)
	}
	srv.AssertValid(t)
}
