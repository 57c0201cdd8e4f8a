package timeline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// figure is a number a sentence attaches to a counted noun: "26 tourists",
// "five Indian fighter jets", "35 to 40 soldiers".
type figure struct {
	value string // as written
	key   string // the value normalised: "26", "35-40"
	thing string // the counted noun as written
	stem  string // its index term
}

// maxModifiers is how many words may stand between a number and the noun
// it counts ("five Indian fighter jets").
const maxModifiers = 3

// numberWords are the English number words a report spells out.
var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
	"forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	"hundred": 100, "dozen": 12,
}

// multipliers scale the number before them; they are part of the figure,
// not the thing counted.
var multipliers = map[string]bool{
	"hundred": true, "thousand": true, "million": true, "billion": true, "lakh": true, "crore": true,
}

// notCounted are units a number measures rather than things it counts: two
// reports of one event that give it in different units, or over different
// spans of time, do not disagree.
var notCounted = map[string]bool{
	"second": true, "minut": true, "hour": true, "day": true, "week": true, "month": true, "year": true,
	"km": true, "kilometr": true, "mile": true, "metr": true, "percent": true, "per": true, "cent": true,
	"time": true, "point": true,
}

// word is one token of a sentence for figure reading.
type word struct {
	text  string
	punct bool // punctuation other than a hyphen or an inner comma of a number
}

// tokens splits s into words, numbers and punctuation marks.
func tokens(s string) []word {
	var out []word
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case unicode.IsDigit(r):
			j := i
			for j < len(s) {
				c := s[j]
				if c >= '0' && c <= '9' || (c == ',' || c == '.') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j++
					continue
				}
				break
			}
			out = append(out, word{text: s[i:j]})
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || r2 == '-' || r2 == '\'' || r2 == '’' {
					j += n2
					continue
				}
				break
			}
			out = append(out, word{text: strings.TrimRight(s[i:j], "-'’")})
			i = j
		default:
			out = append(out, word{text: s[i : i+n], punct: r != '-' && r != '–'})
			i += n
		}
	}
	return out
}

// numberAt reads a number starting at token i — digits, or number words
// ("twenty-five", "two hundred"), with a multiplier ("1.2 million") and a
// range ("35 to 40", "35-40") — and returns it as written, its key and the
// token after it.
func numberAt(ws []word, i int) (value, key string, next int, ok bool) {
	one := func(i int) (string, int, bool) {
		if i >= len(ws) || ws[i].punct {
			return "", i, false
		}
		t := strings.ToLower(ws[i].text)
		if t[0] >= '0' && t[0] <= '9' {
			digits := strings.ReplaceAll(t, ",", "")
			if len(digits) == 4 && (strings.HasPrefix(digits, "19") || strings.HasPrefix(digits, "20")) && i+1 < len(ws) && !letters(ws[i+1].text) {
				return "", i, false // a year
			}
			j := i + 1
			for j < len(ws) && multipliers[strings.ToLower(ws[j].text)] {
				digits += " " + strings.ToLower(ws[j].text)
				j++
			}
			return digits, j, true
		}
		parts := strings.Split(t, "-")
		for _, p := range parts {
			if _, ok := numberWords[p]; !ok {
				return "", i, false
			}
		}
		if t == "one" || t == "hundred" || t == "dozen" {
			return "", i, false // "one of", "a dozen" count nothing exactly
		}
		j := i + 1
		for j < len(ws) && multipliers[strings.ToLower(ws[j].text)] {
			t += " " + strings.ToLower(ws[j].text)
			j++
		}
		return t, j, true
	}
	k, j, ok := one(i)
	if !ok {
		return "", "", i, false
	}
	if j+1 < len(ws) && (ws[j].text == "to" || ws[j].text == "-" || ws[j].text == "–" || ws[j].text == "or") {
		if k2, j2, ok := one(j + 1); ok {
			k, j = k+"-"+k2, j2
		}
	}
	var b strings.Builder
	for n := i; n < j; n++ {
		if n > i && ws[n].text != "-" && ws[n].text != "–" && ws[n-1].text != "-" && ws[n-1].text != "–" {
			b.WriteByte(' ')
		}
		b.WriteString(ws[n].text)
	}
	return b.String(), k, j, true
}

