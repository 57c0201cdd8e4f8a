package answer

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// A sentence answers a question only when it holds what the question asks
// for; the checks below say what that means without a language model. They
// run in order, and the first that fails is the reason kept for eval -v and
// for the refusal.

// word is one word of a sentence with its place in the article text.
type word struct {
	start, end int
	raw        string // as written
	lower      string
	term       string // index term, "" for a stop word
	num        bool   // a number, in digits or words
}

// stemmer memoises index terms: stemming is most of the cost of checking
// sentences, and a corpus repeats the same words. It is bounded and safe
// for concurrent use; a nil stemmer stems every word afresh.
type stemmer struct {
	mu sync.RWMutex
	m  map[string]string
}

// stemmerLimit bounds a stemmer: past it, it starts over.
const stemmerLimit = 1 << 16

func (s *stemmer) term(lower string) string {
	if s == nil {
		return term1(lower)
	}
	s.mu.RLock()
	t, ok := s.m[lower]
	s.mu.RUnlock()
	if ok {
		return t
	}
	t = term1(lower)
	s.mu.Lock()
	if s.m == nil || len(s.m) >= stemmerLimit {
		s.m = make(map[string]string)
	}
	s.m[strings.Clone(lower)] = t
	s.mu.Unlock()
	return t
}

// splitWords splits text[start:end] into words, with offsets into text.
func splitWords(text string, start, end int) []word {
	return (*stemmer)(nil).words(text, start, end)
}

// words is [splitWords] through the memo.
func (st *stemmer) words(text string, start, end int) []word {
	var out []word
	s := text[start:end]
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			i += size
			continue
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				j += size
				continue
			}
			// Keep inner apostrophes, hyphens and number punctuation
			// ("India's", "Twenty-five", "1,000", "4.5").
			if (r == '\'' || r == '’' || r == '-' || r == ',' || r == '.') && j+size < len(s) {
				nr, _ := utf8.DecodeRuneInString(s[j+size:])
				prev, _ := utf8.DecodeLastRuneInString(s[:j])
				if r == '-' && (unicode.IsLetter(nr) || unicode.IsDigit(nr)) || (r == '\'' || r == '’') && unicode.IsLetter(nr) ||
					(r == ',' || r == '.') && unicode.IsDigit(prev) && unicode.IsDigit(nr) {
					j += size
					continue
				}
			}
			break
		}
		raw := s[i:j]
		lower := strings.ToLower(raw)
		w := word{start: start + i, end: start + j, raw: raw, lower: lower, term: st.term(lower)}
		w.num = isNumeric(lower)
		out = append(out, w)
		i = j
	}
	return out
}

// isNumeric reports whether w is a quantity: digits, or a number word
// ("five", "twenty-five", "dozens").
func isNumeric(w string) bool {
	if w == "" {
		return false
	}
	if strings.IndexFunc(w, unicode.IsDigit) == 0 {
		return true
	}
	if isNumberWord(w) {
		return w != "half" && w != "single" && w != "double" && w != "twice" && w != "none"
	}
	head, _, ok := strings.Cut(w, "-")
	return ok && isNumberWord(head)
}

// sentenceView is one candidate: a sentence (with the one it continues
// into), the words around it that may carry its subject, and its dates.
type sentenceView struct {
	hit     int
	article *corpus.Article
	span    corpus.Span // what is quoted
	// context is the previous sentence of the paragraph when the quoted
	// one opens by pointing back ("He said…", "The move…"), else empty.
	context corpus.Span
	// refers is the last sentence of the paragraph before, when the
	// quoted one opens its paragraph by pointing back ("The decisions
	// were taken…"): quoted with it, but not read by the checks.
	refers corpus.Span
	words  []word // of span
	ctx    []word // of context
	// around are the words of the headline and the lead, where a report
	// says once who and where; title is the headline's alone.
	around []word
	title  []word
	lead   []word // the first paragraph's words alone
	// adjacent are the words of the sentences just before and after, in
	// the same paragraph; prev the one before alone.
	adjacent []word
	prev     []word
	// next is the span of the sentence after, in the same paragraph, and
	// nextWords its words; withNext: the answer leans on it for its verb
	// ("Misri listed five measures: …" after the sentence that holds them),
	// so it is quoted too. withPrev is the same for the sentence before.
	next               corpus.Span
	nextWords          []word
	prevSpan           corpus.Span
	withNext, withPrev bool
	// headline: the candidate is the article's headline, not a sentence
	// of its text.
	headline bool
	// before are the words of the paragraph up to the sentence: who is
	// speaking in a paragraph of quotes is said once, at its start.
	before []word
	dates  []corpus.EventDate
	// near are the dates of the sentences on either side, in the same
	// paragraph: a report often gives the day once for several sentences.
	near []corpus.EventDate
	// leansOnContext: the sentence answers only with its context, which
	// names what it does not ("The ceasefire nevertheless held" after
	// "explosions reported in Srinagar"), so the quote shows both.
	leansOnContext bool
	// full is the whole report of a headline candidate, whose article is
	// a copy holding the headline alone; nil for a sentence of the text.
	full *corpus.Article
}

// report is the whole report the candidate is from: what it says of its
// people holds for its headline too.
func (v sentenceView) report() *corpus.Article {
	if v.full != nil {
		return v.full
	}
	return v.article
}

// evidence is a candidate that was checked: what it matched, what it holds
// for the asked slot, and why it failed if it did.
type evidence struct {
	view     sentenceView
	coverage float64
	value    string // the slot's value, normalised, to compare sources
	fail     string // the first check that failed, "" when it answers
	// focusExact: the asked thing is named by its own word, not a near
	// synonym.
	focusExact bool
	// missing are the question's words, besides its names, that the
	// sentence holds in no form: eval -v shows them with the choice.
	missing []string
}

// checks holds what the answerer's checks need besides the question.
type checks struct {
	minCoverage float64
	focusFloor  float64
	sim         Similarity // may be nil
	syns        *synonymCache
	stems       *stemmer
	titles      *titleCache
	names       Gazetteer // may be nil
	kinds       NounKinds // may be nil
}

// verify runs every check on one candidate.
func (c checks) verify(a *analysis, v sentenceView) evidence {
	ev := evidence{view: v}
	all := append(slices.Clip(v.words), v.ctx...)
	terms := map[string]bool{}
	for _, w := range all {
		if w.term != "" {
			terms[w.term] = true
		}
	}

	// Names may stand in the headline and lead too, where a report says
	// once who and where.
	around := append(slices.Clip(all), v.around...)
	for i := range a.names {
		if a.excluded[i] {
			continue
		}
		if !a.named(i, around, v.title) && !namedBefore(a.nameWords[i], all, v) && !c.titleNames(a, i, v, all) &&
			!c.headNamedBefore(a.nameWords[i], a.nameHead[i], all, v) {
			ev.fail = fmt.Sprintf("it does not mention %q", a.nameText[i])
			return ev
		}
		if c.countryTailOnly(a, i, v) {
			// "Air India" is not named by "northern India": a name that
			// ends in a country's is another thing than the country.
			ev.fail = fmt.Sprintf("it does not mention %q", a.nameText[i])
			return ev
		}
		if a.speaks[i] && !a.named(i, all, v.before) && !namedBefore(a.nameWords[i], all, v) &&
			!c.titleNames(a, i, v, append(slices.Clip(all), v.before...)) {
			// The report's headline speaker is not every sentence's: a
			// report on a briefing quotes officials too.
			ev.fail = fmt.Sprintf("it does not say what %s said", a.nameText[i])
			return ev
		}
		if other := c.otherCountryOf(a, i, all); other != "" {
			// "Which district on the Pakistani side" is not answered by
			// "the Poonch district on the Indian side".
			ev.fail = fmt.Sprintf("it says the %s %s, not the %s one", other, a.nameHead[i], a.nameText[i])
			return ev
		}
		if a.place[i] && !placeNamed(a.nameWords[i][0], append(slices.Clip(around), v.title...)) {
			ev.fail = fmt.Sprintf("it does not say %q as a place", a.nameText[i])
			return ev
		}
		// A report's lead says once what event it is on: "which round of
		// the Doha Diamond League" is answered by a later paragraph's
		// "third-round throw".
		if (a.slot == slotCount || a.slot == slotName) && a.modifies[i] && !a.named(i, all, v.prev) && !(a.slot == slotName && len(a.nameWords[i]) > 1 && a.named(i, v.lead)) {
			// "Five Indian jets" in a report on Rafales counts jets, not
			// Rafales; whose they are may stand in the sentence before
			// ("Eleven members of Pakistan's forces… Six were soldiers").
			if a.slot == slotCount {
				ev.fail = fmt.Sprintf("it does not count %s %s", a.nameText[i], a.focus)
			} else {
				ev.fail = fmt.Sprintf("it does not say %q of the %s", a.nameText[i], a.focus)
			}
			return ev
		}
	}

	for _, o := range a.ordinals {
		// "When did the second Test begin" is not answered by "the third
		// Test begins next week", nor "how far in the first round" by the
		// night's best throw. The headline may say which one the report
		// is on; "first" may go unsaid of the thing itself ("a statement
		// issued at 1:44 am" for the first statement).
		other, ok := c.ordinalSaid(o, all)
		if !ok && other == "" {
			_, ok = c.ordinalSaid(o, append(slices.Clip(v.around), v.title...))
		}
		if !ok && other == "" && o[0] == "first" {
			ok = slices.ContainsFunc(v.words, func(w word) bool { return w.term == o[1] })
		}
		if !ok {
			if other != "" {
				ev.fail = fmt.Sprintf("it says the %s %s, not the %s", other, o[1], o[0])
			} else {
				ev.fail = fmt.Sprintf("it does not say the %s %s", o[0], o[1])
			}
			return ev
		}
	}

	if n := numberUnsaid(a, v, all); n != "" {
		// "Of the 78 servicemen wounded, how many were air force?" is
		// not answered by "six of the 11 were soldiers": the figure the
		// question gives says which group it counts from.
		ev.fail = fmt.Sprintf("it does not say %q", n)
		return ev
	}

	if a.agent >= 0 && agentOnlyGoverned(a, all) {
		// "When did Pakistan close its airspace" is not answered by
		// "India closed its airspace to Pakistan", nor "how did India
		// react" by "citing his leadership in the clashes with India".
		ev.fail = fmt.Sprintf("it names %s only after a preposition or inside a compound, not as who acts", a.nameText[a.agent])
		return ev
	}
	if a.agent >= 0 && c.names != nil {
		if other := c.otherCountryActs(a, v); other != "" {
			// "What did Pakistan call the strikes" is not answered by
			// "India carried out strikes on nine sites in Pakistan …
			// under what it called Operation Sindoor".
			ev.fail = fmt.Sprintf("it says what %s did, with %s only as a place", other, a.nameText[a.agent])
			return ev
		}
	}

	if a.agent >= 0 && a.slot == slotCount && c.names != nil && !a.named(a.agent, all) {
		if other := c.otherCountryPlace(a, all); other != "" {
			// "How many airports did Pakistan shut" is not answered by
			// "airports in northern India were closed" in a report that
			// names Pakistan elsewhere: who closed them is not said.
			ev.fail = fmt.Sprintf("it does not say %s did it, and places it in %s", a.nameText[a.agent], other)
			return ev
		}
	}

	for i := range a.names {
		if !a.excluded[i] && otherBearer(a.nameWords[i], all) {
			// "Defence Minister Rajnath Singh" is not Wing Commander
			// Vyomika Singh.
			ev.fail = fmt.Sprintf("it names another %s", a.nameText[i])
			return ev
		}
	}

	if alt := c.alternativeSaid(a, all); alt != "" {
		// "Militant camps or civilian sites?" is answered by a sentence
		// that says one of them, in its own word or a synonym: GloVe's
		// near words are each other's alternatives.
		ev.fail = alt
		return ev
	}

	ev.coverage = c.coverage(a, a.key, all, terms, v.article.Text)
	withTitle := append(slices.Clip(all), v.title...)
	// byHeadline: only the headline names the speaker, so the report is
	// theirs ("What did report 42 say"), whoever it quotes.
	byHeadline := false
	var speakerTitle []word
	if a.speakerAsked() && !ownSpeakerIn(a, all, v.around) && !ownSpeakerIn(a, v.before, v.around) && speakerIn(a.subjectTerm, v.title) && ownerIn(a, v.around) &&
		!ownedByAnother(a, append(slices.Clip(v.title), v.lead...)) {
		byHeadline = true
	} else if a.speakerAsked() && !ownSpeakerIn(a, all, v.around) && !ownSpeakerIn(a, v.before, v.around) {
		// What someone said is answered only by what that someone said:
		// "what did China's government say" is not answered by a prime
		// minister thanking China. The speaker may be named by surname,
		// with the title given earlier in the report.
		title, ok := c.titledSpeaker(a, v, all)
		if !ok {
			title, ok = c.titledSpeaker(a, v, v.before)
		}
		if !ok {
			ev.fail = fmt.Sprintf("it does not say what the %s said", a.subject)
			return ev
		}
		for _, w := range title {
			if w.term != "" {
				terms[w.term] = true
			}
		}
		speakerTitle = title
	}
	if m := a.subjectMod; a.speakerAsked() && m != "" && !c.wordMatched(m, all) && !c.wordMatched(m, v.before) && !c.wordMatched(m, v.around) && !c.wordMatched(m, speakerTitle) {
		// A commander of the army is no militia commander; the word may
		// be a near one ("the foreign ministry", "External Affairs").
		ev.fail = fmt.Sprintf("it does not say what the %s %s said", a.subjectMod, a.subject)
		return ev
	}
	if a.speakerAsked() {
		// What someone said is a statement: a verb of saying in the
		// sentence, or a quotation in a paragraph that says whose it is
		// — not a sentence about them beside one ("the ministry rejected
		// that account" before the quote that says how).
		quoted := strings.ContainsAny(v.article.Text[v.span.Start:v.span.End], "\"“”")
		if !saysSomething(all, "") && !(quoted && saysSomething(append(slices.Clip(v.before), v.prev...), "")) {
			ev.fail = fmt.Sprintf("it does not give what the %s said", a.subject)
			return ev
		}
		if other := otherSpeaker(a, v.article.Text, v.words); other != "" && !byHeadline {
			// "Analysts said … the army chief's authority": the
			// statement is the analysts', about the chief.
			ev.fail = fmt.Sprintf("it gives what the %s said, not the %s", other, a.subject)
			return ev
		}
		// Found there, the speaker counts as said by this sentence: a
		// quote need not repeat who is speaking.
		terms[a.subjectTerm] = true
	}
	if len(a.topic) > 0 || slices.Contains(a.topicName, true) {
		// "What did Misri say about the strike on Nur Khan": a statement
		// of his on the ceasefire is no answer.
		// A statement in a paragraph, or a report headed, on that thing
		// may leave it unnamed ("rejected that account").
		near := append(slices.Clip(all), v.prev...)
		for i, t := range a.topicName {
			if t && !a.excluded[i] && !a.named(i, near, v.before, v.title) {
				ev.fail = fmt.Sprintf("it is not about %s", a.nameText[i])
				return ev
			}
		}
		if len(a.topic) > 0 && !slices.ContainsFunc(a.topic, func(w string) bool { return c.wordMatched(w, all) }) {
			ev.fail = fmt.Sprintf("it is not about %q", strings.Join(a.topic, " "))
			return ev
		}
	}
	// "He said …" speaks as whoever the sentence before says spoke.
	speaking := v.words
	if pronounSpeaks(v.words) && len(v.ctx) > 0 {
		speaking = v.ctx
	}
	if a.speaker >= 0 {
		if other := questionNameSpeaking(a, v.article.Text, speaking); other != "" {
			// "How did Pakistan respond to Modi's address": what Modi
			// said in it is not Pakistan's response.
			ev.fail = fmt.Sprintf("it gives what %s said, not %s", other, a.nameText[a.speaker])
			return ev
		}
	}
	if named := a.namedSpeaker(); named >= 0 && !a.speakerAsked() {
		// What a named person said is a statement of theirs too: "Shah
		// flew to Srinagar" says nothing, and in "State television
		// reported that Sharif had called a meeting" the television
		// speaks. Their name's words and the report's titles for them
		// ("the committee said", "the prime minister said") are theirs.
		// The verb of saying is the sentence's own: "He was joined by …
		// Wing Commander Singh" borrows its "he" from a sentence on what
		// Misri said.
		quoted := strings.ContainsAny(v.article.Text[v.span.Start:v.span.End], "\"“”")
		if !saysSomething(v.words, "") && !(quoted && saysSomething(append(slices.Clip(v.before), v.prev...), "")) {
			ev.fail = fmt.Sprintf("it does not give what %s said", a.nameText[named])
			return ev
		}
		book := c.titles.of(c.stems, v.report())
		name := a.nameWords[named]
		title := book[name[len(name)-1]]
		own := func(w word) bool {
			// "Commodore Vask said" is the DGRO speaking when the report
			// titles Vask so.
			return hasTerm(title, w.term) || slices.Contains(a.names[named], w.term) ||
				isCapitalised(w.raw) && nameIn(name, book[surface(w.raw)])
		}
		if other := otherSpeakerThan(own, true, v.article.Text, speaking); other != "" {
			if !isCapitalised(other) {
				other = "the " + other
			}
			ev.fail = fmt.Sprintf("it gives what %s said, not %s", other, a.nameText[named])
			return ev
		}
	}

	if a.relation != "" {
		var said bool
		if a.slot == slotCount {
			// A count's verb stands with its number, or with the number
			// the sentence takes its share of: "Six of the 11 were
			// soldiers" after "Eleven … were killed and 78 wounded"
			// counts the dead, not the wounded.
			said = c.relationMatched(a, all) || c.relationMatched(a, c.partOfClause(a, v))
		} else if a.slot == slotTime && !c.relationMatched(a, withTitle) && c.adjacentDated(a, v) {
			// A sentence next door that says the verb and gives a time of
			// its own is where that happened: "By 2 am the firing had
			// stopped" does not time "On Sunday … the blackout was
			// lifted" after it.
			ev.fail = fmt.Sprintf("it does not say %q, and the sentence beside it that does gives its own time", a.relation)
			return ev
		} else {
			// The verb may stand in the sentence next to it: "Misri
			// announced them at a briefing" before the list of measures.
			said = c.relationMatched(a, append(withTitle, v.adjacent...))
			if said && !c.relationMatched(a, withTitle) {
				// The verb is only next door: the answer shows it.
				ev.view.withPrev = c.relationMatched(a, v.prev)
				ev.view.withNext = !ev.view.withPrev
			}
		}
		if !said {
			ev.fail = fmt.Sprintf("it does not say %q or a word like it", a.relation)
			return ev
		}
	}

	if a.asksOnset() && !saysOnset(all) {
		// "When did the curfew take effect" is not answered by the day
		// it was announced.
		ev.fail = "it does not say when it began"
		return ev
	}

	if a.object != "" && !c.wordOrSynonym(a.object, v.words) && c.compoundScore(a.object, v.words, false) == 0 {
		// "When did Munir become army chief" is not answered by "he
		// became only the second officer to hold the rank".
		ev.fail = fmt.Sprintf("it does not say %q of the %s", a.relation, a.object)
		return ev
	}

	if a.verbWeighed != "" && !c.wordMatched(a.verbWord, append(withTitle, v.adjacent...)) {
		// "Who chaired", "who is leading": the sentence says that verb, or
		// one of its near words ("explained to reporters" for "briefed").
		ev.fail = fmt.Sprintf("it does not say %q or a word like it", a.verbWord)
		return ev
	}
	if a.verbWeighed != "" && !c.wordMatched(a.verbWord, withTitle) {
		ev.view.withPrev = c.wordMatched(a.verbWord, v.prev)
		ev.view.withNext = !ev.view.withPrev
	}

	for _, w := range a.occasion {
		if !c.wordMatched(w, append(withTitle, v.adjacent...)) {
			ev.fail = fmt.Sprintf("it does not say %q or a word like it", w)
			return ev
		}
	}

	if w := onlyIntended(a, v.words); w != "" && !(len(v.title) > 0 && onlyIntended(a, v.title) == "" && happenedIn(a, v.title)) {
		// The headline may say it happened: "India said it would hold
		// the treaty in abeyance" under "India holds water treaty in
		// abeyance".
		// "What did he say when he visited Poonch" is not answered by
		// "said he would visit Poonch": an intention is no visit.
		ev.fail = fmt.Sprintf("it says only that it %s happen", w)
		return ev
	}

	for _, d := range a.described {
		if other := otherParticiple(v.words, d); other != "" {
			// "for the family of each civilian killed" is not for the
			// civilians wounded.
			ev.fail = fmt.Sprintf("it says %q, not %s", other, d[2])
			return ev
		}
	}

	var focusAt []int
	if a.focus != "" {
		focusAt, ev.focusExact = c.findFocus(a, v.words)
		// "What was the value of the deal" is answered by a sentence that
		// speaks of a value, not by one about the deal.
		required := a.slot == slotCount || a.slot == slotDuration || a.focusNamed && (a.slot == slotName || a.slot == slotAny)
		// "The name of the pilot" needs the word itself: a synonym's
		// neighbour ("aircraft") is no pilot.
		if required && (len(focusAt) == 0 || a.slot == slotName && a.focusNamed && !ev.focusExact) {
			ev.fail = fmt.Sprintf("it does not mention %q", a.focus)
			return ev
		}
	}

	if a.slot == slotName && a.focus != "" && len(focusAt) == 0 && c.kinds != nil && !c.kinds.NamesKind(strings.ToLower(a.focus)) {
		// A city, a minister or a group is answered by a name alone
		// ("Muridke", "Rajnath Singh"), but a mosque, a missile or a
		// bridge is named by saying which: a list of towns is no mosque.
		ev.fail = fmt.Sprintf("it names no %s", a.focus)
		return ev
	}
	if a.slot == slotName && a.focus != "" && len(focusAt) == 0 {
		// A sentence that never names the asked kind of thing ("which
		// jets") must make up for it by holding everything else the
		// question asks; otherwise any name in it would pass for one:
		// "the Delta bridge" for the jets a spokesman's pilots downed.
		for _, k := range a.contentKeys() {
			if k.term != a.focusTerm && k.alt == 0 && c.termScore(a, k, all, terms, v.article.Text[v.span.Start:v.span.End]) == 0 {
				ev.fail = fmt.Sprintf("it names no %s, and does not say %q either", a.focus, k.word)
				return ev
			}
		}
	}

	if a.slot == slotName && ev.focusExact {
		focusAt = qualifiedFocus(a, v.words, focusAt)
	}

	value, ok := c.slotValue(a, v, focusAt)
	if !ok {
		what := a.slot.String()
		if a.slot == slotCount && a.focus != "" {
			what = fmt.Sprintf("a number of %s", a.focus)
		}
		ev.fail = "it gives no " + strings.TrimPrefix(strings.TrimPrefix(what, "a "), "an ")
		return ev
	}
	ev.value = value
	if a.slot == slotCount {
		for i := range a.names {
			if a.place[i] && placeNamed(a.nameWords[i][0], v.words) && !placeWithCount(v.article.Text, v.words, value, a.nameWords[i][0]) {
				// "… wounded 43, according to the police, and a soldier
				// was killed in the Poonch sector": 43 is not Poonch's.
				ev.fail = fmt.Sprintf("it names %q in another clause than its count", a.nameText[i])
				return ev
			}
		}
	}

	if a.datedNoun != "" && (otherDated(a, v.words, v.dates, v.span.Start) ||
		len(v.ctx) > 0 && otherDated(a, v.ctx, sentenceDates(v.article, v.context), v.context.Start)) {
		ev.fail = fmt.Sprintf("it dates the %s otherwise than %s", a.datedNoun, strings.TrimSpace(a.text[a.dates[0].Start:a.dates[0].End]))
		return ev
	}

	dated, explicit := false, false
	if len(a.dates) > 0 && a.rel != dateAround {
		dated, explicit = datesFit(a, v)
		if !dated && !a.datesRelativeOnly() {
			ev.fail = fmt.Sprintf("it is not about %s", a.text[a.dates[0].Start:a.dates[0].End])
			return ev
		}
	}

	if a.slot != slotTime {
		for _, q := range a.dates {
			if q.Clock != "" && !slices.ContainsFunc(v.dates, func(d corpus.EventDate) bool { return d.Clock == q.Clock }) {
				// "The missile fired at 1:40 am" is the one the sentence
				// times so; another sentence of that day is of another.
				ev.fail = fmt.Sprintf("it does not say %s", strings.TrimSpace(a.text[q.Start:q.End]))
				return ev
			}
		}
	}

	// The time a question names is part of what it asks: a sentence about
	// that time holds that much of it.
	content := c.contentCoverage(a, all, terms, v.title)
	if len(a.dates) > 0 && a.rel != dateAround && a.dates[0].Precision <= corpus.WeekPrecision && !a.datesRelativeOnly() {
		// Only a date the text gives counts, not the day it appeared. A
		// date counted from a guess at "now" is left out altogether.
		content = withDate(a, content, dated && explicit)
	}
	if content < c.minCoverage {
		ev.fail = fmt.Sprintf("it holds %.0f%% of the question's words besides its names, under %.0f%%", 100*content, 100*c.minCoverage)
		return ev
	}
	for _, k := range a.contentKeys() {
		if k.alt == 0 && c.termScore(a, k, all, terms, "") == 0 {
			ev.missing = append(ev.missing, k.word)
		}
	}
	if len(v.ctx) > 0 {
		ev.view.leansOnContext = c.leansOnContext(a, v)
	}
	return ev
}

