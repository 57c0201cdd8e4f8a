package answer

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// A gap question asks how long passed between two events the sources
// date: "How long after the Pahalgam attack did India strike?", "How many
// days passed between the strikes and the ceasefire?". No sentence says
// it; each event's date does, often in another report. It is answered as
// two "when" questions, and the gap is the difference of their days.
var (
	gapAfterRE = regexp.MustCompile(`(?i)^\s*how\s+(?:long|many\s+(days|weeks))\s+(after|before)\s+(.+?)\s+(did|was|were|had|does|do|is|are)\s+(.+?)[\s?.!]*$`)
	// gapEchoRE reads a gap asked in place: "Pakistan's operation came how
	// many days after India's strikes?"
	gapEchoRE = regexp.MustCompile(`(?i)^\s*(.+?)\s+(?:came|happened|began|started|followed|took\s+place)\s+how\s+(?:long|many\s+(days|weeks))\s+(after|before)\s+(.+?)[\s?.!]*$`)
	// gapLaterRE reads a gap from an event the question states first:
	// "The drone waves began on 8 May - how many days later did Modi
	// speak?" Only days or weeks: "how long after that" may ask hours.
	gapLaterRE = regexp.MustCompile(`(?i)^\s*(.+?)\s*(?:[,;:.?!]|\s[-–—])\s+how\s+many\s+(days|weeks)\s+(?:later|afterwards|after\s+that|on)\s+(did|was|were|had|does|do|is|are)\s+(.+?)[\s?.!]*$`)
	gapSpanRE  = regexp.MustCompile(`(?i)^\s*how\s+(?:long|many\s+(days|weeks))\s+(?:was\s+it\s+|were\s+there\s+|passed\s+|elapsed\s+|went\s+by\s+)?(?:between|from)\s+(.+?)\s+(?:and|to|until|till)\s+(.+?)[\s?.!]*$`)
)

// gapQuestion is a gap question read: the two events as "when" questions,
// earlier first where the question says which is, and the unit asked.
type gapQuestion struct {
	first, second string
	unit          string // "days" or "weeks"
	// ordered: the question says the second came after the first ("how
	// long after X did Y"); a span ("between X and Y") does not.
	ordered bool
}

// readGap reads a gap question, or reports that text is none.
func readGap(text string) (gapQuestion, bool) {
	if m := gapAfterRE.FindStringSubmatch(text); m != nil {
		unit, rel, event, aux, clause := strings.ToLower(m[1]), strings.ToLower(m[2]), m[3], strings.ToLower(m[4]), m[5]
		g := gapQuestion{unit: unit, ordered: true}
		main := "When " + aux + " " + clause + "?"
		other := whenWas(event)
		if rel == "after" {
			g.first, g.second = other, main
		} else {
			g.first, g.second = main, other
		}
		return g, true
	}
	if m := gapEchoRE.FindStringSubmatch(text); m != nil {
		g := gapQuestion{unit: strings.ToLower(m[2]), ordered: true}
		subject, other := whenWas(m[1]), whenWas(m[4])
		if strings.EqualFold(m[3], "after") {
			g.first, g.second = other, subject
		} else {
			g.first, g.second = subject, other
		}
		return g, true
	}
	if m := gapLaterRE.FindStringSubmatch(text); m != nil {
		// The stated event is asked as "when", in its own words: "When
		// the drone waves began on 8 May?" keeps its date and names.
		first := "When " + lowerFirst(strings.TrimSpace(m[1])) + "?"
		return gapQuestion{first: first, second: "When " + strings.ToLower(m[3]) + " " + m[4] + "?", unit: strings.ToLower(m[2]), ordered: true}, true
	}
	if m := gapSpanRE.FindStringSubmatch(text); m != nil {
		return gapQuestion{first: whenWas(m[2]), second: whenWas(m[3]), unit: strings.ToLower(m[1])}, true
	}
	return gapQuestion{}, false
}

