package corpus

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DatePrecision says how exactly a mention names its time. DayPrecision,
// the zero value, is the most exact.
type DatePrecision uint8

// The precisions of an [EventDate], most exact first.
const (
	// DayPrecision names one day or a few: "7 May", "on Wednesday",
	// "7–8 May", "last night".
	DayPrecision DatePrecision = iota
	// WeekPrecision names a week or part of one: "this week", "last week".
	WeekPrecision
	// MonthPrecision names a month or part of one: "April", "last month",
	// "early May".
	MonthPrecision
	// YearPrecision names a year or a run of them: "2019", "the 1990s".
	YearPrecision

	// clockOnly marks, while a text is scanned, a time of day that has not
	// yet found the day it belongs to; none is returned.
	clockOnly DatePrecision = 255
)

// String returns "day", "week", "month" or "year".
func (p DatePrecision) String() string {
	switch p {
	case DayPrecision:
		return "day"
	case WeekPrecision:
		return "week"
	case MonthPrecision:
		return "month"
	case YearPrecision:
		return "year"
	}
	return "unknown"
}

// EventDate is one mention of a time in a text, resolved to calendar dates.
type EventDate struct {
	// Start and End are the byte offsets of the mention in the text.
	Start, End int
	// From and To are the inclusive range of calendar days the mention
	// covers, at midnight UTC; they are equal for a single day. A night
	// ("last night", "the night of 7 May") covers the day it starts on and
	// the next. When YearKnown is false their year is 0 (1 when a range
	// runs into the next year) and only month and day mean anything.
	From, To  time.Time
	Precision DatePrecision
	// Part is the part of the day, week, month or year the mention names,
	// when it names one: "morning", "afternoon", "evening", "night",
	// "early hours", "early", "mid" or "late", or "early" or "late" with a
	// part of the day ("early morning", "late night").
	Part string
	// Clock is the time of day, 24-hour "17:00", when the text gives one.
	Clock string
	// Zone is the time zone the text gives for the time: an abbreviation
	// upper-cased ("IST", "GMT") or a phrase as written ("Washington time",
	// "Indian Standard Time", "local time").
	Zone string
	// Relative is true when the mention was resolved against the reference
	// date or against another date in the text ("on Wednesday", "last
	// month", "the day before") rather than naming its date.
	Relative bool
	// YearKnown is false when the text gives no year and there was no
	// reference date to infer one from.
	YearKnown bool
}

// ExtractDates finds the mentions of time in text — a sentence or a short
// passage — and resolves them to calendar dates, in the order they appear.
//
// ref is the date the text was written, normally the article's published
// date; only its calendar day matters. Mentions that need it ("on
// Wednesday", "yesterday", "last week") are resolved against it, and
// skipped when it is zero.
//
// A date without a year ("7 May") takes the year that puts it in a window
// around ref: with nothing in its clause to say otherwise, from about eight
// months before to four months after, since news mostly reports what has
// happened but also names coming events; when the clause speaks of the
// future ("will", "is due to", "expected", "asked states to hold ...") the
// window moves ahead, when its verb is in the past ("attacked", "had",
// "began") behind. Without ref its YearKnown is false.
//
// A weekday is the latest such day on or before ref, or the first on or
// after it when its clause speaks of the future — ref's own day included,
// as news style names the day of publication by its weekday ("the council
// is due to meet on Wednesday", written on a Wednesday). "Last Wednesday"
// and "next Wednesday" always exclude ref's own day. "Until Saturday" in a
// clause in the past ("the airports were closed until Saturday") takes
// the nearer Saturday.
//
// Expressions that count from a time already named ("the day before",
// "three days earlier", "the previous night", "that night") count from the
// last day mentioned earlier in text, or — counting back only — from ref
// when there is none; counting forward with none ("the next day") is
// skipped, since it counts from an event the text does not date. Those
// that count from now ("two days ago", "last night") count from ref.
//
// "This week" is the calendar week, Monday to Sunday, that holds ref, and
// "earlier this week" its days before ref; likewise for months and years.
// A night ("last night", "Saturday night", "overnight", "the night of 7
// May") covers the day it starts on and the next.
//
// A time of day ("17:00 IST", "5 pm", "1700 hours", "midnight") belongs to
// the day mentioned next to it ("on Saturday at 5 pm" is one mention). One
// standing apart from any day takes the nearest day the text mentions,
// unless that day only bounds an interval ("since 23 April"); one with no
// day in text is dropped rather than given a day the text does not name,
// so a caller that wants "at 17:00" resolved passes the passage around it.
//
// ExtractDates is made to run on every sentence of a corpus: a text with
// no digit and no word that could start a mention is rejected after one
// pass over its bytes, without allocating.
func ExtractDates(text string, ref time.Time) []EventDate {
	return extractDates(text, ref, time.Time{}, true)
}

// ExtractDatesAfter is [ExtractDates] for one sentence of a longer text
// whose earlier sentences last named the day prior (zero: none). A report
// names the day once and goes on from it: "Later the same day", "that
// night", "three days later" and a bare "at 15:35" count from prior when
// the sentence itself has named no day before them, instead of being
// dropped or counted from ref.
func ExtractDatesAfter(text string, ref, prior time.Time) []EventDate {
	return extractDates(text, ref, prior, true)
}

// DayInView returns the day a sentence leaves in view for the next, given
// the dates [ExtractDatesAfter] found in it: the day its last day-precise
// mention begins on, or prior when it has none. A day said of another
// event ("since Tuesday's massacre") or bounding an interval ("until 1
// May") is not the day the report has reached.
func DayInView(text string, ds []EventDate, prior time.Time) time.Time {
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		if d.Precision != DayPrecision || d.Start < 0 || d.End > len(text) {
			continue
		}
		if after := text[d.End:]; strings.HasPrefix(after, "'s") || strings.HasPrefix(after, "’s") {
			continue
		}
		if boundWord(lastWord(text[:d.Start])) {
			continue
		}
		return d.From
	}
	return prior
}

// lastWord is the last run of letters in s, lower-cased.
func lastWord(s string) string {
	s = strings.TrimRightFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return strings.ToLower(s[i+1:])
}

// boundWord reports whether w, before a date, makes it an interval's bound.
func boundWord(w string) bool {
	switch w {
	case "since", "until", "till", "by", "before", "after", "from", "to", "through":
		return true
	}
	return false
}

// ParseQuestionDates finds the mentions of time in a question asked at now.
// It is [ExtractDates] with ref = now, except that a date given without a
// year keeps YearKnown false instead of taking now's year: "what happened
// on 9 May?" asks about 9 May in whatever year the sources speak of, which
// [EventDate.Overlaps] matches.
func ParseQuestionDates(q string, now time.Time) []EventDate {
	return extractDates(q, now, time.Time{}, false)
}

// Overlaps reports whether d and o share at least one calendar day. A date
// whose YearKnown is false matches the same days of the month in any year.
func (d EventDate) Overlaps(o EventDate) bool {
	if d.YearKnown && o.YearKnown {
		return overlap(d.From, d.To, o.From, o.To)
	}
	if d.YearKnown {
		d, o = o, d
	}
	// d has no year: try it in the years around o's.
	base := o.From.Year() - d.From.Year()
	for k := -1; k <= 1; k++ {
		if overlap(d.From.AddDate(base+k, 0, 0), d.To.AddDate(base+k, 0, 0), o.From, o.To) {
			return true
		}
	}
	return false
}

// overlap reports whether the inclusive ranges [a, b] and [c, e] meet.
func overlap(a, b, c, e time.Time) bool { return !b.Before(c) && !e.Before(a) }

// String renders d for an answer: "Wednesday, 30 April 2025", "Tuesday
// evening, 6 May 2025", "night of 6 May 2025 (into 7 May)", "5–11 May 2025", "April
// 2025", "early May 2025", "2019", with the time and zone after a comma
// when the text gave them ("Saturday, 10 May 2025, 17:00 IST"). Without a
// known year it leaves out the year and the weekday ("7 May").
func (d EventDate) String() string {
	var b strings.Builder
	pre, post := splitPart(d.Part)
	switch d.Precision {
	case DayPrecision:
		switch {
		case d.From.Equal(d.To):
			writeDay(&b, d.From, d.YearKnown, pre, post)
		case post == "night" && d.To.Equal(d.From.AddDate(0, 0, 1)):
			if pre != "" {
				b.WriteString(pre + " ")
			}
			// "Night of 6 May 2025 (into 7 May)": both days are named
			// whole, as a reader may look for either.
			b.WriteString("night of ")
			b.WriteString(strconv.Itoa(d.From.Day()) + " " + d.From.Month().String())
			if d.YearKnown {
				b.WriteString(" " + strconv.Itoa(d.From.Year()))
			}
			b.WriteString(" (into " + strconv.Itoa(d.To.Day()) + " " + d.To.Month().String() + ")")
		default:
			writeRange(&b, d.From, d.To, d.YearKnown)
		}
	case WeekPrecision:
		if d.Part != "" {
			mon := monday(d.From)
			b.WriteString(d.Part + " in the week of ")
			writeRange(&b, mon, mon.AddDate(0, 0, 6), d.YearKnown)
		} else {
			writeRange(&b, d.From, d.To, d.YearKnown)
		}
	case MonthPrecision:
		whole := d.From.Day() == 1 && d.To.Equal(d.From.AddDate(0, 1, -1))
		switch {
		case whole || d.Part != "" && d.From.Month() == d.To.Month():
			if !whole {
				b.WriteString(d.Part + " ")
			}
			b.WriteString(d.From.Month().String())
			if d.YearKnown {
				b.WriteString(" " + strconv.Itoa(d.From.Year()))
			}
		default:
			writeRange(&b, d.From, d.To, d.YearKnown)
		}
	case YearPrecision:
		jan1 := d.From.Month() == time.January && d.From.Day() == 1
		dec31 := d.To.Month() == time.December && d.To.Day() == 31
		switch {
		case jan1 && dec31 && d.From.Year() == d.To.Year():
			b.WriteString(strconv.Itoa(d.From.Year()))
		case jan1 && dec31:
			b.WriteString(strconv.Itoa(d.From.Year()) + "–" + strconv.Itoa(d.To.Year()))
		case d.Part != "" && d.From.Year() == d.To.Year():
			b.WriteString(d.Part + " " + strconv.Itoa(d.From.Year()))
		default:
			writeRange(&b, d.From, d.To, d.YearKnown)
		}
	}
	if d.Clock != "" || d.Zone != "" {
		b.WriteString(",")
		if d.Clock != "" {
			b.WriteString(" " + d.Clock)
		}
		if d.Zone != "" {
			b.WriteString(" " + d.Zone)
		}
	}
	return b.String()
}

// splitPart splits an [EventDate.Part] into what is written before the
// weekday ("early", "late", "early hours") and the part of the day written
// after it ("morning", "night").
func splitPart(part string) (pre, post string) {
	switch part {
	case "early", "late", "mid", "early hours":
		return part, ""
	case "morning", "afternoon", "evening", "night":
		return "", part
	}
	pre, post, _ = strings.Cut(part, " ")
	return pre, post
}

// writeDay writes one day: "Tuesday evening, 6 May 2025", "early hours of
// Wednesday, 7 May 2025", "evening of 6 May" without a year.
func writeDay(b *strings.Builder, t time.Time, yearKnown bool, pre, post string) {
	if !yearKnown {
		switch {
		case pre == "early hours":
			b.WriteString("early hours of ")
		case pre != "" || post != "":
			b.WriteString(strings.TrimSpace(pre+" "+post) + " of ")
		}
		b.WriteString(strconv.Itoa(t.Day()) + " " + t.Month().String())
		return
	}
	switch pre {
	case "":
	case "early hours":
		b.WriteString("early hours of ")
	default:
		b.WriteString(pre + " ")
	}
	b.WriteString(t.Weekday().String())
	if post != "" {
		b.WriteString(" " + post)
	}
	b.WriteString(", " + strconv.Itoa(t.Day()) + " " + t.Month().String() + " " + strconv.Itoa(t.Year()))
}

