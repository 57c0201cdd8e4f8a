package answer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// everydayRank bounds the words a question's lower case is trusted for:
// among the 2,000 commonest English words a capital in the corpus is a
// title's or a heading's ("General", "Secretary", "US" for "us"), not a
// name's, so "the general" stays a general.
const everydayRank = 2000

// Spelling gives the corpus's spelling of a word it always capitalises, ""
// for any other, and whether the word names something alone rather than
// only inside a longer name; [retrieval.Index.Spelling] is one.
type Spelling func(lower string) (form string, alone bool)

// truecase gives the words a question writes in lower case the capitals
// the corpus gives them ("what did rubio tell munir" → "what did Rubio
// tell Munir"), so that chat typed in lower case names people and places
// as a sentence does, and the checks on names apply to them. A word the
// corpus capitalises only inside longer names ("prime", "minister",
// "asim") is recased only beside a capitalised word of the question:
// "prime minister modi" is Prime Minister Modi, "the prime minister" is
// not a name. everyday reports a word too common to be taken for a name.
// Dates and function words are kept as they are.
//
// A question that capitalises a word past its first ("What did the head of
// Westmark's river operations say") is left alone: its writer uses
// capitals, so the words left in lower case are meant so ("river
// operations" is what the head is head of, not the office's name).
// Initials ("DGMO") say nothing of the kind; chat writes them in capitals.
func truecase(text string, spell Spelling, everyday func(string) bool) string {
	if spell == nil || writesCapitals(text) {
		return text
	}
	type token struct {
		start, end int
		form       string // the recased form, "" if none
		alone      bool
		capital    bool
	}
	var ts []token
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) && !(r == '-' && j+n < len(text) && isLetterAt(text, j+n)) {
				break
			}
			j += n
		}
		t := token{start: i, end: j, capital: unicode.IsUpper(r)}
		if w := text[i:j]; recasable(w, everyday) {
			t.form, t.alone = spell(w)
		}
		ts = append(ts, t)
		i = j
	}

	done := make([]bool, len(ts))
	for k, t := range ts {
		done[k] = t.form != "" && t.alone
	}
	// A word inside names joins the capitalised word after it when only a
	// space stands between, as titles and given names do: "narendra
	// modi", "prime minister modi". "The American vice president" is no
	// name of one.
	for grew := true; grew; {
		grew = false
		for k, t := range ts {
			if done[k] || t.form == "" {
				continue
			}
			if n := k + 1; n < len(ts) && (done[n] || ts[n].capital) && text[t.end:ts[n].start] == " " {
				done[k], grew = true, true
			}
		}
	}

	var b strings.Builder
	last := 0
	for k, t := range ts {
		if done[k] {
			b.WriteString(text[last:t.start])
			b.WriteString(t.form)
			last = t.end
		}
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// writesCapitals reports whether a word of text past its first is
// capitalised with lower case after its capital, as "Westmark" is and
// "DGMO" is not.
func writesCapitals(text string) bool {
	for i, w := range textWords(text) {
		if i == 0 || len(w) < 2 {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) && strings.ToUpper(w[size:]) != w[size:] {
			return true
		}
	}
	return false
}

// recasable reports whether w may take the corpus's capitals: a word
// wholly in lower case ("Us" or "iPhone" says its writer chose), and not a
// date, a function word or an everyday word.
func recasable(w string, everyday func(string) bool) bool {
	if w != strings.ToLower(w) || auxiliaries[w] || frameWords[w] || isCalendarWord(w) || isWhWord(w) {
		return false
	}
	return everyday == nil || !everyday(w)
}

// isLetterAt reports whether text has a letter at byte offset i.
func isLetterAt(text string, i int) bool {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsLetter(r)
}
