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
	// Kind and ExpectBoth come from the v2 set (../shared/eval/v2): the
	// kind of question, and for a contradiction the articles of each side.
	Kind       string     `json:"kind"`
	ExpectBoth [][]string `json:"expect_both"`
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
	fs := commandFlags("eval", commandDoc{
		Summary: "score answers against a JSONL question set",
		Usage:   []string{"eval --corpus DIR --questions FILE [--min-truth X] [-v]"},
		About: "Each line of FILE is a question with the articles and facts a right answer holds\n" +
			"(see ../shared/eval). eval prints the misses, the counts and the truth score,\n" +
			"(right - wrong) / questions; with --min-truth it exits with status 1 below that bar.\n" +
			"-v also prints, for every question, the passages retrieved and why it answered or refused.",
		Examples: []string{
			"eval --corpus ../shared/eval/corpus --questions ../shared/eval/questions.jsonl",
			"eval --corpus ../shared/eval/v2/corpus --questions ../shared/eval/v2/questions.jsonl --min-truth 0.5",
		},
		Env: append(corpusEnv(), llmEnv()...),
	}, stderr)
	cfg.corpusFlags(fs)
	cfg.answerFlags(fs)
	questionsPath := fs.String("questions", "", "the question set, a JSONL `FILE` (required)")
	fs.Float64Var(&cfg.MinCoverage, "min-coverage", 0, "override the extractive answerer's coverage floor (0 to 1), to calibrate it")
	minTruth := fs.Float64("min-truth", -1, "exit with status 1 when the truth score is below `X` (-1 to 1)")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	if *questionsPath == "" {
		return usageError{"eval: --questions is required"}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("eval: unexpected argument %q (the question set is given with --questions FILE)", fs.Arg(0))}
	}
	qs, err := readQuestions(*questionsPath)
	if err != nil {
		return err
	}
	cfg.progress = terminalOf(stderr)
	answerer, err := openAnswerer(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	var score evalScore
	truth := newTruthScore()
	// The bar shares the terminal with what eval prints: it is cleared
	// before each line, and drawn again after.
	bar := newProgress(cfg.progress, "eval", "questions", len(qs))
	for _, q := range qs {
		ans, err := answerer.Answer(ctx, answer.Question{Text: q.Question}, nil)
		if err != nil {
			bar.finish()
			return fmt.Errorf("eval %s: %w", q.ID, err)
		}
		outcome := truth.add(q, ans)
		bar.clear()
		if cfg.Verbose {
			writeTrace(stdout, q, ans, outcome)
		}
		for _, miss := range score.add(q, ans) {
			fmt.Fprintf(stdout, "miss %s %s: %s\n", q.ID, miss, q.Question)
		}
		bar.step()
	}
	bar.finish()
	fmt.Fprintf(stdout, "mode %s, %d questions\n", modeName(cfg), len(qs))
	fmt.Fprintln(stdout, score)
	truth.write(stdout)
	if *minTruth > -1 && truth.all.truth() < *minTruth {
		return fmt.Errorf("eval: truth %.2f is below --min-truth %.2f", truth.all.truth(), *minTruth)
	}
	return nil
}