// writeRange writes an inclusive range of days as compactly as it reads:
// "5–11 May 2025", "30 April – 2 May 2025", "30 December 2024 – 2 January
// 2025".
func writeRange(b *strings.Builder, from, to time.Time, yearKnown bool) {
	year := func(t time.Time) string {
		if !yearKnown {
			return ""
		}
		return " " + strconv.Itoa(t.Year())
	}
	switch {
	case from.Year() == to.Year() && from.Month() == to.Month():
		b.WriteString(strconv.Itoa(from.Day()) + "–" + strconv.Itoa(to.Day()) + " " + to.Month().String() + year(to))
	case from.Year() == to.Year() || !yearKnown:
		b.WriteString(strconv.Itoa(from.Day()) + " " + from.Month().String() + " – " + strconv.Itoa(to.Day()) + " " + to.Month().String() + year(to))
	default:
		b.WriteString(strconv.Itoa(from.Day()) + " " + from.Month().String() + year(from) + " – " + strconv.Itoa(to.Day()) + " " + to.Month().String() + year(to))
	}
}

// stackTokens is how many tokens the scanner keeps on the stack before its
// buffer moves to the heap; a long news sentence has about 60.
const stackTokens = 128

// extractDates is [ExtractDates] and [ParseQuestionDates]; inferYear says
// whether a date without a year takes ref's year.
func extractDates(text string, ref, prior time.Time, inferYear bool) []EventDate {
	var buf [stackTokens]token
	toks, trigger := tokenize(text, buf[:0])
	if !trigger {
		return nil // the fast path: no digit and no word that could start a mention
	}
	// The scan keeps its own copy of the tokens: its results go to the heap,
	// and a scanner pointing at buf would take buf there too, costing the
	// fast path an allocation.
	s := scanner{text: text, inferYear: inferYear, toks: slices.Clone(toks)}
	if !ref.IsZero() {
		y, m, d := ref.Date()
		s.ref = date(y, m, d)
	}
	if !prior.IsZero() {
		y, m, d := prior.Date()
		s.prior = date(y, m, d)
	}
	s.scan()
	return s.out
}

// scanner holds the state of one [ExtractDates] call.
type scanner struct {
	text      string
	ref       time.Time // midnight UTC of the reference day; zero when unknown
	prior     time.Time // midnight UTC of the day the text before last named; zero when none
	inferYear bool
	toks      []token
	out       []EventDate
}

// tokKind is the kind of a [token].
type tokKind uint8

const (
	tWord  tokKind = iota + 1 // a run of letters
	tNum                      // a run of digits, perhaps with thousands separators and a letter suffix
	tPunct                    // any other single rune
)

// tokFlag holds facts about a token's spelling.
type tokFlag uint8

const (
	fCap     tokFlag = 1 << iota // starts with an upper-case ASCII letter
	fUpper                       // two or more letters, all upper-case ASCII
	fSpace                       // white space (or the start of text) comes before it
	fPoss                        // a possessive 's follows, which is not a token
	fGrouped                     // a number written with thousands separators: "1,000"
	fEd                          // a word ending in "ed", most often a verb in the past
	fSuffix                      // a number with letters stuck to it: "7th", "5pm"; w says which
)

// token is one word, number or punctuation mark of the text.
type token struct {
	start, end int // byte offsets in the text; for a word, without any 's
	val        int // a month (1–12), a weekday, a number's value, a punctuation rune, a word's detail
	kind       tokKind
	w          word // a word's class; for a number, its suffix's class
	ndig       uint8
	flags      tokFlag
}

// word is the class of a word the grammar knows; wNone for the rest.
type word uint8

const (
	wNone word = iota
	wMonth
	wMonthAbbr
	wWeekday
	wToday
	wTonight
	wYesterday
	wTomorrow
	wOvernight
	wMidnight
	wNoon
	wMorning
	wAfternoon
	wEvening
	wNight
	wDay
	wWeek
	wWeekend
	wFortnight
	wMonthUnit
	wYear
	wHour
	wAgo
	wEarlier
	wLater
	wBefore
	wAfter
	wPrevious
	wFollowing
	wNext
	wLast
	wThis
	wThat
	wPast
	wComing
	wSame
	wEarly
	wMid
	wMiddle
	wLate
	wEnd
	wBeginning
	wThe
	wOf
	wOn
	wIn
	wAt
	wBetween
	wAnd
	wOr
	wTo
	wFrom
	wThrough
	wUntil
	wInto
	wSince
	wDuring
	wAm
	wPm
	wA // "a" and "an" (val 1), and the "a" of "a.m."
	wP
	wM
	wTime
	wLocal
	wZone
	wNum     // a number word, val its value
	wOrdinal // "th", "st", "nd", "rd" after a number
	wS       // "s" after a number: "1990s"
	wFuture  // a word that puts its clause in the future; val says what it needs
	wBe
	wPastAux
	wBoundary
	wApprox
	wNear      // "shortly", "just", "soon": words between a time and its day
	wBy        // "by", which sets a deadline
	wDirective // "asked", "agreed": with "to" and a verb, they look ahead
	wOrdWord   // "first", "second"...: val its value
	wDet       // a determiner or pronoun: "his", "them", "all"
	wEvery     // "every", "each": "every Tuesday" is no one day
	wPastVerb  // an irregular verb in the past: "began", "struck"
	wIntervening
)

// Details of a wFuture word.
const (
	futureAlone  = iota // "will", "expected": enough by itself
	futureNeedBe        // "due": only after "is", "was"... ("due to rain" is a cause)
	futureNeedTo        // "set", "going": only before "to"
	futureNeedOf        // "ahead": only before "of" ("went ahead" is past)
)

// Details of a wBe word.
const (
	bePresent = iota
	bePast
)

// lookup returns the class of the lower-case ASCII word b and its detail
// value. It takes bytes so that the switch compares them without making a
// string.
func lookup(b []byte) (word, int) {
	switch string(b) {
	case "january":
		return wMonth, 1
	case "february":
		return wMonth, 2
	case "march":
		return wMonth, 3
	case "april":
		return wMonth, 4
	case "may":
		return wMonth, 5
	case "june":
		return wMonth, 6
	case "july":
		return wMonth, 7
	case "august":
		return wMonth, 8
	case "september":
		return wMonth, 9
	case "october":
		return wMonth, 10
	case "november":
		return wMonth, 11
	case "december":
		return wMonth, 12
	case "jan":
		return wMonthAbbr, 1
	case "feb":
		return wMonthAbbr, 2
	case "mar":
		return wMonthAbbr, 3
	case "apr":
		return wMonthAbbr, 4
	case "jun":
		return wMonthAbbr, 6
	case "jul":
		return wMonthAbbr, 7
	case "aug":
		return wMonthAbbr, 8
	case "sep", "sept":
		return wMonthAbbr, 9
	case "oct":
		return wMonthAbbr, 10
	case "nov":
		return wMonthAbbr, 11
	case "dec":
		return wMonthAbbr, 12
	case "sunday":
		return wWeekday, int(time.Sunday)
	case "monday":
		return wWeekday, int(time.Monday)
	case "tuesday":
		return wWeekday, int(time.Tuesday)
	case "wednesday":
		return wWeekday, int(time.Wednesday)
	case "thursday":
		return wWeekday, int(time.Thursday)
	case "friday":
		return wWeekday, int(time.Friday)
	case "saturday":
		return wWeekday, int(time.Saturday)
	case "today":
		return wToday, 0
	case "tonight":
		return wTonight, 0
	case "yesterday":
		return wYesterday, 0
	case "tomorrow":
		return wTomorrow, 0
	case "overnight":
		return wOvernight, 0
	case "midnight":
		return wMidnight, 0
	case "noon", "midday":
		return wNoon, 0
	case "morning":
		return wMorning, 0
	case "afternoon":
		return wAfternoon, 0
	case "evening":
		return wEvening, 0
	case "night", "nights":
		return wNight, 0
	case "day", "days":
		return wDay, 0
	case "week", "weeks":
		return wWeek, 0
	case "weekend":
		return wWeekend, 0
	case "fortnight":
		return wFortnight, 0
	case "month", "months":
		return wMonthUnit, 0
	case "year", "years":
		return wYear, 0
	case "hour", "hours", "hr", "hrs", "h":
		return wHour, 0
	case "ago":
		return wAgo, 0
	case "earlier":
		return wEarlier, 0
	case "later":
		return wLater, 0
	case "before":
		return wBefore, 0
	case "after":
		return wAfter, 0
	case "previous", "preceding":
		return wPrevious, 0
	case "following":
		return wFollowing, 0
	case "next":
		return wNext, 0
	case "last":
		return wLast, 0
	case "this":
		return wThis, 0
	case "that":
		return wThat, 0
	case "past":
		return wPast, 0
	case "coming":
		return wComing, 0
	case "same":
		return wSame, 0
	case "early":
		return wEarly, 0
	case "mid":
		return wMid, 0
	case "middle":
		return wMiddle, 0
	case "late":
		return wLate, 0
	case "end":
		return wEnd, 0
	case "beginning", "start":
		return wBeginning, 0
	case "the":
		return wThe, 0
	case "of":
		return wOf, 0
	case "on":
		return wOn, 0
	case "in":
		return wIn, 0
	case "at":
		return wAt, 0
	case "between":
		return wBetween, 0
	case "and":
		return wAnd, 0
	case "or":
		return wOr, 0
	case "to":
		return wTo, 0
	case "from":
		return wFrom, 0
	case "through", "thru":
		return wThrough, 0
	case "until", "till":
		return wUntil, 0
	case "into":
		return wInto, 0
	case "since":
		return wSince, 0
	case "during", "throughout", "for":
		return wDuring, 0
	case "am":
		return wAm, 0
	case "pm":
		return wPm, 0
	case "a", "an":
		return wA, 1
	case "p":
		return wP, 0
	case "m":
		return wM, 0
	case "time":
		return wTime, 0
	case "local":
		return wLocal, 0
	case "ist", "pkt", "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "et", "est", "edt",
		"ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "jst", "sgt", "hkt", "npt",
		"aest", "aedt", "msk", "gst", "wib", "ict", "kst", "sast", "wat", "eat", "aft", "irst", "bdt":
		return wZone, 0
	case "one":
		return wNum, 1
	case "two":
		return wNum, 2
	case "three":
		return wNum, 3
	case "four":
		return wNum, 4
	case "five":
		return wNum, 5
	case "six":
		return wNum, 6
	case "seven":
		return wNum, 7
	case "eight":
		return wNum, 8
	case "nine":
		return wNum, 9
	case "ten":
		return wNum, 10
	case "eleven":
		return wNum, 11
	case "twelve":
		return wNum, 12
	case "th", "st", "nd", "rd":
		return wOrdinal, 0
	case "s":
		return wS, 0
	case "will", "would", "shall", "ll", "might", "should", "must", "expected", "expects", "expect",
		"scheduled", "schedule", "plans", "plan", "planned", "planning", "upcoming",
		"intends", "intend", "aims", "hopes", "promised", "vowed", "threatened":
		return wFuture, futureAlone
	case "due":
		return wFuture, futureNeedBe
	case "set", "going", "likely", "poised":
		return wFuture, futureNeedTo
	case "ahead":
		return wFuture, futureNeedOf
	case "is", "are", "be", "been", "being":
		return wBe, bePresent
	case "was", "were":
		return wBe, bePast
	case "had", "did", "has", "have":
		return wPastAux, 0
	case "which", "who", "whom", "whose", "when", "where", "while", "whilst", "because",
		"although", "though", "but", "if", "unless", "said", "says", "say", "told", "tells",
		"added", "adding", "according", "whereas":
		return wBoundary, 0
	case "about", "around", "nearly", "almost", "over", "than", "some", "roughly",
		"approximately", "least", "up", "under", "only":
		return wApprox, 0
	case "shortly", "just", "soon", "sometime":
		return wNear, 0
	case "by":
		return wBy, 0
	case "asked", "asks", "urged", "urges", "ordered", "orders", "instructed", "directed", "requested",
		"invited", "agreed", "agree", "decided", "allowed", "permitted", "authorised", "authorized",
		"called", "wants", "wanted", "want", "refused", "offered", "proposed", "hoped":
		return wDirective, 0
	case "his", "her", "its", "their", "our", "my", "your", "him", "them", "us", "me", "it",
		"he", "she", "they", "we", "i", "you",
		"these", "those", "all", "both", "any", "no", "other", "another", "such", "what":
		return wDet, 0
	case "every", "each":
		return wEvery, 0
	case "intervening":
		return wIntervening, 0
	case "began", "came", "went", "took", "gave", "made", "met", "left", "held", "fell", "rose", "flew",
		"spoke", "saw", "struck", "shot", "fought", "won", "lost", "sent", "brought", "kept", "broke",
		"ran", "led", "found", "knew", "thought", "became", "got", "wrote", "stood", "drove", "threw",
		"drew", "grew", "sold", "bought", "paid", "heard", "felt", "sought", "caught", "fled", "built",
		"withdrew", "overran", "undertook", "froze", "hid", "shook", "sank", "spent", "stole", "arose",
		"woke", "swore", "tore", "forgot", "forgave", "flung", "laid", "lay", "meant", "slept":
		return wPastVerb, 0
	case "first":
		return wOrdWord, 1
	case "second":
		return wOrdWord, 2
	case "third":
		return wOrdWord, 3
	case "fourth":
		return wOrdWord, 4
	}
	return wNone, 0
}

