package answer

import (
	"context"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

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

func newTestExtractive(tb testing.TB) (*Extractive, *retrieval.Library) {
	tb.Helper()
	lib := builtinLibrary(tb)
	ranks, err := retrieval.EnglishWordRanks()
	if err != nil {
		tb.Fatal(err)
	}
	sim, err := retrieval.LoadSimilarity()
	if err != nil {
		tb.Fatal(err)
	}
	return NewExtractive(ExtractiveConfig{Similarity: sim, Thesaurus: loadThesaurus(tb)}, lib, ranks), lib
}

func TestExtractiveAnswers(t *testing.T) {
	e, lib := newTestExtractive(t)
	article := lib.Current().Article("rubio-calls-munir")
	tests := []struct {
		question string
		want     string // in the answer, case-insensitive
	}{
		{"Who did Marco Rubio speak with on Friday?", "Munir"},
		{"What did Rubio offer Munir?", "constructive talks"},
		{"What did JD Vance say about the conflict?", "none of our business"},
		// A misspelt word one edit from a corpus word is not "unknown".
		{"Who did Marco Rubio speek with on Friday?", "Munir"},
		// The answer is in the sentence the best one hands over to.
		{"Where is Trump travelling next week?", "Saudi Arabia"},
		// "How many" and "when" want the sentence with the number or day.
		{"How many people were killed in Pahalgam?", "26"},
		{"When did Rubio speak to Sharif?", "Thursday"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			ans, err := e.Answer(context.Background(), Question{Text: tt.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ans.Abstained || ans.Mode != ModeExtractive {
				t.Fatalf("abstained=%v mode=%s, want an extractive answer", ans.Abstained, ans.Mode)
			}
			if !strings.Contains(strings.ToLower(ans.Text), strings.ToLower(tt.want)) {
				t.Errorf("answer %q lacks %q", ans.Text, tt.want)
			}
			if len(ans.Citations) == 0 {
				t.Fatal("no citations")
			}
			for i, c := range ans.Citations {
				if c.N != i+1 || !strings.Contains(ans.Text, c.Quote) || !strings.Contains(article.Text, c.Quote) {
					t.Errorf("citation %d (n=%d) quote %q is not in both the answer and the article", i, c.N, c.Quote)
				}
				if !strings.Contains(ans.Text, c.Quote+" ["+string(rune('0'+c.N))+"]") {
					t.Errorf("quote %d is not followed by its marker in %q", c.N, ans.Text)
				}
				if c.Article != "rubio-calls-munir" || c.Title == "" || c.Published.IsZero() {
					t.Errorf("citation %+v lacks the article's metadata", c)
				}
			}
		})
	}
}

func TestExtractiveAbstains(t *testing.T) {
	e, _ := newTestExtractive(t)
	tests := []struct {
		question, unknown string
	}{
		{"What did China's foreign ministry say about the strikes?", "China's"},
		{"How many nuclear warheads does Pakistan have?", "warhead"},
		{"What did the parliament decide?", "parliament"},
		{"the and of?", ""},
		{"Tell me about the monsoon in Kerala", "Kerala"},
		// Every word is in the article, but no sentence about the calls
		// holds a number: it cannot say how many there were.
		{"How many times did Rubio call Munir?", ""},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			ans, err := e.Answer(context.Background(), Question{Text: tt.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !ans.Abstained || ans.Text != NoAnswer || len(ans.Citations) != 0 {
				t.Fatalf("got %q (abstained=%v, %d citations), want an abstention", ans.Text, ans.Abstained, len(ans.Citations))
			}
			if ans.Unknown != tt.unknown {
				t.Errorf("unknown %q, want %q", ans.Unknown, tt.unknown)
			}
		})
	}
}

func TestExtractiveFollowUp(t *testing.T) {
	e, _ := newTestExtractive(t)
	q := Question{Text: "And what did he offer him?", History: []Turn{{Question: "Who did Marco Rubio speak with on Friday?", Answer: "Asim Munir [1]."}}}
	ans, err := e.Answer(context.Background(), q, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ans.Abstained || !strings.Contains(ans.Text, "assistance") {
		t.Errorf("follow-up answer %q, want Rubio's offer of assistance", ans.Text)
	}
}

func TestExtractiveNoIndex(t *testing.T) {
	lib, _ := retrieval.NewLibrary(retrieval.LibraryConfig{}, retrieval.HashEmbedder(8), func(context.Context) (*corpus.Result, error) { return nil, corpus.ErrEmpty }, nil)
	_, err := NewExtractive(ExtractiveConfig{}, lib, nil).Answer(context.Background(), Question{Text: "x"}, nil)
	if err != ErrNoIndex {
		t.Errorf("error %v, want ErrNoIndex", err)
	}
}

// loadThesaurus loads the built-in synonym table or fails the test.
func loadThesaurus(tb testing.TB) *retrieval.Thesaurus {
	tb.Helper()
	th, err := retrieval.LoadThesaurus()
	if err != nil {
		tb.Fatalf("LoadThesaurus: %v", err)
	}
	return th
}

func TestChatShorthandAsksNothing(t *testing.T) {
	t.Parallel()
	e, _ := newTestExtractive(t)
	// A Discord channel's shorthand is no word the sources must use.
	for _, q := range []string{"who did rubio speak with on friday rn?", "pls who did rubio speak with on friday, asap"} {
		ans, err := e.Answer(context.Background(), Question{Text: q}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ans.Abstained || !strings.Contains(ans.Text, "Munir") {
			t.Errorf("%q: %q (%s, unknown %q), want Munir", q, ans.Text, ans.Reason, ans.Unknown)
		}
	}
}
