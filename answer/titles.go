package answer

import (
	"slices"
	"strings"
	"sync"

	"github.com/crisisbot/crisisbot/corpus"
)

// A report names a person in full once, with a title — "the Director
// General of Air Operations, Air Marshal A.K. Bharti" — and then by surname
// alone: "Air Marshal Bharti said". A question may name the title instead
// ("India's DGMO", "the head of India's air operations"); the titles a
// report gives its people let the later sentence answer it. Only what the
// report itself says is used: no list of office holders.

// titleBook maps a person's surname, lower-cased, to the words of the
// titles and full names its report gives them.
type titleBook map[string][]word

// titleCache keeps what the checks read once per report — its people's
// titles and its words — for the reports read lately: a question checks
// many sentences of few reports. It is bounded and safe for concurrent use.
type titleCache struct {
	mu sync.Mutex
	m  map[string]titleEntry
}

type titleEntry struct {
	text  string // the report's text, so an edited report is read again
	book  titleBook
	words []word // of the whole text
}

// titleCacheLimit bounds a titleCache: past it, it starts over.
const titleCacheLimit = 512

// of returns the book of art, reading it on first use.
func (tc *titleCache) of(st *stemmer, art *corpus.Article) titleBook {
	return tc.entry(st, art).book
}

// wordsOf returns the words of art's text, split on first use.
func (tc *titleCache) wordsOf(st *stemmer, art *corpus.Article) []word {
	return tc.entry(st, art).words
}

func (tc *titleCache) entry(st *stemmer, art *corpus.Article) titleEntry {
	if tc == nil {
		return readEntry(st, art.Text)
	}
	tc.mu.Lock()
	e, ok := tc.m[art.ID]
	tc.mu.Unlock()
	if ok && e.text == art.Text {
		return e
	}
	e = readEntry(st, art.Text)
	tc.mu.Lock()
	if tc.m == nil || len(tc.m) >= titleCacheLimit {
		tc.m = make(map[string]titleEntry)
	}
	tc.m[art.ID] = e
	tc.mu.Unlock()
	return e
}

func readEntry(st *stemmer, text string) titleEntry {
	ws := st.words(text, 0, len(text))
	return titleEntry{text: text, book: titlesOf(text, ws), words: ws}
}

// readTitles reads the people a report names in two words or more, with
// the titles it gives them: in the same run of capitals ("Foreign
// Secretary Vikram Misri"), before it after "the" and a comma ("the
// Director General of Military Operations, Lieutenant General Rajiv
// Ghai"), or after it in lower case ("Ahmed Sharif Chaudhry, the director
// general of Inter-Services Public Relations").
func readTitles(st *stemmer, text string) titleBook {
	return titlesOf(text, st.words(text, 0, len(text)))
}

// titlesOf is [readTitles] over the text's words, already split.
func titlesOf(text string, ws []word) titleBook {
	runs := capitalRuns(text, ws)
	book := titleBook{}
	for n, r := range runs {
		i, j := r[0], r[1]
		last := ws[j]
		if j == i || isCalendarWord(last.lower) || isAcronym(last.raw) || isCommonCapital(surface(last.raw)) {
			continue
		}
		title := append([]word(nil), ws[i:j+1]...)

		if n > 0 {
			p := runs[n-1]
			if p[1] > p[0] && p[0] > 0 && ws[p[0]-1].lower == "the" &&
				strings.TrimSpace(text[ws[p[1]].end:ws[i].start]) == "," &&
				strings.TrimSpace(text[ws[p[0]-1].end:ws[p[0]].start]) == "" {
				title = append(title, ws[p[0]:p[1]+1]...)
			}
		}

		// A capitalised title after the comma opens the next person of a
		// list ("…, Lieutenant General Rajiv Ghai, the Director General
		// of Air Operations, …"), so only a lower-case one is this one's.
		if j+2 < len(ws) && strings.TrimSpace(text[last.end:ws[j+1].start]) == "," && ws[j+1].lower == "the" && !isCapitalised(ws[j+2].raw) {
			k := j + 2
			for k < len(ws) && k < j+12 && (k == j+2 || !strings.ContainsAny(text[ws[k-1].end:ws[k].start], ",.;:—–\"“”")) {
				k++
			}
			title = append(title, ws[j+2:k]...)
		}

		key := surface(last.raw)
		book[key] = append(book[key], title...)
	}
	return book
}

