package answer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/retrieval"
)

// ChatClient is the part of go-openai's client the LLM answerer uses.
type ChatClient interface {
	CreateChatCompletion(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error)
	CreateChatCompletionStream(ctx context.Context, req openai.ChatCompletionRequest) (*openai.ChatCompletionStream, error)
}

var _ ChatClient = (*openai.Client)(nil)

// LLMConfig tunes the LLM answerer.
type LLMConfig struct {
	Model string
	// TopK is how many passages go into the prompt (default 6).
	TopK int
	// Timeout bounds each call to the server (default 60s).
	Timeout time.Duration
	// Retries is how many times a failed call is retried (default 3; a
	// negative value means none).
	Retries int
	// Backoff is the first retry's delay, doubled each time, with jitter
	// (default 500ms). A Retry-After header overrides it.
	Backoff time.Duration
	// MaxBackoff caps any single wait, Retry-After included (default 20s).
	MaxBackoff time.Duration
	// Stream asks for the answer as server-sent events.
	Stream bool
	// MaxTokens caps the answer's length (default 600).
	MaxTokens int
}

// FallbackNotice is the notice on an answer the extractive answerer gave
// because the LLM failed.
const FallbackNotice = "The language model could not be reached, so this answer quotes the sources directly."

// LLM answers with a chat model over the retrieved passages and checks the
// citations it writes. When the model keeps failing it falls back to
// the extractive answerer, over the same passages, and says so.
type LLM struct {
	cfg      LLMConfig
	client   ChatClient
	src      IndexSource
	fallback *Extractive
	log      *slog.Logger
	prompt   *prompt
	// sleep waits between retries; tests replace it to run without delay.
	sleep func(ctx context.Context, d time.Duration) error
}

var _ Answerer = (*LLM)(nil)

