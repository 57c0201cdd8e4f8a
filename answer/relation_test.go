package answer

import (
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestVerbAfterNoun(t *testing.T) {
	t.Parallel()
	tests := []struct{ question, want string }{
		{"Which ministers sat with the mayor?", "sat"},
		{"Which Ostland officers boarded the barge?", "boarded"},
		// An auxiliary asks the usual way; the verb is read there.
		{"Which ministers did the mayor meet?", ""},
		{"Which of the ministers boarded the barge?", ""},
		// A light verb or a verb of saying asks nothing of its own.
		{"Which side gave the order?", ""},
		{"Which officials said the bridge was shut?", ""},
		{"Who sat with the mayor?", ""},
	}
	for _, tt := range tests {
		if got := verbAfterNoun(tt.question, lowerWords(tt.question)); got != tt.want {
			t.Errorf("%q: verb %q, want %q", tt.question, got, tt.want)
		}
	}
}

// TestTimeOfTheSentenceNextDoor: a time answers for the event of its own
// sentence; when the sentence beside it says the asked verb with a time
// of its own, that is where the event is timed.
func TestTimeOfTheSentenceNextDoor(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 12, 0, 0, 0, 0, time.UTC)
	a := analyse("What time was the Delta blackout lifted?", ref, func(string) float64 { return 1 }, func(string) bool { return true })
	if a.relation != "lifted" {
		t.Fatalf("relation %q, want lifted", a.relation)
	}
	view := func(text string) sentenceView {
		art := &corpus.Article{Text: text, Published: ref}
		j := strings.Index(text, ". ") + 2
		v := sentenceView{article: art, span: corpus.Span{Start: 0, End: j - 1}, next: corpus.Span{Start: j, End: len(text)}}
		v.words = splitWords(text, v.span.Start, v.span.End)
		v.nextWords = splitWords(text, v.next.Start, v.next.End)
		v.adjacent = v.nextWords
		v.dates = sentenceDates(art, v.span)
		return v
	}
	var c checks
	ev := c.verify(&a, view("By 2 am the shelling near Delta had stopped. On Sunday the blackout was lifted."))
	if !strings.Contains(ev.fail, "its own time") {
		t.Errorf("fail %q, want the sentence next door's own time named", ev.fail)
	}
	if ev := c.verify(&a, view("By 2 am the shelling near Delta had stopped. The blackout was lifted with it.")); strings.Contains(ev.fail, "its own time") {
		t.Errorf("fail %q: the sentence next door gives no time of its own", ev.fail)
	}
}

// TestMeasureAsksAFigure: "what range" is answered by a figure the
// question does not give, not by the sentence that repeats its own.
func TestMeasureAsksAFigure(t *testing.T) {
	t.Parallel()
	ref := time.Date(2031, 3, 12, 0, 0, 0, 0, time.UTC)
	a := analyse("Within what range of 105 percent of the average will the Delta rainfall land?", ref, func(string) float64 { return 1 }, func(string) bool { return true })
	if !a.measure {
		t.Fatalf("the question is not read as asking a figure")
	}
	tests := []struct{ text, want string }{
		{"Delta rainfall will land at about 105 percent of the average.", ""},
		{"Delta rainfall will land within 5 percent of 105 percent of the average.", "5 percent"},
	}
	for _, tt := range tests {
		art := &corpus.Article{Text: tt.text, Published: ref}
		v := sentenceView{article: art, span: corpus.Span{Start: 0, End: len(tt.text)}}
		v.words = splitWords(tt.text, 0, len(tt.text))
		v.dates = sentenceDates(art, v.span)
		got, ok := measureValue(&a, v)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%q: figure %q %v, want %q", tt.text, got, ok, tt.want)
		}
	}
}
