package answer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/internal/httpretry"
	"github.com/crisisbot/crisisbot/retrieval"
)

// LLMConfig tunes the LLM answerer.
type LLMConfig struct {
	// TopK is how many passages go into the prompt (default 6).
	TopK int
	// Retry says how often, and after what waits, a reply that arrived
	// broken ([ErrIncomplete], [ErrBadReply]) is asked for again (the
	// zero value means httpretry's defaults). Failures an HTTP client can
	// see — 429s, 5xx, network errors, an attempt out of time — are the
	// [ChatModel]'s to retry, not the answerer's.
	Retry httpretry.Policy
	// Stream asks for the answer as it is written.
	Stream bool
	// MaxTokens caps the answer's length (default 600).
	MaxTokens int
	// FallbackReserve is the least time, of what the question's context
	// has left, that the model may not use (default 2s): a tenth of what is
	// left is kept back when that is more. However long the model hangs,
	// the extractive fallback then still answers before the question's
	// deadline.
	FallbackReserve time.Duration
	// MaxAnswerBytes caps the model's answer text (default 64 KiB, some
	// fifty times a long answer). A longer one is refused as it arrives,
	// and the fallback answers.
	MaxAnswerBytes int
}

// Defaults of [LLMConfig].
const (
	DefaultFallbackReserve = 2 * time.Second
	DefaultMaxAnswerBytes  = 64 << 10
)

// FallbackNotice is the notice on an answer the extractive answerer gave
// because the LLM failed.
const FallbackNotice = "The language model could not be reached, so this answer quotes the sources directly."

// LLM answers with a chat model over the retrieved passages and checks the
// citations it writes. When the model keeps failing it falls back to
// the extractive answerer, over the same passages, and says so.
type LLM struct {
	cfg      LLMConfig
	model    ChatModel
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
func NewLLM(cfg LLMConfig, model ChatModel, src IndexSource, fallback *Extractive, log *slog.Logger) (*LLM, error) {
	if model == nil || src == nil || fallback == nil {
		return nil, errors.New("llm: a chat model, an index source and a fallback answerer are required")
	}
	if cfg.TopK <= 0 {
		cfg.TopK = 6
	}
	cfg.Retry = cfg.Retry.OrDefaults()
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = 600
	}
	if cfg.FallbackReserve <= 0 {
		cfg.FallbackReserve = DefaultFallbackReserve
	}
	if cfg.MaxAnswerBytes <= 0 {
		cfg.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	p, err := newPrompt()
	if err != nil {
		return nil, err
	}
	return &LLM{cfg: cfg, model: model, src: src, fallback: fallback, log: log, prompt: p, sleep: sleepCtx}, nil
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
	mctx, cancel := l.modelContext(ctx)
	defer cancel()
	text, used, err := l.complete(mctx, q, hits, onPartial)
	if err != nil {
		if ctx.Err() != nil {
			return Answer{}, fmt.Errorf("llm: %w", ctx.Err())
		}
		l.log.Warn("llm failed; answering extractively", "err", err)
		ans := l.fallback.answerFrom(q, ix, hits)
		ans.Notice = FallbackNotice
		ans.Retrieved = hits
		return ans, nil
	}
	ans := l.checked(q, ix, hits[:used], text)
	ans.Retrieved = hits
	return ans, nil
}

// modelContext is the part of ctx the model may use: all of it but a
// reserve for the fallback, so that a model that hangs, or keeps failing
// slowly, ends in the extractive answer and not in the question's own
// deadline. The reserve is FallbackReserve or a tenth of the time left,
// whichever is more.
func (l *LLM) modelContext(ctx context.Context) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	reserve := max(l.cfg.FallbackReserve, time.Until(dl)/10)
	return context.WithDeadline(ctx, dl.Add(-reserve))
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
	if saysNoAnswer(text) {
		ans.Abstained, ans.Text = true, NoAnswer
		return ans
	}
	text, invalid := dropInvalid(text, len(hits))
	if len(invalid) > 0 {
		l.log.Warn("llm cited passages that do not exist; markers removed", "markers", invalid, "passages", len(hits))
	}

	// Every sentence is checked on its own against the passages it cites:
	// one valid marker must not carry the sentences around it, and a
	// figure or date that no cited passage gives is an invention.
	var kept []string
	removed := 0
	for _, cc := range l.fallback.checks.checkClaims(text, ix, hits) {
		if cc.reason != "" {
			removed++
			l.log.Warn("llm statement removed", "reason", cc.reason, "markers", cc.markers)
			continue
		}
		published := hits[cc.markers[0]-1].Article.Published
		kept = append(kept, resolveClaimDates(cc.text, published))
	}
	c := checkCitations(strings.Join(kept, " "), len(hits))
	if len(c.Order) == 0 {
		// Text that cites no passage is traceable to no source sentence,
		// whatever it says — a guess, or an injected instruction obeyed —
		// so the user sees the plain refusal instead.
		l.log.Warn("llm answer has no supported statement; abstaining", "chars", len(text), "removed", removed)
		ans.Abstained = true
		ans.Text = NoAnswer
		return ans
	}
	ans.Text = c.Text
	var cited []string
	for i, n := range c.Order {
		h := hits[n-1]
		quote := bestSentence(ix, h, strings.Join(c.Claims[i+1], " "))
		ans.Citations = append(ans.Citations, citationFor(i+1, h.Article, quote))
		cited = append(cited, h.Article.ID)
	}

	// The passages may disagree where the model gave one side only.
	if line, cites, ok := l.fallback.sidesNote(q, ix, hits, cited, len(ans.Citations)); ok {
		ans.Text += "\n\n" + line
		ans.Citations = append(ans.Citations, cites...)
	}
	if removed > 0 {
		ans.Notice = removedNotice(removed)
	}
	return ans
}

