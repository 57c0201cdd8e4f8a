package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mapEnv returns a getenv over a map, so tests never see the real environment.
func mapEnv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// runCLI runs crisisbot with args and returns stdout and stderr.
func runCLI(tb testing.TB, vars map[string]string, args ...string) (string, string, error) {
	tb.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, mapEnv(vars), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestAskJSON(t *testing.T) {
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir()}
	out, stderr, err := runCLI(t, vars, "ask", "--json", "Who did Marco Rubio speak with on Friday?")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, stderr)
	}
	var got struct {
		Question  string `json:"question"`
		Answer    string `json:"answer"`
		Abstained bool   `json:"abstained"`
		Mode      string `json:"mode"`
		Citations []struct {
			N         int    `json:"n"`
			Article   string `json:"article"`
			Title     string `json:"title"`
			URL       *string
			Published string `json:"published"`
			Quote     string `json:"quote"`
		} `json:"citations"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value on stdout:\n%s", out)
	}
	if got.Mode != "extractive" || got.Abstained || !strings.Contains(got.Answer, "Munir") {
		t.Errorf("got mode %q abstained %v answer %q", got.Mode, got.Abstained, got.Answer)
	}
	if len(got.Citations) == 0 || got.Citations[0].N != 1 || got.Citations[0].Article != "rubio-calls-munir" || got.Citations[0].Published != "2025-05-10" {
		t.Errorf("citations %+v", got.Citations)
	}
	if !strings.Contains(got.Answer, got.Citations[0].Quote) {
		t.Errorf("quote %q not in the answer", got.Citations[0].Quote)
	}
	if stderr != "" {
		t.Errorf("ask printed on stderr without being asked to log: %q", stderr)
	}
}

func TestAskHuman(t *testing.T) {
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir()}
	out, _, err := runCLI(t, vars, "ask", "What did Rubio offer Munir?")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[1]", "Sources:", "[1] Rubio reaches out", "· 10 May 2025)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The answer is the quote: it is not printed a second time.
	if n := strings.Count(out, "US assistance in starting constructive talks"); n != 1 {
		t.Errorf("the quote is printed %d times:\n%s", n, out)
	}
	out, _, err = runCLI(t, vars, "ask", "How many nuclear warheads does Pakistan have?")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "The sources I have don't answer that." {
		t.Errorf("unanswerable question got %q", out)
	}
}

func TestIndexIsIncremental(t *testing.T) {
	corpusDir, data := t.TempDir(), t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(corpusDir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "---\ntitle: A\n---\nThe ceasefire took effect at 17:00 on 10 May. Both sides agreed.")
	write("b.md", "---\ntitle: B\n---\nThe cricket league was suspended for a week.")
	vars := map[string]string{"CRISISBOT_DATA": data}
	out, _, err := runCLI(t, vars, "index", "--corpus", corpusDir)
	if err != nil || !strings.Contains(out, "2 articles") || !strings.Contains(out, "added (2)") {
		t.Fatalf("first index: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, vars, "index", "--corpus", corpusDir)
	if err != nil || !strings.Contains(out, "(0 embedded, 2 articles unchanged)") {
		t.Fatalf("second index should embed nothing: %v\n%s", err, out)
	}
	write("b.md", "---\ntitle: B\n---\nThe cricket league was suspended for ten days.")
	write("broken.md", "---\ntitle: [unclosed\n---\ntext")
	out, _, err = runCLI(t, vars, "index", "--corpus", corpusDir)
	if !strings.Contains(out, "changed (1): b") || !strings.Contains(out, "1 articles unchanged") || !strings.Contains(out, "failed: broken.md") {
		t.Fatalf("third index: %v\n%s", err, out)
	}
	// A file that failed fails the command, after the rest is indexed, so
	// that a script sees it.
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "1 file could not be read") {
		t.Errorf("third index: error %v (exit %d), want exit 1 saying a file could not be read", err, exitCode(err))
	}
}

func TestEvalOnSharedSet(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "eval")
	if _, err := os.Stat(root); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("../shared/eval is missing in CI: %v", err)
		}
		t.Skip("../shared/eval not present")
	}
	out, stderr, err := runCLI(t, map[string]string{"CRISISBOT_DATA": t.TempDir()}, "eval",
		"--corpus", filepath.Join(root, "corpus"), "--questions", filepath.Join(root, "questions.jsonl"))
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr)
	}
	var last string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "cited_right ") {
			last = line
		}
	}
	// The bar: at least 17/18 cited right, 16/18 with the fact, at most one
	// false abstention ("When did the ceasefire take effect?", whose
	// answer never names the ceasefire), both unanswerable questions
	// refused.
	var cited, fact, falseAbstain, unans, answerable, unanswerable int
	if _, err := sscanf(last, &cited, &answerable, &fact, &falseAbstain, &unans, &unanswerable); err != nil {
		t.Fatalf("cannot read %q: %v", last, err)
	}
	if cited < 17 || fact < 16 || falseAbstain > 1 || unans != unanswerable {
		t.Errorf("eval below the bar: %s", last)
	}
}

func sscanf(line string, cited, answerable, fact, falseAbstain, unans, unanswerable *int) (int, error) {
	var a2 int
	return fmt.Sscanf(line, "cited_right %d/%d  answer_has_fact %d/%d  false_abstain %d  unanswerable_abstained %d/%d",
		cited, answerable, fact, &a2, falseAbstain, unans, unanswerable)
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"ask"}, "no question"},
		{[]string{"ask", "--top-k", "0", "q"}, "--top-k"},
		{[]string{"ask", "--mode", "llm", "q"}, "--mode llm needs"},
		{[]string{"eval"}, "--questions is required"},
		{[]string{"serve"}, "DISCORD_TOKEN"},
		{[]string{"ask", "q", "--corpus", "/no/such/crisisbot-corpus"}, "--corpus /no/such/crisisbot-corpus: no such directory"},
		{[]string{"index", "extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, _, err := runCLI(t, map[string]string{"CRISISBOT_DATA": t.TempDir()}, tt.args...)
			var u usageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want a usage error containing %q", err, tt.want)
			}
			if exitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", exitCode(err))
			}
		})
	}
}

func TestBadEnvironmentWarns(t *testing.T) {
	_, stderr, err := runCLI(t, map[string]string{"CRISISBOT_DATA": t.TempDir(), "CRISISBOT_TOP_K": "lots"}, "ask", "--json", "Who is Munir?")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, `CRISISBOT_TOP_K="lots"`) {
		t.Errorf("no warning about the bad value: %s", stderr)
	}
}

// TestAskCleansTheQuestion: the terminal cleans a question as Discord does —
// control characters, escape sequences and zero-width characters go, so
// "Mu\u200bnir" is Munir and the answer is the same.
func TestAskCleansTheQuestion(t *testing.T) {
	vars := map[string]string{"CRISISBOT_DATA": t.TempDir()}
	out, stderr, err := runCLI(t, vars, "ask", "--json", "Who did Marco \x1b[31mRu\u200bbio\x1b[0m speak\x07 with on Friday?")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, stderr)
	}
	var got struct {
		Question  string `json:"question"`
		Answer    string `json:"answer"`
		Abstained bool   `json:"abstained"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	if got.Question != "Who did Marco Rubio speak with on Friday?" {
		t.Errorf("question %q, want it cleaned", got.Question)
	}
	if got.Abstained || !strings.Contains(got.Answer, "Munir") {
		t.Errorf("answer %q abstained %v, want Munir", got.Answer, got.Abstained)
	}
}
