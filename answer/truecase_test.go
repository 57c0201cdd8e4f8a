package answer

import (
	"testing"
	"testing/fstest"
)

func TestTruecase(t *testing.T) {
	t.Parallel()
	corpus := map[string]struct {
		form  string
		alone bool
	}{
		"rubio":    {"Rubio", true},
		"munir":    {"Munir", true},
		"ispr":     {"ISPR", true},
		"asim":     {"Asim", false},
		"prime":    {"Prime", false},
		"minister": {"Minister", false},
		"modi":     {"Modi", true},
		"us":       {"US", true},
		"may":      {"May", true},
		"lahore":   {"Lahore", true},
	}
	spell := func(w string) (string, bool) {
		s := corpus[w]
		return s.form, s.alone
	}
	everyday := func(w string) bool { return w == "us" }
	tests := []struct{ in, want string }{
		{"what did rubio tell munir?", "what did Rubio tell Munir?"},
		{"what did the ispr's chief say", "what did the ISPR's chief say"},
		// A given name or a title joins the name after it, not before.
		{"when did rubio call asim munir", "when did Rubio call Asim Munir"},
		{"did prime minister modi speak", "did Prime Minister Modi speak"},
		{"what did the prime minister say", "what did the prime minister say"},
		{"which minister in lahore", "which minister in Lahore"},
		// Everyday words, dates and a writer's own capitals stay.
		{"did they tell us", "did they tell us"},
		{"what may happen on 9 may", "what may happen on 9 may"},
		{"What did Rubio say", "What did Rubio say"},
		// Capitals past the first word: lower case is meant.
		{"what did the Pakistani side tell munir", "what did the Pakistani side tell munir"},
		{"what did the DGMO tell munir", "what did the DGMO tell Munir"},
		{"rubio-munir call", "rubio-munir call"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := truecase(tt.in, spell, everyday); got != tt.want {
			t.Errorf("truecase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := truecase("what did rubio say", nil, nil); got != "what did rubio say" {
		t.Errorf("without spellings: %q", got)
	}
}

// lowerCaseCorpus names its people once each, in capitals, as reports do.
var lowerCaseCorpus = fstest.MapFS{
	"talks.md": {Data: []byte(`---
title: Border talks stall as envoys trade visits
source: Wire Desk
published: 2031-06-06
---
OSTRAVA — Premier Halvard Orsund said on Monday that the northern border would stay closed until the talks resumed.

Envoy Mirela Kastor arrived in Ostrava on Tuesday and met officials from the interior ministry. She left on Wednesday for Velm.
`)},
}

// TestLowerCaseQuestion: a question typed in lower case names people and
// places as one in capitals does: what Orsund said is not what Kastor told
// him, and a lower-case name the report gives is still found.
func TestLowerCaseQuestion(t *testing.T) {
	t.Parallel()
	e := miniExtractive(t, lowerCaseCorpus, true)
	tests := []struct {
		question string
		want     string // "" for a refusal
	}{
		{"What did Kastor tell Orsund about the border?", ""},
		{"what did kastor tell orsund about the border?", ""},
		{"where did mirela kastor go on wednesday?", "Velm"},
		{"what did orsund say about the northern border?", "stay closed"},
	}
	for _, tt := range tests {
		expectAnswer(t, e, tt.question, tt.want, tt.question)
	}
}
