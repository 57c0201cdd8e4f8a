package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitSentences splits text into sentences and returns their byte ranges,
// in order, each trimmed of surrounding white space. A sentence ends at a
// paragraph break (a blank line) and at ".", "!", "?" or "…" — with any
// closing quotes or brackets after it — when white space and then an
// upper-case letter, a digit or an opening quote follow. It does not end
// after common abbreviations ("Mr.", "Gen.", "e.g.", "Jan."), initials
// ("S. Jaishankar", "J. D. Vance") or inside decimals ("3.5"); after
// abbreviations that may end a sentence ("U.S.", "Inc.", "p.m.") and
// initials, it ends only when the next word is one that usually starts a
// sentence ("The", "He", "But"...).
func SplitSentences(text string) []Span {
	var spans []Span
	start, end := -1, 0 // the sentence being read, and the end of its last non-space rune
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			j, newlines := i, 0
			for j < len(text) {
				r, n := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsSpace(r) {
					break
				}
				if r == '\n' {
					newlines++
				}
				j += n
			}
			if newlines >= 2 && start >= 0 {
				spans = append(spans, Span{start, end})
				start = -1
			}
			i = j
			continue
		}
		if start < 0 {
			start = i
		}
		if !isTerminator(r) {
			i += n
			end = i
			continue
		}
		runEnd, ok := sentenceEnd(text, i)
		end = runEnd
		i = runEnd
		if ok {
			spans = append(spans, Span{start, end})
			start = -1
		}
	}
	if start >= 0 {
		spans = append(spans, Span{start, end})
	}
	return spans
}

// sentenceEnd reports whether the terminator at text[i] ends a sentence,
// and returns the end of the terminator run including closing quotes and
// brackets.
func sentenceEnd(text string, i int) (int, bool) {
	j := i
	for j < len(text) { // "?!", "...", "?!?"
		r, n := utf8.DecodeRuneInString(text[j:])
		if !isTerminator(r) {
			break
		}
		j += n
	}
	single := text[i] == '.' && j == i+1
	for j < len(text) {
		r, n := utf8.DecodeRuneInString(text[j:])
		if !isCloser(r) {
			break
		}
		j += n
	}
	// White space, then the first rune of the next sentence.
	k := j
	for k < len(text) {
		r, n := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsSpace(r) {
			break
		}
		k += n
	}
	if k == j || k == len(text) {
		return j, false // "3.5", or the end of the text: nothing to split
	}
	next, _ := utf8.DecodeRuneInString(text[k:])
	if !startsSentence(next) {
		return j, false
	}
	if single && abbreviation(wordBefore(text, i), text[k:]) {
		return j, false
	}
	return j, true
}

// wordBefore returns the word that ends at text[i], without leading opening
// punctuation; it returns "" for words too long to be an abbreviation.
func wordBefore(text string, i int) string {
	const maxLen = 16
	w := i
	for w > 0 && i-w <= maxLen {
		r, n := utf8.DecodeLastRuneInString(text[:w])
		if unicode.IsSpace(r) || isOpener(r) {
			return text[w:i]
		}
		w -= n
	}
	if w == 0 {
		return text[:i]
	}
	return ""
}

// abbreviation reports whether word, followed by ".", is an abbreviation or
// an initial that does not end the sentence when next follows.
func abbreviation(word, next string) bool {
	switch word {
	case "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt",
		"Cpt", "Cmdr", "Adm", "Brig", "Sgt", "Cpl", "Pvt", "Rev", "Hon", "Gov", "Sen",
		"Rep", "Pres", "Supt", "Insp", "Fr", "St", "Mt", "Ft", "Ave", "Blvd", "Rd",
		"vs", "Vs", "v", "e.g", "i.e", "E.g", "I.e", "cf", "Cf", "al", "approx", "ca",
		"Fig", "fig", "Vol", "vol", "pp", "Nos",
		"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec":
		return true
	case "No", "no", "Art", "art", "Sec", "sec", "Para", "para":
		r, _ := utf8.DecodeRuneInString(next)
		return unicode.IsDigit(r) // "No. 10", "Art. 370"
	case "Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "Bros", "Plc", "PLC", "LLC", "etc":
		return !startsSentenceWord(next)
	}
	if initials(word) {
		return !startsSentenceWord(next)
	}
	return false
}

// initials reports whether word is one upper-case letter ("S") or letters
// joined by dots ("U.S", "a.m", "J.D").
func initials(word string) bool {
	if word == "" {
		return false
	}
	for i, part := range strings.Split(word, ".") {
		r, n := utf8.DecodeRuneInString(part)
		if n == 0 || n != len(part) || !unicode.IsLetter(r) {
			return false
		}
		if i == 0 && !strings.Contains(word, ".") && !unicode.IsUpper(r) {
			return false // a lone lower-case letter is a word, not an initial
		}
	}
	return true
}

// startsSentenceWord reports whether s opens with a word that usually
// starts a sentence rather than continuing a name or an abbreviation.
func startsSentenceWord(s string) bool {
	s = strings.TrimLeft(s, "\"'“‘(«")
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' })
	if end >= 0 {
		if end == 1 && s[end] == '.' {
			return false // another initial: "J. A. Smith"
		}
		s = s[:end]
	}
	switch s {
	case "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His", "Her",
		"Its", "Their", "Our", "My", "This", "That", "These", "Those", "There", "Here",
		"But", "And", "Or", "So", "Yet", "In", "On", "At", "As", "If", "When", "While",
		"After", "Before", "Since", "Although", "Though", "However", "Meanwhile",
		"Earlier", "Later", "Then", "Now", "Officials", "It's", "It’s", "What", "Why",
		"How", "Who", "Some", "Many", "Most", "All", "No", "Not", "Both", "Each":
		return true
	}
	return false
}

// isTerminator reports whether r ends a sentence.
func isTerminator(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// isCloser reports whether r closes a quotation or a bracket, and so stays
// with the sentence it ends.
func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '»', '›':
		return true
	}
	return false
}

// isOpener reports whether r opens a quotation or a bracket.
func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '(', '[', '«', '‹':
		return true
	}
	return false
}

// startsSentence reports whether r may be the first rune of a sentence: an
// upper-case letter, a letter of a script without case, a digit, or an
// opening quote or bracket.
func startsSentence(r rune) bool {
	switch {
	case unicode.IsUpper(r), unicode.IsTitle(r), unicode.IsDigit(r), isOpener(r):
		return true
	case unicode.IsLetter(r):
		return !unicode.IsLower(r)
	}
	return r == '¿' || r == '¡'
}