// triggers reports whether a word of class w can start or anchor a mention;
// a text with no such word and no digit is not scanned further.
func triggers(w word) bool {
	switch w {
	case wMonth, wMonthAbbr, wWeekday, wToday, wTonight, wYesterday, wTomorrow, wOvernight,
		wMidnight, wNoon, wMorning, wAfternoon, wEvening, wNight, wDay, wWeek, wWeekend,
		wFortnight, wMonthUnit, wYear, wAgo:
		return true
	}
	return false
}

// tokenize appends the tokens of text to toks and reports whether any could
// start a mention.
func tokenize(text string, toks []token) ([]token, bool) {
	trigger := false
	space := true
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
				space = true
				i++
			case '0' <= c && c <= '9':
				var t token
				t, i = readNumber(text, i, space)
				toks = append(toks, t)
				trigger = true
				space = false
			case isLetter(c):
				var t token
				t, i = readWord(text, i, space)
				toks = append(toks, t)
				trigger = trigger || triggers(t.w)
				space = false
			default:
				toks = append(toks, token{start: i, end: i + 1, kind: tPunct, val: int(c), flags: spaceFlag(space)})
				i++
				space = false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
			i += n
		case unicode.IsLetter(r):
			var t token
			t, i = readWord(text, i, space)
			toks = append(toks, t)
			space = false
		default:
			toks = append(toks, token{start: i, end: i + n, kind: tPunct, val: int(r), flags: spaceFlag(space)})
			i += n
			space = false
		}
	}
	return toks, trigger
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

func spaceFlag(space bool) tokFlag {
	if space {
		return fSpace
	}
	return 0
}

// readNumber reads the number at text[i:] — digits, thousands groups
// ("1,000", marked fGrouped) and letters stuck to it ("7th", "5pm",
// "1990s") — and returns it and the offset after it.
func readNumber(text string, i int, space bool) (token, int) {
	t := token{start: i, kind: tNum, flags: spaceFlag(space)}
	nd := 0
	for ; i < len(text) && isDigit(text[i]); i++ {
		if nd < 9 {
			t.val = t.val*10 + int(text[i]-'0')
		}
		nd++
	}
	for i+3 < len(text) && text[i] == ',' && isDigit(text[i+1]) && isDigit(text[i+2]) && isDigit(text[i+3]) &&
		(i+4 == len(text) || !isDigit(text[i+4])) {
		t.flags |= fGrouped
		i += 4
	}
	t.ndig = uint8(min(nd, 255))
	if j := i; j < len(text) && isLetter(text[j]) {
		var low [8]byte
		n := 0
		for ; j < len(text) && isLetter(text[j]); j++ {
			if n < len(low) {
				low[n] = text[j] | 0x20
			}
			n++
		}
		t.flags |= fSuffix
		if n <= len(low) {
			switch w, _ := lookup(low[:n]); w {
			case wOrdinal, wS, wAm, wPm, wA, wP, wHour:
				t.w = w
			}
		}
		i = j
	}
	t.end = i
	return t, i
}

// readWord reads and classifies the word at text[i:], and returns it and
// the offset after it and after any possessive 's.
func readWord(text string, i int, space bool) (token, int) {
	t := token{start: i, kind: tWord, flags: spaceFlag(space)}
	var low [16]byte
	n, ascii, upper := 0, true, true
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			if !isLetter(c) {
				break
			}
			if n < len(low) {
				low[n] = c | 0x20
			}
			if c >= 'a' {
				upper = false
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			break
		}
		ascii = false
		n++
		i += size
	}
	t.end = i
	if first := text[t.start]; 'A' <= first && first <= 'Z' {
		t.flags |= fCap
	}
	if ascii && upper && n >= 2 {
		t.flags |= fUpper
	}
	if ascii && n <= len(low) {
		t.w, t.val = lookup(low[:n])
		if n > 3 && low[n-2] == 'e' && low[n-1] == 'd' {
			t.flags |= fEd
		}
	} else if ascii && strings.HasSuffix(text[t.start:t.end], "ed") {
		t.flags |= fEd
	}
	// A possessive: "Wednesday's", "Wednesday’s".
	if i < len(text) && (text[i] == '\'' || text[i] == 0xe2) {
		j := i + 1
		if text[i] == 0xe2 {
			if !strings.HasPrefix(text[i:], "’") {
				return t, i
			}
			j = i + len("’")
		}
		if j < len(text) && text[j]|0x20 == 's' && (j+1 == len(text) || !isLetter(text[j+1])) {
			t.flags |= fPoss
			i = j + 1
		}
	}
	return t, i
}

// Token tests; all are false out of range.

// w returns the class of token i when it is a word.
func (s *scanner) w(i int) word {
	if i < 0 || i >= len(s.toks) || s.toks[i].kind != tWord {
		return wNone
	}
	return s.toks[i].w
}

// punct reports whether token i is the punctuation rune r.
func (s *scanner) punct(i int, r rune) bool {
	return i >= 0 && i < len(s.toks) && s.toks[i].kind == tPunct && s.toks[i].val == int(r)
}

// dash reports whether token i is a hyphen or a dash, as between the days
// of a range.
func (s *scanner) dash(i int) bool {
	return s.punct(i, '-') || s.punct(i, '–') || s.punct(i, '—') || s.punct(i, '−')
}

// glued reports whether token i follows the one before it with no space.
func (s *scanner) glued(i int) bool {
	return i > 0 && i < len(s.toks) && s.toks[i].flags&fSpace == 0
}

// plainNum returns the value of token i when it is a number of at most
// maxDigits digits, without separators or suffix.
func (s *scanner) plainNum(i, maxDigits int) (int, bool) {
	if i < 0 || i >= len(s.toks) {
		return 0, false
	}
	t := &s.toks[i]
	if t.kind != tNum || t.flags&(fGrouped|fSuffix) != 0 || int(t.ndig) > maxDigits {
		return 0, false
	}
	return t.val, true
}

// standalone reports whether the number at token i starts a number of its
// own rather than continuing a code or a model ("F-16", "PL15", "3.5").
func (s *scanner) standalone(i int) bool {
	if !s.glued(i) {
		return true
	}
	p := &s.toks[i-1]
	switch p.kind {
	case tWord, tNum:
		return false
	}
	if s.dash(i-1) && s.w(i-2) == wMid {
		return true // "mid-2025"
	}
	switch p.val {
	case '-', '–', '/', '.', ':', ',', '+', '$', '£', '€', '₹', '#':
		return false
	}
	return true
}

// dayNum returns the day of the month at token i: 1–31, one or two digits,
// with at most an ordinal suffix ("7th").
func (s *scanner) dayNum(i int) (int, bool) {
	if i < 0 || i >= len(s.toks) {
		return 0, false
	}
	t := &s.toks[i]
	if t.kind != tNum || t.flags&fGrouped != 0 || t.ndig > 2 || t.val < 1 || t.val > 31 {
		return 0, false
	}
	if t.flags&fSuffix != 0 && t.w != wOrdinal {
		return 0, false
	}
	// Not the hour of a clock ("7:30", "7.30 pm").
	if (s.punct(i+1, ':') || s.punct(i+1, '.')) && s.glued(i+1) {
		if _, ok := s.plainNum(i+2, 2); ok && s.glued(i+2) {
			return 0, false
		}
	}
	return t.val, true
}

// yearNum returns the year at token i: four digits, 1900–2099.
func (s *scanner) yearNum(i int) (int, bool) {
	y, ok := s.plainNum(i, 4)
	if !ok || s.toks[i].ndig != 4 || y < 1900 || y > 2099 {
		return 0, false
	}
	if s.w(i+1) == wHour || s.punct(i+1, ':') && s.glued(i+1) {
		return 0, false // a clock: "1700 hours"
	}
	return y, true
}

// lowerMonth reports whether a month's name written in lower case at
// token i is the month all the same, as chat writes it: after a day's
// number ("on 7 may") or before a year ("may 2025"), where the verb "may"
// or "march" does not stand.
func (s *scanner) lowerMonth(i int) bool {
	if d, ok := s.plainNum(i-1, 2); ok && d >= 1 && d <= 31 && !s.glued(i) && s.standalone(i-1) {
		return true
	}
	_, ok := s.yearNum(i + 1)
	return ok && !s.glued(i+1)
}

// monthName returns the month named at token i, capitalised as a month is
// or in lower case where [scanner.lowerMonth] allows, and the token after
// it (and after an abbreviation's full stop).
func (s *scanner) monthName(i int) (time.Month, int, bool) {
	switch s.w(i) {
	case wMonth:
		if s.toks[i].flags&fCap == 0 && !s.lowerMonth(i) {
			return 0, i, false // "may", "march": the verbs
		}
		return time.Month(s.toks[i].val), i + 1, true
	case wMonthAbbr:
		if s.toks[i].flags&fCap == 0 {
			return 0, i, false
		}
		j := i + 1
		if s.punct(j, '.') && s.glued(j) {
			j++
		}
		return time.Month(s.toks[i].val), j, true
	}
	return 0, i, false
}

// scan finds every mention, left to right, then gives each time of day its
// day.
func (s *scanner) scan() {
	for i := 0; i < len(s.toks); {
		if j := s.mention(i); j > i {
			i = j
		} else {
			i++
		}
	}
	s.attachClocks()
}

// itemKind is the kind of an [item].
type itemKind uint8

const (
	iDate    itemKind = iota + 1 // a day of a month, perhaps without a year
	iMonth                       // a month, perhaps without a year
	iYear                        // a year, or years y..y2
	iWeekday                     // a weekday, resolved by tense or by mod
	iFixed                       // already resolved: relative expressions
)

// item is one date expression before it is resolved.
type item struct {
	kind      itemKind
	y, m, d   int // y 0: no year given
	y2        int // iYear: the last year
	wd        time.Weekday
	mod       word // iWeekday, iMonth: wLast, wNext, wThis, wPast, wComing or wNone
	weekOf    int  // iMonth: the week of it named, 1–4, or -1 for the last ("the first week of June")
	from, to  time.Time
	prec      DatePrecision
	yearKnown bool
}

// draft is a mention being parsed: one item or a range of two, with the
// parts of the day and the zone around them.
type draft struct {
	start, end int // tokens
	a, b       item
	rng        bool
	pre        string // "early", "late", "mid", "early hours"
	post       string // "morning", "afternoon", "evening", "night"
	night      bool   // the mention is a night, which runs into the next day
	into       bool   // "overnight into Wednesday": the night ends on the day named
	zone       string
	relative   bool
	between    bool // "between" came before: "and" joins a range
	fromWord   bool // "from" came before: "until", "through", "into" join a range
	periodOf   bool // "the end of", "the beginning of": "the month" after them is the current one
	nights     bool // "the nights of": a list of days is so many nights, not one
}

// dayLevel reports whether the draft names days, which a part of the day
// or a night can qualify.
func (m *draft) dayLevel() bool {
	switch m.a.kind {
	case iDate, iWeekday:
		return true
	case iFixed:
		return m.a.prec == DayPrecision
	}
	return false
}

// mention parses the mention that starts at token i, if any, records it,
// and returns the token after it; it returns i when none starts there.
func (s *scanner) mention(i int) int {
	if j, ok := s.clockMention(i); ok {
		return j
	}
	m := s.newDraft(i)
	j := s.prefix(i, &m)
	k, ok := s.core(j, &m, j > i, false)
	ok = ok && m.compatiblePrefix()
	if !ok && j > i { // "overnight from Pakistan": no date after the prefix, but perhaps one at it
		m = s.newDraft(i)
		k, ok = s.core(i, &m, false, false)
	}
	if !ok {
		return i
	}
	if k2, ok := s.rangeTail(k, &m); ok {
		k = k2
	}
	k = s.suffix(k, &m)
	m.end = k
	if m.a.kind == iFixed && s.appositive(k) {
		return k // "A week earlier, on 30 April, ...": the date says which day
	}
	s.emit(&m)
	return k
}

