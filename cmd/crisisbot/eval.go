package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/crisisbot/crisisbot/answer"
)

// evalQuestion is one line of a question set such as
// ../shared/eval/questions.jsonl.
type evalQuestion struct {
	ID             string   `json:"id"`
	Question       string   `json:"question"`
	Answerable     bool     `json:"answerable"`
	ExpectArticles []string `json:"expect_articles"`
	ExpectAny      []string `json:"expect_any"`
}

// evalScore counts the four measures eval reports.
type evalScore struct {
	Answerable, Unanswerable int
	CitedRight, HasFact      int
	FalseAbstain             int
	UnanswerableAbstained    int
}

func (s evalScore) String() string {
	return fmt.Sprintf("cited_right %d/%d  answer_has_fact %d/%d  false_abstain %d  unanswerable_abstained %d/%d",
		s.CitedRight, s.Answerable, s.HasFact, s.Answerable, s.FalseAbstain, s.UnanswerableAbstained, s.Unanswerable)
}

func runEval(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := flagSet("eval", stderr)
	cfg.corpusFlags(fs)
	cfg.answerFlags(fs)
	questionsPath := fs.String("questions", "", "JSONL question set (required)")
	verbose := fs.Bool("v", false, "print every question with its support score and answer")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if *questionsPath == "" {
		return usageError{"eval: --questions is required"}
	}
	qs, err := readQuestions(*questionsPath)
	if err != nil {
		return err
	}
	answerer, err := openAnswerer(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	var score evalScore
	for _, q := range qs {
		ans, err := answerer.Answer(ctx, answer.Question{Text: q.Question}, nil)
		if err != nil {
			return fmt.Errorf("eval %s: %w", q.ID, err)
		}
		if *verbose {
			fmt.Fprintf(stdout, "%s support=%.2f unknown=%q abstained=%v answerable=%v: %s\n    -> %s\n", q.ID, ans.Support, ans.Unknown, ans.Abstained, q.Answerable, q.Question, ans.Text)
		}
		for _, miss := range score.add(q, ans) {
			fmt.Fprintf(stdout, "miss %s %s: %s\n", q.ID, miss, q.Question)
		}
	}
	fmt.Fprintf(stdout, "mode %s, %d questions\n", modeName(cfg), len(qs))
	fmt.Fprintln(stdout, score)
	return nil
}

func modeName(cfg config) string {
	if cfg.useLLM() {
		return answer.ModeLLM
	}
	return answer.ModeExtractive
}

// add scores one answer and returns what it missed.
func (s *evalScore) add(q evalQuestion, a answer.Answer) []string {
	var misses []string
	if !q.Answerable {
		s.Unanswerable++
		if a.Abstained {
			s.UnanswerableAbstained++
		} else {
			misses = append(misses, "answered an unanswerable question")
		}
		return misses
	}
	s.Answerable++
	if a.Abstained {
		s.FalseAbstain++
		misses = append(misses, "abstained")
	}
	cited := false
	for _, c := range a.Citations {
		if slices.Contains(q.ExpectArticles, c.Article) {
			cited = true
		}
	}
	if cited {
		s.CitedRight++
	} else {
		var got []string
		for _, c := range a.Citations {
			got = append(got, c.Article)
		}
		misses = append(misses, fmt.Sprintf("cited %v, want one of %v", got, q.ExpectArticles))
	}
	if !a.Abstained && containsAny(a.Text, q.ExpectAny) {
		s.HasFact++
	} else if !a.Abstained {
		misses = append(misses, fmt.Sprintf("answer lacks any of %q", q.ExpectAny))
	}
	return misses
}

func containsAny(text string, want []string) bool {
	lower := strings.ToLower(text)
	for _, w := range want {
		if strings.Contains(lower, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// readQuestions reads a JSONL question set, naming the line of any bad entry.
func readQuestions(path string) ([]evalQuestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	var qs []evalQuestion
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var q evalQuestion
		if err := json.Unmarshal([]byte(text), &q); err != nil {
			return nil, fmt.Errorf("eval: %s:%d: %w", path, line, err)
		}
		if strings.TrimSpace(q.Question) == "" {
			return nil, fmt.Errorf("eval: %s:%d: empty question", path, line)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("eval: %s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("eval: %s: no questions", path)
	}
	return qs, nil
}
