package answer

import (
	"strings"
	"unicode"
)

// lowerWords splits s into lower-cased words of letters, digits and
// hyphens: how a question is read word by word.
func lowerWords(s string) []string {
	return textWords(strings.ToLower(s))
}

// textWords splits s into words as [lowerWords] does, keeping their case,
// so that the two line up word for word.
func textWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
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
