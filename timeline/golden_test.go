package timeline

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// evalCorpus is the shared calibration corpus beside the repository.
const evalCorpus = "../../shared/eval/v2/corpus"

// TestEvalTimeline checks the timeline of the calibration corpus against
// its golden file, and checks it for what a reader relies on: events in
// order, each line's date given by its own sentence, one event told by
// several outlets with the figures they differ on.
func TestEvalTimeline(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(evalCorpus); err != nil {
		t.Skipf("no calibration corpus at %s", evalCorpus)
	}
	res, err := corpus.LoadDir(context.Background(), evalCorpus, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix := indexOf(t, res)
	events, err := Build(context.Background(), ix, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range events {
		b.WriteString(Line(e) + "\n")
	}
	golden := filepath.Join("testdata", "eval-v2.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("timeline differs from %s (go test -run TestEvalTimeline -update to accept):\n%s", golden, b.String())
	}

	first := func(match func(Event) bool) int {
		for i, e := range events {
			if match(e) {
				return i
			}
		}
		return -1
	}
	cites := func(id string) func(Event) bool {
		return func(e Event) bool {
			for _, r := range e.Reports {
				if r.Article.ID == id {
					return true
				}
			}
			return false
		}
	}
	on := func(date string, word string) func(Event) bool {
		return func(e Event) bool {
			return e.Date.From.Format("2006-01-02") == date && strings.Contains(strings.ToLower(e.Sentence()), word)
		}
	}
	order := []struct {
		what          string
		before, after func(Event) bool
	}{
		{"the Pahalgam attack before the security cabinet's measures", on("2025-04-22", "pahalgam"), cites("nl-ccs-measures")},
		{"Operation Sindoor's strikes before the ceasefire", on("2025-05-07", "struck"), on("2025-05-10", "ceasefire")},
	}
	for _, o := range order {
		i, j := first(o.before), first(o.after)
		if i < 0 || j < 0 || i >= j {
			t.Errorf("%s: lines %d and %d", o.what, i+1, j+1)
		}
	}

	relative, several, differ := 0, 0, 0
	for i, e := range events {
		if i > 0 && e.Date.From.Before(events[i-1].Date.From) {
			t.Errorf("line %d (%s) is older than line %d", i+1, e.Date, i)
		}
		outlets := map[string]bool{}
		for _, r := range e.Reports {
			outlets[r.Article.Outlet()] = true
			a := r.Article
			// The sentence is the article's own, and its date mention is in it.
			if strings.Join(strings.Fields(a.Text[r.Span.Start:r.Span.End]), " ") != r.Sentence {
				t.Errorf("line %d: the sentence is not %s's text at its offsets", i+1, a.ID)
			}
			if r.Date.Start < r.Span.Start || r.Date.End > r.Span.End {
				t.Errorf("line %d: the date of %s's report lies outside its sentence", i+1, a.ID)
				continue
			}
			// Read again from the sentence, after the day the sentences
			// before it last named, the mention gives the same days.
			found := false
			for _, d := range corpus.ExtractDatesAfter(a.Text[r.Span.Start:r.Span.End], a.Published, dayBefore(a, r.Span.Start)) {
				if d.From.Equal(r.Date.From) && d.To.Equal(r.Date.To) {
					found = true
				}
			}
			if !found {
				t.Errorf("line %d: %s's sentence does not give %s", i+1, a.ID, r.Date)
			}
			if r.Date.Relative {
				relative++
				if !strings.Contains(r.Date.String(), r.Date.From.Format("2006")) {
					t.Errorf("line %d: relative date shown as %q, not as a calendar date", i+1, r.Date)
				}
			}
		}
		if len(outlets) > 1 {
			several++
		}
		if len(e.Differ) > 0 && len(outlets) > 1 {
			differ++
		}
	}
	if relative == 0 || several == 0 || differ == 0 {
		t.Errorf("relative dates resolved: %d, events told by several outlets: %d, with figures that differ: %d; want each > 0", relative, several, differ)
	}
}

// dayBefore is the day the sentences of a before offset at last named.
func dayBefore(a *corpus.Article, at int) time.Time {
	var prior time.Time
	for _, s := range corpus.SplitSentences(a.Text) {
		if s.Start >= at {
			break
		}
		text := a.Text[s.Start:s.End]
		prior = corpus.DayInView(text, corpus.ExtractDatesAfter(text, a.Published, prior), prior)
	}
	return prior
}
