package answer

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// oneSentence is the view of an article that is one sentence long.
func oneSentence(text string, ref time.Time) sentenceView {
	art := &corpus.Article{Text: text, Published: ref}
	v := sentenceView{article: art, span: corpus.Span{Start: 0, End: len(text)}}
	v.words = splitWords(text, v.span.Start, v.span.End)
	v.dates = sentenceDates(art, v.span)
	return v
}

func TestReadOrdinals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		question string
		want     [][2]string
	}{
		{"When did the second Test in Ostend begin?", [][2]string{{"second", "test"}}},
		{"When did the mayor give his first national address?", [][2]string{{"first", "address"}}},
		{"How far did she throw in the 3rd round?", [][2]string{{"third", "round"}}},
		// An adverb, a date and the idioms pick out none.
		{"In what year did the mayor first go to Ostend?", nil},
		{"When did the mayor first get the medal?", nil},
		{"How long after the first marshal getting the rank?", [][2]string{{"first", "marshal"}}},
		{"Was it the first time the barge sank?", nil},
		{"Who ordered the blockade in the first place?", nil},
		{"What happened in the first week of June?", nil},
	}
	for _, tt := range tests {
		if got := readOrdinals(lowerWords(tt.question)); !slices.Equal(got, tt.want) {
			t.Errorf("%q: ordinals %q, want %q", tt.question, got, tt.want)
		}
	}
}

// TestOrdinalOfTheSeries: "the second Test" is answered only by a
// sentence on the second, and never by one on the third.
func TestOrdinalOfTheSeries(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 12, 0, 0, 0, 0, time.UTC)
	a := analyse("When did the second Test in Ostend begin?", ref, func(string) float64 { return 1 }, func(string) bool { return true })
	var c checks
	tests := []struct {
		sentence string
		fail     string // a part of the reason it fails, or "" for none about the ordinal
	}{
		{"The third Test begins next week in Ostend.", "third test, not the second"},
		{"The Test in Ostend began on Friday.", "does not say the second test"},
		{"The second Test began in Ostend on Friday.", ""},
	}
	for _, tt := range tests {
		ev := c.verify(&a, oneSentence(tt.sentence, ref))
		if tt.fail == "" && strings.Contains(ev.fail, "second") {
			t.Errorf("%q: fail %q, want the ordinal found", tt.sentence, ev.fail)
		}
		if tt.fail != "" && !strings.Contains(strings.ToLower(ev.fail), tt.fail) {
			t.Errorf("%q: fail %q, want %q", tt.sentence, ev.fail, tt.fail)
		}
	}
}

// TestWhereTheQuestionAsks: the clause that opens with a question word
// asks; one inside the opening clause is relative.
func TestWhereTheQuestionAsks(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		question string
		slot     slotKind
		focus    string
		within   bool
	}{
		{"Delta, where the barge sank - which province is that in?", slotName, "province", true},
		{"The mayor briefed reporters in Ostend - on what date was that briefing?", slotTime, "", false},
		{"After the storm over Delta, around what time did the rain stop?", slotTime, "", false},
		{"What made the mayor resign?", slotReason, "", false},
		{"What led to the blockade of Delta?", slotReason, "", false},
		{"Where did the barge sink?", slotName, "", false},
		// A name is asked of the thing the question describes; the
		// possessive's noun is the asked thing.
		{"What is the bridge at Delta actually called?", slotName, "bridge", false},
		{"What was the operation over Delta known as?", slotName, "operation", false},
		{"What was Jan Vask's personal best?", slotAny, "best", false},
	}
	for _, tt := range tests {
		a := analyse(tt.question, ref, func(string) float64 { return 1 }, func(string) bool { return true })
		if a.slot != tt.slot || a.focus != tt.focus || a.within != tt.within {
			t.Errorf("%q: slot %v, focus %q, within %v; want %v, %q, %v", tt.question, a.slot, a.focus, a.within, tt.slot, tt.focus, tt.within)
		}
	}
}

// TestWhatAPlaceIsIn: "Delta in Upper Ostland" says what Delta is in,
// though it never says "province".
func TestWhatAPlaceIsIn(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 12, 0, 0, 0, 0, time.UTC)
	// The index knows Delta for a name, though it opens the question.
	a := analyseFirst("Delta, where troops struck - which Ostlandic province is that in?", ref, func(string) float64 { return 1 }, func(string) bool { return true }, true)
	var c checks
	// The sentence before names the country, as a report does once.
	lead := "Ostlandic officials said troops had struck."
	view := func(sentence string) sentenceView {
		v := oneSentence(sentence, ref)
		v.around = splitWords(lead, 0, len(lead))
		v.prev = v.around
		return v
	}
	if ev := c.verify(&a, view("Troops struck a site near Delta in Upper Vask.")); ev.value != "Upper Vask" {
		t.Errorf("value %q (fail %q), want Upper Vask", ev.value, ev.fail)
	}
	if ev := c.verify(&a, view("Troops struck a site in Delta and a camp near Orlo.")); ev.fail == "" {
		t.Errorf("value %q, want a refusal: nothing says what Delta is in", ev.value)
	}
}

// TestNameIsNoVerbOfSaying: "the United States" is a name, not "states";
// a name after "were from" says which of the counted things are asked.
func TestNameIsNoVerbOfSaying(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 12, 0, 0, 0, 0, time.UTC)
	a := analyse("How many of the delegates were from the United States?", ref, func(string) float64 { return 1 }, func(string) bool { return true })
	if a.reporting {
		t.Error("the question reads as asking what someone said")
	}
	i := slices.Index(a.nameText, "United States")
	if i < 0 || !a.modifies[i] {
		t.Errorf("names %q, modifies %v: want United States to qualify the delegates", a.nameText, a.modifies)
	}
}

func TestSentenceBreak(t *testing.T) {
	t.Parallel()
	tests := []struct {
		between, prev string
		want          bool
	}{
		{". ", "DGMO", true},
		{"? ", "Vask", true},
		{". ", "A", false},   // "A. Vask"
		{". ", "Gen", false}, // "Gen. Vask"
		{" ", "Marshal", false},
	}
	for _, tt := range tests {
		if got := sentenceBreak(tt.between, tt.prev); got != tt.want {
			t.Errorf("sentenceBreak(%q, %q) = %v, want %v", tt.between, tt.prev, got, tt.want)
		}
	}
}

// TestDateOfARelativeClause: a date inside a relative clause dates that
// clause's verb, not the main one after it.
func TestDateOfARelativeClause(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 13, 0, 0, 0, 0, time.UTC)
	var c checks
	tests := []struct {
		question, sentence string
		dated              bool
	}{
		{"When did the families start coming back to Delta?", "Families who had left Delta on Wednesday began to return in the afternoon.", false},
		// The clause's own verb asked: its date answers.
		{"When did the families leave Delta?", "Families who had left Delta on Wednesday began to return in the afternoon.", true},
		// No relative clause: the date is the sentence's.
		{"When did the families start coming back to Delta?", "Families began to return to Delta on Wednesday.", true},
	}
	for _, tt := range tests {
		a := analyse(tt.question, ref, func(string) float64 { return 1 }, func(string) bool { return true })
		v := oneSentence(tt.sentence, ref)
		if len(v.dates) == 0 {
			t.Fatalf("%q: no date read", tt.sentence)
		}
		if got := !c.inRelativeClause(&a, v, tt.sentence, v.dates[0]); got != tt.dated {
			t.Errorf("%q / %q: dated %v, want %v", tt.question, tt.sentence, got, tt.dated)
		}
	}
}