// leansOnContext reports whether a name or word of the question that the
// sentence matches only through its context is there.
func (c checks) leansOnContext(a *analysis, v sentenceView) bool {
	for i := range a.names {
		if !a.excluded[i] && !a.named(i, v.words) && a.named(i, v.ctx) {
			return true
		}
	}
	own, ctx := map[string]bool{}, map[string]bool{}
	for _, w := range v.words {
		own[w.term] = true
	}
	for _, w := range v.ctx {
		ctx[w.term] = true
	}
	for _, k := range a.contentKeys() {
		if k.term != reportingClass && k.term != onsetClass && !own[k.term] && ctx[k.term] {
			return true
		}
	}
	return a.reporting && !saysSomething(v.words, "") && saysSomething(v.ctx, "")
}

// otherSpeaker returns who the sentence says is speaking when that is
// someone else than the asked speaker, named by another common noun
// ("analysts said", "said a political scientist"), or "". It is "" when
// any verb of saying in the sentence may be the asked speaker's: a name, a
// pronoun or the speaker's own word ("a ministry spokesman said") before
// it.
func otherSpeaker(a *analysis, src string, ws []word) string {
	return otherSpeakerThan(func(w word) bool { return w.term == a.subjectTerm }, false, src, ws)
}

// pronounSpeaks reports whether a sentence opens with a pronoun that
// speaks: "He said", "She added".
func pronounSpeaks(ws []word) bool {
	if len(ws) < 2 {
		return false
	}
	switch ws[0].lower {
	case "he", "she", "they":
	default:
		return false
	}
	k := 1
	if ws[k].lower == "also" || ws[k].lower == "later" || ws[k].lower == "had" || ws[k].lower == "has" {
		k++
	}
	return k < len(ws) && (reportingVerbs[ws[k].lower] || ws[k].lower == "reported")
}

// questionNameSpeaking returns the question's other name that speaks in
// the sentence, as the subject of a verb of saying, or "".
func questionNameSpeaking(a *analysis, src string, ws []word) string {
	for i, w := range ws {
		if !(reportingVerbs[w.lower] || w.lower == "reported") || isCapitalised(w.raw) {
			continue
		}
		s := speakerOf(src, ws, i)
		// The speaker's country by another of its names speaks for it:
		// "Pakistan denied" is Islamabad's answer.
		if s < 0 || !isCapitalised(ws[s].raw) || nameIn(a.nameWords[a.speaker], ws[s:s+1]) || a.named(a.speaker, ws[s:s+1]) {
			continue
		}
		for n := range a.names {
			if n != a.speaker && !a.excluded[n] && len(a.nameWords[n]) > 0 && surface(ws[s].raw) == a.nameWords[n][len(a.nameWords[n])-1] {
				return ws[s].raw
			}
		}
	}
	return ""
}

// otherSpeakerThan is [otherSpeaker] for a speaker told by own: the asked
// speaker's word, or a word of their title. Named: the asked speaker is a
// person or body the question names, so another name speaking ("Bruce
// said that Rubio offered Munir…") is someone else too.
func otherSpeakerThan(own func(word) bool, named bool, src string, ws []word) string {
	other := ""
	for i, w := range ws {
		// Verbs only: "a statement" names no speaker.
		if !(reportingVerbs[w.lower] || w.lower == "reported") || !(strings.HasSuffix(w.lower, "ed") || w.lower == "said" || w.lower == "says" || w.lower == "told" || w.lower == "tells" || w.lower == "wrote") {
			continue
		}
		s := speakerOf(src, ws, i)
		if s < 0 && other != "" && i > 0 && (ws[i-1].lower == "he" || ws[i-1].lower == "she" || ws[i-1].lower == "they") {
			continue // "Holm said … He said …": still Holm
		}
		if s < 0 {
			return ""
		}
		// A capital is a name, unless it opens the sentence on a plural
		// ("Analysts said").
		plural := s == 0 && strings.HasSuffix(ws[s].lower, "s") && !isAcronym(ws[s].raw)
		if own(ws[s]) || isCapitalised(ws[s].raw) && !plural && !named {
			return ""
		}
		for k := max(0, s-3); k < s; k++ {
			if own(ws[k]) {
				return ""
			}
		}
		other = ws[s].lower
		if isCapitalised(ws[s].raw) && !plural {
			other = ws[s].raw
		}
	}
	return other
}

// speakerOf finds the head noun of the subject of the verb of saying at
// ws[i]: the word before it ("analysts said", "the army had said"), or
// after it in an inversion ("said a political scientist"); -1 when it is a
// pronoun, a name or cannot be told.
func speakerOf(src string, ws []word, i int) int {
	k := i - 1
	for k >= 0 && (ws[k].lower == "had" || ws[k].lower == "has" || ws[k].lower == "have" || ws[k].lower == "also" || ws[k].lower == "later" || ws[k].lower == "then") {
		k--
	}
	if k >= 0 && !strings.ContainsAny(src[ws[k].end:ws[i].start], ",;:\"“”()—") {
		if ws[k].term != "" && !ws[k].num && !looksVerb(ws[k].lower) && !reportingVerbs[ws[k].lower] && !strings.HasSuffix(ws[k].lower, "ly") {
			return k
		}
		return -1
	}
	if k >= 0 && !strings.ContainsAny(src[ws[k].end:ws[i].start], "\"”") {
		return -1 // "the ISPR, said 40 civilians…": the subject stands before
	}
	// "said a political scientist at a Lahore university"
	for j := i + 1; j < len(ws) && j <= i+4; j++ {
		if ws[j].lower == "a" || ws[j].lower == "an" || ws[j].lower == "the" || ws[j].term == "" {
			continue
		}
		if isCapitalised(ws[j].raw) {
			return -1
		}
		if j+1 < len(ws) && ws[j+1].term != "" && !isCapitalised(ws[j+1].raw) && ws[j+1].lower != "at" {
			continue // an adjective: "a political scientist"
		}
		return j
	}
	return -1
}

// otherParticiple returns the words where the sentence restricts the
// question's noun by another participle ("civilian killed" for "civilians
// wounded") and never says the asked one, or "".
func otherParticiple(ws []word, d [3]string) string {
	for _, w := range ws {
		if w.term == d[1] {
			return ""
		}
	}
	for i := 0; i+1 < len(ws); i++ {
		if ws[i].term == d[0] && looksParticiple(ws[i+1].lower) && ws[i+1].term != d[1] && !reportingVerbs[ws[i+1].lower] {
			return ws[i].lower + " " + ws[i+1].lower
		}
	}
	return ""
}

// looksParticiple reports whether w may be a past participle after a noun
// ("civilians killed", "jets shot down"), not a past tense that makes the
// noun its subject ("drills went ahead").
func looksParticiple(w string) bool {
	switch w {
	case "went", "came", "knew", "grew", "threw", "rang", "sank", "drove", "chose", "broke", "flew", "ran", "began", "rose", "fell", "saw", "spoke", "wrote", "became", "did", "gave", "took":
		return false
	}
	return looksVerb(w)
}

// placeWithCount reports whether the place stands in the clause of the
// count's number, or in the sentence's opening phrase ("In Poonch, the
// shelling killed 12"): a clause joined by ", and" or a semicolon speaks
// of something else.
func placeWithCount(text string, ws []word, value, place string) bool {
	clause := make([]int, len(ws))
	c := 0
	for i := 1; i < len(ws); i++ {
		between := text[ws[i-1].end:ws[i].start]
		if strings.ContainsAny(between, ";—–") || strings.Contains(between, ",") && (ws[i].lower == "and" || ws[i].lower == "but" || ws[i].lower == "while" || ws[i].lower == "whereas") {
			c++
		}
		clause[i] = c
	}
	intro := len(ws)
	for i := 1; i < len(ws); i++ {
		if strings.Contains(text[ws[i-1].end:ws[i].start], ",") {
			intro = i
			break
		}
	}
	for k := range ws {
		if !ws[k].num || normaliseNumber(ws, k) != value {
			continue
		}
		for j, w := range ws {
			if isCapitalised(w.raw) && surface(w.raw) == place && (clause[j] == clause[k] || j < intro) {
				return true
			}
		}
		return false
	}
	return true // the number is not found as written: nothing to say
}