func letters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '-' {
			return false
		}
	}
	return s != ""
}

// figures reads the figures of a sentence whose dates are masked: each
// number followed, within [maxModifiers] words and before any punctuation
// or function word, by the noun it counts — the last word of that run.
func figures(tc *retrieval.TermCache, s string) []figure {
	ws := tokens(s)
	var out []figure
	for i := 0; i < len(ws); i++ {
		value, key, j, ok := numberAt(ws, i)
		if !ok {
			continue
		}
		head := -1
		for n := j; n < len(ws) && n < j+maxModifiers; n++ {
			if ws[n].punct || !letters(ws[n].text) {
				break
			}
			terms := tc.Terms(ws[n].text)
			if len(terms) == 0 {
				break // a function word ends the noun phrase
			}
			head = n
		}
		i = j - 1
		if head < 0 {
			continue
		}
		terms := tc.Terms(ws[head].text)
		stem := terms[len(terms)-1]
		if notCounted[stem] || multipliers[stem] {
			continue
		}
		out = append(out, figure{value: value, key: key, thing: ws[head].text, stem: stem})
	}
	return out
}

// disagreements compares the figures of an event's reports: a counted
// thing that one report gives a figure for which another report (of
// another article) does not give, while that one gives a figure the first
// does not, is a disagreement. A report that gives more figures than
// another, the other's among them, only says more.
func disagreements(ms []*candidate) []Disagreement {
	type byArticle struct {
		article *corpus.Article
		thing   string
		values  []string // as written, in order
		keys    map[string]bool
	}
	var order []string
	things := map[string][]*byArticle{}
	for _, m := range ms {
		for _, f := range m.figs {
			list := things[f.stem]
			if list == nil {
				order = append(order, f.stem)
			}
			var cur *byArticle
			for _, x := range list {
				if x.article == m.report.Article {
					cur = x
				}
			}
			if cur == nil {
				cur = &byArticle{article: m.report.Article, thing: f.thing, keys: map[string]bool{}}
				things[f.stem] = append(list, cur)
			}
			if !cur.keys[f.key] {
				cur.keys[f.key] = true
				cur.values = append(cur.values, f.value)
			}
		}
	}
	var out []Disagreement
	if d, ok := timesDiffer(ms); ok {
		out = append(out, d)
	}
	for _, stem := range order {
		list := things[stem]
		differ := false
		for i := 0; i < len(list) && !differ; i++ {
			for j := i + 1; j < len(list) && !differ; j++ {
				differ = missing(list[i].keys, list[j].keys) && missing(list[j].keys, list[i].keys)
			}
		}
		if !differ {
			continue
		}
		d := Disagreement{Thing: list[0].thing}
		for _, x := range list {
			d.Figures = append(d.Figures, Figure{Value: strings.Join(x.values, ", "), Article: x.article})
		}
		out = append(out, d)
	}
	return out
}

// missing reports whether a holds a key b does not.
func missing(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return true
		}
	}
	return false
}

// timesDiffer compares the times of day the reports give for an event, in
// the same zone: "4:30 pm Pakistan time" and "5 pm Pakistan time" differ.
func timesDiffer(ms []*candidate) (Disagreement, bool) {
	byZone := map[string][]*candidate{}
	for _, m := range ms {
		if d := m.report.Date; d.Clock != "" {
			byZone[strings.ToLower(d.Zone)] = append(byZone[strings.ToLower(d.Zone)], m)
		}
	}
	for _, list := range byZone {
		for _, m := range list[1:] {
			if m.report.Date.Clock == list[0].report.Date.Clock {
				continue
			}
			d := Disagreement{Thing: "time"}
			for _, x := range list {
				v := x.report.Date.Clock
				if x.report.Date.Zone != "" {
					v += " " + x.report.Date.Zone
				}
				d.Figures = append(d.Figures, Figure{Value: v, Article: x.report.Article})
			}
			return d, true
		}
	}
	return Disagreement{}, false
}