// NewLLM returns an LLM answerer. fallback answers, from the passages the
// model was given, when the model cannot.
func NewLLM(cfg LLMConfig, client ChatClient, src IndexSource, fallback *Extractive, log *slog.Logger) (*LLM, error) {
	if client == nil || src == nil || fallback == nil {
		return nil, errors.New("llm: a client, an index source and a fallback answerer are required")
	}
	if cfg.Model == "" {
		return nil, errors.New("llm: no model configured")
	}
	if cfg.TopK <= 0 {
		cfg.TopK = 6
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 500 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 20 * time.Second
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = 600
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := newPrompt()
	if err != nil {
		return nil, err
	}
	return &LLM{cfg: cfg, client: client, src: src, fallback: fallback, log: log, prompt: p, sleep: sleepCtx}, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Answer implements [Answerer].
func (l *LLM) Answer(ctx context.Context, q Question, onPartial func(string)) (Answer, error) {
	ix := l.src.Current()
	if ix == nil {
		return Answer{}, ErrNoIndex
	}
	hits, err := ix.Search(ctx, searchQuery(q), l.cfg.TopK)
	if err != nil {
		return Answer{}, fmt.Errorf("llm: %w", err)
	}
	if len(hits) == 0 {
		return Answer{Question: q.Text, Text: NoAnswer, Abstained: true, Mode: ModeLLM}, nil
	}
	text, used, err := l.complete(ctx, q, hits, onPartial)
	if err != nil {
		if ctx.Err() != nil {
			return Answer{}, fmt.Errorf("llm: %w", ctx.Err())
		}
		l.log.Warn("llm failed; answering extractively", "err", err)
		ans := l.fallback.answerFrom(q, ix, hits)
		ans.Notice = FallbackNotice
		return ans, nil
	}
	return l.checked(q, ix, hits[:used], text), nil
}

// checked turns the model's text into an answer whose citations point at
// real passages, each quoting the sentence that best supports its claim.
func (l *LLM) checked(q Question, ix *retrieval.Index, hits []retrieval.Hit, text string) Answer {
	ans := Answer{Question: q.Text, Mode: ModeLLM}
	if l.prompt.leaks(text) {
		l.log.Warn("llm answer repeats its instructions; abstaining")
		ans.Abstained, ans.Text = true, NoAnswer
		return ans
	}
	c := checkCitations(text, len(hits))
	c = unsupported(c, ix, hits, l.log)
	if len(c.Invalid) > 0 {
		l.log.Warn("llm cited passages that do not exist; markers removed", "markers", c.Invalid, "passages", len(hits))
	}
	ans.Text = c.Text
	if len(c.Order) == 0 || saysNoAnswer(c.Text) {
		// Text that cites no passage is traceable to no source sentence,
		// whatever it says — a guess, or an injected instruction obeyed —
		// so the user sees the plain refusal instead.
		if len(c.Order) == 0 && !saysNoAnswer(c.Text) {
			l.log.Warn("llm answer cites no passage; abstaining", "chars", len(c.Text))
		}
		ans.Abstained = true
		ans.Citations = nil
		ans.Text = NoAnswer
		return ans
	}
	for i, n := range c.Order {
		h := hits[n-1]
		quote := bestSentence(ix, h, strings.Join(c.Claims[i+1], " "))
		ans.Citations = append(ans.Citations, citationFor(i+1, h.Article, quote))
	}
	return ans
}

// unsupported drops the citations whose claims share nothing with the
// passage they cite: a marker naming a real passage proves nothing by
// itself, and a model that was talked into writing something else can still
// append "[1]". A claim is supported when it shares at least a fifth of its
// IDF-weighted terms with the passage (or with the passage's title).
func unsupported(c citedAnswer, ix *retrieval.Index, hits []retrieval.Hit, log *slog.Logger) citedAnswer {
	var keep []int
	for i, n := range c.Order {
		claims := c.Claims[i+1]
		h := hits[n-1]
		have := map[string]bool{}
		for _, t := range retrieval.Terms(h.Article.Title + " " + h.Passage.Text) {
			have[t] = true
		}
		supported := false
		for _, claim := range claims {
			var total, shared float64
			seen := map[string]bool{}
			for _, t := range retrieval.Terms(claim) {
				if seen[t] {
					continue
				}
				seen[t] = true
				w := ix.IDF(t)
				total += w
				if have[t] {
					shared += w
				}
			}
			if total == 0 || shared >= total/5 {
				supported = true
			}
		}
		if supported {
			keep = append(keep, n)
		} else {
			log.Warn("llm citation does not support its claim; dropped", "passage", n)
		}
	}
	if len(keep) == len(c.Order) {
		return c
	}
	// Re-check the text with only the supported passages numbered.
	return checkCitations(keepMarkers(c, keep), len(hits))
}

// keepMarkers rewrites a checked answer's markers back to prompt numbers,
// leaving out those not in keep, so checkCitations can renumber the rest.
func keepMarkers(c citedAnswer, keep []int) string {
	return spacedMarkerRE.ReplaceAllStringFunc(c.Text, func(m string) string {
		marker := strings.TrimLeft(m, " \t\n")
		n, err := strconv.Atoi(strings.Trim(marker, "[] "))
		if err != nil || n < 1 || n > len(c.Order) {
			return ""
		}
		if orig := c.Order[n-1]; slices.Contains(keep, orig) {
			return m[:len(m)-len(marker)] + "[" + strconv.Itoa(orig) + "]"
		}
		return ""
	})
}

// saysNoAnswer reports whether the model said the passages don't answer.
func saysNoAnswer(text string) bool {
	t := strings.ToLower(strings.ReplaceAll(text, "’", "'"))
	for _, p := range []string{
		strings.ToLower(NoAnswer),
		"sources i have don't answer", "passages don't answer", "passages do not answer",
		"passages don't cover", "passages do not cover", "passages do not contain", "passages don't contain",
		"passages do not mention", "passages don't mention", "no information about",
	} {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}

// bestSentence picks the sentence of the hit's passage that shares the most
// IDF-weighted terms with the claim; the first sentence when none does.
func bestSentence(ix *retrieval.Index, h retrieval.Hit, claim string) string {
	want := map[string]bool{}
	for _, t := range retrieval.Terms(claim) {
		want[t] = true
	}
	text := h.Article.Text
	best, bestScore := h.Passage.Sentences[0], -1.0
	for _, s := range h.Passage.Sentences {
		var score float64
		seen := map[string]bool{}
		for _, t := range retrieval.Terms(text[s.Start:s.End]) {
			if want[t] && !seen[t] {
				seen[t] = true
				score += ix.IDF(t)
			}
		}
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return strings.TrimSpace(text[best.Start:best.End])
}

// complete asks the model, retrying what is worth retrying. It returns the
// text and how many passages the prompt held: a context-length error retries
// with fewer.
func (l *LLM) complete(ctx context.Context, q Question, hits []retrieval.Hit, onPartial func(string)) (string, int, error) {
	n := len(hits)
	var lastErr error
	for attempt := 0; attempt <= l.cfg.Retries; attempt++ {
		if attempt > 0 {
			wait := l.backoff(attempt, lastErr)
			l.log.Info("retrying llm", "attempt", attempt, "wait", wait, "err", lastErr)
			if err := l.sleep(ctx, wait); err != nil {
				return "", n, err
			}
		}
		system, user, err := l.prompt.render(q, hits[:n])
		if err != nil {
			return "", n, err
		}
		text, err := l.call(ctx, system, user, onPartial)
		if err == nil {
			return text, n, nil
		}
		lastErr = err
		switch {
		case ctx.Err() != nil:
			return "", n, ctx.Err()
		case isContextLength(err) && n > 1:
			n = max(1, n/2)
			// Fewer passages is a fix, not a wait: don't count it.
			attempt--
			lastErr = nil
			continue
		case !retryable(err):
			return "", n, err
		}
	}
	return "", n, fmt.Errorf("gave up after %d attempts: %w", l.cfg.Retries+1, lastErr)
}

// call makes one request with its own deadline.
func (l *LLM) call(ctx context.Context, system, user string, onPartial func(string)) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.Timeout)
	defer cancel()
	hint := &retryHint{}
	ctx = context.WithValue(ctx, retryHintKey{}, hint)
	req := openai.ChatCompletionRequest{
		Model: l.cfg.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
		MaxTokens: l.cfg.MaxTokens,
	}
	if !l.cfg.Stream {
		resp, err := l.client.CreateChatCompletion(ctx, req)
		if err != nil {
			return "", withHint(err, hint)
		}
		if len(resp.Choices) == 0 {
			return "", errBadResponse{"no choices in the response"}
		}
		return resp.Choices[0].Message.Content, nil
	}
	req.Stream = true
	stream, err := l.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", withHint(err, hint)
	}
	defer stream.Close()
	var b strings.Builder
	finished, leaked := false, false
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("stream: %w", err)
		}
		for _, c := range chunk.Choices {
			if c.Index != 0 {
				continue
			}
			if c.Delta.Content != "" {
				b.WriteString(c.Delta.Content)
				// Partial text reaches users before the answer is checked,
				// so a model echoing its instructions is cut off here too.
				if onPartial != nil && !leaked && !l.prompt.leaks(b.String()) {
					onPartial(b.String())
				} else {
					leaked = true
				}
			}
			if c.FinishReason != "" {
				finished = true
			}
		}
	}
	// go-openai reports a connection cut mid-stream as a clean io.EOF; only
	// a finish reason tells a complete answer from a truncated one.
	if !finished {
		return "", errBrokenStream
	}
	return b.String(), nil
}