// writeTrace prints one question for eval -v: what was retrieved, what was
// chosen or refused and why, and how it was scored.
func writeTrace(w io.Writer, q evalQuestion, a answer.Answer, outcome string) {
	kind := q.Kind
	if kind == "" {
		kind = "-"
	}
	fmt.Fprintf(w, "%s [%s] %s: %s\n", q.ID, kind, strings.ToUpper(outcome), q.Question)
	for _, line := range a.Trace {
		fmt.Fprintf(w, "    %s\n", line)
	}
	if a.Abstained {
		reason := a.Reason
		if reason == "" && a.Unknown != "" {
			reason = fmt.Sprintf("no source mentions %q", a.Unknown)
		}
		fmt.Fprintf(w, "    refused: %s\n", reason)
	}
	fmt.Fprintf(w, "    -> %s\n", a.Text)
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

// Outcomes of one question, as ../shared/eval/v2/README.md scores them.
const (
	outcomeRight        = "right"
	outcomeWrong        = "wrong"
	outcomeFalseAbstain = "false abstention"
)

// truthCounts is one row of the truth table: a kind of question, or all.
type truthCounts struct {
	questions, answerable, unanswerable int
	right, wrong, falseAbstain, refused int
	contradictions, sidesCited          int
}

// truth is CRAG's score: (right − wrong) / questions, where a refusal of an
// unanswerable question is right and a refusal of an answerable one costs
// nothing.
func (c truthCounts) truth() float64 {
	if c.questions == 0 {
		return 0
	}
	return float64(c.right-c.wrong) / float64(c.questions)
}

// truthScore is the v2 scoring: overall and per kind.
type truthScore struct {
	all   truthCounts
	kinds map[string]*truthCounts
	order []string
}

func newTruthScore() *truthScore { return &truthScore{kinds: map[string]*truthCounts{}} }

// add scores one answer and returns its outcome.
func (s *truthScore) add(q evalQuestion, a answer.Answer) string {
	kind := q.Kind
	if kind == "" {
		kind = "-"
		if !q.Answerable {
			kind = "unanswerable"
		}
	}
	k := s.kinds[kind]
	if k == nil {
		k = &truthCounts{}
		s.kinds[kind] = k
		s.order = append(s.order, kind)
	}
	outcome := outcomeWrong
	switch {
	case !q.Answerable && a.Abstained:
		outcome = outcomeRight
	case q.Answerable && a.Abstained:
		outcome = outcomeFalseAbstain
	case q.Answerable && citesAny(a, q.ExpectArticles) && containsAny(a.Text, q.ExpectAny):
		outcome = outcomeRight
	}
	sides := len(q.ExpectBoth) >= 2 && !a.Abstained && citesAny(a, q.ExpectBoth[0]) && citesAny(a, q.ExpectBoth[1])
	for _, c := range []*truthCounts{&s.all, k} {
		c.questions++
		if q.Answerable {
			c.answerable++
		} else {
			c.unanswerable++
		}
		switch outcome {
		case outcomeRight:
			c.right++
			if !q.Answerable {
				c.refused++
			}
		case outcomeWrong:
			c.wrong++
		case outcomeFalseAbstain:
			c.falseAbstain++
		}
		if len(q.ExpectBoth) >= 2 {
			c.contradictions++
			if sides {
				c.sidesCited++
			}
		}
	}
	if sides {
		outcome += ", sides cited"
	}
	return outcome
}

func citesAny(a answer.Answer, ids []string) bool {
	for _, c := range a.Citations {
		if slices.Contains(ids, c.Article) {
			return true
		}
	}
	return false
}

// write prints the table: overall first, then each kind in the order met.
func (s *truthScore) write(w io.Writer) {
	fmt.Fprintf(w, "%-14s %9s %9s %7s %9s %7s %7s\n", "kind", "right", "refused", "wrong", "false-abs", "sides", "truth")
	row := func(name string, c truthCounts) {
		sides := "-"
		if c.contradictions > 0 {
			sides = fmt.Sprintf("%d/%d", c.sidesCited, c.contradictions)
		}
		refused := "-"
		if c.unanswerable > 0 {
			refused = fmt.Sprintf("%d/%d", c.refused, c.unanswerable)
		}
		right := "-"
		if c.answerable > 0 {
			right = fmt.Sprintf("%d/%d", c.right-c.refused, c.answerable)
		}
		fmt.Fprintf(w, "%-14s %9s %9s %7d %9d %7s %7.2f\n", name, right, refused, c.wrong, c.falseAbstain, sides, c.truth())
	}
	row("all", s.all)
	for _, k := range s.order {
		row(k, *s.kinds[k])
	}
}