// placeNamed reports whether ws names a place by its own name ("in
// Pakistan", "Pakistan's"), not by the adjective made from it.
func placeNamed(name string, ws []word) bool {
	for _, w := range ws {
		if isCapitalised(w.raw) && surface(w.raw) == name {
			return true
		}
	}
	return false
}

// namedBefore reports whether a name of several words stands in the
// sentence as "the" and its head ("the committee" for the National
// Security Committee) and in full earlier in the same article: a report
// names a body once and then calls it by its head.
func namedBefore(name []string, ws []word, v sentenceView) bool {
	if len(name) < 2 {
		return false
	}
	head := name[len(name)-1]
	found := false
	for i := 1; i < len(ws); i++ {
		if ws[i].lower == head && ws[i-1].lower == "the" {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	earlier := strings.ToLower(v.article.Text[:v.span.Start])
	return strings.Contains(earlier, strings.Join(name, " "))
}

// headNamedBefore reports whether the sentence says "the attack" for the
// question's "Pahalgam attack", and the report named Pahalgam before it.
func (c checks) headNamedBefore(name []string, head string, ws []word, v sentenceView) bool {
	if head == "" || v.headline {
		return false
	}
	t := term1(head)
	found := false
	for i := 1; i < len(ws); i++ {
		// "the attack", "no such meeting", "that meeting"
		if p := ws[i-1].lower; ws[i].term == t && (p == "the" || p == "such" || p == "that" || p == "this") {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	// The last mention before the sentence must be the asked one: in a
	// report on two bridges, "the bridge" is the one named last.
	all := c.titles.wordsOf(c.stems, v.article)
	earlier := all[:sort.Search(len(all), func(i int) bool { return all[i].end > v.span.Start })]
	for i := len(earlier) - 1; i >= 0; i-- {
		if earlier[i].term != t {
			continue
		}
		// The nearest name beside it says which it was ("the Iron
		// bridge", "Tuesday's attack at Pahalgam").
		for d := 1; d <= 3; d++ {
			for _, j := range []int{i - d, i + d} {
				if j >= 0 && j < len(earlier) && isCapitalised(earlier[j].raw) && earlier[j].term != "" && !isCalendarWord(earlier[j].lower) {
					// The name may run on from there ("a meeting of the
					// National Command Authority").
					return nameIn(name, earlier[j:min(len(earlier), j+len(name))])
				}
			}
		}
	}
	return false
}

// nameMatched reports whether a name of the question (its words,
// lower-cased) stands in ws as a name: the whole phrase ("United
// Nations"), its initials ("UN"), its last word written as a name
// ("Munir" for "Asim Munir"), an acronym spelt out ("Director General of
// Military Operations" for "DGMO"), or for a one-word name another form of
// it ("Pakistani" for "Pakistan"). A stem is not enough: "the nation" is
// not the United Nations.
func nameMatched(name []string, sources ...[]word) bool {
	for _, src := range sources {
		if nameIn(name, src) {
			return true
		}
	}
	return false
}

func nameIn(name []string, ws []word) bool {
	if len(name) == 0 {
		return true
	}
	last := name[len(name)-1]
	for i, w := range ws {
		if !isCapitalised(w.raw) {
			continue
		}
		sw := surface(w.raw)
		if len(name) == 1 {
			if sw == last || len(sw) >= 4 && len(last) >= 4 && (strings.HasPrefix(sw, last) || strings.HasPrefix(last, sw)) {
				return true
			}
			continue
		}
		if sw == last && !isCommonCapital(last) && !runGoesOn(ws, i) {
			// A surname ends a name: "Sharif" in "Ahmed Sharif
			// Chaudhry" is another man's middle name.
			return true
		}
		if sw == name[0] && i+len(name) <= len(ws) {
			ok := true
			for k := 1; k < len(name); k++ {
				if surface(ws[i+k].raw) != name[k] {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
	}
	// A name with initials of its own ("US Secretary") is not named by
	// its first letters: "US" alone is the country.
	if len(name) >= 2 && !slices.ContainsFunc(name, func(n string) bool { return len(n) <= 2 }) {
		var initials strings.Builder
		for _, n := range name {
			if !initialsFiller(n) {
				initials.WriteByte(n[0])
			}
		}
		for _, w := range ws {
			if isAcronym(w.raw) && strings.EqualFold(w.raw, initials.String()) {
				return true
			}
		}
	}
	if len(name) == 1 && len(last) >= 2 {
		// An acronym in the question, spelt out in the text; its joiners
		// may have letters of their own ("LoC", "Line of Control").
		for _, joiners := range []bool{false, true} {
			for i := range ws {
				var initials strings.Builder
				for j := i; j < len(ws) && initials.Len() < len(last); j++ {
					// The joiners ("of", "and") count as letters only in
					// the second pass ("LoC"); the other small words
					// ("for", "in") never do ("BCCI").
					joinerLike := isJoiner(ws[j].lower) || ws[j].lower == "and"
					filler := initialsFiller(ws[j].lower) && !isCapitalised(ws[j].raw) && j > i
					if filler && (!joiners || !joinerLike) || joinerLike && j == i {
						continue
					}
					if !isCapitalised(ws[j].raw) && !joiners {
						break
					}
					if !isCapitalised(ws[j].raw) && !isJoiner(ws[j].lower) {
						break
					}
					initials.WriteByte(ws[j].lower[0])
				}
				if initials.Len() >= 2 && initials.String() == last {
					return true
				}
			}
		}
	}
	return false
}

// otherBearer reports whether every mention in ws of the surname of a
// person's name is another person's: the surname follows a given name
// the question does not give ("Rajnath Singh" for "Vyomika Singh"),
// not a title ("Wing Commander Singh", "Prime Minister Modi").
func otherBearer(name []string, ws []word) bool {
	if len(name) < 2 || nameIn(name[:1], ws) {
		return false
	}
	last := name[len(name)-1]
	other := false
	for i, w := range ws {
		if !isCapitalised(w.raw) || surface(w.raw) != last || runGoesOn(ws, i) {
			continue
		}
		if i == 0 || ws[i-1].end+1 != w.start || !isCapitalised(ws[i-1].raw) {
			return false // the surname alone
		}
		p := surface(ws[i-1].raw)
		if slices.Contains(name, p) || isAcronym(ws[i-1].raw) || isTitleWord(p) || isCommonCapital(p) {
			return false
		}
		other = true
	}
	return other
}

// isTitleWord reports whether a capitalised word before a surname is a
// rank or an office ("General", "Minister", "Mr"), not a given name.
func isTitleWord(w string) bool {
	switch w {
	case "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "general", "gen", "lt", "lieutenant", "colonel", "col",
		"major", "maj", "captain", "capt", "commander", "cdr", "admiral", "commodore", "marshal", "brigadier", "brig",
		"sergeant", "officer", "chief", "minister", "secretary", "president", "premier", "chancellor", "governor",
		"mayor", "senator", "ambassador", "envoy", "judge", "justice", "spokesman", "spokeswoman", "spokesperson",
		"director", "adviser", "advisor", "deputy", "prince", "king", "queen", "sheikh", "imam", "pope", "cardinal":
		return true
	}
	return false
}

// runGoesOn reports whether the capitalised word ws[i] is followed, after
// a space, by another one: it is inside a name, not at its end.
func runGoesOn(ws []word, i int) bool {
	if i+1 >= len(ws) || !isCapitalised(ws[i+1].raw) {
		return false
	}
	return ws[i+1].start == ws[i].end+1
}

// isCommonCapital: the last word of a name that is a common noun when
// capitalised in a title ("Council", "Front", "Ministry"), so it alone does
// not name the name. Only short function-like heads are listed; a
// surname is never one.
func isCommonCapital(w string) bool {
	switch w {
	case "council", "front", "ministry", "committee", "party", "army", "force", "forces", "nations",
		"states", "kingdom", "emirates", "union", "house", "office", "department", "agency", "court",
		"assembly", "government", "minister", "president", "police", "board", "authority", "league":
		return true
	}
	return false
}

// alternativeSaid returns why the sentence answers neither alternative of
// an "A or B" question, or "" when it says a word of one of them.
func (c checks) alternativeSaid(a *analysis, ws []word) string {
	var asked []string
	for _, k := range a.key {
		if k.alt == 0 || k.name {
			continue
		}
		asked = append(asked, k.word)
		if c.wordOrSynonym(k.word, ws) {
			return ""
		}
	}
	if len(asked) == 0 {
		return ""
	}
	return fmt.Sprintf("it says none of %q", strings.Join(asked, ", "))
}

// coverage is the IDF-weighted share of the question's key terms that the
// sentence holds, a near synonym counting as much as it is similar (never
// for names: GloVe puts Delhi next to Islamabad), and any verb of saying
// for the question's "say" or "claim".
func (c checks) coverage(a *analysis, keys []keyTerm, ws []word, terms map[string]bool, text string) float64 {
	var got, total, onset float64
	var altGot, altTotal [3]float64
	for _, k := range keys {
		if k.alt > 0 {
			altTotal[k.alt] += k.weight
			altGot[k.alt] += c.termScore(a, k, ws, terms, text) * k.weight
			continue
		}
		total += k.weight
		score := c.termScore(a, k, ws, terms, text) * k.weight
		got += score
		if k.term == onsetClass {
			onset = score
		}
	}
	if onset > 0 && got == onset && altGot == [3]float64{} {
		// Saying that something began is no answer when nothing else of
		// the question is said: "from 16:00" is not when the curfew took
		// effect.
		return 0
	}
	// Of two alternatives, the sentence is asked to hold one: the better
	// matched counts, weighed as the heavier.
	if altTotal[1]+altTotal[2] > 0 {
		total += max(altTotal[1], altTotal[2])
		share := 0.0
		for g := 1; g <= 2; g++ {
			if altTotal[g] > 0 {
				share = max(share, altGot[g]/altTotal[g])
			}
		}
		got += share * max(altTotal[1], altTotal[2])
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// termScore is how much of one key term a sentence holds: 1 for the term
// itself, a near synonym's similarity, 0 for none.
func (c checks) termScore(a *analysis, k keyTerm, ws []word, terms map[string]bool, text string) float64 {
	switch {
	case k.name && a.nameOf(k.term) >= 0 && a.named(a.nameOf(k.term), ws):
		return 1
	case k.term == reportingClass:
		if saysSomething(ws, text) {
			return 1
		}
		return 0
	case k.term == onsetClass:
		if saysOnset(ws) {
			return 1
		}
		return 0
	case terms[k.term]:
		return 1
	case k.name:
		return 0
	case len(k.term) >= 5 && !k.known && hasNear(terms, k.term):
		// A word the corpus never uses, one typo from one it does.
		return 1
	case c.sim == nil && c.syns == nil:
		return 0
	}
	best := 0.0
	asked := c.spelt(k.word)
	for _, w := range ws {
		if w.term == "" {
			continue
		}
		if c.synonym(k.word, w) || k.word == a.relation && a.phrasal != "" && c.synonym(a.phrasal, w) {
			best = max(best, synonymScore)
		}
		if c.sim == nil {
			continue
		}
		// The word as asked, and its stem as a word: "travelling" has
		// no "visit" among its neighbours, "travel" has.
		best = max(best, float64(c.sim.Similar(asked, w.lower)), float64(c.sim.Similar(k.term, w.lower)))
	}
	if reaches(best, c.focusFloor) {
		return best
	}
	return c.compoundScore(k.word, ws, true)
}

// compoundScore is how much of a closed compound ("ceasefire",
// "airspace", "gunfire") a sentence holds as two words side by side, each
// matched as a key term is: "stop all firing" says "ceasefire", "air
// space" says "airspace". The weaker part's score counts; 0 when no split
// of the word into two words of the vocabulary is said. Without near, a
// part is matched only by its own term or a synonym.
func (c checks) compoundScore(w string, ws []word, near bool) float64 {
	if c.sim == nil || len(w) < 2*minCompoundPart+1 {
		return 0
	}
	best := 0.0
	for i := minCompoundPart; i <= len(w)-minCompoundPart; i++ {
		head, tail := w[:i], w[i:]
		if !c.compoundPart(head) || !c.compoundPart(tail) {
			continue
		}
		for j, x := range ws {
			hs := c.partScore(head, x, near)
			if hs == 0 {
				continue
			}
			// The tail follows within a few words: "stop all firing",
			// not a "stop" and a "fire" a clause apart.
			for _, y := range ws[j+1 : min(len(ws), j+1+compoundGap)] {
				best = max(best, min(hs, c.partScore(tail, y, near)))
			}
		}
	}
	return best
}

// minCompoundPart is the shortest part a compound is split into: shorter
// ones are mostly prefixes and stop words ("an", "in", "re").
const minCompoundPart = 3

// compoundGap is how many words may stand from a compound's first part
// to its second: "stop all military firing" still says "ceasefire".
const compoundGap = 3

// compoundPart reports whether s can be one part of a compound: a word of
// the similarity table's vocabulary that is no stop word or number.
func (c checks) compoundPart(s string) bool {
	t := term1(s)
	return t != "" && !isNumberWord(s) && len(c.sim.Neighbours(s)) > 0
}

// partScore is how well the sentence's word x says a compound's part p:
// 1 for the same index term, a synonym's score, or a near word's
// similarity at the focus floor or above when near is set; 0 otherwise.
func (c checks) partScore(p string, x word, near bool) float64 {
	switch {
	case x.term == "":
		return 0
	case x.term == term1(p):
		return 1
	case c.synonym(p, x):
		return synonymScore
	}
	if s := float64(c.sim.Similar(p, x.lower)); near && reaches(s, c.focusFloor) {
		return s
	}
	return 0
}

// contentCoverage is [checks.coverage] over the question's words that are
// not names. Names are checked on their own, and being rare they would
// otherwise outweigh everything else: a sentence that names Saudi Arabia
// does not say what its foreign minister said.
//
// A word the sentence lacks but its article's headline has counts half:
// the headline says what every sentence of the report is about ("When did
// the ceasefire take effect?" is answered by "from 17:00" in a report
// headed "… agree to ceasefire").
func (c checks) contentCoverage(a *analysis, ws []word, terms map[string]bool, title []word) float64 {
	keys := a.contentKeys()
	if len(keys) == 0 {
		return 1
	}
	own := c.coverage(a, keys, ws, terms, "")
	if len(title) == 0 {
		return own
	}
	both := append(slices.Clip(ws), title...)
	bothTerms := maps.Clone(terms)
	for _, w := range title {
		bothTerms[w.term] = true
	}
	return own + (c.coverage(a, keys, both, bothTerms, "")-own)/2
}

// ownSpeakerIn reports whether the sentence names the asked speaker and,
// when the question says whose it is, says so beside it: "Prime Minister
// Shehbaz Sharif … thanked China" names a prime minister, but not China's.
// "The military" is the one the report is about, so its owner may stand
// in the headline or lead (around).
func ownSpeakerIn(a *analysis, ws, around []word) bool {
	t := a.subjectTerm
	for i, w := range ws {
		if t == "" || w.term != t {
			continue
		}
		if qualifiesNext(ws, i) {
			// "Pakistan's Director General of Military Operations" and
			// "no Pakistani military facility" are not the military:
			// the word only qualifies the noun after it. Its
			// spokesman, chief or officials speak for it.
			continue
		}
		if a.owner == "" || i > 0 && ws[i-1].lower == "the" && (ownerIn(a, around) || ownerIn(a, ws)) {
			return true
		}
		for j := max(0, i-5); j < min(len(ws), i+4); j++ {
			if j != i && isCapitalised(ws[j].raw) && a.ownerNamed(ws[j:j+1]) {
				return true
			}
		}
	}
	return false
}

// qualifiesNext reports whether ws[i] stands before a noun it qualifies:
// the next word, with only a space between, is a content word that is no
// verb, adverb or person.
func qualifiesNext(ws []word, i int) bool {
	if i+1 >= len(ws) || ws[i].end+1 != ws[i+1].start || ws[i+1].term == "" {
		return false
	}
	if raw := ws[i].raw; strings.HasSuffix(raw, "'s") || strings.HasSuffix(raw, "’s") {
		return false // "the military's media wing" speaks for it
	}
	n := ws[i+1].lower
	return !auxiliaries[n] && !reportingVerbs[n] && !looksVerb(n) && !plainAdverbs[n] && !looksAdverb(n) &&
		!personNoun(strings.TrimSuffix(n, "s"))
}

// ownedByAnother reports whether ws says whose the asked speaker is, and
// never the question's owner: "Military says …" over a lead that says
// "India's military said" is not Pakistan's military, though the lead
// names Pakistan too.
func ownedByAnother(a *analysis, ws []word) bool {
	if a.owner == "" || a.subjectTerm == "" {
		return false
	}
	other := false
	for i, w := range ws {
		if w.term != a.subjectTerm || i == 0 {
			continue
		}
		k := i - 1
		if ws[k].lower == "s" && k > 0 {
			k-- // "India's military"
		}
		if !isCapitalised(ws[k].raw) || k == 0 && ws[k].term == "" {
			continue
		}
		if a.ownerNamed(ws[k : k+1]) {
			return false
		}
		other = true
	}
	return other
}

// ownerIn reports whether ws names whose the asked speaker is, when the
// question says.
func ownerIn(a *analysis, ws []word) bool {
	return a.owner == "" || a.ownerNamed(ws)
}

// speakerIn reports whether the speaker a question names by a common noun
// ("the military"), given as its index term t, is named in the sentence, earlier in its paragraph or
// in the headline, by that word or its stem. Near words are not enough: in GloVe
// "army" is next to "soldiers" and "head" to "senior", and a quote by
// soldiers or a senior official is not the army's or its head's.
func speakerIn(t string, sources ...[]word) bool {
	if t == "" {
		return false
	}
	for _, ws := range sources {
		for _, w := range ws {
			if w.term == t {
				return true
			}
		}
	}
	return false
}

// wordMatched reports whether ws holds w: its index term, or one of its
// own near synonyms.
func (c checks) wordMatched(w string, ws []word) bool {
	return c.wordNear(w, ws, c.focusFloor)
}

// wordOrSynonym reports whether ws holds w by its index term or a WordNet
// synonym: GloVe's near words are too loose for the thing a verb is said
// of ("officer" is near "chief").
func (c checks) wordOrSynonym(w string, ws []word) bool {
	t := term1(w)
	for _, x := range ws {
		if x.term != "" && (x.term == t || c.synonym(w, x)) {
			return true
		}
	}
	return false
}

// wordNear is wordMatched with its own floor. Who said something is held
// to a stricter one than what a sentence is about: "senior" is near
// "head" in GloVe, but a senior official is not the head of anything.
func (c checks) wordNear(w string, ws []word, floor float64) bool {
	t := term1(w)
	w = c.spelt(w)
	for _, x := range ws {
		if x.term != "" && (x.term == t || c.synonym(w, x)) {
			return true
		}
	}
	if c.sim == nil {
		return false
	}
	for _, x := range ws {
		if x.term != "" && reaches(float64(c.sim.Similar(w, x.lower)), floor) && c.listed(w, x.lower) {
			return true
		}
	}
	return false
}

// withDate folds the question's date into a coverage share as one more
// term, weighted as its heaviest word. Only a day or a week counts: half
// a corpus is about "May".
func withDate(a *analysis, share float64, dated bool) float64 {
	var total, heaviest float64
	for _, k := range a.key {
		if !k.name {
			total += k.weight
			heaviest = max(heaviest, k.weight)
		}
	}
	if heaviest == 0 {
		if dated {
			return 1
		}
		return 0
	}
	got := share * total
	if dated {
		got += heaviest
	}
	return got / (total + heaviest)
}

// hasNear reports whether terms holds a word one edit from t.
func hasNear(terms map[string]bool, t string) bool {
	for u := range terms {
		if len(u) >= 4 && retrieval.OneEdit(u, t) {
			return true
		}
	}
	return false
}

// saysSomething reports whether a sentence reports speech: a verb of
// saying. Quotation marks alone are not enough: a quoted phrase inside a
// description ("thanked him for his \"proactive role\"") reports no
// statement.
func saysSomething(ws []word, _ string) bool {
	for _, w := range ws {
		if (reportingVerbs[w.lower] || reportingVerbs[w.term]) && !isCapitalised(w.raw) {
			// A capital is a noun or a name: "State television", "The
			// Post".
			return true
		}
	}
	return false
}

// onsetBeforeRE matches the words that say a date or time is when
// something began, at the end of the text before it: "from", "since",
// "effective", "with effect from".
var onsetBeforeRE = regexp.MustCompile(`(?i)\b(from|since|effective|effect)\s+(about\s+|around\s+)?$`)

// saysOnset reports whether ws says when something began: "from" or
// "since" before a date or time ("from 17:00 Indian time", "since 22
// April"), a word for beginning ("began", "started", "effective", "took
// effect"), or "into force".
func saysOnset(ws []word) bool {
	for i, w := range ws {
		switch w.term {
		case "effect", "begin", "start", "commenc", "onward":
			return true
		}
		switch w.lower {
		case "from", "since":
			if i+1 < len(ws) && (ws[i+1].num || isCalendarWord(ws[i+1].lower)) {
				return true
			}
		case "force":
			if i > 0 && (ws[i-1].lower == "into" || ws[i-1].lower == "in") {
				return true
			}
		}
	}
	return false
}

// relationMatched reports whether the sentence says the question's main
// verb: the word itself, a near synonym, or — for a verb of saying — any
// verb of saying.
func (c checks) relationMatched(a *analysis, ws []word) bool {
	alt := term1(a.relationAlt)
	for _, w := range ws {
		if w.term != "" && (w.term == a.relationTerm || w.term == alt) {
			return true
		}
		// A misspelt verb ("speek") still names the relation.
		if len(a.relationTerm) >= 4 && retrieval.OneEdit(w.term, a.relationTerm) {
			return true
		}
	}
	if reportingVerbs[a.relation] || reportingVerbs[a.relationTerm] {
		return saysSomething(ws, "")
	}
	if a.particle != "" {
		for i := 1; i < len(ws); i++ {
			if ws[i].lower == a.particle && looksVerb(ws[i-1].lower) {
				return true
			}
		}
	}
	// "Throw out" is said by "expelled": a phrasal verb's synonyms are
	// its own, not its verb's.
	for _, w := range ws {
		if c.synonym(a.relation, w) || a.relationAlt != "" && c.synonym(a.relationAlt, w) || a.phrasal != "" && c.synonym(a.phrasal, w) {
			return true
		}
	}
	if c.sim == nil || a.slot == slotCount {
		// A count's verb is its own word: "killed" is GloVe's nearest to
		// "wounded", and the dead are not the wounded.
		return false
	}
	// Verbs' neighbours in GloVe are as often their opposites ("closed",
	// "opened") or their settings ("chaired", "committee") as synonyms, so
	// only a very near one of the verb's own neighbours stands for it.
	verbs := []string{c.spelt(a.relation), c.spelt(a.relationAlt)}
	for _, w := range ws {
		if w.term == "" {
			continue
		}
		for _, v := range verbs {
			if v != "" && reaches(float64(c.sim.Similar(v, w.lower)), relationSimilarity) && c.listed(v, w.lower) {
				return true
			}
		}
	}
	return false
}

// adjacentDated reports whether a sentence beside the candidate that says
// the question's verb gives a date or time of its own.
func (c checks) adjacentDated(a *analysis, v sentenceView) bool {
	if c.relationMatched(a, v.prev) && v.prevSpan.End > v.prevSpan.Start && len(sentenceDates(v.article, v.prevSpan)) > 0 {
		return true
	}
	return c.relationMatched(a, v.nextWords) && v.next.End > v.next.Start && len(sentenceDates(v.article, v.next)) > 0
}

// relationSimilarity is how near a word must be to stand for the
// question's verb.
const relationSimilarity = 0.8

// synonymScore is what a synonym of a question's word counts for in a
// sentence's coverage: as much as a GloVe neighbour near enough to stand
// for a verb.
const synonymScore = relationSimilarity

// synonym reports whether the sentence's word w is a WordNet synonym of
// the question's word asked: a form of it or of a synonym in one of its
// first senses. Forms, not index terms: "locations" shares its stem with
// "locate", a synonym of the verb "site", but is no form of it.
func (c checks) synonym(asked string, w word) bool {
	if c.syns == nil || asked == "" || w.term == "" {
		return false
	}
	return c.syns.of(asked)[surface(w.raw)]
}

// synonymCache memoises, for a question's word, the forms of its
// synonyms: a question's few words are matched against every word of
// every candidate sentence. It is bounded and safe for concurrent use.
type synonymCache struct {
	th Thesaurus
	mu sync.RWMutex
	m  map[string]map[string]bool
}

// newSynonymCache returns a cache over th, or nil without one.
func newSynonymCache(th Thesaurus) *synonymCache {
	if th == nil {
		return nil
	}
	return &synonymCache{th: th, m: map[string]map[string]bool{}}
}

// synonymCacheSize bounds the cache: questions' words, not the corpus's.
const synonymCacheSize = 4096

// of returns the forms of word's synonyms, lower-case.
func (s *synonymCache) of(word string) map[string]bool {
	word = strings.ToLower(word)
	s.mu.RLock()
	terms, ok := s.m[word]
	s.mu.RUnlock()
	if ok {
		return terms
	}
	terms = map[string]bool{}
	for _, f := range s.th.Related(word) {
		terms[f] = true
	}
	s.mu.Lock()
	if len(s.m) >= synonymCacheSize {
		clear(s.m)
	}
	s.m[word] = terms
	s.mu.Unlock()
	return terms
}

// findFocus returns where the words that name the asked thing stand: by
// its index term or else, when the sentence never uses it, a close
// synonym; exact says which.
func (c checks) findFocus(a *analysis, ws []word) (at []int, exact bool) {
	for i, w := range ws {
		if w.term == a.focusTerm && w.term != "" {
			at = append(at, i)
			continue
		}
		// "Third-round throw": the compound's last word is the thing
		// its first qualifies.
		if k := strings.LastIndexByte(w.lower, '-'); k > 0 && a.focusTerm != "" && term1(w.lower[k+1:]) == a.focusTerm {
			at = append(at, i)
		}
	}
	// A count must be of the thing itself: GloVe's nearest word to
	// "civilians" is "soldiers", and a toll of one is no toll of the
	// other — even where the sources never say "civilians", since then
	// they give no count of them. ("Holidaymakers" counted as "tourists"
	// is lost to this; a soldiers' toll given as civilians' is worse.)
	if len(at) > 0 {
		return at, true
	}
	if a.slot == slotCount && (a.focus == "people" || a.focus == "persons") {
		// People are every kind of person: "three members of a family"
		// and "57 wounded" count people, as "26 civilians" do.
		for i, w := range ws {
			if i > 0 && isNumeric(ws[i-1].lower) && (personNoun(strings.TrimSuffix(w.lower, "s")) || peopleNouns[w.lower] || harmedPeople[w.lower]) {
				at = append(at, i)
			}
		}
		if len(at) > 0 {
			return at, false
		}
	}
	// A synonym is the thing itself, counted or not: "holidaymakers" are
	// "tourists" in WordNet's first sense of the word.
	for i, w := range ws {
		if c.synonym(a.focus, w) {
			at = append(at, i)
		}
	}
	if len(at) > 0 || c.sim == nil || a.slot == slotCount {
		return at, false
	}
	// Only the asked word's own neighbours stand for it: "killed" lists
	// "soldiers" among its neighbours, but a killing is no soldier.
	for i, w := range ws {
		if w.term != "" && reaches(float64(c.sim.Similar(a.focus, w.lower)), c.focusFloor) && c.listed(a.focus, w.lower) {
			at = append(at, i)
		}
	}
	return at, false
}

// peopleNouns name people by what they are, where a report counts them.
var peopleNouns = wordSet("civilians", "members", "tourists", "visitors", "residents", "workers", "children",
	"women", "men", "students", "pilgrims", "villagers", "passengers", "victims", "personnel", "troops", "others")

// harmedPeople are the words that count people by what befell them: "57
// wounded".
var harmedPeople = wordSet("wounded", "injured", "dead", "killed", "hurt", "missing")

// listed reports whether b is among a's own neighbours.
// spelt returns w in the spelling the word table knows, British or
// American ("characterise" is listed as "characterize"), or w.
func (c checks) spelt(w string) string {
	if c.sim == nil || w == "" {
		return w
	}
	forms := spellings(w)
	if len(forms) == 1 || len(c.sim.Neighbours(w)) > 0 {
		return w
	}
	for _, f := range forms[1:] {
		if len(c.sim.Neighbours(f)) > 0 {
			return f
		}
	}
	return w
}

func (c checks) listed(a, b string) bool {
	n := c.sim
	if n == nil {
		return true
	}
	for _, nb := range n.Neighbours(a) {
		if nb.Word == b {
			return true
		}
	}
	return false
}

// actsNext reports whether a word after a lone capital is a verb it is the
// subject of ("Trump took a hands-off position"), so the capital is a
// name, not an adjective.
func actsNext(w string) bool {
	return reportingVerbs[w] || auxiliaries[w] || looksVerb(w) && !strings.HasSuffix(w, "ed")
}

// country reports whether a lower-case word is one of a country's names
// ("pakistani", "india").
func (c checks) country(w string) bool {
	return c.names != nil && len(c.names.OtherNames(surface(w))) > 0
}

// slotValue finds what the sentence holds for the asked slot.
func (c checks) slotValue(a *analysis, v sentenceView, focusAt []int) (string, bool) {
	switch a.slot {
	case slotCount:
		if len(focusAt) == 0 {
			return countValue(a, v, -1, c.sameVerb)
		}
		for _, f := range focusAt {
			if val, ok := countValue(a, v, f, c.sameVerb); ok {
				return val, true
			}
		}
		return "", false
	case slotTime:
		quoted := v.article.Text[v.span.Start:v.span.End]
		named := ""
		var dates []corpus.EventDate
		for _, d := range v.dates {
			if a.clock && d.Clock == "" && !(a.partOfDay && namesPartOfDay(d.Part)) || d.Relative && insideQuote(quoted, d.Start) {
				continue
			}
			if sameDates(d, a.dates) && !(a.partOfDay && namesPartOfDay(d.Part) && !slices.ContainsFunc(a.dates, func(q corpus.EventDate) bool { return q.Part != "" })) {
				// The question's own date is no answer to "when"; "the
				// early hours of 7 May" answers "what time of day on 7
				// May" all the same.
				continue
			}
			if a.precise && !preciseEnough(d, a.precision) {
				// "On what date" is not answered by "late May", nor
				// "which year" by "the 1960s".
				continue
			}
			if q, ok := datesName(a, v, d); ok {
				// "The 1972 Simla Agreement" dates the agreement: it
				// answers only when the question asks about it, and
				// the sentence gives no other date.
				if q && named == "" {
					named = d.String()
				}
				continue
			}
			if c.inRelativeClause(a, v, quoted, d) {
				// "Families who had left … on Wednesday began to return
				// in the afternoon": Wednesday is when they left.
				continue
			}
			dates = append(dates, d)
		}
		if len(dates) > 0 {
			return c.nearestDate(a, v, dates).String(), true
		}
		// A time of day the text gives without its day ("from 17:00
		// Indian time") still answers "when" and "at what time".
		if m := clockRE.FindString(quoted); m != "" && !a.precise {
			return m, true
		}
		return named, named != ""
	case slotDuration:
		sentence := v.article.Text[v.span.Start:v.span.End]
		if len(focusAt) > 0 {
			// "Two missiles in three days" is no length of the ban the
			// same sentence reports: the length stands in its clause.
			if val, ok := durationValue(clauseOf(v.article.Text, v.words, focusAt[0])); ok {
				return val, true
			}
			// … or with "for", which says how long the sentence's verb
			// went on: "Modi met A, B, C and D for about 90 minutes".
			if val, ok := durationFor(v.words); ok {
				return val, true
			}
			return timeSpan(sentence)
		}
		if val, ok := durationValue(v.words); ok {
			return val, true
		}
		return timeSpan(sentence)
	case slotDistance:
		val, at, ok := distanceValue(v.words)
		if ok && at >= 0 && (!distanceOfAsked(a, v.words, at) || !distanceFromAsked(a, v.words, at)) {
			return "", false
		}
		return val, ok
	case slotAge:
		if age, ok := ageValue(v.article.Text[v.span.Start:v.span.End]); ok {
			return age, true
		}
		// A thing's age is told by the year it dates from: "the 1960
		// Indus Waters Treaty". The year stands by the thing's name; a
		// year elsewhere in the sentence dates something else ("Munir is
		// the second, after Ayub Khan took the title in 1959").
		for _, d := range v.dates {
			if d.Precision == corpus.YearPrecision && d.YearKnown && d.From.Year() == d.To.Year() && c.yearByName(a, v.words, v.span.Start+d.Start) {
				return d.String(), true
			}
		}
		return "", false
	case slotSize:
		return sizeValue(v.words)
	case slotTitle:
		return titleValue(a, v)
	case slotName:
		if val, ok := newName(a, v, focusAt, c.titles.of(c.stems, v.report()), c.country); ok {
			return val, true
		}
		// "Which round", "on which ballot": an ordinal says which one
		// ("his third-round throw", "on the fourth ballot").
		if a.focusTerm == "" {
			return "", false
		}
		for i, w := range v.words {
			if first, rest, ok := strings.Cut(w.lower, "-"); ok && isOrdinal(first) && term1(rest) == a.focusTerm {
				return w.lower, true
			}
			if w.term == a.focusTerm && i > 0 && isOrdinal(v.words[i-1].lower) {
				return v.words[i-1].lower + " " + w.lower, true
			}
		}
		return "", false
	case slotAny:
		if a.measure {
			return measureValue(a, v)
		}
	case slotReason:
		if a.relation != "" && !c.relationMatched(a, append(slices.Clip(v.words), v.ctx...)) {
			// The cause is of what the sentence says happened: one the
			// headline says ("flies to the dam") may be another's.
			return "", false
		}
		return reasonValue(a, v)
	}
	return "", true
}

// measureValue finds the figure a quantity question asks for: a number in
// the sentence, outside its dates, that the question does not give
// itself ("within what range of 105 percent" is not answered by "about
// 105 percent"), with the unit after it.
func measureValue(a *analysis, v sentenceView) (string, bool) {
	for i, w := range v.words {
		if !w.num || slices.Contains(a.numbers, numberValue(w.lower)) || slices.Contains(a.given, w.lower) {
			continue
		}
		if slices.ContainsFunc(v.dates, func(d corpus.EventDate) bool {
			return w.start >= v.span.Start+d.Start && w.start < v.span.Start+d.End
		}) {
			continue
		}
		if i+1 < len(v.words) && v.words[i+1].term != "" {
			return w.lower + " " + v.words[i+1].lower, true
		}
		return w.lower, true
	}
	return "", false
}

// yearByName reports whether the year at offset start of the article
// stands within a few words of one of the question's names or its asked
// thing.
func (c checks) yearByName(a *analysis, ws []word, start int) bool {
	at := slices.IndexFunc(ws, func(w word) bool { return w.start >= start })
	if at < 0 {
		return false
	}
	near := ws[max(0, at-3):min(len(ws), at+5)]
	for i := range a.names {
		if !a.excluded[i] && a.named(i, near) {
			return true
		}
	}
	return a.focusTerm != "" && slices.ContainsFunc(near, func(w word) bool { return w.term == a.focusTerm })
}

// isOrdinal reports whether w is an ordinal number: "third", "21st".
func isOrdinal(w string) bool {
	switch w {
	case "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
		"eleventh", "twelfth", "last", "final":
		return true
	}
	n := strings.TrimRight(w, "stndrh")
	return n != "" && n != w && strings.Trim(n, "0123456789") == "" && (strings.HasSuffix(w, "st") || strings.HasSuffix(w, "nd") || strings.HasSuffix(w, "rd") || strings.HasSuffix(w, "th"))
}

// titleValue returns the title the sentence gives the person whose title
// is asked: the capitalised words before their name in its run ("Wing
// Commander" of "Wing Commander Vyomika Singh"), or the lower-case title
// after it ("…, the director general of the ISPR").
func titleValue(a *analysis, v sentenceView) (string, bool) {
	name := a.nameWords[a.titleOf]
	book := titlesOf(v.article.Text, v.words)
	var out []string
	for _, w := range book[name[len(name)-1]] {
		if slices.Contains(name, surface(w.raw)) || slices.Contains(name, w.lower) {
			continue
		}
		out = append(out, w.raw)
	}
	if len(out) == 0 || !nameIn(name, v.words) {
		return "", false
	}
	return strings.Join(out, " "), true
}

// preciseEnough reports whether d names its time at least as finely as
// asked: a day for "what date", a month for "which month", one year for
// "which year" — not a run of them.
func preciseEnough(d corpus.EventDate, p corpus.DatePrecision) bool {
	switch {
	case d.Precision > p:
		return false
	case p == corpus.YearPrecision:
		return d.YearKnown && d.From.Year() == d.To.Year()
	}
	return true
}

// nearestDate picks, of the dates a sentence gives, the one said of what
// the question asks: the nearest to the asked verb ("the summit was held on
// 2 March, and the accord was signed on 9 March" dates the signing 9
// March), or else to the question's other words. The first wins a tie.
// Dates stand at offsets in the sentence, words in the article.
func (c checks) nearestDate(a *analysis, v sentenceView, dates []corpus.EventDate) corpus.EventDate {
	if len(dates) == 1 {
		return dates[0]
	}
	text := v.article.Text[v.span.Start:v.span.End]
	if a.asksOnset() {
		// "When did the ceasefire take effect" is answered by the time
		// the firing stops "from", not the time of the call that agreed
		// it.
		for _, d := range dates {
			if onsetBeforeRE.MatchString(text[:min(max(d.Start, 0), len(text))]) {
				return d
			}
		}
	}
	// The asked verb, or else a verb form of the question's ("was the
	// accord signed"), or else any of its words.
	var anchors []int
	for _, pick := range []func(w word) bool{
		func(w word) bool {
			return a.relationTerm != "" && (w.term == a.relationTerm || c.synonym(a.relation, w))
		},
		func(w word) bool { return w.term != "" && a.asked[w.term] && looksVerb(w.lower) },
		func(w word) bool { return w.term != "" && !w.num && !isCalendarWord(w.lower) && a.asked[w.term] },
	} {
		for _, w := range v.words {
			if pick(w) {
				anchors = append(anchors, w.start-v.span.Start)
			}
		}
		if len(anchors) > 0 {
			break
		}
	}
	best, bestDist := dates[0], -1
	for _, d := range dates {
		for _, p := range anchors {
			// A date mostly follows what it dates ("was signed on 9
			// March", "the summit was held on 2 March"): one before
			// the word counts three times as far, and one in another
			// clause ("…on 2 March, and the accord…") farther still.
			from, to := p, d.Start
			dist := d.Start - p
			if dist < 0 {
				from, to = d.End, p
				dist = 3 * (p - d.End)
			}
			from, to = min(max(from, 0), len(text)), min(max(to, 0), len(text))
			if from < to && clauseBreakInRE.MatchString(text[from:to]) {
				dist += len(text)
			}
			if bestDist < 0 || dist < bestDist {
				best, bestDist = d, dist
			}
		}
	}
	return best
}

// relativeBeforeRE finds a relative clause opening before a date, with
// no clause break after it: "Families who had left the suburbs on …".
var relativeBeforeRE = regexp.MustCompile(`(?i)\b(?:who|whom|which)\s+([^,;()—–]*)$`)

// inRelativeClause reports whether date d of the sentence stands in a
// relative clause, after that clause's verb and before the main verb
// ("Families who had left … on Wednesday began to return"): the date is
// the clause's, unless the question asks about that verb.
func (c checks) inRelativeClause(a *analysis, v sentenceView, text string, d corpus.EventDate) bool {
	if d.Start <= 0 || d.Start > len(text) {
		return false
	}
	m := relativeBeforeRE.FindStringSubmatchIndex(text[:d.Start])
	if m == nil {
		return false
	}
	var clauseVerb, mainVerb *word
	for i := range v.words {
		w := &v.words[i]
		p := w.start - v.span.Start
		switch {
		case p >= m[2] && p < d.Start && clauseVerb == nil && looksVerb(w.lower) && !auxiliaries[w.lower]:
			clauseVerb = w
		case p >= d.End && looksVerb(w.lower) && !auxiliaries[w.lower]:
			if strings.ContainsAny(text[d.End:p], ",;()—–") {
				return false
			}
			mainVerb = w
		}
		if mainVerb != nil {
			break
		}
	}
	if clauseVerb == nil || mainVerb == nil {
		return false
	}
	// "When did the families leave" asks the clause's own verb.
	for _, k := range a.key {
		if k.term == clauseVerb.term || c.synonym(k.word, *clauseVerb) {
			return false
		}
	}
	return true
}

// clauseBreakInRE finds where one clause of a sentence ends and another
// begins.
var clauseBreakInRE = regexp.MustCompile(`[,;]\s+(?:and|but|while|whereas|as|when)\s|;\s`)

// causeWords introduce a cause or a purpose: "closed the airspace in
// response to the strikes", "suspended over security concerns", "in
// order to avoid". "For" and "as" are left out: they are mostly of time,
// length and manner ("for 48 hours", "as expected").
var causeWords = wordSet("because", "since", "after", "following", "amid", "over", "citing",
	"due", "owing", "response", "retaliation", "reprisal", "revenge", "protest", "reason",
	"aimed", "order", "so", "therefore", "blaming", "prompted", "led", "caused")

// reasonValue finds the cause a sentence gives: a cause word followed, in
// its clause, by more words the question does not hold than words it
// does. "Spoke on Monday evening, after the call was moved from noon to 5
// pm" gives no reason why the call was moved, and "after Mike Waltz
// stepped down from the job" none why he stepped down: each restates the
// question. "Later withdrew the claim" gives none at all.
func reasonValue(a *analysis, v sentenceView) (string, bool) {
	rel, asked := a.relationTerm, a.asked
	text := v.article.Text
	ws := v.words
	for i, w := range ws {
		// "Died of his wounds", "died from heatstroke": what one dies of
		// is the cause.
		diedOf := (w.lower == "of" || w.lower == "from") && i > 0 && dieForms[ws[i-1].lower]
		if !diedOf && (!causeWords[w.lower] || isCapitalised(w.raw) && i > 0) {
			continue
		}
		if (w.lower == "due" || w.lower == "owing") && (at1(ws, i+1) != "to" || isCopula(at1(ws, i-1))) {
			continue // "was due to visit" is a plan, not a cause
		}
		if timeAfter(ws, i) {
			continue // "after the date on which his term was due to end" is a time
		}
		fresh, old, end := 0, 0, i
		for j := i + 1; j < len(ws); j++ {
			if strings.ContainsAny(text[ws[j-1].end:ws[j].start], ",;:.—–()") {
				break
			}
			end = j
			t := ws[j].term
			switch {
			case t == "" || ws[j].num || isCalendarWord(ws[j].lower) || isDayPart(ws[j].lower) || causeWords[ws[j].lower]:
			case asked[t] || hasNearTerm(asked, t):
				old++
			default:
				fresh++
			}
		}
		restates := false
		for _, x := range ws[i+1 : end+1] {
			// "After talks with Sharif … failed" is the failure asked
			// about, not its cause.
			restates = restates || rel != "" && x.term == rel
		}
		if fresh > 0 && fresh >= old && !restates {
			return strings.TrimSpace(text[w.start:ws[end].end]), true
		}
	}
	return "", false
}

// dieForms are the forms of "die".
var dieForms = wordSet("die", "dies", "died", "dying")

// timeAfter reports whether the cause word at ws[i] is a preposition of
// time: "after", "since" or "following" a date, a day part or a time
// noun ("the date", "the end of his term", "hours of talks").
func timeAfter(ws []word, i int) bool {
	switch ws[i].lower {
	case "after", "since", "following":
	default:
		return false
	}
	for j := i + 1; j < len(ws) && j <= i+3; j++ {
		w := ws[j]
		switch {
		case w.term == "" && !w.num:
			continue // "the", "its", "a"
		case isCalendarWord(w.lower) || isDayPart(w.lower) || timeNouns[w.lower]:
			return true
		case w.num:
			// "after 7 May", "after three days"; "after 26 tourists were
			// killed" is a cause.
			next := at1(ws, j+1)
			return isCalendarWord(next) || isDayPart(next) || timeNouns[next]
		}
		return false
	}
	return false
}

// timeNouns name a point or stretch of time.
var timeNouns = wordSet("date", "dates", "days", "weeks", "month", "months", "year", "years", "time",
	"deadline", "midnight", "noon", "dawn", "dusk", "minutes", "hour", "decades", "today", "yesterday", "tomorrow")

// at1 returns the lower-case word at ws[i], or "".
func at1(ws []word, i int) string {
	if i < 0 || i >= len(ws) {
		return ""
	}
	return ws[i].lower
}

// hasNearTerm reports whether t is another form of an asked term that
// the stemmer left apart ("stepped" for "step").
func hasNearTerm(asked map[string]bool, t string) bool {
	for k := range asked {
		if len(k) >= 4 && len(t) >= 4 && (strings.HasPrefix(t, k) || strings.HasPrefix(k, t)) {
			return true
		}
	}
	return false
}

// otherDated reports whether a sentence (its words, dates and where it
// starts) gives the noun a question's date describes a date of its own,
// within a few words of it, and none of its dates is the question's: "at
// a briefing on Thursday" (8 May) is not "the 10 May briefing", nor is
// what "he said" there next.
func otherDated(a *analysis, ws []word, dates []corpus.EventDate, start int) bool {
	for i, w := range ws {
		if w.term != a.datedNoun {
			continue
		}
		for _, d := range dates {
			if d.Relative && d.From.IsZero() {
				continue
			}
			at := -1
			for k, x := range ws {
				if x.start-start >= d.Start {
					at = k
					break
				}
			}
			if at < 0 || at < i-4 || at > i+4 {
				continue
			}
			for _, q := range a.dates {
				if d.Overlaps(q) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// namesPartOfDay reports whether a date's part names a time of day
// ("afternoon", "early hours", "late night"), not of a month ("early").
func namesPartOfDay(part string) bool {
	for _, w := range strings.Fields(part) {
		switch w {
		case "morning", "afternoon", "evening", "night", "hours":
			return true
		}
	}
	return false
}

// datesName reports whether the date d qualifies a name ("the 1972 Simla
// Agreement"), and whether that name is one the question gives.
func datesName(a *analysis, v sentenceView, d corpus.EventDate) (asked, ok bool) {
	// Only a date between a determiner and a name: "on Thursday Ostland
	// suspended…" dates the suspension.
	before := ""
	for _, w := range v.words {
		if w.start-v.span.Start >= d.Start {
			break
		}
		before = w.lower
	}
	if !isDeterminer(before) {
		return false, false
	}
	for k, w := range v.words {
		if w.start-v.span.Start < d.End {
			continue
		}
		if !isCapitalised(w.raw) || isCalendarWord(w.lower) || strings.TrimSpace(v.article.Text[v.words[max(0, k-1)].end:w.start]) != "" {
			return false, false
		}
		for n := range a.names {
			if nameIn(a.nameWords[n], v.words[k:min(len(v.words), k+4)]) {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

// clockRE matches a time of day: "17:00", "4:30 pm", "5 p.m.", "1700
// hours", with the zone words that follow.
var clockRE = regexp.MustCompile(`(?i)\b(?:[01]?\d|2[0-3])(?::[0-5]\d\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?|[0-5]\d\s*(?:hours|hrs))(?:\s+(?:[A-Z]{2,4}\b|(?:Indian|Pakistan|Washington|local)\s+time))?`)

// countValue finds a number attached to the asked thing: just before it
// ("five Indian aircraft", "35 to 40 Pakistani army personnel"), after it
// ("compensation of 1 million rupees", "the toll rose to 26"), or before a
// copula that leads to it ("Twenty-five of the dead were tourists").
//
// sameVerb reports whether the index term found in the sentence says the
// asked verb: its own term, or, given a thesaurus, a synonym's ("struck
// nine sites" counts what was hit). nil compares terms only.
func countValue(a *analysis, v sentenceView, focusAt int, sameVerb func(asked, found string) bool) (string, bool) {
	if sameVerb == nil {
		sameVerb = func(asked, found string) bool { return term1(asked) == found }
	}
	ws := v.words
	inDate := func(w word) bool {
		for _, d := range v.dates {
			if w.start-v.span.Start >= d.Start && w.end-v.span.Start <= d.End {
				return true
			}
		}
		return false
	}
	// "How many of the nine sites were in Kashmir": the question's own
	// number is what it counts from, not its answer.
	isCount := func(i int) bool {
		return i >= 0 && i < len(ws) && ws[i].num && !inDate(ws[i]) && !slices.Contains(a.numbers, numberValue(ws[i].lower))
	}
	i := countIndex(a, v, focusAt, isCount)
	if i < 0 {
		return "", false
	}
	if a.slot == slotCount && !qualifiersInClause(a, v, i) {
		return "", false
	}
	// "Killed 15 civilians and wounded 43": the number another verb
	// governs is no count of the asked one's; the asked verb's own is.
	// So is a number whose passive verb is another: "Fourteen ferries
	// were sunk …, and 30 piers were damaged" counts no damaged ferries.
	if a.slot == slotCount && a.relationTerm != "" {
		// "How many did the army say were killed": the count's own verb
		// is the statement's, not the verb of saying.
		rel, asked := a.relationTerm, a.relation
		reported := reportingVerbs[a.relation] || reportingVerbs[a.relationTerm]
		if reported && a.countVerb != "" {
			rel, asked, reported = term1(a.countVerb), a.countVerb, false
		}
		other := verbBefore(ws, i)
		if other == "" && !reported {
			other = passiveAfter(v.article.Text, ws, i)
		}
		if other != "" && other != rel && !sameVerb(asked, other) {
			for r, w := range ws {
				if w.term != rel {
					continue
				}
				for k := r + 1; k < len(ws) && k <= r+3; k++ {
					if isCount(k) {
						return normaliseNumber(ws, k), true
					}
				}
				// "… were killed and 78 wounded".
				if k := r - 1; isCount(k) {
					return normaliseNumber(ws, k), true
				}
			}
			return "", false
		}
	}
	return normaliseNumber(ws, i), true
}

// otherCountryOf returns the country name ws gives the noun that the
// question's country name i qualifies ("Indian" in "the Indian side" for
// "the Pakistani side"), when ws never gives it the question's; else "".
func (c checks) otherCountryOf(a *analysis, i int, ws []word) string {
	if c.names == nil || a.nameHead[i] == "" || i >= len(a.nameAlts) || len(a.nameAlts[i]) == 0 {
		return ""
	}
	for j := range a.names {
		if j != i && a.nameHead[j] == a.nameHead[i] {
			return "" // "Pakistani time or Indian time?" asks which
		}
	}
	t := term1(a.nameHead[i])
	other := ""
	for k := 1; k < len(ws); k++ {
		// The name right before the noun: "Indian side", "India's side".
		if ws[k].term != t || !isCapitalised(ws[k-1].raw) || ws[k].start-ws[k-1].end > 1 {
			continue
		}
		if a.named(i, ws[k-1:k]) {
			return ""
		}
		if other == "" && len(c.names.OtherNames(surface(ws[k-1].raw))) > 0 {
			other = ws[k-1].raw
		}
	}
	return other
}

// happenedIn reports whether ws says every verb the question says took
// place.
func happenedIn(a *analysis, ws []word) bool {
	for _, t := range a.happened {
		if !slices.ContainsFunc(ws, func(w word) bool { return w.term == t }) {
			return false
		}
	}
	return len(a.happened) > 0
}

// onlyIntended returns the modal ("would", "will") when a verb the
// question says took place stands in ws only after one, or "".
func onlyIntended(a *analysis, ws []word) string {
	for _, t := range a.happened {
		modal := ""
		for k, w := range ws {
			if w.term != t {
				continue
			}
			m := ""
			for j := k - 1; j >= 0 && j >= k-2; j-- {
				if modalWords[ws[j].lower] {
					m = ws[j].lower
					break
				}
				if ws[j].lower != "not" && ws[j].lower != "also" && ws[j].lower != "soon" {
					break
				}
			}
			if m == "" {
				modal = ""
				break
			}
			modal = m
		}
		if modal != "" {
			return modal
		}
	}
	return ""
}

// modalWords put a verb in what may or is meant to happen, not in what did.
var modalWords = wordSet("would", "will", "could", "might", "may", "shall", "'ll", "’ll")

// qualifiersInClause reports whether every name that says whose the
// counted things are, when the sentence names it, names it in the clause
// of the count at v.words[i]: in "537 Pakistani nationals crossed back,
// among them nine diplomats and officials, while 850 Indians returned",
// the nine diplomats are not Indian ones. A name only in the sentence
// before is the checks' affair ("Eleven members of Pakistan's forces…
// Six were soldiers").
func qualifiersInClause(a *analysis, v sentenceView, i int) bool {
	clause := clauseOf(v.article.Text, v.words, i)
	for n := range a.names {
		if a.modifies[n] && !a.excluded[n] && a.named(n, v.words) && !a.named(n, clause) {
			return false
		}
	}
	return true
}

// passiveAfter returns the index term of the passive verb of the clause
// the number at ws[i] opens ("Eleven members … were killed"), or "".
func passiveAfter(text string, ws []word, i int) string {
	for k := i + 1; k+1 < len(ws) && k <= i+8; k++ {
		if strings.ContainsAny(text[ws[k-1].end:ws[k].start], ",;:") {
			return ""
		}
		switch ws[k].lower {
		case "was", "were", "been":
			if next := ws[k+1]; looksVerb(next.lower) && next.term != "" && !reportingVerbs[next.lower] {
				return next.term
			}
		}
	}
	return ""
}

// verbBefore returns the index term of the verb that governs the number at
// ws[i] ("killed 15", "killed at least 15"), or "".
func verbBefore(ws []word, i int) string {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		switch ws[k].lower {
		case "at", "least", "about", "some", "nearly", "almost", "around", "over", "than", "more", "another", "an", "additional":
			continue
		}
		// "Said 32 airports would stay closed": a verb of saying governs
		// the statement, not the count.
		if looksVerb(ws[k].lower) && ws[k].term != "" && !reportingVerbs[ws[k].lower] && !reportingVerbs[ws[k].term] {
			return ws[k].term
		}
		return ""
	}
	return ""
}

// sameVerb reports whether the index term found is the asked verb's or a
// form of one of its WordNet synonyms.
func (c checks) sameVerb(asked, found string) bool {
	if term1(asked) == found {
		return true
	}
	return c.syns != nil && asked != "" && c.syns.of(asked)[found]
}

// countIndex is where [countValue] finds the number, or -1.
func countIndex(a *analysis, v sentenceView, focusAt int, isCount func(int) bool) int {
	ws := v.words
	if focusAt < 0 {
		for i := range ws {
			if isCount(i) {
				return i
			}
		}
		return -1
	}
	// Left: up to four modifiers between the number and the thing, and no
	// function word ("killing 26 people in the deadliest attack" counts
	// people, not attacks) — and "five Indian soldiers" is no count of
	// Pakistani ones: a name among the modifiers that the question does
	// not give says whose they are.
	for i := focusAt - 1; i >= 0 && i >= focusAt-5; i-- {
		if isCount(i) {
			return i
		}
		if breaksPhrase(v.article.Text[ws[i].end:ws[i+1].start]) || ws[i].term == "" {
			break
		}
		if isCapitalised(ws[i].raw) && !a.qualifies1(ws[i].term) {
			break
		}
	}
	// "12 of its soldiers", "six of the soldiers".
	if focusAt >= 3 && ws[focusAt-2].lower == "of" && isDeterminer(ws[focusAt-1].lower) && isCount(focusAt-3) {
		return focusAt - 3
	}
	// A copula before the thing, perhaps with its modifiers between
	// ("were cargo ferries"): the count stands before it, and of a share
	// ("nine of the 14 were…") the share is the count.
	cop := focusAt - 1
	for cop > 0 && cop > focusAt-4 && !isCopulaWord(ws[cop].lower) && ws[cop].term != "" && !isCapitalised(ws[cop].raw) &&
		!breaksPhrase(v.article.Text[ws[cop].end:ws[cop+1].start]) {
		cop--
	}
	if cop >= 0 && isCopulaWord(ws[cop].lower) {
		for i := cop - 1; i >= 0 && i >= cop-5; i-- {
			if isCount(i) {
				if i >= 3 && ws[i-2].lower == "of" && isDeterminer(ws[i-1].lower) && isCount(i-3) {
					return i - 3
				}
				return i
			}
		}
	}
	// Right: "of", "at", "to", "was", "stood at", "rose to" then a number.
	for i := focusAt + 1; i < len(ws) && i <= focusAt+3; i++ {
		if isCount(i) {
			return i
		}
		switch ws[i].lower {
		case "of", "at", "to", "was", "were", "is", "stood", "rose", "reached", "totalled", "totaled", "numbered":
			continue
		}
		break
	}
	return -1
}

// isCopulaWord reports whether w is a past or present "be" that links a
// count to what it counts: "six were soldiers".
func isCopulaWord(w string) bool { return w == "were" || w == "was" || w == "are" }

func isDeterminer(w string) bool {
	switch w {
	case "the", "its", "their", "his", "her", "our", "these", "those":
		return true
	}
	return false
}

// breaksPhrase reports whether the text between two words ends a noun
// phrase: a number across a comma or a clause is not attached.
func breaksPhrase(between string) bool {
	return strings.ContainsAny(between, ",;:()—–\"“”")
}

// sentenceBreak reports whether the text between two words ends a
// sentence: "… called India's DGMO. He did not …" joins no name, but the
// dot after an initial or a title's short form ("A.K. Bharti", "Lt. Gen.")
// does not end one.
func sentenceBreak(between, prev string) bool {
	if !strings.Contains(between, ".") && !strings.ContainsAny(between, "!?") {
		return false
	}
	if strings.ContainsAny(between, "!?") {
		return true
	}
	if utf8.RuneCountInString(prev) == 1 {
		return false
	}
	switch strings.ToLower(prev) {
	case "lt", "gen", "col", "maj", "capt", "brig", "sgt", "st", "mr", "mrs", "ms", "dr", "no", "vs", "jr", "sr":
		return false
	}
	return true
}

// partOfClause returns, when the sentence counts a share "of the N" of a
// number N the sentence before gives, the words of that number's clause
// there: from it to the next number or clause break. Otherwise nil.
func (c checks) partOfClause(a *analysis, v sentenceView) []word {
	ws := v.words
	for i := 0; i+2 < len(ws); i++ {
		if ws[i].lower != "of" || ws[i+1].lower != "the" || !ws[i+2].num {
			continue
		}
		n := numberValue(ws[i+2].lower)
		prev := v.prev
		for j, w := range prev {
			if !w.num || numberValue(w.lower) != n {
				continue
			}
			end := j + 1
			for end < len(prev) && !prev[end].num && !strings.ContainsAny(v.article.Text[prev[end-1].end:prev[end].start], ",;:") {
				end++
			}
			return prev[j:end]
		}
	}
	return nil
}

// normaliseNumber reads the number at ws[i] (and a range "35 to 40",
// "35-40") as digits, so "five" and "5" compare equal.
func normaliseNumber(ws []word, i int) string {
	n := numberValue(ws[i].lower)
	if i >= 2 && (ws[i-1].lower == "to" || ws[i-1].lower == "and") && ws[i-2].num {
		return numberValue(ws[i-2].lower) + "-" + n
	}
	if i+2 < len(ws) && (ws[i+1].lower == "to" || ws[i+1].lower == "and") && ws[i+2].num {
		return n + "-" + numberValue(ws[i+2].lower)
	}
	return n
}

func numberValue(w string) string {
	w = strings.TrimSuffix(strings.TrimSuffix(strings.ReplaceAll(w, ",", ""), "'s"), "’s")
	if _, err := strconv.ParseFloat(w, 64); err == nil {
		return w
	}
	if a, b, ok := strings.Cut(w, "-"); ok && isNumberWord(a) && isNumberWord(b) {
		return strconv.Itoa(wordNumber(a) + wordNumber(b))
	}
	if n := wordNumber(w); n > 0 {
		return strconv.Itoa(n)
	}
	return w
}

func wordNumber(w string) int {
	units := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	if i := slices.Index(units, w); i >= 0 {
		return i
	}
	tens := []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	if i := slices.Index(tens, w); i >= 0 {
		return 10 * i
	}
	return 0
}

// durationValue finds a length of time: a number or "a", "an" before a
// unit ("a week", "48 hours", "for two days").
// isDurationUnit reports whether w, singular, is a unit of time.
func isDurationUnit(w string) bool {
	switch w {
	case "second", "minute", "hour", "day", "week", "fortnight", "month", "year", "night":
		return true
	}
	return false
}

// distanceValue finds a distance in ws, and where it stands: a number and
// a unit of length ("100 km", "about 30 kilometres", "90.23 metres", "the
// 15-mile stretch"), or the two ends of a stretch ("from Jammu to
// Gujarat"), which stands nowhere: it is its own subject (-1).
func distanceValue(ws []word) (string, int, bool) {
	for i := range ws {
		if val, at, ok := measureAt(ws, i, isLengthUnit, false); ok {
			return val, at, true
		}
		// An extent between two places: "from Jammu to Gujarat".
		if ws[i].lower == "from" && i+3 < len(ws) && isCapitalised(ws[i+1].raw) {
			for j := i + 2; j < len(ws) && j <= i+5; j++ {
				if ws[j].lower == "to" && j+1 < len(ws) && isCapitalised(ws[j+1].raw) {
					return ws[i+1].raw + " to " + ws[j+1].raw, -1, true
				}
			}
		}
	}
	return "", 0, false
}

// distanceOfAsked reports whether the distance at ws[at] is said of what
// the question names. Its owner is the nearest place named after "in",
// "at" or "near" before it, or else the nearest name before it: in "the
// Markaz Taiba at Muridke …, and the Markaz Subhan Allah in Bahawalpur,
// which she described as the headquarters of Jaish-e-Mohammed, about 100
// km from the border" the distance is Bahawalpur's, not Muridke's.
func distanceOfAsked(a *analysis, ws []word, at int) bool {
	asked := func(w word) bool {
		for _, name := range a.nameWords {
			if nameIn(name, []word{w}) || nameIn(name[len(name)-1:], []word{w}) {
				return true
			}
		}
		return false
	}
	for i := at - 1; i > 0; i-- {
		if isCapitalised(ws[i].raw) {
			switch ws[i-1].lower {
			case "in", "at", "near":
				return asked(ws[i])
			}
		}
	}
	for i := at - 1; i >= 0; i-- {
		if isCapitalised(ws[i].raw) && !(i == 0 && ws[i].term == "") {
			return asked(ws[i])
		}
	}
	return true
}

// distanceFromAsked reports whether a distance at ws[at] is measured from
// the place the question measures from: "about six kilometres from
// Pahalgam town" is no answer to "how far is it from Srinagar", though the
// report's dateline says Srinagar. A question that names no place after
// "from", or a sentence that names none after the distance, passes.
func distanceFromAsked(a *analysis, ws []word, at int) bool {
	m := fromPlaceRE.FindStringSubmatch(a.text)
	if m == nil {
		return true
	}
	asked := strings.Fields(strings.ToLower(m[1]))
	for i := at + 1; i+1 < len(ws) && i <= at+4; i++ {
		if ws[i].lower != "from" {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+3; j++ {
			if isCapitalised(ws[j].raw) {
				return nameIn(asked, ws[j:j+1]) || nameIn(asked[len(asked)-1:], ws[j:j+1])
			}
		}
	}
	return true
}

// fromPlaceRE finds the place a question measures from: "from Srinagar",
// "from the Line of Control".
var fromPlaceRE = regexp.MustCompile(`\bfrom\s+(?:the\s+)?(\p{Lu}[\p{L}'’-]*(?:\s+(?:of\s+)?\p{Lu}[\p{L}'’-]*)*)`)

// ageRE matches an age as news prose gives one: "a 69-year-old", "aged
// 28", "at the age of 70", "seven years old", or a number between commas
// after a name ("Syed Adil Hussain Shah, 28, a pony operator").
var ageRE = regexp.MustCompile(`(?i)\b(\d{1,3}|[a-z]+(?:-[a-z]+)?)[- ]years?[- ]old\b|\baged (\d{1,3})\b|\bage of (\d{1,3})\b|\p{Lu}\p{Ll}+, (\d{1,3}),`)

// ageValue finds an age in a sentence's text. A spelt-out number must be
// one ("seven-year-old"), not any word before "year-old".
func ageValue(text string) (string, bool) {
	for _, m := range ageRE.FindAllStringSubmatch(text, -1) {
		for _, g := range m[1:] {
			if g == "" {
				continue
			}
			if isNumeric(g) || wordNumber(strings.ToLower(strings.Split(g, "-")[0])) > 0 {
				return g, true
			}
		}
	}
	return "", false
}

// sizeValue finds a size: a number and a unit of length, area, volume or
// weight ("10 metres", "a 400-hectare site", "two tonnes").
func sizeValue(ws []word) (string, bool) {
	isUnit := func(u string) bool { return isLengthUnit(u) || isMeasureUnit(u) }
	for i := range ws {
		if val, _, ok := measureAt(ws, i, isUnit, true); ok {
			return val, true
		}
	}
	return "", false
}

// measureAt returns the measure that ends at ws[i], and where it starts: a
// number joined to its unit ("a 90-metre throw") or before it ("100 km",
// and with spelt, "two tonnes").
func measureAt(ws []word, i int, isUnit func(string) bool, spelt bool) (string, int, bool) {
	w := ws[i]
	if n, u, ok := strings.Cut(w.lower, "-"); ok && isNumeric(n) && isUnit(u) {
		return w.lower, i, true
	}
	if i > 0 && isUnit(w.lower) && (ws[i-1].num || isNumeric(ws[i-1].lower) || spelt && wordNumber(ws[i-1].lower) > 0) {
		return ws[i-1].lower + " " + w.lower, i - 1, true
	}
	return "", 0, false
}

// isMeasureUnit reports whether w, singular or plural, is a unit of area,
// volume or weight.
func isMeasureUnit(w string) bool {
	switch strings.TrimSuffix(w, "s") {
	case "hectare", "acre", "sq", "square", "tonne", "ton", "kg", "kilogram", "kilogramme", "pound", "lb",
		"litre", "liter", "gallon", "cubic":
		return true
	}
	return false
}

// isLengthUnit reports whether w is a unit of length, singular or plural.
func isLengthUnit(w string) bool {
	switch strings.TrimSuffix(strings.TrimSuffix(w, "s"), "e") {
	case "km", "kilometr", "kilometer", "mile", "metr", "meter", "m", "yard", "feet", "foot", "ft", "nautical":
		return true
	}
	return false
}

// clauseOf returns the words of the clause of ws[i]: up to the nearest
// comma, semicolon or dash on either side, or a conjunction after one.
func clauseOf(text string, ws []word, i int) []word {
	lo, hi := i, i
	for lo > 0 && !strings.ContainsAny(text[ws[lo-1].end:ws[lo].start], ",;:—–()") {
		lo--
	}
	for hi+1 < len(ws) && !strings.ContainsAny(text[ws[hi].end:ws[hi+1].start], ",;:—–()") {
		hi++
	}
	return ws[lo : hi+1]
}

// durationFor finds a length of time after "for" ("for about 90
// minutes", "for more than two weeks").
func durationFor(ws []word) (string, bool) {
	for i, w := range ws {
		if w.lower != "for" {
			continue
		}
		end := min(len(ws), i+5)
		if val, ok := durationValue(ws[i+1 : end]); ok {
			return val, true
		}
	}
	return "", false
}

// timeSpanRE finds a span between two clock times: "between 1:05 am and
// 1:30 am", "from 15:35 to 17:00".
var timeSpanRE = regexp.MustCompile(`(?i)\b(?:between|from)\s+(\d{1,2})[:.](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?\s+(?:and|to|until|till)\s+(\d{1,2})[:.](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?`)

// timeSpan gives the length of a span between two clock times the
// sentence gives, worked out: "between 1:05 am and 1:30 am" lasted 25
// minutes. A span that runs past midnight is read as going on to the next
// day.
func timeSpan(sentence string) (string, bool) {
	m := timeSpanRE.FindStringSubmatch(sentence)
	if m == nil {
		return "", false
	}
	minutes := func(h, mm, half string) (int, bool) {
		hh, err1 := strconv.Atoi(h)
		mi, err2 := strconv.Atoi(mm)
		if err1 != nil || err2 != nil || hh > 23 || mi > 59 {
			return 0, false
		}
		half = strings.ToLower(strings.ReplaceAll(half, ".", ""))
		if half != "" && (hh < 1 || hh > 12) {
			return 0, false
		}
		if half == "pm" && hh < 12 {
			hh += 12
		}
		if half == "am" && hh == 12 {
			hh = 0
		}
		return hh*60 + mi, true
	}
	half2 := m[6]
	half1 := m[3]
	if half1 == "" {
		half1 = half2 // "between 1:05 and 1:30 am"
	}
	from, ok1 := minutes(m[1], m[2], half1)
	to, ok2 := minutes(m[4], m[5], half2)
	if !ok1 || !ok2 {
		return "", false
	}
	d := to - from
	if d <= 0 {
		d += 24 * 60
	}
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	var parts []string
	if d >= 60 {
		parts = append(parts, plural(d/60, "hour"))
	}
	if d%60 != 0 {
		parts = append(parts, plural(d%60, "minute"))
	}
	clock := func(h, mm, half string) string { return strings.TrimSpace(h + ":" + mm + " " + half) }
	return fmt.Sprintf("%s, from %s to %s", strings.Join(parts, " "), clock(m[1], m[2], half1), clock(m[4], m[5], half2)), true
}

func durationValue(ws []word) (string, bool) {
	for _, w := range ws {
		// "The 22-minute speech", "a two-hour meeting".
		if n, u, ok := strings.Cut(w.lower, "-"); ok && isNumeric(n) && isDurationUnit(strings.TrimSuffix(u, "s")) {
			return w.lower, true
		}
	}
	for i := 1; i < len(ws); i++ {
		if !isDurationUnit(strings.TrimSuffix(ws[i].lower, "s")) {
			continue
		}
		if p := ws[i-1].lower; ws[i-1].num || p == "a" || p == "an" || p == "one" || p == "several" || p == "few" {
			return ws[i-1].lower + " " + ws[i].lower, true
		}
	}
	return "", false
}

// newName finds a name in the sentence that the question does not give:
// the answer to "who", "where" and "which".
func newName(a *analysis, v sentenceView, focusAt []int, book titleBook, country func(string) bool) (string, bool) {
	asked := map[string]bool{}
	for _, n := range a.names {
		for _, t := range n {
			asked[t] = true
		}
	}
	// A name whose head is a word the question uses for something else
	// is the thing asked about, not the answer: "the National Security
	// Committee" does not say who chaired the committee.
	described := map[string]bool{}
	for _, k := range a.key {
		if !k.name && k.term != a.focusTerm {
			described[k.term] = true
		}
	}
	text := v.article.Text
	ws := v.words
	var found []string
	for i := 0; i < len(ws); i++ {
		if !isCapitalised(ws[i].raw) || isCalendarWord(ws[i].lower) {
			continue
		}
		j := i
		for j+1 < len(ws) && (isCapitalised(ws[j+1].raw) || isJoiner(ws[j+1].lower) && j+2 < len(ws) && isCapitalised(ws[j+2].raw)) &&
			!breaksPhrase(text[ws[j].end:ws[j+1].start]) && !sentenceBreak(text[ws[j].end:ws[j+1].start], ws[j].raw) {
			j++
		}
		if j > i && (ws[i].lower == "the" || ws[i].lower == "a" || ws[i].lower == "an") && (i == 0 || sentenceStartBetween(text, v.span.Start, ws[i].start)) {
			// "The Indian government" opening a sentence: the article
			// is no part of the name, and "Indian" alone is read as a
			// word before a common one. Inside a sentence a capital
			// "The" is the name's own ("calling itself The Resistance
			// Front").
			i++
		}
		first := i == 0 || sentenceStartBetween(text, v.span.Start, ws[i].start) ||
			i > 0 && isDateline(text, ws[i-1].end)
		// A lone capital opening the sentence is grammar, not a name;
		// a dateline ("SRINAGAR —") names where it was filed.
		if first && j == i && !isAcronym(ws[i].raw) || isDateline(text, ws[j].end) {
			i = j
			continue
		}
		// A lone capital before a common word is an adjective ("Indian
		// aircraft", "Chinese-made missiles"), not a name — unless what it
		// describes is the asked thing ("Harop drones" for "what kind of
		// drones").
		if j == i && j+1 < len(ws) && ws[j+1].term != "" && !isCapitalised(ws[j+1].raw) &&
			!breaksPhrase(text[ws[j].end:ws[j+1].start]) && !isAcronym(ws[i].raw) && !actsNext(ws[j+1].lower) &&
			!(len(focusAt) > 0 && nearAny(focusAt, j+1, j+3, 0) && !(country(ws[i].lower) && !a.asksCountry())) && !(a.opening == "where" && timeAfterName[ws[j+1].lower]) {
			// A country's adjective says whose the asked thing is, not
			// which: "three Pakistani air bases" names no base. It is
			// the answer when a country is asked ("which country's
			// citizen": "a Nepali citizen").
			continue
		}
		isNew := false
		for k := i; k <= j; k++ {
			if ws[k].term != "" && !asked[ws[k].term] && !described[ws[k].term] && !isCalendarWord(ws[k].lower) && !isJoiner(ws[k].lower) &&
				!(k == j && j > i && isCommonCapital(surface(ws[k].raw))) {
				isNew = true
			}
		}
		if isNew && described[ws[j].term] {
			isNew = false
		}
		if isNew && j > i && initialsOfQuestion(a, ws[i:j+1]) {
			// "Which MEA official": the Ministry of External Affairs is
			// the question's own name, spelt out.
			isNew = false
		}
		for n := range a.names {
			if isNew && a.excluded[n] && nameIn(a.nameWords[n], ws[i:j+1]) {
				isNew = false // "besides Indians": an Indian is no answer
			}
			if isNew && !a.excluded[n] && ownName(a.nameWords[n], ws[i:j+1], book) {
				isNew = false
			}
		}
		if isNew && (a.focusNamed || a.focus != "" && len(focusAt) > 0) && !namesFocus(ws, focusAt, i, j) {
			// "The name of the pilot" wants a name next to "pilot", and
			// "which side" one beside the word that stands for it.
			isNew = false
		}
		if isNew && a.focus != "" && len(focusAt) == 0 && !qualifierBeside(a, ws, i, j) && !(a.within && inQuestionPlace(a, ws, i)) {
			// Without the asked thing's word, "which Indian official"
			// wants "Indian" beside the name: a Pakistani minister in a
			// sentence that also names India is not it.
			isNew = false
		}
		if isNew && a.wantsPerson() && placedAt(ws, i) {
			// "Who" is no place: "along the Line of Control".
			isNew = false
		}
		if isNew && a.opening == "where" && !governedAsPlace(text, ws, i) {
			// "Where" is answered by a place the sentence puts something
			// in, at, near, from or to, or that a verb acts on ("struck
			// Muridke"): not by a country that is a subject ("India did
			// not comment") or an opponent ("against Pakistan").
			isNew = false
		}
		if isNew && a.wantsPlace() && (isTitleWord(surface(ws[i].raw)) || i > 0 && isCapitalised(ws[i-1].raw) && isTitleWord(surface(ws[i-1].raw))) {
			// "Which countries" are not "Foreign Secretary Vikram
			// Misri".
			isNew = false
		}
		if isNew && len(a.identity) > 0 && !titled(a.identity, text, ws, i, j, book) {
			// "Foreign Secretary Vikram Misri" is named in a sentence on
			// the DGMOs, but is none.
			isNew = false
		}
		if isNew && v.article.Source != "" && strings.EqualFold(strings.TrimPrefix(text[ws[i].start:ws[j].end], "The "), strings.TrimPrefix(v.article.Source, "The ")) {
			// "… an official told The Lahore Standard": the report names
			// itself, and its outlet is no answer.
			isNew = false
		}
		if isNew {
			var parts []string
			for k := i; k <= j; k++ {
				parts = append(parts, ws[k].raw)
			}
			found = append(found, strings.Join(parts, " "))
		}
		i = j
	}
	if len(found) == 0 {
		return "", false
	}
	slices.Sort(found)
	return strings.Join(slices.Compact(found), "; "), true
}

// ordinalSaid reports whether ws says the ordinal o[0] of the noun whose
// term is o[1], or a near word of it ("the second Test", "second-round",
// "the first blasts" for the first bangs); if not, other is an ordinal it
// gives that noun instead.
func (c checks) ordinalSaid(o [2]string, ws []word) (other string, ok bool) {
	same := func(w word) bool { return w.term == o[1] || c.wordMatched(o[1], []word{w}) }
	for i, w := range ws {
		if first, rest, cut := strings.Cut(w.lower, "-"); cut && ordinalWord(first) != "" && term1(rest) == o[1] {
			if ordinalWord(first) == o[0] {
				return "", true
			}
			other = ordinalWord(first)
			continue
		}
		if i == 0 || ordinalWord(ws[i-1].lower) == "" || !same(w) {
			continue
		}
		if p := ordinalWord(ws[i-1].lower); p == o[0] {
			return "", true
		} else {
			other = p
		}
	}
	return other, false
}

// inQuestionPlace reports whether the name at ws[i] follows "in" after a
// name of the question: "Balakot in Khyber Pakhtunkhwa" says what
// Balakot is in.
func inQuestionPlace(a *analysis, ws []word, i int) bool {
	if i < 2 || ws[i-1].lower != "in" || !isCapitalised(ws[i-2].raw) {
		return false
	}
	for n := range a.names {
		if slices.Contains(a.names[n], ws[i-2].term) {
			return true
		}
	}
	return false
}

// qualifiedFocus keeps, of the places the sentence names the asked thing,
// those the question's qualifier stands beside, when it stands beside any:
// in "struck the Nur Khan air base …, and fired a missile at an air base in
// Punjab", the base in Punjab is the second, which the report does not
// name.
func qualifiedFocus(a *analysis, ws []word, at []int) []int {
	var kept []int
	for _, i := range at {
		for n := range a.names {
			if a.modifies[n] && nameIn(a.nameWords[n], ws[max(0, i-4):min(len(ws), i+4)]) {
				kept = append(kept, i)
				break
			}
		}
	}
	if len(kept) == 0 {
		return at
	}
	return kept
}

// initialsOfQuestion reports whether the name run ws spells out initials
// the question gives ("Ministry of External Affairs" for "MEA").
func initialsOfQuestion(a *analysis, ws []word) bool {
	run := make([]string, len(ws))
	for i, w := range ws {
		run[i] = w.raw
	}
	ini := initials(run)
	if ini == "" {
		return false
	}
	for _, t := range a.nameText {
		if isAcronym(t) && strings.EqualFold(strings.TrimSuffix(strings.TrimSuffix(t, "'s"), "s"), ini) {
			return true
		}
	}
	return false
}

// qualifierBeside reports whether every name that qualifies the asked
// thing stands within four words of ws[i:j+1], or in it.
func qualifierBeside(a *analysis, ws []word, i, j int) bool {
	for n := range a.names {
		if !a.modifies[n] {
			continue
		}
		ok := false
		for k := max(0, i-4); k < min(len(ws), j+5); k++ {
			if !nameIn(a.nameWords[n], ws[k:k+1]) {
				continue
			}
			// "Indian positions along the Line of Control": the
			// qualifier is said of the positions, not of the name.
			if next := k + 1; next < len(ws) && (next < i || next > j) && ws[next].term != "" && !isCapitalised(ws[next].raw) && ws[next].term != a.focusTerm {
				continue
			}
			ok = true
		}
		if !ok {
			return false
		}
	}
	return true
}

// onlyGoverned reports whether ws names name, and every time after a
// preposition: "to India", "with India", "between India and Pakistan".
// "By" marks a passive's agent, "of" an owner and "in" a place that may
// stand for its people, so none counts.
func onlyGoverned(name []string, ws []word) bool {
	seen, free := governed(name, ws)
	return seen && !free
}

// governed reports whether ws names name at all, and whether it does so
// once as who may act: not after a governing preposition, nor inside a
// compound ("the Pakistan-based group" is the group, not Pakistan).
func governed(name []string, ws []word) (seen, free bool) {
	for i := range ws {
		if !isCapitalised(ws[i].raw) || !nameIn(name, ws[i:i+1]) {
			continue
		}
		seen = true
		if sw := surface(ws[i].raw); len(name) == 1 && strings.HasPrefix(sw, name[0]+"-") {
			continue
		}
		if k := beforeCoordination(ws, i); k < 0 || !governingPrepositions[ws[k].lower] {
			return true, true
		}
	}
	return seen, false
}

// agentOnlyGoverned is [onlyGoverned] for the question's agent under any
// of its names: "Islamabad" is named by "Pakistan" too, and is no actor
// in "the Pakistan-based Lashkar-e-Taiba claimed the attack".
func agentOnlyGoverned(a *analysis, ws []word) bool {
	seen, free := governed(a.nameWords[a.agent], ws)
	if free {
		return false
	}
	var alts [][]string
	if a.agent < len(a.nameAlts) {
		alts = a.nameAlts[a.agent]
	}
	for _, alt := range alts {
		s, f := governed(alt, ws)
		if f {
			return false
		}
		seen = seen || s
	}
	return seen
}

// beforeCoordination returns the index of the word before the names and
// conjunctions that lead up to ws[i] ("between" for "India" in "between
// Pakistan and India"), or -1.
func beforeCoordination(ws []word, i int) int {
	k := i - 1
	for k >= 0 && (isCapitalised(ws[k].raw) || ws[k].lower == "and" || ws[k].lower == "or") {
		k--
	}
	return k
}

// otherCountryActs returns the country that opens the sentence as its
// subject ("India carried out …") when it is not the question's agent
// and the sentence names the agent only in a phrase of place ("in
// Pakistan"), of another preposition, or inside a compound
// ("Pakistan-administered"); else "".
func (c checks) otherCountryActs(a *analysis, v sentenceView) string {
	ws := v.words
	if len(ws) < 2 || v.headline {
		return ""
	}
	text := v.article.Text
	// Past a dateline: "NEW DELHI — India …".
	first := 0
	for k := 0; k < len(ws)-1 && k < 6; k++ {
		if strings.ContainsAny(text[ws[k].end:ws[k+1].start], "—–") {
			first = k + 1
			break
		}
	}
	subj := ws[first]
	if !isCapitalised(subj.raw) || first+1 < len(ws) && isCapitalised(ws[first+1].raw) && ws[first+1].start-subj.end <= 1 {
		return "" // "Indian officials", "Prime Minister": not the country alone
	}
	if a.named(a.agent, ws[first:first+1]) || len(c.names.OtherNames(surface(subj.raw))) == 0 {
		return ""
	}
	agent := a.nameWords[a.agent]
	for i := first + 1; i < len(ws); i++ {
		if !isCapitalised(ws[i].raw) || !nameIn(agent, ws[i:i+1]) {
			continue
		}
		if strings.HasPrefix(text[ws[i].end:], "-") {
			continue // "Pakistan-administered Kashmir"
		}
		if k := beforeCoordination(ws, i); k < 0 || !governingPrepositions[ws[k].lower] && !siteOfActPrepositions[ws[k].lower] {
			return "" // the agent acts somewhere in the sentence
		}
	}
	return subj.raw
}

// otherCountryPlace returns a country the sentence names after a
// preposition of place ("in northern and western India") that is none of
// the question's names, or "".
func (c checks) otherCountryPlace(a *analysis, ws []word) string {
	for i, w := range ws {
		if !isCapitalised(w.raw) || len(c.names.OtherNames(surface(w.raw))) == 0 {
			continue
		}
		mine := false
		for n := range a.names {
			if nameIn(a.nameWords[n], ws[i:i+1]) {
				mine = true
			}
		}
		if mine {
			continue
		}
		for k := i - 1; k >= 0 && k >= i-4; k-- {
			if siteOfActPrepositions[ws[k].lower] {
				return w.raw
			}
			if ws[k].term == "" && ws[k].lower != "and" {
				break
			}
		}
	}
	return ""
}

// siteOfActPrepositions put a country where things happen rather than
// among who acts: "nine sites in Pakistan". Narrower than
// [placePrepositions]: "strikes near Pakistan" may still be Pakistan's.
var siteOfActPrepositions = wordSet("in", "on", "at", "inside", "across")

// governingPrepositions put a name in a phrase that is not its subject.
// Places are left out: "officials in New Delhi said" is New Delhi
// speaking, and "temperatures in Jacobabad reached 50" is Jacobabad
// hitting 50.
var governingPrepositions = wordSet("to", "with", "against", "from", "toward", "towards", "into",
	"between", "for", "about", "onto", "upon")

// focusExactIn reports whether the asked thing stands in ws by its own
// word. Then a "which X" answer is a name said of an X — "the Attari
// crossing" — not any name in the sentence: countries "in contact with
// both sides" are not the side that asked.
func focusExactIn(a *analysis, ws []word, at []int) bool {
	for _, i := range at {
		if ws[i].term == a.focusTerm {
			return true
		}
	}
	return false
}

// nearAny reports whether some index in at lies within d words of [i, j].
// placedAt reports whether the name starting at ws[i] follows a
// preposition of place, perhaps with "the": "in Pakistan", "along the
// Line of Control".
func placedAt(ws []word, i int) bool {
	k := i - 1
	if k >= 0 && ws[k].lower == "the" {
		k--
	}
	if k < 0 {
		return false
	}
	switch ws[k].lower {
	case "in", "at", "near", "along", "across", "into", "outside", "inside", "towards", "toward", "beyond", "from", "to":
		return true
	case "and", "or":
		// "in Pakistan and Pakistan-occupied Kashmir": the second is
		// placed as the first.
		j := k - 1
		for j > 0 && isCapitalised(ws[j-1].raw) && ws[j-1].end+1 == ws[j].start {
			j--
		}
		return j >= 0 && j < k && isCapitalised(ws[j].raw) && placedAt(ws, j)
	}
	return false
}

// governedAsPlace reports whether the name starting at ws[i] stands
// where a place does: after a preposition of place, or as the object of
// a verb, past the words of its noun phrase ("at the Baisaran meadow",
// "in the city of Lahore") and the names it is listed with ("in Kotli,
// Muzaffarabad and Bagh"), but not past a comma that ends a phrase of
// common words ("In his address to the nation, Prime Minister Narendra
// Modi said").
func governedAsPlace(text string, ws []word, i int) bool {
	common := 0
	for k := i - 1; k >= 0 && k >= i-10; k-- {
		w := ws[k].lower
		if strings.ContainsAny(text[ws[k].end:ws[k+1].start], ",;:—()") && !isCapitalised(ws[k].raw) {
			return false
		}
		switch {
		case placePrepositions[w]:
			return true
		case isCapitalised(ws[k].raw) || w == "and" || w == "or" || isDeterminer(w) || ws[k].num:
			continue
		case looksVerb(w) || k > 0 && ws[k-1].lower == "to" && !placePrepositions[w]:
			// "struck Muridke", "to visit Saudi Arabia".
			return true
		case ws[k].term != "" && common < 3:
			// "the city of", "30 km north of".
			common++
			continue
		case w == "of" || w == "'s":
			continue
		}
		return false
	}
	return false
}

// timeAfterName are words of time that follow a name without describing
// it: where talks will be held "in Geneva next week" is Geneva, though
// "Indian aircraft" names no India.
var timeAfterName = wordSet("next", "last", "yesterday", "today", "tonight", "overnight", "earlier", "later", "again", "early", "late")

// placePrepositions put what follows them somewhere.
var placePrepositions = wordSet("in", "at", "near", "from", "to", "into", "onto", "on", "over", "across", "along", "outside", "inside",
	"above", "below", "beneath", "off", "around", "towards", "toward", "between", "via", "through", "within", "beyond", "under",
	"behind", "past", "throughout", "upon")

// titled reports whether the name ws[i..j] holds the title whose terms
// are ts, in text: in the name itself or just before it ("Army Chief Asim
// Munir", "the army chief Asim Munir"), in an apposition or predicate
// after it ("Asim Munir, the army chief,", "Rubio is the…"), or in the
// title the report gives it.
func titled(ts []string, text string, ws []word, i, j int, book titleBook) bool {
	var near []word
	for k := j; k >= max(0, i-3); k-- {
		near = append(near, ws[k])
		if k > 0 && k <= i && strings.TrimSpace(text[ws[k-1].end:ws[k].start]) != "" {
			break
		}
	}
	if j+1 < len(ws) && (strings.TrimSpace(text[ws[j].end:ws[j+1].start]) == "," || isCopula(ws[j+1].lower) || ws[j+1].lower == "became") {
		// "Asim Munir, the army chief", "Rubio is also the national
		// security advisor".
		for k := j + 1; k < min(len(ws), j+8); k++ {
			near = append(near, ws[k])
			if k+1 < len(ws) && strings.TrimSpace(text[ws[k].end:ws[k+1].start]) != "" {
				break
			}
		}
	}
	title := book[surface(ws[j].raw)]
	for _, t := range ts {
		if !hasTerm(near, t) && !hasTerm(title, t) {
			return false
		}
	}
	return true
}

// namesFocus reports whether the name ws[i..j] stands within three words
// of the asked thing's word, with no preposition of place between them:
// "Nur Khan air base near Rawalpindi" names the base Nur Khan, and
// Rawalpindi is where it is. "Of" joins a name to its kind ("the city of
// Sialkot").
func namesFocus(ws []word, focusAt []int, i, j int) bool {
	for _, k := range focusAt {
		if k < i-3 || k > j+3 {
			continue
		}
		lo, hi := j+1, k
		if k < i {
			lo, hi = k+1, i
		}
		placed, of := false, false
		for m := lo; m < hi; m++ {
			switch ws[m].lower {
			case "near", "in", "at", "outside", "from", "to", "towards", "into", "beyond", "across", "over":
				placed = true
			case "of":
				of = true
			case "the", "a", "an", "its", "their":
				// "The commissioner of the Jammu and Kashmir
				// administration" is whose he is, not his name.
				placed = placed || of && k < i
			}
		}
		if !placed {
			return true
		}
	}
	return false
}

func nearAny(at []int, i, j, d int) bool {
	for _, k := range at {
		if k >= i-d && k <= j+d {
			return true
		}
	}
	return false
}

func isCapitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func isAcronym(s string) bool {
	return len(s) >= 2 && strings.ToUpper(s) == s && strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// initialsFiller: the small words an acronym leaves out ("Board of
// Control for Cricket in India", BCCI).
func initialsFiller(w string) bool {
	switch w {
	case "and", "for", "in", "on", "the", "to":
		return true
	}
	return isJoiner(w)
}

// isJoiner: the small words inside names ("Line of Control", "Lashkar-e-Taiba").
func isJoiner(w string) bool {
	return w == "of" || w == "de" || w == "al" || w == "e"
}

// sentenceStartBetween reports whether only punctuation, quotes and white
// space stand between the sentence start and pos.
func sentenceStartBetween(text string, start, pos int) bool {
	return strings.TrimLeftFunc(text[start:pos], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) == ""
}

// isDateline reports whether a dash follows the word: "SRINAGAR —".
func isDateline(text string, end int) bool {
	rest := strings.TrimLeft(text[end:min(len(text), end+6)], " ")
	return strings.HasPrefix(rest, "—") || strings.HasPrefix(rest, "(")
}

// isCalendarWord: months and weekdays are dates, not names.
func isCalendarWord(w string) bool {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	switch w {
	case "january", "february", "march", "april", "may", "june", "july", "august", "september",
		"october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
		"saturday", "sunday":
		return true
	}
	return false
}

// sameDates reports whether d is one of the question's own dates.
func sameDates(d corpus.EventDate, qs []corpus.EventDate) bool {
	for _, q := range qs {
		if within(d, q) && within(q, d) {
			return true
		}
	}
	return false
}

// datesFit reports whether the sentence — or, when it names no date, the
// sentences beside it, or else the day its article was published — is
// about the time the question names.
// eventDays are the days a sentence gives for what it tells, leaving out
// a day named in passing ("Tuesday's attack", "since 23 April"): those
// that a neighbour's date cannot override.
func eventDays(v sentenceView) []corpus.EventDate {
	text := v.article.Text[v.span.Start:v.span.End]
	var out []corpus.EventDate
	for _, d := range v.dates {
		if d.Precision != corpus.DayPrecision || d.End > len(text) || d.Start < 0 || insideQuote(text, d.Start) {
			continue
		}
		after := text[d.End:]
		if strings.HasPrefix(after, "'s") || strings.HasPrefix(after, "’s") {
			continue
		}
		before := strings.ToLower(strings.TrimRight(text[:d.Start], " "))
		if strings.HasSuffix(before, "since") || strings.HasSuffix(before, "until") || strings.HasSuffix(before, "after") || strings.HasSuffix(before, "before") || strings.HasSuffix(before, "by") {
			continue
		}
		out = append(out, d)
	}
	return out
}

func datesFit(a *analysis, v sentenceView) (fit, explicit bool) {
	if a.event != "" && eventNamed(a, v) {
		// "Abandoned in the 11th over after an air raid alert": the
		// sentence says what came after the event itself.
		return true, true
	}
	// The sentence's own dates, and those of the sentences beside it: a
	// report often gives the day once for several sentences, and a
	// sentence may name an earlier day in passing ("last Tuesday's
	// attack") while its neighbour dates the event itself.
	ds := append(slices.Clip(v.dates), v.near...)
	own := eventDays(v)
	if len(own) == 0 && displacedRE.MatchString(v.article.Text[v.span.Start:v.span.End]) {
		// "The announcement came two days after Vance said…": the
		// sentence moves its time off the day its neighbours give, by
		// an amount no date here says.
		return false, false
	}
	if len(own) > 0 {
		// A sentence that dates its own event ("the shelling on
		// Wednesday killed 15") is about that day, whatever the sentences
		// beside it say.
		ds = own
	}
	if len(ds) == 0 && !v.article.Published.IsZero() {
		// A report with no date of its own tells of the day it was
		// published or the one before; that is weak evidence, so it need
		// only meet the question's time.
		p := v.article.Published.UTC().Truncate(24 * time.Hour)
		pub := corpus.EventDate{From: p.AddDate(0, 0, -1), To: p, YearKnown: true}
		for _, q := range a.dates {
			if q.Overlaps(pub) && a.rel == dateOn || a.rel == dateBy && beforeOrOn(pub, q) || a.rel == dateAfter && beforeOrOn(q, pub) {
				return true, false
			}
		}
		return false, false
	}
	for _, q := range a.dates {
		for _, d := range ds {
			if wd, ok := weekdayOnly(a.text, q); ok {
				// "on Friday" in a question names the weekday the sources
				// speak of, not the last Friday before today.
				// "Monday night" runs into Tuesday: it is still Monday's.
				if d.Precision == corpus.DayPrecision && d.YearKnown && d.From.Weekday() == wd &&
					(d.From.Equal(d.To) || d.To.Equal(d.From.AddDate(0, 0, 1)) && strings.HasSuffix(d.Part, "night")) {
					return true, true
				}
				continue
			}
			switch a.rel {
			case dateBy:
				if beforeOrOn(d, q) {
					return true, true
				}
			case dateAfter:
				if beforeOrOn(q, d) {
					return true, true
				}
			default:
				if within(d, q) {
					return true, true
				}
			}
		}
	}
	return false, true
}

// displacedRE finds a time moved by an amount from another: "two days
// after", "a week earlier", "hours before".
var displacedRE = regexp.MustCompile(`(?i)\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+(?:hours?|days?|weeks?|months?)\s+(?:after|before|earlier|later)\b`)

// eventNamed reports whether the sentence names the event the question is
// dated by, with the same word of order just before it: "after an air
// raid alert" for "after the air raid alert". Then it is about what came
// after the event itself, whatever day the corpus gives the event.
func eventNamed(a *analysis, v sentenceView) bool {
	rel := strings.ToLower(strings.Fields(a.text[a.eventAt[0]:a.eventAt[1]])[0])
	if rel != "after" && rel != "before" && rel != "since" && rel != "until" {
		return false
	}
	var terms []string
	for _, w := range strings.Fields(a.event) {
		if t := term1(strings.ToLower(w)); t != "" {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return false
	}
	ws := v.words
	for i, w := range ws {
		if w.lower != rel {
			continue
		}
		// The event's words, in the next few.
		found := 0
		for k := i + 1; k < min(len(ws), i+3+len(terms)); k++ {
			if slices.Contains(terms, ws[k].term) {
				found++
			}
		}
		if found == len(terms) {
			return true
		}
	}
	return false
}

// weekdayOnly reports whether a question's date is a bare weekday ("on
// Friday"), and which.
func weekdayOnly(text string, q corpus.EventDate) (time.Weekday, bool) {
	if !q.Relative || q.Start < 0 || q.End > len(text) {
		return 0, false
	}
	for _, w := range lowerWords(text[q.Start:q.End]) {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if w == strings.ToLower(d.String()) {
				return d, true
			}
		}
	}
	return 0, false
}

// within reports whether every day of d falls in o. A side without a year
// is compared by month and day.
func within(d, o corpus.EventDate) bool {
	df, dt, of, ot := d.From, d.To, o.From, o.To
	if !d.YearKnown || !o.YearKnown {
		df, dt = noYear(df), noYear(dt)
		of, ot = noYear(of), noYear(ot)
	}
	return !df.Before(of) && !dt.After(ot)
}

// beforeOrOn reports whether d ends no later than o ends.
func beforeOrOn(d, o corpus.EventDate) bool {
	dt, ot := d.To, o.To
	if !d.YearKnown || !o.YearKnown {
		dt, ot = noYear(dt), noYear(ot)
	}
	return !dt.After(ot)
}

func noYear(t time.Time) time.Time {
	return time.Date(2000, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// reaches compares a similarity with a floor. The table's values are
// float32 rounded to two decimals, so 0.65 stored is a hair under 0.65.
func reaches(sim, floor float64) bool { return sim+1e-6 >= floor }

// numberUnsaid returns a figure the question gives that neither the
// sentence nor the words around it in its report say, or "".
func numberUnsaid(a *analysis, v sentenceView, all []word) string {
	for _, n := range a.given {
		found := false
		for _, ws := range [][]word{all, v.before, v.adjacent, v.around} {
			if slices.ContainsFunc(ws, func(w word) bool { return w.num && numberValue(w.lower) == n }) {
				found = true
				break
			}
		}
		if !found {
			return n
		}
	}
	return ""
}

// countryTailOnly reports whether name i of the question is a name of
// several words ending in a country's ("Air India") that the sentence's
// report never writes out whole, so that only the country matched it.
func (c checks) countryTailOnly(a *analysis, i int, v sentenceView) bool {
	name := a.nameWords[i]
	if len(name) < 2 || c.names == nil || len(c.names.OtherNames(name[len(name)-1])) == 0 {
		return false
	}
	if i < len(a.nameAlts) && len(a.nameAlts[i]) > 0 {
		return false // "New Delhi" is a name of India's too
	}
	return !wordsRun(name, c.titles.wordsOf(c.stems, v.report())) && !wordsRun(name, v.title)
}

// wordsRun reports whether ws holds the words of name one after another,
// each as written apart from case and a possessive.
func wordsRun(name []string, ws []word) bool {
	for i := 0; i+len(name) <= len(ws); i++ {
		k := 0
		for k < len(name) && surface(ws[i+k].raw) == name[k] {
			k++
		}
		if k == len(name) {
			return true
		}
	}
	return false
}
