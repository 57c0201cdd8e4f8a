package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/crisisbot/crisisbot/answer"
	"github.com/crisisbot/crisisbot/internal/httpretry"
	"github.com/crisisbot/crisisbot/retrieval"
)

// jsonAnswer is the --json output of ask: exactly this object, one per run.
type jsonAnswer struct {
	Question  string         `json:"question"`
	Answer    string         `json:"answer"`
	Abstained bool           `json:"abstained"`
	Mode      string         `json:"mode"`
	Notice    string         `json:"notice,omitempty"`
	Citations []jsonCitation `json:"citations"`
}

type jsonCitation struct {
	N         int    `json:"n"`
	Article   string `json:"article"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Quote     string `json:"quote"`
}

func toJSON(a answer.Answer) jsonAnswer {
	out := jsonAnswer{Question: a.Question, Answer: a.Text, Abstained: a.Abstained, Mode: a.Mode, Notice: a.Notice, Citations: []jsonCitation{}}
	for _, c := range a.Citations {
		out.Citations = append(out.Citations, jsonCitation{N: c.N, Article: c.Article, Title: c.Title, URL: c.URL, Published: date(c), Quote: c.Quote})
	}
	return out
}

func date(c answer.Citation) string {
	if c.Published.IsZero() {
		return ""
	}
	return c.Published.Format("2006-01-02")
}

func runAsk(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, warnings := newConfig(getenv)
	fs := commandFlags("ask", commandDoc{
		Summary: "answer one question from the corpus, citing the sentences the answer rests on",
		Usage:   []string{"ask [--corpus DIR] [--data DIR] [--top-k N] [--mode extractive|llm] [--json] QUESTION"},
		About: "The question may be one argument or several words; flags may follow it. Without an LLM\n" +
			"configured the answer quotes the sources; with OPENAI_API_KEY or OPENAI_BASE_URL an LLM\n" +
			"writes it and every sentence is checked against the passages it cites.",
		Examples: []string{
			`ask "Who did Marco Rubio speak with on Friday?"`,
			`ask "What did Rubio offer Munir?" --json`,
			`ask --corpus ./articles "When did the ceasefire take effect?"`,
		},
		Env: append(corpusEnv(), llmEnv()...),
	}, stderr)
	cfg.corpusFlags(fs)
	cfg.answerFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON object instead of text")
	if err := parse(fs, args, &cfg, warnings, stderr); err != nil {
		return err
	}
	question := answer.CleanQuestion(strings.Join(fs.Args(), " "))
	if question == "" {
		return usageError{`ask: no question given; try: crisisbot ask "Who did Marco Rubio speak with on Friday?"`}
	}
	// A first question over a large corpus waits for the index: on a
	// terminal it shows, and the bar is gone before the answer.
	cfg.progress = terminalOf(stderr)
	answerer, err := openAnswerer(ctx, cfg, newLogger(cfg, stderr))
	if err != nil {
		return err
	}
	ans, err := answerer.Answer(ctx, answer.Question{Text: question}, nil)
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(toJSON(ans))
	}
	writeAnswer(stdout, ans)
	return nil
}

// openAnswerer loads the index and builds the answerer over it, for the
// commands that answer in the terminal.
func openAnswerer(ctx context.Context, cfg config, log *slog.Logger) (answer.Answerer, error) {
	hc := newHTTPClient(cfg, log)
	lib, _, err := openLibraryWith(ctx, cfg, hc, log, false)
	if err != nil {
		return nil, err
	}
	return newAnswerer(cfg, hc, lib, log, false)
}

// newAnswerer picks the answerer the configuration asks for: the LLM when
// one is configured (or --mode llm), talking through hc, with the
// extractive answerer as its fallback; the extractive answerer alone
// otherwise.
func newAnswerer(cfg config, hc *httpretry.Client, src answer.IndexSource, log *slog.Logger, stream bool) (answer.Answerer, error) {
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		return nil, err
	}
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		return nil, err
	}
	thes, err := retrieval.LoadThesaurus()
	if err != nil {
		return nil, err
	}
	extractive := answer.NewExtractive(answer.ExtractiveConfig{TopK: cfg.TopK, MinCoverage: cfg.MinCoverage, Similarity: sim, Thesaurus: thes, Names: thes, Kinds: thes}, src, ranks)
	if !cfg.useLLM() {
		return extractive, nil
	}
	log.Info("answering with an LLM", "base_url", redactedURL(cfg.BaseURL), "model", cfg.ChatModel, "api_key_set", cfg.APIKey != "")
	client := openAIClient(cfg, hc.WithLimits(httpretry.Limits{AttemptTimeout: cfg.LLMTimeout, MaxBody: chatMaxBody}))
	chat, err := answer.NewOpenAIChat(client, answer.OpenAIChatConfig{
		Model:      cfg.ChatModel,
		TokenField: answer.TokenFieldFor(cfg.BaseURL),
	})
	if err != nil {
		return nil, err
	}
	llm, err := answer.NewLLM(answer.LLMConfig{
		TopK:   cfg.TopK,
		Retry:  httpretry.Policy{Retries: retriesSetting(cfg.LLMRetries)},
		Stream: stream,
	}, keyWatchingChat{chat}, src, extractive, log)
	if err != nil {
		return nil, err
	}
	return keyCheckedAnswerer{llm, log}, nil
}

// writeAnswer prints an answer for a person: the text, then the numbered
// sources with title, date, URL and the quoted sentence, unless the answer
// quotes it whole already.
func writeAnswer(w io.Writer, a answer.Answer) {
	if a.Notice != "" {
		fmt.Fprintf(w, "(%s)\n\n", a.Notice)
	}
	fmt.Fprintln(w, a.Text)
	if len(a.Citations) == 0 {
		return
	}
	fmt.Fprintln(w, "\nSources:")
	for _, c := range a.Citations {
		line := fmt.Sprintf("[%d] %s", c.N, c.Title)
		if attr := c.Attribution(); attr != "" {
			line += " (" + attr + ")"
		}
		if c.URL != "" {
			line += " " + c.URL
		}
		fmt.Fprintln(w, line)
		// An answer that is the quote is not printed twice.
		if !strings.Contains(a.Text, c.Quote) {
			fmt.Fprintf(w, "    > %s\n", c.Quote)
		}
	}
}
