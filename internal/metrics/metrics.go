// Package metrics serves crisisbot's Prometheus metrics and its health
// check for `serve --metrics ADDR`: questions, refusals and answer times
// (from a wrapper around the answerer), LLM calls and failures, the size of
// the index, reload times (from a wrapper around the library), and Discord
// gateway reconnects (from the session's events). Everything lives on a
// registry of its own, made by [New]; nothing is registered globally.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Library is what the metrics need of the index: the one serving, for its
// size and the health check, and reloads, to time them.
// [retrieval.Library] is one.
type Library interface {
	Current() *retrieval.Index
	Reload(ctx context.Context) (retrieval.Report, error)
}

// Metrics holds crisisbot's metrics and the state /healthz reports.
type Metrics struct {
	reg *prometheus.Registry
	lib Library

	questions    *prometheus.CounterVec
	refusals     prometheus.Counter
	answerErrors prometheus.Counter
	latency      prometheus.Histogram
	llmCalls     prometheus.Counter
	llmFailures  prometheus.Counter
	reloads      *prometheus.CounterVec
	reloadTime   prometheus.Histogram
	reconnects   prometheus.Counter

	session  atomic.Pointer[discordgo.Session] // the gateway watched, if any
	mu       sync.Mutex
	connects int // gateway connections opened, the first included
}

// New returns the metrics of a bot serving lib's index.
func New(lib Library) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		lib: lib,
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisbot_questions_total", Help: "Questions answered (refusals included), by answer mode.",
		}, []string{"mode"}),
		refusals: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisbot_refusals_total", Help: "Questions the sources did not answer.",
		}),
		answerErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisbot_answer_errors_total", Help: "Questions that failed with an error (no index, deadline).",
		}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "crisisbot_answer_seconds", Help: "Time to answer a question, from the answerer's start to its answer.",
			Buckets: []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 45, 90},
		}),
		llmCalls: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisbot_llm_calls_total", Help: "Questions put to the LLM (its retries count once).",
		}),
		llmFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisbot_llm_failures_total", Help: "Questions the LLM failed to answer, answered extractively instead.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "crisisbot_reloads_total", Help: "Index reloads, by result (ok, failed).",
		}, []string{"result"}),
		reloadTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "crisisbot_reload_seconds", Help: "Time an index reload took.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2.5, 10), // 50 ms to 3 min
		}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "crisisbot_gateway_reconnects_total", Help: "Discord gateway connections opened after the first.",
		}),
	}
	m.reg.MustRegister(m.questions, m.refusals, m.answerErrors, m.latency, m.llmCalls, m.llmFailures, m.reloads, m.reloadTime, m.reconnects,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crisisbot_index_passages", Help: "Passages in the index serving."}, func() float64 {
			if ix := lib.Current(); ix != nil {
				return float64(ix.Len())
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crisisbot_index_articles", Help: "Articles in the index serving."}, func() float64 {
			if ix := lib.Current(); ix != nil {
				return float64(len(ix.Articles()))
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "crisisbot_gateway_connected", Help: "1 while the Discord gateway session is ready, else 0."}, func() float64 {
			if m.gatewayReady() {
				return 1
			}
			return 0
		}),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// Answerer wraps a so that every question it answers is counted and
// timed.
func (m *Metrics) Answerer(a answer.Answerer) answer.Answerer {
	return &observedAnswerer{next: a, m: m}
}

type observedAnswerer struct {
	next answer.Answerer
	m    *Metrics
}

var _ answer.Answerer = (*observedAnswerer)(nil)

// Answer implements [answer.Answerer].
func (o *observedAnswerer) Answer(ctx context.Context, q answer.Question, onPartial func(string)) (answer.Answer, error) {
	start := time.Now()
	ans, err := o.next.Answer(ctx, q, onPartial)
	if err != nil {
		o.m.answerErrors.Inc()
		return ans, err
	}
	o.m.latency.Observe(time.Since(start).Seconds())
	o.m.questions.WithLabelValues(ans.Mode).Inc()
	if ans.Abstained {
		o.m.refusals.Inc()
	}
	switch {
	case ans.Notice == answer.FallbackNotice:
		o.m.llmCalls.Inc()
		o.m.llmFailures.Inc()
	case ans.Mode == answer.ModeLLM && len(ans.Retrieved) > 0:
		// Without passages the LLM answerer refuses before calling.
		o.m.llmCalls.Inc()
	}
	return ans, nil
}

// Library wraps l so that every reload through it is counted and timed.
// Pass the wrapper to everything that reloads: the bot, the editor, the
// feeds.
func (m *Metrics) Library(l Library) Library {
	return &observedLibrary{Library: l, m: m}
}

type observedLibrary struct {
	Library
	m *Metrics
}

// Reload implements [Library].
func (o *observedLibrary) Reload(ctx context.Context) (retrieval.Report, error) {
	start := time.Now()
	rep, err := o.Library.Reload(ctx)
	if errors.Is(err, retrieval.ErrReloadInProgress) {
		return rep, err // another reload is being timed
	}
	o.m.reloadTime.Observe(time.Since(start).Seconds())
	result := "ok"
	if err != nil {
		result = "failed"
	}
	o.m.reloads.WithLabelValues(result).Inc()
	return rep, err
}

// WatchGateway follows s's connection for /healthz and counts its
// reconnects. Call it before the session opens; the returned function
// stops watching.
func (m *Metrics) WatchGateway(s *discordgo.Session) (stop func()) {
	m.session.Store(s)
	remove := s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) {
		m.mu.Lock()
		m.connects++
		again := m.connects > 1
		m.mu.Unlock()
		if again {
			m.reconnects.Inc()
		}
	})
	return func() {
		remove()
		m.session.CompareAndSwap(s, nil)
	}
}

// gatewayReady reports whether the watched session is connected and
// heartbeating: discordgo's DataReady, which it clears as it starts
// closing a dropped connection and sets again at the first heartbeat of
// the next. Its connect and disconnect events can't tell: they run in
// goroutines of their own, in no set order, and the disconnect comes only
// once the old connection is closed, a moment before the new one opens.
// discordgo holds the session's lock for a second while it closes a
// connection; a lock still held after a few tries means exactly that.
func (m *Metrics) gatewayReady() bool {
	s := m.session.Load()
	if s == nil {
		return false
	}
	for try := 0; ; try++ {
		if s.TryRLock() {
			ready := s.DataReady
			s.RUnlock()
			return ready
		}
		if try == 4 {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Handler serves /metrics (the Prometheus text format) and /healthz: 200
// when the gateway is connected and an index is loaded, 503 otherwise,
// with a line on each either way.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		gateway := "gateway: connected"
		ok := m.gatewayReady()
		if !ok {
			gateway = "gateway: not connected"
		}
		index := "index: none loaded"
		if ix := m.lib.Current(); ix != nil {
			index = fmt.Sprintf("index: %d articles, %d passages", len(ix.Articles()), ix.Len())
		} else {
			ok = false
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprintf(w, "%s\n%s\n", gateway, index)
	})
	return mux
}

// Serve listens on addr and serves [Metrics.Handler] until ctx ends. A bad
// or busy address is an error at once; the returned function waits for
// the server to stop after ctx ends, at most a few seconds.
func (m *Metrics) Serve(ctx context.Context, addr string, log *slog.Logger) (bound net.Addr, wait func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: m.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && log != nil {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	return ln.Addr(), func() { <-done }, nil
}
