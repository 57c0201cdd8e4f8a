package answer

import (
	"context"
	"strings"
	"testing"
)

func TestMissing(t *testing.T) {
	t.Parallel()
	closest := func(fail string) string { return "the closest sentence (2025/05/a (b)) does not answer: " + fail }
	tests := []struct {
		name string
		a    Answer
		want string
	}{
		{"answered", Answer{Text: "Rubio spoke with Munir [1].", Unknown: "pact"}, ""},
		{"unknown word", Answer{Abstained: true, Unknown: "pact"}, "no source mentions “pact”"},
		{"name", Answer{Abstained: true, Reason: closest(`it does not mention "Asim Munir"`)}, "the closest passage does not mention “Asim Munir”"},
		{"quoted name", Answer{Abstained: true, Reason: closest(`it does not mention "the \"Iron\" Dome"`)}, "the closest passage does not mention “the \"Iron\" Dome”"},
		{"count", Answer{Abstained: true, Reason: closest("it gives no number of soldiers")}, "the closest passage gives no number of soldiers"},
		{"verb", Answer{Abstained: true, Reason: closest(`it does not say "reopen" or a word like it`)}, "the closest passage does not say “reopen”"},
		{"speaker", Answer{Abstained: true, Reason: closest("it does not say what the government said")}, "the closest passage does not say what the government said"},
		{"date", Answer{Abstained: true, Reason: closest("it is not about 9 May")}, "the closest passage is not about 9 May"},
		{"coverage is no help", Answer{Abstained: true, Reason: closest("it holds 20% of the question's words besides its names, under 40%")}, ""},
		{"second part known", Answer{Abstained: true, Reason: closest("it holds 20% of the question's words besides its names, under 40%") + "; " + closest("it gives no date")}, "the closest passage gives no date"},
		{"nothing retrieved", Answer{Abstained: true, Reason: "no passage was retrieved"}, "no passage matched the question"},
		{"unknown form", Answer{Abstained: true, Reason: "something new"}, ""},
		{"model declined", Answer{Abstained: true, Mode: ModeLLM}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Missing(); got != tt.want {
				t.Errorf("Missing() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestMissingFromRefusals reads the reasons the extractive answerer really
// gives, so a change in their wording shows here rather than as a refusal
// that no longer says why.
func TestMissingFromRefusals(t *testing.T) {
	t.Parallel()
	e, _ := newTestExtractive(t)
	for _, q := range []string{
		"Did Rubio sign a pact with Munir?",          // a word no article uses
		"How many soldiers died on Friday?",          // a count the closest sentence lacks
		"What did Rubio offer Jaishankar on Monday?", // a verb it lacks
	} {
		a, err := e.Answer(context.Background(), Question{Text: q}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !a.Abstained {
			t.Errorf("%q was answered: %q", q, a.Text)
			continue
		}
		got := a.Missing()
		if got == "" || strings.Contains(got, "rubio-calls-munir") || strings.Contains(got, `"`) {
			t.Errorf("%q: Missing() = %q from unknown %q, reason %q; want what was missing, without article IDs or Go quoting", q, got, a.Unknown, a.Reason)
		}
	}
}