// appositive reports whether a date follows token k after a comma or a
// bracket ("a week earlier, on 30 April"), naming the time a relative
// mention before it counts to.
func (s *scanner) appositive(k int) bool {
	if !s.punct(k, ',') && !s.punct(k, '(') {
		return false
	}
	j := k + 1
	if s.w(j) == wOn {
		j++
	}
	probe := s.newDraft(j)
	_, ok := s.core(j, &probe, false, true)
	return ok && probe.a.kind == iDate
}

// newDraft starts a draft at token i, noting the "between" or "from" before
// it that lets "and" or "until" join a range.
func (s *scanner) newDraft(i int) draft {
	return draft{start: i, between: s.w(i-1) == wBetween, fromWord: s.w(i-1) == wFrom}
}

// compatiblePrefix reports whether the prefix fits what follows: a part of
// the day needs a day ("the night of April" is not a night), "mid" and "the
// end of" need a week, month or year.
func (m *draft) compatiblePrefix() bool {
	if m.night || m.post != "" || m.pre == "early hours" {
		return m.dayLevel()
	}
	if m.pre == "mid" {
		return m.a.kind == iMonth || m.a.kind == iYear
	}
	return true
}

// prefix reads what may come before a date and qualify it — "early on",
// "late", "mid-", "the early hours of", "the night of", "the end of",
// "overnight from" — into m, and returns the token after it.
func (s *scanner) prefix(i int, m *draft) int {
	switch s.w(i) {
	case wEarly, wLate:
		pre := "early"
		if s.w(i) == wLate {
			pre = "late"
		}
		j := i + 1
		if pre == "early" && s.w(j) == wHour && s.w(j+1) == wOf { // "early hours of"
			m.pre = "early hours"
			return j + 2
		}
		if s.w(j) == wOn || s.w(j) == wIn && (s.w(j+1) == wMonth || s.w(j+1) == wMonthAbbr) {
			j++ // "early on Wednesday", "early in April"
		}
		m.pre = pre
		return j
	case wMid:
		m.pre = "mid"
		if s.dash(i+1) && s.glued(i+1) {
			return i + 2
		}
		return i + 1
	case wThe:
		j := i
		switch s.w(j + 1) {
		case wEarly:
			if s.w(j+2) == wHour && s.w(j+3) == wOf {
				m.pre = "early hours"
				return j + 4
			}
		case wIntervening: // "the intervening night of 6 and 7 May", Indian usage
			if s.w(j+2) == wNight && (s.w(j+3) == wOf || s.w(j+3) == wBetween) {
				m.post, m.night = "night", true
				m.between = s.w(j+3) == wBetween
				return j + 4
			}
		case wMorning, wAfternoon, wEvening, wNight:
			if s.w(j+2) == wOf || s.w(j+1) == wNight && s.w(j+2) == wBetween {
				m.post = partName(s.w(j + 1))
				m.night = s.w(j+1) == wNight
				m.between = s.w(j+2) == wBetween // "the night between 7 and 8 May"
				m.nights = plural(s, j+1)        // "the nights of 8 and 9 May" are two
				return j + 3
			}
		case wEnd, wBeginning, wMiddle:
			if s.w(j+2) == wOf {
				m.periodOf = true
				switch s.w(j + 1) {
				case wEnd:
					m.pre = "late"
				case wBeginning:
					m.pre = "early"
				default:
					m.pre = "mid"
				}
				return j + 3
			}
		}
	case wOvernight:
		switch s.w(i + 1) {
		case wFrom, wOn, wInto:
			m.night, m.post = true, "night"
			m.into = s.w(i+1) == wInto
			m.fromWord = s.w(i+1) == wFrom
			return i + 2
		case wWeekday:
			m.night, m.post = true, "night"
			return i + 1
		}
	}
	return i
}

// partName returns the Part a word of the day names.
func partName(w word) string {
	switch w {
	case wMorning:
		return "morning"
	case wAfternoon:
		return "afternoon"
	case wEvening:
		return "evening"
	case wNight:
		return "night"
	}
	return ""
}

// core parses a date at token j into m.a and returns the token after it.
// ctx says whether the words before put a bare month name in a date context
// ("early May", "from April to May"); nested says the date ends a range, so
// it cannot be a list.
func (s *scanner) core(j int, m *draft, ctx, nested bool) (int, bool) {
	if j >= len(s.toks) {
		return j, false
	}
	t := &s.toks[j]
	switch t.kind {
	case tNum:
		if !s.standalone(j) && !(nested && s.dash(j-1)) { // "1999-2000" ends a range
			return j, false
		}
		if k, ok := s.numericDate(j, m); ok {
			return k, true
		}
		if k, ok := s.dayFirst(j, m, !nested); ok {
			return k, true
		}
		if k, ok := s.year(j, m); ok {
			return k, true
		}
		return s.relative(j, m)
	case tWord:
		switch t.w {
		case wMonth, wMonthAbbr:
			return s.monthFirst(j, m, ctx || s.monthContext(j), wNone, !nested)
		case wWeekday:
			return s.weekday(j, m, wNone)
		case wLast, wNext, wThis, wPast, wComing:
			mod, k := t.w, j+1
			if t.w == wThis && s.w(k) == wComing { // "this coming Monday"
				mod, k = wComing, k+1
			}
			switch s.w(k) {
			case wWeekday:
				e, ok := s.weekday(k, m, mod)
				return e, ok
			case wMonth:
				if mod != wComing {
					return s.monthFirst(k, m, true, mod, false)
				}
			}
		}
		return s.relative(j, m)
	}
	return j, false
}

// monthContext reports whether the words around the month name at token j
// show it is a month and not "May" the verb or "August" the adjective.
// Months whose names are no other word need no context.
func (s *scanner) monthContext(j int) bool {
	if s.toks[j].flags&fPoss != 0 {
		// "April's attack", but not "Theresa May's government"
		return !(j > 0 && s.toks[j-1].kind == tWord && s.toks[j-1].flags&fCap != 0 && s.toks[j-1].w == wNone)
	}
	switch s.w(j - 1) {
	case wIn, wDuring, wSince, wUntil, wFrom, wTo, wThrough, wOf, wBetween, wBefore, wAfter, wBy:
		return true
	case wAnd, wOr: // "in May and June"
		if _, _, ok := s.monthName(j - 2); ok {
			return true
		}
	case wThe: // "the May fighting", "the April attack"
		if j+1 < len(s.toks) && s.toks[j+1].kind == tWord && s.toks[j+1].flags&fCap == 0 && !s.verbCue(j+1) {
			return true
		}
	}
	if s.toks[j].w != wMonth {
		return false
	}
	switch time.Month(s.toks[j].val) {
	case time.March, time.April, time.May, time.June, time.August:
		return false // also a verb, a name or an adjective
	}
	return true
}

// numericDate parses an all-digit date at token j: ISO "2025-05-07" and
// "2025/05/07", or day, month and four-digit year with "/", "." or "-".
// Which of the first two numbers is the day is taken from their sizes
// ("25/04/2025"), or when both could be, from which reading lies near the
// reference date; otherwise the date is left out.
func (s *scanner) numericDate(j int, m *draft) (int, bool) {
	sep := func(i int) rune {
		if i < len(s.toks) && s.toks[i].kind == tPunct && s.glued(i) && s.glued(i+1) {
			switch r := rune(s.toks[i].val); r {
			case '-', '/', '.':
				return r
			}
		}
		return 0
	}
	r := sep(j + 1)
	if r == 0 || sep(j+3) != r {
		return j, false
	}
	a, ok1 := s.plainNum(j, 4)
	b, ok2 := s.plainNum(j+2, 2)
	c, ok3 := s.plainNum(j+4, 4)
	if !ok1 || !ok2 || !ok3 {
		return j, false
	}
	end := j + 5
	if (s.punct(end, '-') || s.punct(end, '/') || s.punct(end, '.')) && s.glued(end) {
		if _, ok := s.plainNum(end+1, 4); ok && s.glued(end+1) {
			return j, false // more numbers: a code or a version, not a date
		}
	}
	var y, mo, d int
	switch {
	case s.toks[j].ndig == 4 && s.toks[j+4].ndig <= 2 && r != '.':
		y, mo, d = a, b, c
	case s.toks[j].ndig <= 2 && s.toks[j+4].ndig == 4:
		y = c
		switch {
		case a > 12 && b <= 12:
			d, mo = a, b
		case b > 12 && a <= 12:
			mo, d = a, b
		case a == b:
			d, mo = a, b
		default:
			d, mo, ok1 = s.nearerReading(y, a, b)
			if !ok1 {
				return j, false
			}
		}
	default:
		return j, false
	}
	if y < 1900 || y > 2099 || !validDay(y, mo, d) {
		return j, false
	}
	m.a = item{kind: iDate, y: y, m: mo, d: d}
	return end, true
}

// nearerReading chooses between day a of month b and day b of month a, in
// year y, the one within two months of the reference date when the other
// is not.
func (s *scanner) nearerReading(y, a, b int) (d, mo int, ok bool) {
	if s.ref.IsZero() || !s.inferYear {
		return 0, 0, false
	}
	near := func(mo, d int) bool {
		if !validDay(y, mo, d) {
			return false
		}
		diff := date(y, time.Month(mo), d).Sub(s.ref).Hours() / 24
		return diff > -61 && diff < 61
	}
	dm, md := near(b, a), near(a, b)
	switch {
	case dm && !md:
		return a, b, true
	case md && !dm:
		return b, a, true
	}
	return 0, 0, false
}

// maxListDays bounds the days of a list such as "7, 8 and 9 May".
const maxListDays = 8

// dayFirst parses a date that starts with the day: "7 May", "7th of May
// 2025", "7-8 May", "between 7 and 10 May", "7, 8 and 9 May". When list is
// true each day of a list but the last is recorded as a mention of its own
// and m holds the last.
func (s *scanner) dayFirst(j int, m *draft, list bool) (int, bool) {
	days, toks, n, end, k, ok := s.dayRun(j, m, list)
	if !ok {
		return j, false
	}
	if s.w(k) == wOf && s.toks[k-1].w == wOrdinal {
		k++ // "7th of May"
	}
	mon, k, ok := s.monthName(k)
	if !ok {
		return j, false
	}
	y, k := s.yearAfter(k)
	return s.finishDays(m, days, toks, n, end, int(mon), y, k)
}

// dayRun reads the day numbers from token j: one day, a range "7-8",
// "7 to 8", "between 7 and 8", or a list "7, 8 and 9". It returns the days
// and their tokens, the last day of a range (0 when none) and the token
// after.
func (s *scanner) dayRun(j int, m *draft, list bool) (days, toks [maxListDays]int, n, end, k int, ok bool) {
	d, ok := s.dayNum(j)
	if !ok {
		return days, toks, 0, 0, j, false
	}
	days[0], toks[0], n, k = d, j, 1, j+1
	connector := func(i int) bool {
		switch {
		case s.dash(i):
			return true
		case s.w(i) == wTo:
			return true
		case s.w(i) == wAnd:
			if m.night && !m.nights { // "the night of 6 and 7 May" is one night
				e, ok := s.dayNum(i + 1)
				return ok && e == d+1
			}
			return m.between
		case s.w(i) == wUntil || s.w(i) == wThrough:
			return m.fromWord
		}
		return false
	}
	if connector(k) {
		if e, ok := s.dayNum(k + 1); ok && e > d {
			return days, toks, n, e, k + 2, true
		}
	}
	if !list {
		return days, toks, n, 0, k, true
	}
	for n < maxListDays {
		if s.punct(k, ',') {
			if e, ok := s.dayNum(k + 1); ok {
				days[n], toks[n] = e, k+1
				n, k = n+1, k+2
				continue
			}
		}
		if s.w(k) == wAnd || s.w(k) == wOr || s.punct(k, '&') {
			if e, ok := s.dayNum(k + 1); ok {
				days[n], toks[n] = e, k+1
				n, k = n+1, k+2
			}
		}
		break
	}
	return days, toks, n, 0, k, true
}