// lowerFirst lower-cases a clause's first letter unless its first word
// is a name or initials ("The drone waves" → "the drone waves", "Rubio
// spoke" stays).
func lowerFirst(clause string) string {
	first, _, _ := strings.Cut(clause, " ")
	switch strings.ToLower(first) {
	case "the", "a", "an", "this", "that", "his", "her", "its", "their":
		return strings.ToLower(first[:1]) + clause[1:]
	}
	return clause
}

// whenWas asks when an event named by a noun phrase happened: "the
// Pahalgam attack" → "When was the Pahalgam attack?".
func whenWas(event string) string {
	return "When was " + strings.TrimSpace(event) + "?"
}

// answerGap answers a gap question: both events dated by sentences that
// pass every check of a "when" question, or the refusal.
func (e *Extractive) answerGap(ctx context.Context, q Question, g gapQuestion, ix *retrieval.Index) (Answer, error) {
	parts := []string{g.first, g.second}
	as, pool, err := e.searchParts(ctx, q, ix, parts, nil)
	if err != nil {
		return Answer{}, err
	}
	fs := []finding{e.findEvidence(as[0], pool), e.findEvidence(as[1], pool)}
	var days [2]time.Time
	for i, f := range fs {
		if len(f.chosen) == 0 {
			continue
		}
		// The best sentence that gives a day: "in April" dates the
		// attack, but no gap can be counted from it.
		fs[i].chosen = nil
		for _, ev := range f.passed {
			if d, ok := dayOf(ev); ok {
				days[i], fs[i].chosen = d, []evidence{ev}
				break
			}
		}
		if len(fs[i].chosen) == 0 {
			fs[i].reason = fmt.Sprintf("the sources give no day for %q", strings.TrimSuffix(strings.TrimPrefix(parts[i], "When "), "?"))
		}
	}
	if len(fs[0].chosen) == 0 || len(fs[1].chosen) == 0 {
		// Half a gap is no answer: refuse, with both reasons.
		for i := range fs {
			fs[i].chosen = nil
		}
		ans := assemble(q.Text, as, fs)
		ans.Retrieved = pool
		return ans, nil
	}

	ans := assemble(q.Text, as, fs)
	ans.Retrieved = pool
	gap := int(days[1].Sub(days[0]).Hours() / 24)
	if g.ordered && gap < 0 {
		// "How long after X did Y" when the sources date Y first: the
		// premise is wrong, and the dates say so.
		ans.Text = fmt.Sprintf("The sources date them the other way round: %s came first. %s", days[1].Format("2 January 2006"), ans.Text)
		ans.Trace = append(ans.Trace, "the gap's events are dated the other way round")
		return ans, nil
	}
	if gap < 0 {
		gap = -gap
		days[0], days[1] = days[1], days[0]
	}
	ans.Text = fmt.Sprintf("%s, from %s to %s. %s", gapLength(gap, g.unit), days[0].Format("2 January 2006"), days[1].Format("2 January 2006"), ans.Text)
	ans.Trace = append(ans.Trace, fmt.Sprintf("gap of %d days between the two dates", gap))
	return ans, nil
}

// gapLength says a gap of days in the unit asked.
func gapLength(days int, unit string) string {
	plural := func(n int, w string) string {
		if n == 1 {
			return "1 " + w
		}
		return fmt.Sprintf("%d %ss", n, w)
	}
	if unit == "weeks" && days%7 != 0 {
		return fmt.Sprintf("%s (about %.1f weeks)", plural(days, "day"), float64(days)/7)
	}
	if unit == "weeks" {
		return plural(days/7, "week")
	}
	return plural(days, "day")
}

// dayOf returns the single calendar day, year known, that a "when"
// answer's sentence gives as its value.
func dayOf(ev evidence) (time.Time, bool) {
	for _, d := range ev.view.dates {
		if d.String() == ev.value && d.Precision == corpus.DayPrecision && d.YearKnown && d.From.Equal(d.To) {
			return d.From, true
		}
	}
	return time.Time{}, false
}