// capitalRuns returns the runs of capitalised words of ws, as first and
// last index: words joined by spaces, a joiner ("of") or an initial's dot
// ("A.K. Bharti"), and not by other punctuation.
func capitalRuns(text string, ws []word) [][2]int {
	var runs [][2]int
	for i := 0; i < len(ws); i++ {
		if !isCapitalised(ws[i].raw) {
			continue
		}
		j := i
		for j+1 < len(ws) {
			next := j + 1
			if isJoiner(ws[next].lower) && next+1 < len(ws) && isCapitalised(ws[next+1].raw) &&
				strings.TrimSpace(text[ws[next].end:ws[next+1].start]) == "" {
				next++
			}
			if next == j+1 && next+1 < len(ws) && strings.TrimSpace(text[ws[j].end:ws[next].start]) == "(" && isAcronym(ws[next].raw) &&
				strings.TrimSpace(text[ws[next].end:ws[next+1].start]) == ")" && isCapitalised(ws[next+1].raw) {
				// "National Security Advisor (NSA) Ajit Doval": the
				// title's initials in brackets stand inside the run.
				j = next + 1
				continue
			}
			if !isCapitalised(ws[next].raw) || !joined(text, ws, j, next) {
				break
			}
			j = next
		}
		runs = append(runs, [2]int{i, j})
		i = j
	}
	return runs
}

// joined reports whether only spaces, a joiner, or the dot after an
// initial stand between ws[j] and ws[k].
func joined(text string, ws []word, j, k int) bool {
	between := strings.TrimSpace(text[ws[j].end:ws[k].start])
	if k == j+2 {
		between = strings.TrimSpace(text[ws[j].end:ws[j+1].start]) + strings.TrimSpace(text[ws[j+1].end:ws[k].start])
	}
	if between == "" {
		return true
	}
	return between == "." && len([]rune(ws[j].raw)) == 1
}

// subordinate: words that make a title someone's below the head ("Deputy
// Director General"), so it does not answer "the head of".
func subordinate(w string) bool {
	switch w {
	case "deputy", "assistant", "additional", "former", "acting", "joint":
		return true
	}
	return false
}

// titledSpeaker reports whether a person the sentence names holds, by the
// titles their report gives them, the office the question asks about:
// "Air Marshal Bharti said" is what the head of India's air operations
// said when the report named him "the Director General of Air Operations".
// It returns that title's words.
func (c checks) titledSpeaker(a *analysis, v sentenceView, ws []word) ([]word, bool) {
	if a.subjectTerm == "" {
		return nil, false
	}
	book := c.titles.of(c.stems, v.report())
	for _, w := range ws {
		// "Sharif's office said" is the office speaking, not Sharif.
		if !isCapitalised(w.raw) || surface(w.raw) != w.lower {
			continue
		}
		title, ok := book[surface(w.raw)]
		if !ok || officeName(title) {
			continue
		}
		if titleFits(a, title, ws, v.around) {
			return title, true
		}
		// "President Donald Trump said" is what the American president
		// said when another report calls him "US President Donald Trump".
		if other := a.people.titlesFor(surface(w.raw), title); other != nil && titleFits(a, other, ws, v.around) {
			return other, true
		}
	}
	return nil, false
}

// officeName reports whether the words a report puts before a capital
// make it the end of an office's name, not a person's: "Director General
// of Military Operations" is no one, while "Chief of Army Staff General
// Asim Munir" is a person, a title word standing after the "of".
func officeName(title []word) bool {
	last := -1
	for i, w := range title {
		if isJoiner(w.lower) {
			last = i
		}
	}
	if last < 0 {
		return false
	}
	return !slices.ContainsFunc(title[last+1:], func(w word) bool { return isTitleWord(w.lower) })
}

// titleFits reports whether a title is the asked speaker's. "The head of
// X" is whoever's title names X, unless the title is a deputy's; another
// speaker is named by its own word in the title ("the foreign secretary"),
// and by its owner there too when the question gives one: a prime minister
// who thanks China in the sentence is not China's.
func titleFits(a *analysis, title, ws, around []word) bool {
	if len(a.subjectOf) > 0 {
		for _, t := range title {
			if subordinate(t.lower) {
				return false
			}
		}
		for _, part := range a.subjectOf {
			switch {
			case part.possessive:
				if !nameMatched(part.name, title, ws, around) {
					return false
				}
			case part.name != nil:
				if !nameIn(part.name, title) {
					return false
				}
			default:
				if !hasTerm(title, part.term) {
					return false
				}
			}
		}
		return true
	}
	if !hasTerm(title, a.subjectTerm) {
		return false
	}
	return a.owner == "" || a.ownerNamed(title)
}