// finishDays records the days of a list but the last as mentions of their
// own, and puts the last (or the range) in m.
func (s *scanner) finishDays(m *draft, days, toks [maxListDays]int, n, end, mon, y, k int) (int, bool) {
	for i := range n {
		if !validDay(yearOrLeap(y), mon, days[i]) {
			return toks[0], false
		}
	}
	if end != 0 && !validDay(yearOrLeap(y), mon, end) {
		return toks[0], false
	}
	for i := 0; i < n-1; i++ {
		one := draft{start: toks[i], end: toks[i] + 1, a: item{kind: iDate, y: y, m: mon, d: days[i]},
			pre: m.pre, post: m.post, night: m.night} // "the nights of 8 and 9 May"
		if i == 0 {
			one.start = m.start
		}
		s.emit(&one)
	}
	if n > 1 {
		m.start = toks[n-1]
	}
	m.a = item{kind: iDate, y: y, m: mon, d: days[n-1]}
	if end != 0 {
		m.b, m.rng = item{kind: iDate, y: y, m: mon, d: end}, true
	}
	return k, true
}

// yearOrLeap returns y, or a leap year when y is unknown, so that 29
// February stays valid until a year is chosen.
func yearOrLeap(y int) int {
	if y == 0 {
		return 2000
	}
	return y
}

// yearAfter reads the year that may follow a day and month: "7 May 2025",
// "May 7, 2025", and with a reference date "7 May last year", "October
// next year".
func (s *scanner) yearAfter(k int) (int, int) {
	i := k
	if s.punct(i, ',') {
		i++
	}
	if y, ok := s.yearNum(i); ok {
		return y, i + 1
	}
	if !s.ref.IsZero() && s.w(k+1) == wYear && !plural(s, k+1) {
		switch s.w(k) {
		case wLast:
			return s.ref.Year() - 1, k + 2
		case wThis:
			return s.ref.Year(), k + 2
		case wNext:
			return s.ref.Year() + 1, k + 2
		}
	}
	return 0, k
}

// monthFirst parses a date that starts with the month at token j: "May 7",
// "May 7, 2025", "May 7-8", "May 2025", or the bare month when ctx says
// the words around it make it one. mod is a "last", "next" or "this"
// before it; list says whether a list of days may follow ("May 7 and 8").
func (s *scanner) monthFirst(j int, m *draft, ctx bool, mod word, list bool) (int, bool) {
	mon, k, ok := s.monthName(j)
	if !ok {
		return j, false
	}
	if mod == wNone && s.toks[j].flags&fPoss == 0 && s.standalone(k) {
		if _, ok := s.dayNum(k); ok {
			days, toks, n, end, k2, _ := s.dayRun(k, m, list)
			y, k3 := s.yearAfter(k2)
			return s.finishDays(m, days, toks, n, end, int(mon), y, k3)
		}
		if y, e := s.yearAfter(k); y != 0 && (e == k+1 || !s.punct(k, ',')) {
			m.a = item{kind: iMonth, y: y, m: int(mon)} // "May 2025", "October next year"
			m.relative = e != k+1
			return e, true
		}
	}
	if !ctx || s.toks[j].w == wMonthAbbr {
		return j, false
	}
	m.a = item{kind: iMonth, m: int(mon), mod: mod}
	m.relative = mod != wNone
	return k, true
}

// weekday parses the weekday at token j, with the date that may follow it
// ("Tuesday, 29 April", which the date decides) or the "last", "next" or
// "this" that came before (mod).
func (s *scanner) weekday(j int, m *draft, mod word) (int, bool) {
	if s.w(j-1) == wEvery {
		return j, false // "every Tuesday" recurs
	}
	k := j + 1
	if mod == wNone && s.toks[j].flags&fPoss == 0 {
		k2 := k
		bracket := s.punct(k2, '(') // "Wednesday (May 7)"
		if s.punct(k2, ',') || bracket {
			k2++
		}
		close := func(e int) (int, bool) {
			if !bracket {
				return e, true
			}
			return e + 1, s.punct(e, ')')
		}
		var d draft
		if e, ok := s.dayFirst(k2, &d, false); ok && !d.rng {
			if e, ok := close(e); ok {
				m.a = d.a
				return e, true
			}
		}
		if mon, k3, ok := s.monthName(k2); ok {
			if day, ok := s.dayNum(k3); ok {
				y, e := s.yearAfter(k3 + 1)
				if e, ok := close(e); ok && validDay(yearOrLeap(y), int(mon), day) {
					m.a = item{kind: iDate, y: y, m: int(mon), d: day}
					return e, true
				}
			}
		}
	}
	m.a = item{kind: iWeekday, wd: time.Weekday(s.toks[j].val), mod: mod}
	m.relative = true
	return k, true
}

// year parses a year at token j: "2019", "the 1990s", "2024-25",
// "2019-2021". A four-digit number after "about", "over", "than" and such
// is a count, not a year.
func (s *scanner) year(j int, m *draft) (int, bool) {
	t := &s.toks[j]
	if t.kind != tNum || t.ndig != 4 || t.flags&fGrouped != 0 || t.val < 1900 || t.val > 2099 {
		return j, false
	}
	if s.w(j-1) == wApprox {
		return j, false
	}
	if t.flags&fSuffix != 0 {
		if t.w == wS && t.val%10 == 0 { // a decade
			m.a = item{kind: iYear, y: t.val, y2: t.val + 9}
			return j + 1, true
		}
		return j, false
	}
	y, ok := s.yearNum(j)
	if !ok {
		return j, false
	}
	if s.dash(j+1) && s.glued(j+1) {
		if y2, ok := s.plainNum(j+2, 2); ok && s.toks[j+2].ndig == 2 && y2 == (y+1)%100 {
			m.a = item{kind: iYear, y: y, y2: y + 1} // "2024-25"
			return j + 3, true
		}
	}
	m.a = item{kind: iYear, y: y, y2: y}
	return j + 1, true
}

// rangeTail reads the end of a range after the date in m, which ended at
// token k: "to Sunday", "–10 May", "and June" after "between", "into
// Monday" after "from" or in a night. It reports whether it found one.
func (s *scanner) rangeTail(k int, m *draft) (int, bool) {
	if m.rng {
		return k, false
	}
	switch {
	case s.dash(k), s.w(k) == wTo:
	case s.w(k) == wAnd:
		if !m.between {
			return k, false
		}
	case s.w(k) == wUntil, s.w(k) == wThrough, s.w(k) == wInto:
		if !m.fromWord && !m.night {
			return k, false
		}
	default:
		return k, false
	}
	b := draft{start: k + 1}
	e, ok := s.core(k+1, &b, true, true)
	if !ok || b.rng || b.a.kind != m.a.kind || b.a.kind == iFixed {
		return k, false
	}
	m.b, m.rng = b.a, true
	return e, true
}

// suffix reads what may follow a date: a part of the day ("Wednesday
// evening") and a zone ("Tuesday evening, Washington time").
func (s *scanner) suffix(k int, m *draft) int {
	if m.a.kind == iDate && !m.rng && s.punct(k, '(') && s.w(k+1) == wWeekday && s.punct(k+2, ')') {
		k += 3 // "May 10 (Saturday)": the date says which Saturday
	}
	if m.dayLevel() && m.post == "" && (k == 0 || s.toks[k-1].flags&fPoss == 0) {
		if p := partName(s.w(k)); p != "" {
			m.post = p
			m.night = s.w(k) == wNight
			k++
		}
	}
	i := k
	if s.punct(i, ',') {
		i++
	}
	if z, e := s.placeZone(i); z != "" {
		m.zone = z
		k = e
	}
	return k
}

// placeZone reads a zone written as words at token i: "local time",
// "Washington time", "Indian Standard Time", "Pakistan time". It returns
// the zone as written and the token after it, or "" when there is none.
func (s *scanner) placeZone(i int) (string, int) {
	if s.w(i) == wLocal && s.w(i+1) == wTime {
		return "local time", i + 2
	}
	j := i
	for j < len(s.toks) && j < i+4 {
		t := &s.toks[j]
		if t.kind != tWord || t.flags&fCap == 0 || t.flags&fPoss != 0 {
			break
		}
		if t.w == wTime {
			if j > i {
				return s.text[s.toks[i].start:t.end], j + 1
			}
			break
		}
		switch t.w {
		case wNone, wLocal:
		default:
			return "", i // a month, a weekday, "The": not a place
		}
		j++
	}
	if j > i && j < len(s.toks) && s.w(j) == wTime && s.toks[j].flags&fCap == 0 {
		return s.text[s.toks[i].start:s.toks[j].end], j + 1
	}
	return "", i
}

// clockZone reads the zone after a time of day at token i: an abbreviation
// ("IST") or words ("Pakistan time"). "5:30 pm in New Delhi" names a place,
// which is not taken for a zone: "in Parliament" would read as one too.
func (s *scanner) clockZone(i int) (string, int) {
	if s.w(i) == wZone && s.toks[i].flags&fUpper != 0 {
		return s.text[s.toks[i].start:s.toks[i].end], i + 1
	}
	return s.placeZone(i)
}

// clock parses a time of day at token i: "17:00", "15:35 hours", "4:30 pm",
// "4.30 pm", "5 pm", "5pm", "5 p.m.", "1700 hours", "0100 hrs", "1130 GMT",
// "midnight", "noon", with the zone after it and an equivalent in brackets
// ("5 p.m. (1130 GMT)"), whose zone is kept when the first has none.
func (s *scanner) clock(i int) (clock, zone string, end int, ok bool) {
	if i >= len(s.toks) {
		return "", "", i, false
	}
	t := &s.toks[i]
	h, mi, j := 0, 0, i+1
	switch {
	case t.kind == tWord && t.w == wMidnight:
	case t.kind == tWord && t.w == wNoon:
		h = 12
	case t.kind == tNum && t.flags&fGrouped == 0 && s.standalone(i):
		h = t.val
		switch {
		case t.flags&fSuffix != 0:
			switch t.w {
			case wAm, wPm, wA, wP: // "5pm", "5p.m."
				pm, e, ok := s.meridiem(i, true)
				if !ok || t.ndig > 2 {
					return "", "", i, false
				}
				if h, ok = twelveHour(h, pm); !ok {
					return "", "", i, false
				}
				j = e
			case wHour: // "1700h"
				if t.ndig != 4 {
					return "", "", i, false
				}
				h, mi = t.val/100, t.val%100
			default:
				return "", "", i, false
			}
		case t.ndig <= 2 && (s.punct(j, ':') || s.punct(j, '.')) && s.glued(j) && s.glued(j+1) &&
			j+1 < len(s.toks) && s.toks[j+1].kind == tNum && s.toks[j+1].ndig == 2 && s.toks[j+1].flags&fGrouped == 0:
			mt := &s.toks[j+1]
			mi = mt.val
			pm, e, hasMeridiem := s.meridiem(j+1, mt.flags&fSuffix != 0) // "4:30pm" or "4:30 pm"
			switch {
			case hasMeridiem:
				var ok bool
				if h, ok = twelveHour(h, pm); !ok {
					return "", "", i, false
				}
				j = e
			case mt.flags&fSuffix != 0, s.punct(j, '.'): // "4:30xyz"; "3.50" is a decimal
				return "", "", i, false
			default:
				j += 2
				if s.w(j) == wHour {
					j++
				}
			}
		case t.ndig <= 2:
			pm, e, ok := s.meridiem(i, false)
			if !ok {
				return "", "", i, false
			}
			if h, ok = twelveHour(h, pm); !ok {
				return "", "", i, false
			}
			j = e
		case t.ndig == 4:
			if s.w(j) == wHour {
				j++
			} else if !(s.w(j) == wZone && s.toks[j].flags&fUpper != 0) {
				return "", "", i, false
			}
			h, mi = t.val/100, t.val%100
		default:
			return "", "", i, false
		}
	default:
		return "", "", i, false
	}
	if h > 23 || mi > 59 {
		return "", "", i, false
	}
	clock = clockString(h, mi)
	zone, j = s.clockZone(j)
	if s.punct(j, '(') {
		if c2, z2, e, ok := s.clock(j + 1); ok && z2 != "" && s.punct(e, ')') {
			if zone == "" {
				clock, zone = c2, z2
			}
			j = e + 1
		}
	}
	return clock, zone, j, true
}

