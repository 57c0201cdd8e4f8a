package retrieval

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// spellings is how the corpus writes each word it nearly always
// capitalises, keyed by the word in lower case.
type spellings map[string]spelling

// spelling is one word's: its form, and whether it ends the names it is
// in at least half the time.
type spelling struct {
	form string
	last bool
}

// capitalisedShare is how nearly always a word must be capitalised inside
// sentences to count as a name: a stray lower-case use ("a may-be") in a
// thousand is a typo, one in ten ("the general view") is a common word.
const capitalisedShare = 0.95

// Spelling returns the corpus's own spelling of a word it writes
// capitalised wherever the word is not a sentence's first ("Rubio" for
// "rubio", "ISPR" for "ispr"), or "" for a word it also writes in lower
// case, or never writes. alone is false for a word capitalised mostly
// inside a longer name: a title, a given name or a modifier ("Minister"
// in "Prime Minister Narendra Modi", "Marco", "Indus"), which names
// nothing by itself. A question typed in lower case, as chat is, names
// people and places all the same: this is how an answerer can tell.
func (ix *Index) Spelling(lower string) (form string, alone bool) {
	s := ix.spell()[lower]
	return s.form, s.last
}

// spellCell makes an index's spellings on first use: a start or a reload
// should not pay for reading every sentence before anyone asks.
func spellCell(ix *Index) func() spellings {
	return sync.OnceValue(func() spellings { return countSpellings(ix) })
}

// countSpellings reads every sentence of the index. A sentence's first word
// is left out, as is a word after a colon, a dash or an opening quote or
// bracket, where any word may be capitalised. A word is marked last when
// it ends the capitalised run it stands in at least half the time ("Rubio
// said", "in Lahore").
func countSpellings(ix *Index) spellings {
	type tally struct {
		n, upper, last int
		forms          map[string]int
	}
	seen := map[string]*tally{}
	for i := range ix.passages {
		p := &ix.passages[i]
		art := ix.byID[p.ArticleID]
		if art == nil {
			continue
		}
		for _, s := range p.Sentences {
			if s.Start < 0 || s.End > len(art.Text) || s.Start > s.End {
				continue
			}
			ws := innerWords(art.Text[s.Start:s.End])
			for k, w := range ws {
				if w.opening {
					continue
				}
				lw := strings.ToLower(w.text)
				t := seen[lw]
				if t == nil {
					t = &tally{}
					seen[lw] = t
				}
				t.n++
				if !w.capital {
					continue
				}
				t.upper++
				if k+1 == len(ws) || !ws[k+1].capital || !ws[k+1].joined {
					t.last++
				}
				if t.forms == nil {
					t.forms = map[string]int{}
				}
				t.forms[w.text]++
			}
		}
	}

	out := spellings{}
	for lw, t := range seen {
		if float64(t.upper) < capitalisedShare*float64(t.n) {
			continue
		}
		best, most := "", 0
		for f, n := range t.forms {
			if n > most || n == most && f < best {
				best, most = f, n
			}
		}
		out[lw] = spelling{form: best, last: 2*t.last >= t.upper}
	}
	return out
}

// innerWord is a word of a sentence as [innerWords] reads it.
type innerWord struct {
	text string // without a possessive "'s"
	// capital: it begins with a capital letter.
	capital bool
	// opening: it may be capitalised whatever it is, as a sentence's
	// first word, or the first of a quote, a bracket or a clause after a
	// colon or a dash.
	opening bool
	// joined: only a space stands between it and the word before, so the
	// two may be one name.
	joined bool
}

// innerWords splits a sentence into words: runs of letters, with inner
// hyphens and apostrophes.
func innerWords(s string) []innerWord {
	var out []innerWord
	opening, joined := true, false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			switch {
			case strings.ContainsRune(":;\"“‘([—–•", r):
				opening = true
			case r == '-' && i+size < len(s) && s[i+size] == ' ' && i > 0 && s[i-1] == ' ':
				opening = true // a spaced hyphen is a dash
			case r == '.' || r == '!' || r == '?':
				opening = true
			}
			if r != ' ' {
				joined = false
			}
			i += size
			continue
		}

		j := i + size
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(r) {
				j += n
				continue
			}
			if (r == '-' || r == '\'' || r == '’') && j+n < len(s) {
				if next, _ := utf8.DecodeRuneInString(s[j+n:]); unicode.IsLetter(next) {
					j += n
					continue
				}
			}
			break
		}
		w := s[i:j]
		possessive := false
		for _, poss := range []string{"'s", "’s"} {
			if strings.HasSuffix(w, poss) {
				w, possessive = strings.TrimSuffix(w, poss), true
			}
		}
		out = append(out, innerWord{text: w, capital: unicode.IsUpper(r), opening: opening, joined: joined && len(out) > 0})
		// "Pakistan's Army Chief": a possessive ends its name.
		opening, joined = false, !possessive
		i = j
	}
	return out
}