// hasTerm reports whether ws holds the index term t.
func hasTerm(ws []word, t string) bool {
	for _, w := range ws {
		if w.term == t && t != "" {
			return true
		}
	}
	return false
}

// ofPart is one piece of what a "head of X" question's X is: a name, a
// possessive name ("India's"), or a common word as its index term.
type ofPart struct {
	name       []string
	possessive bool
	term       string
}

// headNouns are the nouns that name whoever is in charge of what follows
// "of": "the head of the United Nations", "the chief of the air staff".
func isHeadNoun(w string) bool {
	switch w {
	case "head", "chief", "leader":
		return true
	}
	return false
}

// readSubjectOf reads X of "the head of X" in the question, up to its verb:
// "the head of India's air operations say" gives India's, air, operations.
func readSubjectOf(text, subject, verb string) []ofPart {
	raw := strings.Fields(text)
	start := -1
	for i := 0; i+1 < len(raw); i++ {
		if strings.EqualFold(strings.Trim(raw[i], ",.?!"), subject) && strings.EqualFold(raw[i+1], "of") {
			start = i + 2
			break
		}
	}
	if start < 0 {
		return nil
	}
	var parts []ofPart
	var run []string
	flush := func(possessive bool) {
		if len(run) > 0 {
			parts = append(parts, ofPart{name: run, possessive: possessive})
			run = nil
		}
	}
	for _, r := range raw[start:] {
		w := strings.Trim(r, ",.?!;:\"“”")
		lw := surface(w)
		if lw == verb || lw == "" {
			break
		}
		if isCapitalised(w) {
			run = append(run, lw)
			if lw != strings.ToLower(w) || strings.HasSuffix(w, "’s") {
				flush(true)
			}
		} else {
			flush(false)
			if t := term1(lw); t != "" {
				parts = append(parts, ofPart{term: t})
			}
		}
		if w != r {
			break // punctuation ends the phrase
		}
	}
	flush(false)
	return parts
}

// titleNames reports whether name i of the question stands in the title
// of a person the sentence names: "Lt Gen Ghai named three…" is said by
// India's DGMO when the report called him "the Director General of
// Military Operations".
func (c checks) titleNames(a *analysis, i int, v sentenceView, ws []word) bool {
	name := a.nameWords[i]
	book := c.titles.of(c.stems, v.report())
	for k, w := range ws {
		if !isCapitalised(w.raw) || runGoesOn(ws, k) {
			continue // "Sharif" in "Ahmed Sharif Chaudhry" is not the surname
		}
		title, ok := book[surface(w.raw)]
		if !ok {
			continue
		}
		if nameIn(name, title) {
			return true
		}
		// Another report may give the title that names it: "French
		// President Anne Morel" for this one's "President Anne Morel".
		if other := a.people.titlesFor(surface(w.raw), title); other != nil && a.named(i, other) {
			return true
		}
	}
	return false
}

// ownName reports whether a run of capitals in a sentence names what the
// question itself names, so it is no answer to it: "India" where the
// question says "Indian", or "General Asim Munir" and "Chief of Army
// Staff", the rank and title the report gives the Asim Munir the question
// asks about.
func ownName(name []string, run []word, book titleBook) bool {
	if len(name) == 0 {
		return false
	}
	if len(name) == 1 && len(run) == 1 && nameIn(name, run) {
		return true
	}
	// A person is asked for by full name; one word may be a place ("in
	// India") that ends a run of capitals too. A surname alone names the
	// person when the report gives it a title and the run ends on it:
	// "Prime Minister Narendra Modi" is the Modi of "which officials
	// returned with Modi".
	title, ok := book[name[len(name)-1]]
	if ok && len(name) == 1 && personTitled(title, run, name[0]) {
		return true
	}
	if !ok || len(name) < 2 {
		return false
	}
	inTitle := true
	for _, w := range run {
		if surface(w.raw) == name[len(name)-1] {
			return true
		}
		if !isJoiner(w.lower) && !hasTerm(title, w.term) {
			inTitle = false
		}
	}
	return inTitle
}

// personTitled reports whether run is a person's title and name ending on
// surname, as title (what the report puts before the surname) shows it
// to be a person's: "Prime Minister Narendra Modi", not "Foreign Minister
// Piet Kaan of Westmark" nor "the Pakistan-based Lashkar-e-Taiba".
func personTitled(title, run []word, surname string) bool {
	if len(run) < 2 || surface(run[len(run)-1].raw) != surname {
		return false
	}
	for _, w := range run {
		if isJoiner(w.lower) {
			return false
		}
	}
	return slices.ContainsFunc(title, func(w word) bool { return isTitleWord(w.lower) })
}
