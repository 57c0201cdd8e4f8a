package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/internal/fakeopenai"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

var openAISpec = sync.OnceValues(specvalidate.LoadOpenAI)

func TestAskWithLLM(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.Config{APIKey: "sk-cli-secret", Validator: specvalidate.Require(t, openAISpec)})
	srv.Enqueue(fakeopenai.Answer("Marco Rubio spoke with Pakistan's army chief, Asim Munir [2], and urged de-escalation [1]."))
	vars := map[string]string{
		"CRISISBOT_DATA":        t.TempDir(),
		"OPENAI_API_KEY":        "sk-cli-secret",
		"OPENAI_BASE_URL":       srv.URL(),
		"CRISISBOT_LLM_RETRIES": "1",
	}
	type answer struct {
		Answer    string
		Abstained bool
		Mode      string
		Notice    string
		Citations []struct {
			N       int
			Article string
			Quote   string
		}
	}
	askJSON := func() (answer, string) {
		t.Helper()
		out, stderr, err := runCLI(t, vars, "ask", "--json", "Who did Marco Rubio speak with on Friday?")
		if err != nil {
			t.Fatalf("ask: %v\n%s", err, stderr)
		}
		var a answer
		if err := json.Unmarshal([]byte(out), &a); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out)
		}
		return a, stderr
	}

	a, stderr := askJSON()
	if a.Mode != "llm" || a.Abstained {
		t.Fatalf("mode %q abstained %v, want an llm answer", a.Mode, a.Abstained)
	}
	if want := "Marco Rubio spoke with Pakistan's army chief, Asim Munir [1], and urged de-escalation [2]."; a.Answer != want {
		t.Errorf("answer %q, want %q", a.Answer, want)
	}
	if len(a.Citations) != 2 || a.Citations[0].N != 1 || a.Citations[1].N != 2 || a.Citations[0].Article != "rubio-calls-munir" {
		t.Errorf("citations %+v", a.Citations)
	}
	if strings.Contains(stderr, "sk-cli-secret") {
		t.Error("the API key appears in the logs")
	}
	srv.AssertValid(t)

	// With the server gone the answer falls back, says so, and still cites.
	srv.Close()
	a, stderr = askJSON()
	if a.Mode != "extractive" || a.Abstained || !strings.Contains(a.Answer, "Munir") || len(a.Citations) == 0 || a.Notice == "" {
		t.Errorf("with the server stopped: %+v", a)
	}
	if strings.Contains(stderr, "sk-cli-secret") {
		t.Error("the API key appears in the logs")
	}
	out, _, err := runCLI(t, vars, "ask", "--mode", "extractive", "--json", "Who did Marco Rubio speak with on Friday?")
	if err != nil || !strings.Contains(out, `"mode":"extractive"`) || strings.Contains(out, `"notice"`) {
		t.Errorf("--mode extractive: %v %s", err, out)
	}
}

// TestIndexWithOpenAIEmbedder indexes through an OpenAI-compatible
// /embeddings endpoint; switching back to the offline embedder rebuilds.
func TestIndexWithOpenAIEmbedder(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.Config{APIKey: "sk-embed", Validator: specvalidate.Require(t, openAISpec)})
	vars := map[string]string{
		"CRISISBOT_DATA":     t.TempDir(),
		"OPENAI_API_KEY":     "sk-embed",
		"OPENAI_BASE_URL":    srv.URL(),
		"CRISISBOT_EMBEDDER": "openai",
	}
	out, stderr, err := runCLI(t, vars, "index")
	if err != nil {
		t.Fatalf("index: %v\n%s", err, stderr)
	}
	if n := srv.Count("/v1/embeddings"); n == 0 || !strings.Contains(out, "added (1): rubio-calls-munir") {
		t.Fatalf("%d embeddings requests; output:\n%s", n, out)
	}
	before := srv.Count("/v1/embeddings")
	out, _, err = runCLI(t, vars, "ask", "--mode", "extractive", "--json", "What did Rubio offer Munir?")
	if err != nil || !strings.Contains(out, "assistance") {
		t.Errorf("ask over the OpenAI-embedded index: %v\n%s", err, out)
	}
	if got := srv.Count("/v1/embeddings") - before; got != 1 {
		t.Errorf("asking embedded %d times, want once (the question only)", got)
	}
	vars["CRISISBOT_EMBEDDER"] = "hash"
	out, _, err = runCLI(t, vars, "index")
	if err != nil || !strings.Contains(out, "settings changed: index rebuilt") {
		t.Errorf("switching embedders: %v\n%s", err, out)
	}
	srv.AssertValid(t)
}