// meridiem reads the "am" or "pm" after the number at token i — in its
// suffix when suffix is true ("5pm", "5p.m."), or as the next tokens ("5
// pm", "5 p.m.") — and returns whether it is pm and the token after it.
func (s *scanner) meridiem(i int, suffix bool) (pm bool, end int, ok bool) {
	var w word
	j := i + 1
	if suffix {
		w = s.toks[i].w
	} else {
		if j >= len(s.toks) || s.toks[j].kind != tWord {
			return false, i, false
		}
		w = s.toks[j].w
		j++
	}
	switch w {
	case wAm, wPm:
		return w == wPm, j, true
	case wA, wP:
		// "a.m.", "p.m."
		if s.punct(j, '.') && s.glued(j) && s.w(j+1) == wM && s.glued(j+1) {
			e := j + 2
			if s.punct(e, '.') && s.glued(e) {
				e++
			}
			return w == wP, e, true
		}
	}
	return false, i, false
}

// twelveHour converts an hour 1–12 with am or pm to 0–23.
func twelveHour(h int, pm bool) (int, bool) {
	if h < 1 || h > 12 {
		return 0, false
	}
	h %= 12
	if pm {
		h += 12
	}
	return h, true
}

// clockString formats hours and minutes as "17:05".
func clockString(h, m int) string {
	return string([]byte{byte('0' + h/10), byte('0' + h%10), ':', byte('0' + m/10), byte('0' + m%10)})
}

// clockMention records the time of day at token i, if there is one, to be
// given a day once the whole text is read.
func (s *scanner) clockMention(i int) (int, bool) {
	clock, zone, e, ok := s.clock(i)
	if !ok {
		return i, false
	}
	s.out = append(s.out, EventDate{
		Start: s.toks[i].start, End: s.toks[e-1].end,
		Clock: clock, Zone: zone, Precision: clockOnly,
	})
	return e, true
}

// relative parses a relative expression at token j: "today", "yesterday
// morning", "last night", "this week", "earlier this month", "two days
// ago", "three days earlier", "the day before", "the previous night", "the
// past 48 hours", "the weekend", "overnight".
func (s *scanner) relative(j int, m *draft) (int, bool) {
	ref := s.ref
	m.relative = true
	switch s.w(j) {
	case wToday, wYesterday, wTomorrow, wTonight:
		if ref.IsZero() {
			return j, false
		}
		d := ref
		switch s.w(j) {
		case wYesterday:
			d = ref.AddDate(0, 0, -1)
		case wTomorrow:
			d = ref.AddDate(0, 0, 1)
		case wTonight:
			m.night, m.post = true, "night"
		}
		// "the day before yesterday", read from the "the" before.
		m.fixed(d, d, DayPrecision)
		return j + 1, true
	case wOvernight:
		if ref.IsZero() {
			return j, false
		}
		m.post = "night"
		if s.tenseOf(j, j+1, false) == tenseFuture {
			m.fixed(ref, ref.AddDate(0, 0, 1), DayPrecision)
		} else {
			m.fixed(ref.AddDate(0, 0, -1), ref, DayPrecision)
		}
		return j + 1, true
	case wLast, wThis, wNext, wPast, wComing:
		if ref.IsZero() {
			return j, false
		}
		mod := s.w(j)
		switch u := s.w(j + 1); u {
		case wNight:
			if mod == wLast {
				m.post, m.night = "night", true
				m.fixed(ref.AddDate(0, 0, -1), ref.AddDate(0, 0, -1), DayPrecision)
				return j + 2, true
			}
		case wMorning, wAfternoon, wEvening:
			switch mod {
			case wThis:
				m.post = partName(u)
				m.fixed(ref, ref, DayPrecision)
				return j + 2, true
			case wLast:
				m.post = partName(u)
				m.fixed(ref.AddDate(0, 0, -1), ref.AddDate(0, 0, -1), DayPrecision)
				return j + 2, true
			}
		case wWeek, wMonthUnit, wYear, wWeekend:
			if !plural(s, j+1) {
				if mod == wPast { // "past week": the last seven days
					return s.rolling(j+1, 1, u, m)
				}
				k := 0
				switch mod {
				case wLast:
					k = -1
				case wNext, wComing:
					k = 1
				}
				from, to, prec := period(ref, u, k)
				m.fixed(from, to, prec)
				return j + 2, true
			}
		default:
			if n, k, ok := s.count(j + 1); ok && (mod == wLast || mod == wPast) {
				return s.rolling(k, n, s.w(k), m)
			}
		}
		return j, false
	case wEarlier, wLater:
		return s.earlierLater(j, m)
	case wThe, wThat:
		return s.anaphor(j, m)
	}
	if n, k, ok := s.count(j); ok {
		return s.unitsAgo(j, k, n, m)
	}
	return j, false
}

// plural reports whether the unit word at token i is plural ("weeks"),
// which "last weeks" and "this months" are not.
func plural(s *scanner, i int) bool {
	t := &s.toks[i]
	return t.end-t.start > 1 && s.text[t.end-1]|0x20 == 's' && t.w != wHour
}

// fixed sets m to an already resolved range. Its year is known unless it
// counts from a date whose year is not: those sit in year 0 or thereabouts,
// and no date the grammar reads with its year is before 1900.
func (m *draft) fixed(from, to time.Time, prec DatePrecision) {
	m.a = item{kind: iFixed, from: from, to: to, prec: prec, yearKnown: from.Year() >= 1000}
}

// count reads a small count at token j — "two", "a", "48" — and returns it
// and the token after it.
func (s *scanner) count(j int) (int, int, bool) {
	if j >= len(s.toks) {
		return 0, j, false
	}
	t := &s.toks[j]
	switch {
	case t.kind == tWord && (t.w == wNum || t.w == wA):
		return t.val, j + 1, true
	case t.kind == tNum && t.flags&(fGrouped|fSuffix) == 0 && t.ndig <= 3 && t.val > 0:
		return t.val, j + 1, true
	}
	return 0, j, false
}

// unitDays returns how many days n of the unit u make, with the precision
// a count of them has; months and years are not a fixed number of days.
func unitDays(u word, n int) (int, DatePrecision, bool) {
	switch u {
	case wDay, wNight:
		return n, DayPrecision, true
	case wHour:
		return (n + 23) / 24, DayPrecision, true
	case wWeek:
		return 7 * n, DayPrecision, true
	case wFortnight:
		return 14 * n, DayPrecision, true
	}
	return 0, 0, false
}

