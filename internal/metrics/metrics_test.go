package metrics

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
	"github.com/crisisbot/crisisbot/retrieval"
)

const testToken = "metrics-test-token-SECRET"

var discordSpec = sync.OnceValues(specvalidate.LoadDiscord)

// builtinLibrary indexes the built-in corpus in memory.
func builtinLibrary(tb testing.TB) *retrieval.Library {
	tb.Helper()
	lib, err := retrieval.NewLibrary(retrieval.LibraryConfig{Settings: retrieval.Settings{Embedder: "hash-test"}}, retrieval.HashEmbedder(256),
		func(ctx context.Context) (*corpus.Result, error) {
			return corpus.Load(ctx, corpus.Builtin(), corpus.Options{})
		}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := lib.Open(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return lib
}

// serve starts m's server on a loopback port and returns its base URL.
func serve(t *testing.T, m *Metrics) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait, err := m.Serve(ctx, "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); wait() })
	return "http://" + addr.String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// scrape reads /metrics with Prometheus's own text parser.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// value is the value of the family's metric whose labels include want
// (name=value pairs), -1 when there is none. For a histogram it is the
// sample count.
func value(fams map[string]*dto.MetricFamily, name string, want ...string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(want); i += 2 {
			found := false
			for _, l := range m.Label {
				found = found || (l.GetName() == want[i] && l.GetValue() == want[i+1])
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// fixedAnswerer answers every question with its answer.
type fixedAnswerer struct{ ans answer.Answer }

func (f fixedAnswerer) Answer(context.Context, answer.Question, func(string)) (answer.Answer, error) {
	return f.ans, nil
}

// TestMetricsAndHealth answers, reloads and drops the gateway, and reads
// the counters move on /metrics and /healthz flip to 503 and back.
func TestMetricsAndHealth(t *testing.T) {
	t.Parallel()
	lib := builtinLibrary(t)
	m := New(lib)
	srv := fakediscord.New(t, fakediscord.Config{Token: testToken, Validator: specvalidate.Require(t, discordSpec)})
	s := fakediscord.NewSession(t, srv, testToken)
	stop := m.WatchGateway(s)
	defer stop()
	base := serve(t, m)

	if code, body := get(t, base+"/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "gateway: not connected") {
		t.Errorf("/healthz before the gateway connects: %d %q, want 503", code, body)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	if err := fakediscord.WaitSettled(srv, s, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, base+"/healthz"); code != http.StatusOK || !strings.Contains(body, "passages") {
		t.Errorf("/healthz connected with an index: %d %q, want 200", code, body)
	}

	before := scrape(t, base)
	if v := value(before, "crisisbot_index_passages"); v <= 0 {
		t.Errorf("crisisbot_index_passages = %v, want the index's size", v)
	}
	if v := value(before, "crisisbot_gateway_connected"); v != 1 {
		t.Errorf("crisisbot_gateway_connected = %v, want 1", v)
	}

	ctx := context.Background()
	extractive := m.Answerer(answer.NewExtractive(answer.ExtractiveConfig{}, lib, nil))
	for _, q := range []string{"Who did Marco Rubio speak with on Friday?", "How many goats were evacuated from the border villages?"} {
		if _, err := extractive.Answer(ctx, answer.Question{Text: q}, nil); err != nil {
			t.Fatal(err)
		}
	}
	hit := []retrieval.Hit{{}}
	llm := m.Answerer(fixedAnswerer{answer.Answer{Mode: answer.ModeLLM, Text: "yes [1]", Retrieved: hit}})
	fallback := m.Answerer(fixedAnswerer{answer.Answer{Mode: answer.ModeExtractive, Notice: answer.FallbackNotice, Retrieved: hit}})
	llm.Answer(ctx, answer.Question{Text: "q"}, nil)
	fallback.Answer(ctx, answer.Question{Text: "q"}, nil)
	if _, err := m.Library(lib).Reload(ctx); err != nil {
		t.Fatal(err)
	}

	after := scrape(t, base)
	tests := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"crisisbot_questions_total", []string{"mode", "extractive"}, 3},
		{"crisisbot_questions_total", []string{"mode", "llm"}, 1},
		{"crisisbot_refusals_total", nil, 1},
		{"crisisbot_answer_seconds", nil, 4},
		{"crisisbot_llm_calls_total", nil, 2},
		{"crisisbot_llm_failures_total", nil, 1},
		{"crisisbot_reloads_total", []string{"result", "ok"}, 1},
		{"crisisbot_reload_seconds", nil, 1},
		{"crisisbot_gateway_reconnects_total", nil, 0},
	}
	for _, tt := range tests {
		if got := value(after, tt.name, tt.labels...); got != tt.want {
			t.Errorf("%s%v = %v, want %v (before: %v)", tt.name, tt.labels, got, tt.want, value(before, tt.name, tt.labels...))
		}
	}

	// The gateway drops: /healthz says so until discordgo has resumed.
	srv.DropGateway()
	saw503 := false
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		code, body := get(t, base+"/healthz")
		if code == http.StatusServiceUnavailable && strings.Contains(body, "gateway: not connected") {
			saw503 = true
		}
		if saw503 && code == http.StatusOK {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !saw503 {
		t.Fatal("/healthz never answered 503 while the gateway was down")
	}
	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz %d after the gateway resumed, want 200", code)
	}
	if got := value(scrape(t, base), "crisisbot_gateway_reconnects_total"); got < 1 {
		t.Errorf("crisisbot_gateway_reconnects_total = %v after a drop, want at least 1", got)
	}
	if err := fakediscord.WaitSettled(srv, s, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// noIndex is a library that has loaded nothing yet.
type noIndex struct{}

func (noIndex) Current() *retrieval.Index { return nil }
func (noIndex) Reload(context.Context) (retrieval.Report, error) {
	return retrieval.Report{}, nil
}

func TestHealthWithoutIndex(t *testing.T) {
	t.Parallel()
	m := New(noIndex{})
	base := serve(t, m)
	if code, body := get(t, base+"/healthz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "index: none loaded") {
		t.Errorf("/healthz without an index: %d %q, want 503 saying so", code, body)
	}
	if v := value(scrape(t, base), "crisisbot_index_passages"); v != 0 {
		t.Errorf("crisisbot_index_passages = %v without an index, want 0", v)
	}
}

func TestServeBadAddress(t *testing.T) {
	t.Parallel()
	if _, _, err := New(noIndex{}).Serve(context.Background(), "256.0.0.1:http", nil); err == nil || !strings.Contains(err.Error(), "256.0.0.1") {
		t.Errorf("Serve on a bad address: %v, want an error naming it", err)
	}
}
