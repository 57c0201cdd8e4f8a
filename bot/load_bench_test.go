package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/sashabaranov/go-openai"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/fakeopenai"
	"github.com/crisisbot/crisisbot/internal/httpretry"
)

// Load shape for BenchmarkDiscordLoad.
const (
	loadQuestions   = 300                    // /ask interactions per round
	loadSpread      = 3 * time.Second        // over which they are dispatched
	loadLLMDelay    = 500 * time.Millisecond // the fake model's time per answer
	loadHeavyUsers  = 10                     // users who ask every 5th question between them
	loadAckDeadline = 3 * time.Second        // Discord's window for the callback
	loadLLMReply    = "Rubio spoke with Asim Munir on Friday [1]."
)

// loadQuestionTexts are asked in turn; all are answered from the built-in
// corpus.
var loadQuestionTexts = []string{
	"Who did Marco Rubio speak with on Friday?",
	"What did Rubio offer Munir?",
	"What did JD Vance say about the conflict?",
	"Where is Trump travelling next week?",
}

// BenchmarkDiscordLoad fires 300 /ask interactions within three seconds at
// the bot, through the fake Discord, answered by the real LLM answerer
// against a fake model that takes 500 ms per answer. Most askers are
// distinct; ten ask six times each, so half of their questions are refused
// by the per-user rate limit (burst 3). Every interaction must be
// acknowledged within Discord's three seconds and end answered (with its
// sources, or saying the sources don't answer) or refused.
//
// Run it with
//
//	go test -run '^$' -bench BenchmarkDiscordLoad -benchtime 1x ./bot
//
// Neither fake validates against its OpenAPI document here: the validators
// take 15 s to load and several milliseconds per exchange, and since
// discordgo serialises every interaction edit through one rate-limit bucket
// that cost would dominate the answer latency being measured. The
// functional tests cover conformance.
func BenchmarkDiscordLoad(b *testing.B) {
	lib := builtinLibrary(b)
	var all loadRound
	for range b.N {
		b.StopTimer()
		h := newLoadHarness(b, lib)
		b.StartTimer()
		r := h.round(b)
		b.StopTimer()
		h.stop(b)
		all.merge(r)
	}
	n := float64(b.N)
	b.ReportMetric(percentileMS(all.acks, 50), "ack-p50-ms")
	b.ReportMetric(percentileMS(all.acks, 95), "ack-p95-ms")
	b.ReportMetric(percentileMS(all.acks, 100), "ack-max-ms")
	b.ReportMetric(percentileMS(all.answers, 50), "answer-p50-ms")
	b.ReportMetric(percentileMS(all.answers, 95), "answer-p95-ms")
	b.ReportMetric(float64(len(all.answers))/n, "answered")
	b.ReportMetric(float64(all.abstained)/n, "abstained")
	b.ReportMetric(float64(all.refused)/n, "refused")
	b.ReportMetric(float64(all.peakHeap)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(all.peakSys)/(1<<20), "peak-sys-MiB")
}

// loadHarness is one bot on a fresh fake Discord, answering with the LLM
// answerer against a fresh fake model.
type loadHarness struct {
	srv    *fakediscord.Server
	logs   *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

func newLoadHarness(tb testing.TB, lib Library) *loadHarness {
	tb.Helper()
	model := fakeopenai.New(tb, fakeopenai.Config{
		APIKey: "sk-bench-secret",
		Chat: func(fakeopenai.ChatRequest) fakeopenai.Reply {
			return fakeopenai.Delay(loadLLMDelay, fakeopenai.Answer(loadLLMReply))
		},
	})
	oc := openai.DefaultConfig("sk-bench-secret")
	oc.BaseURL = model.URL()
	// The HTTP client, retries and streaming are as crisisbot serve sets them.
	oc.HTTPClient = httpretry.New(httpretry.Config{Limits: httpretry.Limits{AttemptTimeout: 30 * time.Second}})
	chat, err := answer.NewOpenAIChat(openai.NewClientWithConfig(oc), answer.OpenAIChatConfig{Model: "gpt-4o-mini"})
	if err != nil {
		tb.Fatal(err)
	}
	llm, err := answer.NewLLM(answer.LLMConfig{Stream: true}, chat, lib, answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil), nil)
	if err != nil {
		tb.Fatal(err)
	}

	srv := fakediscord.New(tb, fakediscord.Config{Token: testToken, AckDeadline: loadAckDeadline})
	s, err := NewDiscordSession(testToken, srv.APIBase())
	if err != nil {
		tb.Fatal(err)
	}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := DiscordConfig{Guilds: []string{fakediscord.DefaultGuildID}, MaxConcurrent: 64, MaxWaiting: 512, RatePerMinute: 6, RateBurst: 3, AnswerTimeout: 60 * time.Second}
	d, err := NewDiscord(cfg, s, llm, lib, nil, log)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &loadHarness{srv: srv, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- d.Run(ctx) }()
	if err := fakediscord.WaitSettled(srv, s, 10*time.Second); err != nil {
		cancel()
		tb.Fatalf("bot did not connect: %v", err)
	}
	return h
}