// shift moves t by n units u, backward when n is negative.
func shift(t time.Time, u word, n int) (time.Time, DatePrecision) {
	switch u {
	case wMonthUnit:
		return t.AddDate(0, n, 0), MonthPrecision
	case wYear:
		return t.AddDate(n, 0, 0), YearPrecision
	}
	days, prec, _ := unitDays(u, abs(n))
	if n < 0 {
		days = -days
	}
	return t.AddDate(0, 0, days), prec
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// isUnit reports whether u is a unit of time a count can go with.
func isUnit(u word) bool {
	switch u {
	case wDay, wNight, wHour, wWeek, wFortnight, wMonthUnit, wYear:
		return true
	}
	return false
}

// unitsAgo parses a count of units at tokens j.. (the unit at k) and what
// follows: "two days ago" counts back from the reference date, "three days
// earlier", "a week later", "two days before" from the last day mentioned.
func (s *scanner) unitsAgo(j, k, n int, m *draft) (int, bool) {
	u := s.w(k)
	if !isUnit(u) {
		return j, false
	}
	dir, base := 0, time.Time{}
	switch s.w(k + 1) {
	case wAgo:
		dir, base = -1, s.ref
	case wEarlier:
		dir, base = -1, s.anchorOrRef()
	case wLater:
		dir, base = 1, s.anchor()
	case wBefore, wAfter:
		if !s.endsPhrase(k + 2) {
			return j, false // "two days before the strikes": counts from an event, not a date
		}
		dir, base = 1, s.anchor()
		if s.w(k+1) == wBefore {
			dir, base = -1, s.anchorOrRef()
		}
	default:
		return j, false
	}
	if base.IsZero() {
		return j, false
	}
	t, prec := shift(base, u, dir*n)
	from, to := t, t
	switch prec {
	case MonthPrecision:
		from = date(t.Year(), t.Month(), 1)
		to = from.AddDate(0, 1, -1)
	case YearPrecision:
		from = date(t.Year(), time.January, 1)
		to = date(t.Year(), time.December, 31)
	}
	if u == wNight {
		m.post, m.night = "night", true
	}
	m.fixed(from, to, prec)
	return k + 2, true
}

// rolling parses "the past 48 hours", "last three days", "the past week":
// the n units u (at token k) up to the reference day.
func (s *scanner) rolling(k, n int, u word, m *draft) (int, bool) {
	if !isUnit(u) || u == wNight {
		return k, false
	}
	from, prec := shift(s.ref, u, -n)
	if u == wWeek || u == wFortnight {
		prec = WeekPrecision
	}
	m.fixed(from, s.ref, prec)
	return k + 1, true
}

// endsPhrase reports whether the words of a mention end at token i, so
// that "before" or "after" before it stands alone ("the day before.")
// rather than taking an object ("the day before the vote").
func (s *scanner) endsPhrase(i int) bool {
	if i >= len(s.toks) {
		return true
	}
	t := &s.toks[i]
	switch t.kind {
	case tPunct:
		return t.val != '“' && t.val != '"' && t.val != '‘' && t.val != '('
	case tWord:
		switch t.w {
		case wAnd, wOr, wBoundary, wThat, wYesterday, wTomorrow, wOn, wIn, wAt, wBe, wPastAux, wFuture:
			return true
		case wDet, wEvery: // "the day before it had warned": a pronoun and its verb start a clause
			return s.verbCue(i + 1)
		}
		return t.flags&fEd != 0 // "the night before killed"
	}
	return false
}

// verbCue reports whether token i is a verb that can follow a subject:
// an auxiliary, a modal, a past tense.
func (s *scanner) verbCue(i int) bool {
	switch s.w(i) {
	case wBe, wPastAux, wPastVerb, wFuture, wBoundary:
		return true
	case wNone:
		return s.toks[i].flags&fEd != 0
	}
	return false
}

// earlierLater parses "earlier this week", "later this month", "earlier
// today", "earlier in the week", at token j.
func (s *scanner) earlierLater(j int, m *draft) (int, bool) {
	earlier := s.w(j) == wEarlier
	switch s.w(j + 1) {
	case wToday:
		if s.ref.IsZero() {
			return j, false
		}
		m.fixed(s.ref, s.ref, DayPrecision)
		return j + 2, true
	case wThis:
		u := s.w(j + 2)
		if s.ref.IsZero() || u != wWeek && u != wMonthUnit && u != wYear {
			return j, false
		}
		from, to, prec := period(s.ref, u, 0)
		from, to = part(from, to, s.ref, earlier)
		m.fixed(from, to, prec)
		return j + 3, true
	case wIn:
		u := s.w(j + 3)
		if s.w(j+2) != wThe || u != wWeek && u != wMonthUnit && u != wYear && u != wDay {
			return j, false
		}
		base := s.anchorOrRef()
		if base.IsZero() {
			return j, false
		}
		if u == wDay {
			m.fixed(base, base, DayPrecision)
			return j + 4, true
		}
		from, to, prec := period(base, u, 0)
		from, to = part(from, to, base, earlier)
		m.fixed(from, to, prec)
		return j + 4, true
	}
	return j, false
}

// part returns the part of [from, to] before t (earlier) or after it; t
// itself when that part is empty.
func part(from, to, t time.Time, earlier bool) (time.Time, time.Time) {
	if earlier {
		if to = t.AddDate(0, 0, -1); to.Before(from) {
			return t, t
		}
		return from, to
	}
	if from = t.AddDate(0, 0, 1); from.After(to) {
		return t, t
	}
	return from, to
}

// anaphor parses the expressions that count from a time the text has
// already named, at token j: "the day before", "the night before", "the
// previous day", "the following week", "that night", "the same day", and
// also "the day before yesterday", "the past week", "the weekend".
func (s *scanner) anaphor(j int, m *draft) (int, bool) {
	that := s.w(j) == wThat
	if !that && (s.w(j+1) == wOrdWord || s.w(j+1) == wLast) && s.w(j+2) == wWeek && s.w(j+3) == wOf {
		var md draft // "the first week of June", "the last week of April"
		if e, ok := s.monthFirst(j+4, &md, true, wNone, false); ok && md.a.kind == iMonth {
			m.a, m.relative = md.a, false
			m.a.weekOf = -1
			if s.w(j+1) == wOrdWord {
				m.a.weekOf = s.toks[j+1].val
			}
			return e, true
		}
	}
	if m.periodOf && !that { // "the end of the month": the month of the time in view
		switch u := s.w(j + 1); u {
		case wWeek, wMonthUnit, wYear:
			if base := s.anchorAnyOrRef(); !base.IsZero() && !plural(s, j+1) {
				from, to, prec := period(base, u, 0)
				m.fixed(from, to, prec)
				return j + 2, true
			}
		}
	}
	switch u := s.w(j + 1); u {
	case wDay, wNight, wMorning, wAfternoon, wEvening, wWeek, wMonthUnit, wYear:
		if that { // "that day", "that night": the day just named
			base := s.anchor()
			if base.IsZero() || u == wWeek || u == wMonthUnit || u == wYear {
				return j, false
			}
			m.setPart(u)
			m.fixed(base, base, DayPrecision)
			return j + 2, true
		}
		switch s.w(j + 2) {
		case wBefore, wAfter:
			dir := -1
			if s.w(j+2) == wAfter {
				dir = 1
			}
			if u == wDay && (s.w(j+3) == wYesterday || s.w(j+3) == wTomorrow) && !s.ref.IsZero() {
				d := s.ref.AddDate(0, 0, 2*dir) // "the day before yesterday"
				m.fixed(d, d, DayPrecision)
				return j + 4, true
			}
			if !s.endsPhrase(j + 3) {
				return j, false
			}
			return s.step(j+3, u, dir, m)
		}
	case wPrevious, wFollowing, wNext, wSame:
		v := s.w(j + 2)
		switch v {
		case wDay, wNight, wMorning, wAfternoon, wEvening, wWeek, wMonthUnit, wYear, wWeekend:
		default:
			return j, false
		}
		if v == wWeekend || plural(s, j+2) {
			// "In the following days" is no one day.
			return j, false
		}
		dir := 1
		switch u {
		case wPrevious:
			dir = -1
		case wSame:
			dir = 0 // [scanner.step] needs a time named before
		}
		return s.step(j+3, v, dir, m)
	case wPast, wLast:
		if that || s.ref.IsZero() {
			return j, false
		}
		n, k := 1, j+2
		if c, e, ok := s.count(j + 2); ok {
			n, k = c, e
		}
		return s.rolling(k, n, s.w(k), m)
	case wWeekend:
		if that || s.ref.IsZero() {
			return j, false
		}
		sat := monday(s.ref).AddDate(0, 0, 5)
		if sat.After(s.ref) && s.tenseOf(j, j+2, false) != tenseFuture {
			sat = sat.AddDate(0, 0, -7) // "over the weekend": the one just past
		}
		m.fixed(sat, sat.AddDate(0, 0, 1), DayPrecision)
		return j + 2, true
	}
	return j, false
}

// setPart records the part of the day a unit word names.
func (m *draft) setPart(u word) {
	if p := partName(u); p != "" {
		m.post = p
		m.night = u == wNight
	}
}

// step resolves one unit u before (dir -1) or after (dir 1) the last day
// the text named — or, backwards only, the reference day when the text
// names none, since "the day after" with nothing named counts from an
// event the text describes but does not date.
func (s *scanner) step(end int, u word, dir int, m *draft) (int, bool) {
	base := s.anchor()
	if u == wWeek || u == wMonthUnit || u == wYear {
		base = s.anchorAny() // "in 1959 ... the same year"
	}
	if base.IsZero() && dir < 0 {
		base = s.ref
	}
	if base.IsZero() {
		return end - 1, false
	}
	m.setPart(u)
	switch u {
	case wWeek, wMonthUnit, wYear:
		from, to, prec := period(base, u, dir)
		m.fixed(from, to, prec)
	default:
		d := base.AddDate(0, 0, dir)
		m.fixed(d, d, DayPrecision)
	}
	return end, true
}

// period returns the calendar week (Monday to Sunday), weekend, month or
// year k units from the one holding t.
func period(t time.Time, u word, k int) (from, to time.Time, prec DatePrecision) {
	switch u {
	case wWeek:
		from = monday(t).AddDate(0, 0, 7*k)
		return from, from.AddDate(0, 0, 6), WeekPrecision
	case wWeekend:
		from = monday(t).AddDate(0, 0, 7*k+5)
		return from, from.AddDate(0, 0, 1), DayPrecision
	case wMonthUnit:
		from = date(t.Year(), t.Month()+time.Month(k), 1)
		return from, from.AddDate(0, 1, -1), MonthPrecision
	}
	return date(t.Year()+k, time.January, 1), date(t.Year()+k, time.December, 31), YearPrecision
}

// monday returns the Monday of the week holding t.
func monday(t time.Time) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// date returns midnight UTC of the given day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// validDay reports whether d is a day of month m in year y.
func validDay(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= date(y, time.Month(m)+1, 0).Day()
}

// anchor returns the first day of the last day mention recorded, which
// expressions like "the day before" count from; the day the text before
// named, or zero, when there is none.
func (s *scanner) anchor() time.Time {
	for i := len(s.out) - 1; i >= 0; i-- {
		if s.out[i].Precision == DayPrecision {
			return s.out[i].From
		}
	}
	return s.prior
}

// anchorAny returns the first day of the last mention recorded, of any
// precision; the day the text before named, or zero, when there is none.
func (s *scanner) anchorAny() time.Time {
	for i := len(s.out) - 1; i >= 0; i-- {
		if s.out[i].Precision != clockOnly {
			return s.out[i].From
		}
	}
	return s.prior
}

// namesDay reports whether the text has named a day of its own.
func (s *scanner) namesDay() bool {
	for _, d := range s.out {
		if d.Precision == DayPrecision {
			return true
		}
	}
	return false
}

// anchorAnyOrRef returns [scanner.anchorAny], or the reference day when
// the text has named no time.
func (s *scanner) anchorAnyOrRef() time.Time {
	if a := s.anchorAny(); !a.IsZero() {
		return a
	}
	return s.ref
}

// anchorOrRef returns [scanner.anchor], or the reference day when the text
// has named no day.
func (s *scanner) anchorOrRef() time.Time {
	if a := s.anchor(); !a.IsZero() {
		return a
	}
	return s.ref
}

// tense is what the words around a mention say of its time.
type tense uint8

const (
	tenseUnknown tense = iota
	tensePast
	tenseFuture
	// tenseEither is "until" in a clause whose verb is in the past: "the
	// airports were closed until Saturday" looks ahead, "the shelling lasted
	// until Wednesday" back, and only the nearer day tells them apart.
	tenseEither
)

// tenseWindow is how many words before a mention [scanner.tenseOf] reads
// for a cue: enough for "is expected to confer the rank at a ceremony at
// the presidency on Thursday".
const tenseWindow = 12

// tenseOf reads the tense of the clause around tokens [start, end): a
// modal or a word of plans before the mention in the same clause ("will
// meet on Monday", "is due to begin on 3 July", "was to hold talks on
// Monday", "until Saturday", "asked states to hold drills on Wednesday"),
// or, when nothing before decides, just after it ("On Monday, the council
// will meet"). A verb in the past ("attacked", "had", "was") decides for
// the past. poss marks a possessive mention ("Tuesday's attack"), which the
// words after it do not qualify.
func (s *scanner) tenseOf(start, end int, poss bool) tense {
	infinitive := false // a "to" and a verb came between the mention and the words read
	fronted := true     // only prepositions stand between the clause's start and the mention
	until := false      // "until" came before the mention
	for i, n := start-1, 0; i >= 0 && n < tenseWindow; i-- {
		t := &s.toks[i]
		if t.kind == tPunct {
			if clauseBreak(t.val) {
				break
			}
			continue
		}
		if t.kind != tWord {
			continue
		}
		n++
		switch t.w {
		case wOn, wAt, wIn, wBy, wFrom, wUntil, wSince, wDuring, wThe, wEarly, wLate, wNear:
		default:
			fronted = false
		}
		if t.w == wDirective {
			if infinitive {
				return tenseFuture
			}
			return tensePast
		}
		if t.w == wTo && s.w(i+1) == wBe && s.toks[i+1].val == bePresent {
			return tenseFuture // "to be held on 10 June": an arrangement
		}
		if t.w == wTo && s.verbAfter(i+1) {
			infinitive = true
		}
		if t.flags&fEd != 0 && t.w == wNone && s.w(i-1) == wBe && s.toks[i-1].val == bePresent {
			continue // "to be presented", "is expected": a participle, not the past
		}
		if t.w == wUntil {
			until = true
			continue
		}
		if v, done := s.tenseCue(i); done {
			if until && v == tensePast {
				return tenseEither
			}
			if until {
				return tenseFuture
			}
			return v
		}
		if t.w == wBoundary || t.w == wThat || t.w == wAfter || t.w == wBefore {
			break
		}
	}
	if until {
		return tenseFuture
	}
	if poss || !fronted {
		return tenseUnknown // the words after belong to the clause the mention is part of only when it leads it: "On Monday, the council will meet"
	}
	i := end
	if s.punct(i, ',') {
		i++
	}
	for n := 0; i < len(s.toks) && n < 6; i++ {
		t := &s.toks[i]
		if t.kind == tPunct {
			if clauseBreak(t.val) {
				break
			}
			continue
		}
		if t.kind != tWord {
			continue
		}
		n++
		if v, done := s.tenseCue(i); done {
			return v
		}
		if t.w == wBoundary || t.w == wThat || t.w == wDirective {
			break
		}
	}
	return tenseUnknown
}

// verbAfter reports whether token i may be the verb of an infinitive after
// "to": a lower-case word that is not an article, a pronoun or a date.
func (s *scanner) verbAfter(i int) bool {
	if i >= len(s.toks) || s.toks[i].kind != tWord || s.toks[i].flags&fCap != 0 {
		return false
	}
	w := s.toks[i].w
	return w == wNone || w == wBe
}

// tenseCue reports whether the word at token i sets the tense of its
// clause, and which.
func (s *scanner) tenseCue(i int) (tense, bool) {
	t := &s.toks[i]
	switch t.w {
	case wFuture:
		switch t.val {
		case futureNeedBe:
			if s.w(i-1) == wBe {
				return tenseFuture, true
			}
			return tenseUnknown, false
		case futureNeedTo:
			if s.w(i+1) == wTo {
				return tenseFuture, true
			}
			return tenseUnknown, false
		case futureNeedOf:
			if s.w(i+1) == wOf {
				return tenseFuture, true
			}
			return tenseUnknown, false
		}
		return tenseFuture, true
	case wMonth:
		if t.val == 5 && t.flags&fCap == 0 { // "may", the modal
			return tenseFuture, true
		}
	case wTo:
		if s.w(i-1) == wBe { // "was to hold talks"
			return tenseFuture, true
		}
	case wBe:
		if t.val == bePast {
			return tensePast, true
		}
	case wPastAux, wPastVerb, wSince, wAgo:
		return tensePast, true
	case wNone:
		if t.flags&fEd != 0 {
			return tensePast, true
		}
	}
	return tenseUnknown, false
}

// clauseBreak reports whether the punctuation rune r ends a clause.
func clauseBreak(r int) bool {
	switch r {
	case ',', ';', ':', '(', ')', '[', ']', '"', '“', '”', '—', '–', '?', '!', '.':
		return true
	}
	return false
}

// emit resolves a parsed mention and records it.
func (s *scanner) emit(m *draft) {
	if m.end <= m.start {
		m.end = m.start + 1
	}
	a, b := m.a, m.b
	fut := tenseUnknown
	if needsTense(a) || m.rng && needsTense(b) {
		fut = s.tenseOf(m.start, m.end, s.toks[m.end-1].flags&fPoss != 0)
	}
	var from, to time.Time
	var prec DatePrecision
	known, ok := true, true
	switch {
	case !m.rng:
		from, to, prec, known, ok = s.resolve(a, fut)
	case a.kind == iWeekday:
		if s.ref.IsZero() {
			return
		}
		if fut == tenseFuture || a.mod == wNext || a.mod == wComing {
			from, _, prec, known, ok = s.resolve(a, fut)
			to = onOrAfter(from, b.wd)
		} else {
			_, to, prec, known, ok = s.resolve(b, fut)
			from = onOrBefore(to, a.wd)
		}
	default:
		if a.y == 0 && b.y != 0 {
			a.y = b.y
			if a.m > b.m || a.m == b.m && a.d > b.d {
				a.y--
			}
		}
		var bk bool
		var bfrom time.Time
		from, _, prec, known, ok = s.resolve(a, fut)
		if ok && b.y == 0 {
			b.y = from.Year()
			if b.m < a.m || b.m == a.m && b.d < a.d {
				b.y++
			}
		}
		var ok2 bool
		bfrom, to, _, bk, ok2 = s.resolve(b, fut)
		ok = ok && ok2 && !bfrom.Before(from)
		known = known && bk
	}
	if !ok {
		return
	}
	e := EventDate{
		Start: s.toks[m.start].start, End: s.toks[m.end-1].end,
		From: from, To: to, Precision: prec,
		Zone: m.zone, Relative: m.relative, YearKnown: known,
	}
	s.applyPart(&e, m)
	s.out = append(s.out, e)
}

// needsTense reports whether resolving it depends on the tense of its
// clause.
func needsTense(it item) bool {
	switch it.kind {
	case iWeekday:
		return it.mod == wNone || it.mod == wThis
	case iDate:
		return it.y == 0
	case iMonth:
		return it.y == 0 && it.mod == wNone
	}
	return false
}

// applyPart narrows e to the part of it m names and sets its Part.
func (s *scanner) applyPart(e *EventDate, m *draft) {
	pre, post := m.pre, m.post
	switch e.Precision {
	case DayPrecision:
		if m.night && e.From.Equal(e.To) {
			if m.into {
				e.From = e.From.AddDate(0, 0, -1)
			} else {
				e.To = e.To.AddDate(0, 0, 1)
			}
		}
		if pre == "mid" {
			pre = ""
		}
	case WeekPrecision:
		post = ""
		switch pre {
		case "early":
			e.To = minTime(e.To, e.From.AddDate(0, 0, 2))
		case "late":
			e.From = maxTime(e.From, e.To.AddDate(0, 0, -3))
		case "mid":
			e.From, e.To = e.From.AddDate(0, 0, 1), e.From.AddDate(0, 0, 3)
		default:
			pre = ""
		}
	case MonthPrecision:
		post = ""
		first := date(e.From.Year(), e.From.Month(), 1)
		switch pre {
		case "early":
			e.From, e.To = first, first.AddDate(0, 0, 9)
		case "mid":
			e.From, e.To = first.AddDate(0, 0, 10), first.AddDate(0, 0, 19)
		case "late":
			e.From, e.To = first.AddDate(0, 0, 20), first.AddDate(0, 1, -1)
		default:
			pre = ""
		}
	case YearPrecision:
		post = ""
		if e.From.Year() != e.To.Year() {
			pre = ""
		}
		y := e.From.Year()
		switch pre {
		case "early":
			e.From, e.To = date(y, time.January, 1), date(y, time.April, 30)
		case "mid":
			e.From, e.To = date(y, time.May, 1), date(y, time.August, 31)
		case "late":
			e.From, e.To = date(y, time.September, 1), date(y, time.December, 31)
		default:
			pre = ""
		}
	}
	switch {
	case pre != "" && post != "":
		if pre == "early hours" {
			e.Part = pre
		} else {
			e.Part = pre + " " + post
		}
	case pre != "":
		e.Part = pre
	default:
		e.Part = post
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// resolve turns one item into its range of days; fut is the tense of its
// clause.
func (s *scanner) resolve(it item, fut tense) (from, to time.Time, prec DatePrecision, known, ok bool) {
	switch it.kind {
	case iFixed:
		return it.from, it.to, it.prec, it.yearKnown, true
	case iDate:
		y, known := it.y, true
		if y == 0 {
			y, known = s.yearFor(it.m, it.d, fut)
		}
		if !validDay(yearOrLeap(y), it.m, it.d) {
			return from, to, 0, false, false // year 0, for a date without one, is a leap year as 2000 is
		}
		d := date(y, time.Month(it.m), it.d)
		return d, d, DayPrecision, known, true
	case iMonth:
		y, known := it.y, true
		if y == 0 {
			y, known = s.yearForMonth(it.m, it.mod, fut)
		}
		first := date(y, time.Month(it.m), 1)
		last := first.AddDate(0, 1, -1)
		switch {
		case it.weekOf > 0:
			from = first.AddDate(0, 0, 7*(it.weekOf-1))
			return from, minTime(last, from.AddDate(0, 0, 6)), WeekPrecision, known, true
		case it.weekOf < 0:
			return last.AddDate(0, 0, -6), last, WeekPrecision, known, true
		}
		return first, last, MonthPrecision, known, true
	case iYear:
		return date(it.y, time.January, 1), date(it.y2, time.December, 31), YearPrecision, true, true
	case iWeekday:
		if s.ref.IsZero() {
			return from, to, 0, false, false
		}
		var d time.Time
		switch {
		case it.mod == wLast || it.mod == wPast:
			d = onOrBefore(s.ref.AddDate(0, 0, -1), it.wd)
		case it.mod == wNext || it.mod == wComing:
			d = onOrAfter(s.ref.AddDate(0, 0, 1), it.wd)
		case fut == tenseFuture:
			d = onOrAfter(s.ref, it.wd)
		case fut == tenseEither:
			d = onOrBefore(s.ref, it.wd)
			if ahead := onOrAfter(s.ref, it.wd); ahead.Sub(s.ref) < s.ref.Sub(d) {
				d = ahead
			}
		default:
			d = onOrBefore(s.ref, it.wd)
		}
		return d, d, DayPrecision, true, true
	}
	return from, to, 0, false, false
}

// onOrBefore returns the last day of weekday wd on or before t.
func onOrBefore(t time.Time, wd time.Weekday) time.Time {
	return t.AddDate(0, 0, -((int(t.Weekday()) - int(wd) + 7) % 7))
}

// onOrAfter returns the first day of weekday wd on or after t.
func onOrAfter(t time.Time, wd time.Weekday) time.Time {
	return t.AddDate(0, 0, (int(wd)-int(t.Weekday())+7)%7)
}

// dayWindow returns the window, in days from the reference day (back,
// ahead], that a date without a year falls in. News mostly reports the
// past but names coming events months ahead ("the pilgrimage is due to
// begin on 3 July"), and a date much farther off usually carries "last" or
// "next" or its year; so with no cue the window leans back (about eight
// months back, four ahead), a verb in the past moves it to the eleven
// months before (and one after, for reports a little ahead of events), a
// cue of the future to the eleven months ahead.
func dayWindow(t tense) (back, ahead int) {
	switch t {
	case tensePast:
		return 335, 30
	case tenseFuture:
		return 30, 335
	}
	return 243, 122
}

// monthWindow is [dayWindow] in whole months from the reference month:
// [-back, +ahead].
func monthWindow(t tense) (back, ahead int) {
	switch t {
	case tensePast:
		return 11, 0
	case tenseFuture:
		return 0, 11
	}
	return 7, 4
}

// yearFor returns the year for day d of month m given without one: ref's
// year, the one before or the one after, whichever puts the date in the
// [dayWindow] around ref. Without ref, or for questions, the year stays
// unknown.
func (s *scanner) yearFor(m, d int, fut tense) (int, bool) {
	if s.ref.IsZero() || !s.inferYear {
		return 0, false
	}
	back, ahead := dayWindow(fut)
	ry := s.ref.Year()
	best, bestDist := ry, 1<<30
	for _, y := range [...]int{ry, ry - 1, ry + 1} {
		if !validDay(y, m, d) {
			continue
		}
		diff := int(date(y, time.Month(m), d).Sub(s.ref).Hours() / 24)
		if diff > -back && diff <= ahead {
			return y, true
		}
		if abs(diff) < bestDist {
			best, bestDist = y, abs(diff)
		}
	}
	return best, true // 29 February: the nearest leap year
}

// yearForMonth returns the year for month m given without one, as
// [scanner.yearFor] does for days, or as "last May" and "next May" say.
func (s *scanner) yearForMonth(m int, mod word, fut tense) (int, bool) {
	if s.ref.IsZero() || !s.inferYear && mod == wNone {
		return 0, false
	}
	ry, rm := s.ref.Year(), int(s.ref.Month())
	switch mod {
	case wLast, wPast:
		if m < rm {
			return ry, true
		}
		return ry - 1, true
	case wNext, wComing:
		if m > rm {
			return ry, true
		}
		return ry + 1, true
	case wThis:
		return ry, true
	}
	back, ahead := monthWindow(fut)
	for _, y := range [...]int{ry, ry - 1, ry + 1} {
		if diff := (y-ry)*12 + m - rm; diff >= -back && diff <= ahead {
			return y, true
		}
	}
	return ry, true
}

// attachClocks gives each time of day a day: the day mention next to it,
// which then holds the time ("on Saturday at 5 pm" is one mention), or
// else the nearest day mention in the text, copied; a time with no day in
// the text is dropped.
func (s *scanner) attachClocks() {
	merged := false
	for i := range s.out {
		c := &s.out[i]
		if c.Precision != clockOnly {
			continue
		}
		best, bestGap, adjacent := -1, 1<<30, false
		for j := range s.out {
			d := &s.out[j]
			if d.Precision != DayPrecision || j == i {
				continue
			}
			gap := c.Start - d.End
			if d.Start > c.Start {
				gap = d.Start - c.End
			}
			if gap >= bestGap {
				continue
			}
			if adj := d.Clock == "" && s.adjacent(*c, *d); adj || !s.bound(d.Start) {
				best, bestGap, adjacent = j, gap, adj
			}
		}
		if best < 0 {
			if !s.prior.IsZero() && !s.namesDay() {
				// The day the text before named: "called at 15:35"
				// after "in the early hours of 10 May". A day of its
				// own that only bounds an interval still says the
				// time is not the day before's.
				c.From, c.To, c.Precision, c.Relative, c.YearKnown = s.prior, s.prior, DayPrecision, true, true
			}
			continue
		}
		d := &s.out[best]
		if adjacent {
			d.Clock = c.Clock
			if c.Zone != "" {
				d.Zone = c.Zone
			}
			d.Start, d.End = min(d.Start, c.Start), max(d.End, c.End)
			c.Precision = clockOnly // dropped below
			c.Clock = ""
			merged = true
			continue
		}
		from, to := d.From, d.To
		if !from.Equal(to) && strings.Contains(d.Part, "night") && c.Clock < "12:00" {
			from = to // "at 1 am" in a night is on its second day
		} else if !from.Equal(to) {
			to = from
		}
		c.From, c.To, c.Precision = from, to, DayPrecision
		c.Relative, c.YearKnown = d.Relative, d.YearKnown
	}
	s.out = slices.DeleteFunc(s.out, func(e EventDate) bool { return e.Precision == clockOnly })
	if merged {
		slices.SortStableFunc(s.out, func(a, b EventDate) int { return a.Start - b.Start })
	}
	if len(s.out) == 0 {
		s.out = nil
	}
}

// bound reports whether the mention starting at byte off bounds an
// interval ("since 23 April", "until Saturday", "by 1 May") rather than
// naming when something happened, so that a time of day elsewhere in the
// sentence does not belong to it.
func (s *scanner) bound(off int) bool {
	i := s.tokenAt(off)
	switch s.w(i - 1) {
	case wSince, wUntil, wBy, wBefore, wAfter, wFrom, wTo, wThrough:
		return true
	}
	return false
}

// tokenAt returns the index of the first token starting at or after byte
// off.
func (s *scanner) tokenAt(off int) int {
	i, _ := slices.BinarySearchFunc(s.toks, off, func(t token, off int) int { return t.start - off })
	return i
}

// adjacent reports whether only words that join a time to its day ("on",
// "at", "of", "shortly", a comma) stand between the mentions a and b.
func (s *scanner) adjacent(a, b EventDate) bool {
	lo, hi := a.End, b.Start
	if b.Start < a.Start {
		lo, hi = b.End, a.Start
	}
	if hi < lo {
		return false
	}
	i := s.tokenAt(lo)
	for n := 0; i < len(s.toks) && s.toks[i].start < hi; i, n = i+1, n+1 {
		t := &s.toks[i]
		if n >= 3 {
			return false
		}
		switch {
		case t.kind == tPunct && t.val == ',':
		case t.kind == tWord && (t.w == wOn || t.w == wAt || t.w == wOf || t.w == wNear || t.w == wApprox || t.w == wBy ||
			t.w == wBefore || t.w == wAfter || t.w == wFrom || t.w == wUntil || t.w == wThe):
		default:
			return false
		}
	}
	return true
}
