package answer

import (
	"strings"
	"unicode"
)

// answerKind is the kind of answer a question asks for, read from its
// opening words. Only the kinds a sentence can be checked for without a
// model are distinguished: a count and a time.
type answerKind int

const (
	kindAny answerKind = iota
	// kindCount: "how many", "how much" — the answer holds a number.
	kindCount
	// kindTime: "when", "what time", "how long" — the answer holds a date,
	// a time or a duration.
	kindTime
)

// expectedKind reads the answer kind from a question. A sentence without
// a number cannot say how many; quoting one anyway (the best-matching
// sentence about the right subject) answers a question nobody asked.
func expectedKind(question string) answerKind {
	words := lowerWords(question)
	// The first question word says what is asked, if it opens the
	// question ("And when…", "So how many…"): in "Who said how many…" it
	// is "who".
	for i, w := range words[:min(len(words), 3)] {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch w {
		case "how":
			switch next {
			case "many", "much":
				return kindCount
			case "long":
				return kindTime
			}
			return kindAny
		case "when":
			return kindTime
		case "what", "which":
			switch next {
			case "time", "date", "day", "year", "month":
				return kindTime
			}
			return kindAny
		case "who", "whom", "whose", "where", "why":
			return kindAny
		}
	}
	return kindAny
}

// fits reports whether text can answer a question of kind k.
func (k answerKind) fits(text string) bool {
	switch k {
	case kindCount:
		return hasNumber(text)
	case kindTime:
		return hasTime(text)
	}
	return true
}

func lowerWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	})
}

// isNumberWord reports whether w spells out a quantity, as news prose does.
func isNumberWord(w string) bool {
	switch w {
	case "one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
		"sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
		"forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
		"hundreds", "thousand", "thousands", "million", "millions", "billion",
		"billions", "trillion", "dozen", "dozens", "half", "single", "double",
		"twice", "none", "zero":
		return true
	}
	return false
}

func hasNumber(text string) bool {
	for _, w := range lowerWords(text) {
		if isNumberWord(w) || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			return true
		}
		// "twenty-six", "two-thirds"
		if head, _, ok := strings.Cut(w, "-"); ok && isNumberWord(head) {
			return true
		}
	}
	return false
}

// isTimeWord reports whether w names a date, a time of day or a duration.
// Relative words ("after", "later") are left out: nearly every sentence
// of a news report has one.
func isTimeWord(w string) bool {
	switch w {
	case "january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
		"oct", "nov", "dec",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
		"sunday", "today", "yesterday", "tomorrow", "tonight",
		"morning", "afternoon", "evening", "night", "nights", "midnight",
		"noon", "dawn", "overnight",
		"second", "seconds", "minute", "minutes", "hour", "hours", "day",
		"days", "week", "weeks", "weekend", "fortnight", "month", "months",
		"year", "years", "decade", "decades", "immediately":
		return true
	}
	return false
}

func hasTime(text string) bool {
	for _, w := range lowerWords(text) {
		if isTimeWord(w) || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			return true
		}
	}
	return false
}

// dropAskingWords removes the word that only frames a question after "how"
// ("how long", "how often", "how old"), so it does not count as a term the
// answer must contain: "How long did the fighting last?" is not about
// something long, and a sentence about a "long-period average" is no
// answer to it.
func dropAskingWords(question string) string {
	fields := strings.Fields(question)
	out := fields[:0:0]
	for i := 0; i < len(fields); i++ {
		out = append(out, fields[i])
		if !strings.EqualFold(strings.Trim(fields[i], `"'(`), "how") || i+1 == len(fields) {
			continue
		}
		switch strings.ToLower(strings.TrimRight(fields[i+1], "?!.,;:")) {
		case "long", "often", "far", "soon", "old", "big", "large", "high", "many", "much", "late", "early":
			i++
		}
	}
	return strings.Join(out, " ")
}