// errBrokenStream is a stream that ended without a finish reason.
var errBrokenStream = errors.New("stream ended before the answer was finished")

// errBadResponse is a response that parsed but makes no sense; retried.
type errBadResponse struct{ msg string }

func (e errBadResponse) Error() string { return "bad response: " + e.msg }

// statusOf returns the HTTP status of a go-openai error, or 0.
func statusOf(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// retryable: rate limits, server errors, broken streams, garbled bodies and
// transport failures are worth another try; other 4xx are our fault and
// would fail again.
func retryable(err error) bool {
	status := statusOf(err)
	switch {
	case status == http.StatusTooManyRequests || status >= 500:
		return true
	case status >= 400:
		return false
	}
	return true
}

// isContextLength reports whether the server refused the prompt as too long.
func isContextLength(err error) bool {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		if code, ok := apiErr.Code.(string); ok && code == "context_length_exceeded" {
			return true
		}
		m := strings.ToLower(apiErr.Message)
		return strings.Contains(m, "context length") || strings.Contains(m, "context window") || strings.Contains(m, "maximum context")
	}
	return false
}

// backoff is the wait before retry attempt: Retry-After when the server sent
// one, else exponential with full jitter, capped.
func (l *LLM) backoff(attempt int, err error) time.Duration {
	var h hintedError
	if errors.As(err, &h) && h.after > 0 {
		return min(h.after, l.cfg.MaxBackoff)
	}
	d := l.cfg.Backoff << (attempt - 1)
	d = min(d, l.cfg.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

// retryHint carries a Retry-After value from the HTTP layer, which sees
// headers, to the retry loop, which go-openai's errors don't tell.
type retryHint struct{ after time.Duration }

type retryHintKey struct{}

// hintedError is an error that came with a Retry-After.
type hintedError struct {
	error
	after time.Duration
}

func (h hintedError) Unwrap() error { return h.error }

func withHint(err error, h *retryHint) error {
	if h.after > 0 {
		return hintedError{error: err, after: h.after}
	}
	return err
}

// RetryAfterClient wraps the HTTP client go-openai uses so that the
// Retry-After header of a 429 or 503 reaches the retry loop.
type RetryAfterClient struct {
	Client *http.Client
	now    func() time.Time
}

var _ openai.HTTPDoer = (*RetryAfterClient)(nil)

// Do implements [openai.HTTPDoer].
func (c *RetryAfterClient) Do(req *http.Request) (*http.Response, error) {
	client := c.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	if h, ok := req.Context().Value(retryHintKey{}).(*retryHint); ok {
		now := time.Now
		if c.now != nil {
			now = c.now
		}
		h.after = parseRetryAfter(resp.Header.Get("Retry-After"), now())
	}
	return resp, nil
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