// stop shuts the bot down, letting questions in flight finish.
func (h *loadHarness) stop(tb testing.TB) {
	tb.Helper()
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			tb.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		tb.Fatal("Run did not return after shutdown")
	}
}

// loadRound is what one round measured.
type loadRound struct {
	acks, answers     []time.Duration
	abstained         int
	refused           int
	peakHeap, peakSys uint64
}

func (r *loadRound) merge(o loadRound) {
	r.acks = append(r.acks, o.acks...)
	r.answers = append(r.answers, o.answers...)
	r.abstained += o.abstained
	r.refused += o.refused
	r.peakHeap = max(r.peakHeap, o.peakHeap)
	r.peakSys = max(r.peakSys, o.peakSys)
}

// loadOutcome is how one interaction ended, as the fake recorded it.
type loadOutcome struct {
	dispatched time.Time
	acked      time.Time // zero until a callback was accepted
	ackStatus  int
	ackType    int
	ended      time.Time // the final answer, abstention or refusal
	answered   bool      // an answer with its sources
	abstained  bool      // the answerer found the sources don't answer
	refused    bool      // the bot would not take the question
	last       string    // the last content the bot sent
}

// round dispatches the interactions, waits until each has ended (or a
// minute has passed) and measures.
func (h *loadHarness) round(tb testing.TB) loadRound {
	tb.Helper()
	stopSampling := sampleMemory(10 * time.Millisecond)

	outcomes := map[string]*loadOutcome{} // by interaction token
	var tokens []string
	tick := time.NewTicker(loadSpread / loadQuestions)
	for i := range loadQuestions {
		user := fakediscord.User{ID: fmt.Sprint(3000000000000000000 + i), Username: fmt.Sprintf("asker%d", i)}
		if i%5 == 0 {
			heavy := (i / 5) % loadHeavyUsers
			user = fakediscord.User{ID: fmt.Sprint(2000000000000000000 + heavy), Username: fmt.Sprintf("heavy%d", heavy)}
		}
		spec := ask(loadQuestionTexts[i%len(loadQuestionTexts)]).As(user, discordgo.PermissionSendMessages)
		sent := time.Now()
		it := h.srv.DispatchInteraction(spec)
		outcomes[it.Token] = &loadOutcome{dispatched: sent}
		tokens = append(tokens, it.Token)
		<-tick.C
	}
	tick.Stop()

	deadline := time.Now().Add(time.Minute)
	for {
		ended := classifyLoad(h.srv.Requests(), outcomes)
		if ended == len(outcomes) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	heap, sys := stopSampling()

	r := loadRound{peakHeap: heap, peakSys: sys}
	var unacked, late, neither int
	for _, tok := range tokens {
		o := outcomes[tok]
		switch {
		case o.acked.IsZero() || o.ackStatus != http.StatusNoContent:
			unacked++
			if unacked <= 5 {
				tb.Errorf("interaction %s: no accepted callback (status %d)", tok, o.ackStatus)
			}
			continue
		case o.acked.Sub(o.dispatched) > loadAckDeadline:
			late++
			tb.Errorf("interaction %s acknowledged after %s", tok, o.acked.Sub(o.dispatched))
		}
		r.acks = append(r.acks, o.acked.Sub(o.dispatched))
		switch {
		case o.answered:
			r.answers = append(r.answers, o.ended.Sub(o.dispatched))
		case o.abstained:
			// The fake model gives one reply to every question; where
			// its citation does not hold, the answer checks drop it and
			// the bot says the sources don't answer: an answer too.
			r.abstained++
		case o.refused:
			r.refused++
		default:
			neither++
			if neither <= 5 {
				tb.Errorf("interaction %s (ack type %d) ended neither answered nor refused; last content %q", tok, o.ackType, o.last)
			}
		}
	}
	if unacked+late+neither > 0 {
		tb.Errorf("%d unacknowledged, %d acknowledged late, %d neither answered nor refused, of %d\nbot warnings and errors:\n%s",
			unacked, late, neither, len(outcomes), firstLines(h.logs.String(), 20))
	}
	return r
}

// classifyLoad updates outcomes from the fake's record of requests and
// returns how many interactions have ended.
func classifyLoad(reqs []fakediscord.Request, outcomes map[string]*loadOutcome) int {
	for _, req := range reqs {
		segs := strings.Split(strings.Trim(req.Endpoint(), "/"), "/")
		if len(segs) < 3 {
			continue
		}
		o := outcomes[segs[2]]
		if o == nil {
			continue
		}
		body, _ := req.Body.(map[string]any)
		switch {
		case segs[0] == "interactions" && req.Method == http.MethodPost:
			if !o.acked.IsZero() {
				continue
			}
			o.ackStatus = req.Status
			if req.Status != http.StatusNoContent {
				continue
			}
			o.acked = req.Time
			typ, _ := body["type"].(float64)
			o.ackType = int(typ)
			if o.ackType == int(discordgo.InteractionResponseChannelMessageWithSource) {
				data, _ := body["data"].(map[string]any)
				content, _ := data["content"].(string)
				o.last = content
				o.ended = req.Time
				o.refused = strings.Contains(content, "asking faster")
			}
		case segs[0] == "webhooks" && req.Method == http.MethodPatch && req.Status == http.StatusOK:
			content, _ := body["content"].(string)
			o.last = content
			if !o.ended.IsZero() {
				continue
			}
			// The answer checks may rewrite the model's text (a date
			// spelt out beside "Friday"), so an answer is told by its
			// sources, not by the model's words.
			switch {
			case strings.Contains(content, "**Sources**"):
				o.answered, o.ended = true, req.Time
			case strings.Contains(content, answer.NoAnswer):
				o.abstained, o.ended = true, req.Time
			case strings.Contains(content, "I'm busy answering") || strings.Contains(content, "couldn't get to your question"):
				o.refused, o.ended = true, req.Time
			}
		}
	}
	ended := 0
	for _, o := range outcomes {
		if !o.ended.IsZero() {
			ended++
		}
	}
	return ended
}

// sampleMemory samples the heap in use and the memory obtained from the OS
// every interval until the returned stop function is called, which reports
// the peaks: the heap in use, and all memory obtained from the OS.
func sampleMemory(interval time.Duration) (stop func() (heap, sys uint64)) {
	var mu sync.Mutex
	var peakHeap, peakSys uint64
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		mu.Lock()
		peakHeap, peakSys = max(peakHeap, m.HeapInuse), max(peakSys, m.Sys)
		mu.Unlock()
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			sample()
			select {
			case <-quit:
				return
			case <-t.C:
			}
		}
	}()
	return func() (uint64, uint64) {
		close(quit)
		<-done
		sample()
		mu.Lock()
		defer mu.Unlock()
		return peakHeap, peakSys
	}
}

// percentileMS is the p-th percentile of ds in milliseconds (nearest rank),
// or 0 when ds is empty.
func percentileMS(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	i = min(max(i, 0), len(s)-1)
	return float64(s[i]) / float64(time.Millisecond)
}

// firstLines returns at most n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