// removedNotice tells the user how many of the model's statements were
// left out for want of a source.
func removedNotice(n int) string {
	if n == 1 {
		return "1 statement without a source was removed."
	}
	return fmt.Sprintf("%d statements without a source were removed.", n)
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

// complete asks the model, retrying replies that arrived broken. It
// returns the text and how many passages the prompt held: a context-length
// error retries with fewer.
func (l *LLM) complete(ctx context.Context, q Question, hits []retrieval.Hit, onPartial func(string)) (string, int, error) {
	n := len(hits)
	for retry := 0; ; {
		system, user, err := l.prompt.render(q, hits[:n])
		if err != nil {
			return "", n, err
		}
		text, err := l.call(ctx, ChatRequest{System: system, User: user, MaxTokens: l.cfg.MaxTokens}, onPartial)
		switch {
		case err == nil:
			return text, n, nil
		case ctx.Err() != nil:
			return "", n, fmt.Errorf("%w (last failure: %w)", ctx.Err(), err)
		case errors.Is(err, ErrContextLength) && n > 1:
			// Fewer passages is a fix, not a wait: don't count it.
			n = max(1, n/2)
			continue
		case !IsRetryable(err):
			return "", n, err
		case retry+1 >= l.cfg.Retry.Attempts():
			return "", n, fmt.Errorf("gave up after %d attempts: %w", retry+1, err)
		}
		retry++
		wait := l.cfg.Retry.Delay(retry, 0)
		if !httpretry.WaitFits(ctx, time.Now(), wait) {
			return "", n, fmt.Errorf("no time left to retry: %w", err)
		}
		l.log.Info("retrying llm", "retry", retry, "wait", wait, "err", err)
		if err := l.sleep(ctx, wait); err != nil {
			return "", n, err
		}
	}
}

// call asks the model once. A streamed answer longer than MaxAnswerBytes
// is cut off as it arrives, not after.
func (l *LLM) call(ctx context.Context, req ChatRequest, onPartial func(string)) (string, error) {
	tooLong := fmt.Errorf("%w: more than %d bytes", ErrTooLong, l.cfg.MaxAnswerBytes)
	if !l.cfg.Stream {
		text, err := l.model.Chat(ctx, req, nil)
		if err != nil {
			return "", err
		}
		if len(text) > l.cfg.MaxAnswerBytes {
			return "", tooLong
		}
		return text, nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var b strings.Builder
	leaked := false
	text, err := l.model.Chat(ctx, req, func(delta string) {
		if ctx.Err() != nil {
			return
		}
		if b.Len()+len(delta) > l.cfg.MaxAnswerBytes {
			cancel(tooLong)
			return
		}
		from := b.Len()
		b.WriteString(delta)
		// Partial text reaches users before the answer is checked, so a
		// model echoing its instructions is cut off here too.
		if onPartial == nil || leaked {
			return
		}
		if leaked = l.prompt.leaks(newRuns(b.String(), from)); !leaked {
			onPartial(b.String())
		}
	})
	if cause := context.Cause(ctx); errors.Is(cause, ErrTooLong) {
		return "", cause
	}
	if err != nil {
		return "", err
	}
	if len(text) > l.cfg.MaxAnswerBytes {
		return "", tooLong
	}
	return text, nil
}

// newRuns returns the end of text that holds every run of leakRun words
// not wholly before from: the text from leakRun words before from. Earlier
// runs were checked with earlier pieces of the stream, so checking only
// these keeps each check as cheap as the piece is long. (A piece may
// start mid-word, so the word at from counts among the leakRun.)
func newRuns(text string, from int) string {
	i := from
	for n := 0; n < leakRun && i > 0; n++ {
		for i > 0 && isSpace(text[i-1]) {
			i--
		}
		for i > 0 && !isSpace(text[i-1]) {
			i--
		}
	}
	return text[i:]
}

// isSpace reports whether b separates words as strings.Fields sees them;
// only ASCII white space, which suffices to find a word start: a multi-byte
// space is at worst taken for part of a word, which only widens the text
// checked.
func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f'
}