// Neither the API key nor a password in OPENAI_BASE_URL reaches the logs,
// even from a server that echoes the key in its error bodies.
func TestLLMSecretsStayOutOfLogs(t *testing.T) {
	const key, password = "sk-cli-echoed-secret", "hunter2-pass"
	srv := fakeopenai.New(t, fakeopenai.Config{APIKey: key, Validator: specvalidate.Require(t, openAISpec)})
	srv.Enqueue(fakeopenai.EchoingServerError(), fakeopenai.EchoingServerError())
	vars := map[string]string{
		"CRISISBOT_DATA":        t.TempDir(),
		"OPENAI_API_KEY":        key,
		"OPENAI_BASE_URL":       strings.Replace(srv.URL(), "http://", "http://bot:"+password+"@", 1),
		"CRISISBOT_LLM_RETRIES": "1",
		"CRISISBOT_LOG_LEVEL":   "debug",
	}
	out, stderr, err := runCLI(t, vars, "ask", "--json", "Who did Marco Rubio speak with on Friday?")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, `"mode":"extractive"`) || srv.Count("/v1/chat/completions") != 2 {
		t.Errorf("want the fallback after 2 requests; got %d requests and\n%s", srv.Count("/v1/chat/completions"), out)
	}
	for _, secret := range []string{key, password} {
		if strings.Contains(stderr, secret) || strings.Contains(out, secret) {
			t.Errorf("%q is in the output:\n%s\n%s", secret, stderr, out)
		}
	}
	if !strings.Contains(stderr, "base_url=http://bot:xxxxx@") {
		t.Errorf("want the base URL logged with its password masked:\n%s", stderr)
	}
	srv.AssertValid(t)
}

// One 429 from the embeddings server no longer fails a whole reindex: the
// shared HTTP client waits as Retry-After says and tries again.
func TestIndexRetriesRateLimitedEmbeddings(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.Config{APIKey: "sk-embed", Validator: specvalidate.Require(t, openAISpec)})
	srv.EnqueueEmbeddings(fakeopenai.RateLimited(time.Second))
	vars := map[string]string{
		"CRISISBOT_DATA":     t.TempDir(),
		"OPENAI_API_KEY":     "sk-embed",
		"OPENAI_BASE_URL":    srv.URL(),
		"CRISISBOT_EMBEDDER": "openai",
	}
	out, stderr, err := runCLI(t, vars, "index", "-v") // the retry is logged at info
	if err != nil {
		t.Fatalf("index: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "added (1): rubio-calls-munir") || !strings.Contains(stderr, "429") {
		t.Errorf("want the index built after a logged 429:\n%s\n%s", out, stderr)
	}
	reqs := srv.Requests()
	if len(reqs) < 2 || string(reqs[0].RawBody) != string(reqs[1].RawBody) {
		t.Errorf("want the rate-limited batch sent again as it was; %d requests", len(reqs))
	}
	srv.AssertValid(t)
}

// An embeddings server that hangs fails the index after
// CRISISBOT_EMBED_TIMEOUT per attempt, instead of hanging it.
func TestIndexEmbeddingsTimeout(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.Config{APIKey: "sk-embed"})
	for range 3 {
		srv.EnqueueEmbeddings(fakeopenai.Delay(time.Hour, fakeopenai.Answer("")))
	}
	vars := map[string]string{
		"CRISISBOT_DATA":          t.TempDir(),
		"OPENAI_API_KEY":          "sk-embed",
		"OPENAI_BASE_URL":         srv.URL(),
		"CRISISBOT_EMBEDDER":      "openai",
		"CRISISBOT_EMBED_TIMEOUT": "200ms",
		"CRISISBOT_LLM_RETRIES":   "1",
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := runCLI(t, vars, "index")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) && (err == nil || !strings.Contains(err.Error(), "deadline exceeded")) {
			t.Errorf("index: %v, want the attempts' deadline", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("index still running after 20s against a hung embeddings server")
	}
	if n := srv.Count("/v1/embeddings"); n != 2 {
		t.Errorf("%d embeddings requests, want 2 (one retry)", n)
	}
}

// The embedder does not follow the server to another host either.
func TestIndexRefusesCrossHostRedirects(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.Config{APIKey: "sk-embed"})
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srv.URL()+"/embeddings", http.StatusPermanentRedirect)
	}))
	defer redirector.Close()
	vars := map[string]string{
		"CRISISBOT_DATA":     t.TempDir(),
		"OPENAI_API_KEY":     "sk-embed",
		"OPENAI_BASE_URL":    redirector.URL + "/v1",
		"CRISISBOT_EMBEDDER": "openai",
	}
	_, _, err := runCLI(t, vars, "index")
	if err == nil || !strings.Contains(err.Error(), "redirect to another host refused") {
		t.Errorf("index: %v, want the redirect refused", err)
	}
	if n := srv.Count("/v1/embeddings"); n != 0 {
		t.Errorf("the other host got %d embeddings requests", n)
	}
}
