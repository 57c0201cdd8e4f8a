package answer

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestReadTitles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, surname string
		// want are the title's words, lower-cased and in order; nil means
		// the surname is no key.
		want []string
	}{
		{"Foreign Secretary Vikram Misri said so.", "misri", []string{"foreign", "secretary", "vikram", "misri"}},
		{"It was given by the Director General of Military Operations, Lieutenant General Rajiv Ghai, and the Director General of Air Operations, Air Marshal A.K. Bharti.",
			"ghai", []string{"lieutenant", "general", "rajiv", "ghai", "director", "general", "of", "military", "operations"}},
		{"It was given by the Director General of Military Operations, Lieutenant General Rajiv Ghai, and the Director General of Air Operations, Air Marshal A.K. Bharti.",
			"bharti", []string{"air", "marshal", "a", "k", "bharti", "director", "general", "of", "air", "operations"}},
		{"Lieutenant General Ahmed Sharif Chaudhry, the director general of Inter-Services Public Relations, said so.",
			"chaudhry", []string{"lieutenant", "general", "ahmed", "sharif", "chaudhry", "director", "general", "of", "inter-services", "public", "relations"}},
		// A sentence's end is no joiner: Pakistan is not Misri's title.
		{"India struck Pakistan. Foreign Secretary Vikram Misri spoke.", "misri", []string{"foreign", "secretary", "vikram", "misri"}},
		// The title's initials in brackets stand inside it.
		{"It was National Security Advisor (NSA) Jan Vask who called.", "vask", []string{"national", "security", "advisor", "nsa", "jan", "vask"}},
		// One word is no person, nor is a body.
		{"Modi spoke to the Security Council.", "modi", nil},
		{"Modi spoke to the Security Council.", "council", nil},
	}
	for _, tt := range tests {
		book := readTitles(nil, tt.text)
		var got []string
		for _, w := range book[tt.surname] {
			got = append(got, w.lower)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: title of %s = %s, want %s", tt.text, tt.surname, strings.Join(got, " "), strings.Join(tt.want, " "))
		}
	}
}

func TestReadSubjectOf(t *testing.T) {
	t.Parallel()
	a := analyse("What did the head of India's air operations say when asked?", time.Date(2025, 5, 12, 0, 0, 0, 0, time.UTC), func(string) float64 { return 1 }, func(string) bool { return true })
	if len(a.subjectOf) != 3 || !a.subjectOf[0].possessive || a.subjectOf[1].term == "" || a.subjectOf[2].term == "" {
		t.Fatalf("subjectOf = %+v, want India's, air, operations", a.subjectOf)
	}
	b := analyse("What did the head of the United Nations say?", time.Date(2025, 5, 12, 0, 0, 0, 0, time.UTC), func(string) float64 { return 1 }, func(string) bool { return true })
	if len(b.subjectOf) != 1 || !slices.Equal(b.subjectOf[0].name, []string{"united", "nations"}) {
		t.Fatalf("subjectOf = %+v, want united nations", b.subjectOf)
	}
}

// A quote an earlier part of the answer gave is not given again beside
// the next part's own.
func TestRenderSharedQuote(t *testing.T) {
	t.Parallel()
	art := &corpus.Article{ID: "a", Text: "Modi chaired the first meeting. Sharif chaired the second."}
	first := evidence{view: sentenceView{article: art, span: corpus.Span{Start: 0, End: 31}}, value: "Modi"}
	second := evidence{view: sentenceView{article: art, span: corpus.Span{Start: 32, End: len(art.Text)}}, value: "Sharif"}
	a := &analysis{slot: slotName}
	cited := map[string]int{}
	text1, _ := render(a, []evidence{first}, 0, cited)
	text2, cites := render(a, []evidence{first, second}, 1, cited)
	if strings.Contains(text2, "Modi") || !strings.Contains(text2, "Sharif chaired the second. [2]") || len(cites) != 1 {
		t.Errorf("second part %q (after %q), want only the new quote, numbered 2", text2, text1)
	}
}

func TestOwnName(t *testing.T) {
	t.Parallel()
	text := "The cabinet promoted the Chief of Army Staff, General Asim Munir, and kept Air Chief Marshal Zaheer Sidhu. India's airlines and Indian officials agreed."
	book := readTitles(nil, text)
	ws := splitWords(text, 0, len(text))
	run := func(from, to string) []word {
		var out []word
		in := false
		for _, w := range ws {
			if w.raw == from {
				in = true
			}
			if in {
				out = append(out, w)
			}
			if in && w.raw == to {
				break
			}
		}
		return out
	}
	tests := []struct {
		name []string
		run  []word
		want bool
	}{
		{[]string{"asim", "munir"}, run("General", "Munir"), true},
		{[]string{"asim", "munir"}, run("Chief", "Staff"), true},
		{[]string{"asim", "munir"}, run("Air", "Sidhu"), false},
		{[]string{"indian"}, run("India's", "India's"), true},
		{[]string{"india"}, run("Air", "Sidhu"), false},
	}
	for _, tt := range tests {
		if got := ownName(tt.name, tt.run, book); got != tt.want {
			t.Errorf("ownName(%v, %q) = %v, want %v", tt.name, text[tt.run[0].start:tt.run[len(tt.run)-1].end], got, tt.want)
		}
	}
}

func TestNameIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name []string
		text string
		want bool
	}{
		{[]string{"united", "nations"}, "The UN said so.", true},
		{[]string{"united", "nations"}, "The nation said so.", false},
		{[]string{"dgmo"}, "The Director General of Military Operations spoke.", true},
		{[]string{"pakistani"}, "Pakistan's army spoke.", true},
		// "US" is the country, not the US Secretary of State.
		{[]string{"us", "secretary"}, "Diplomats said the US role had mattered.", false},
		{[]string{"asim", "munir"}, "General Munir said so.", true},
	}
	for _, tt := range tests {
		if got := nameIn(tt.name, splitWords(tt.text, 0, len(tt.text))); got != tt.want {
			t.Errorf("nameIn(%v, %q) = %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}
