package answer

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// slotKind is the kind of value a question asks for: what a sentence must
// hold, besides the question's subject, before it can answer.
type slotKind int

const (
	// slotAny: "what did she say", "how did he react", yes/no questions.
	slotAny slotKind = iota
	// slotCount: "how many", "how much" — a number attached to the asked
	// thing ("five Indian aircraft", "compensation of 1 million rupees").
	slotCount
	// slotTime: "when", "on what date", "what time" — a date or a time.
	slotTime
	// slotDuration: "how long", "for how long" — a span of time.
	slotDuration
	// slotName: "who", "where", "which X" — a name the question does not
	// already give.
	slotName
	// slotReason: "why" — a cause the sentence gives with a word that
	// says it is one ("because", "after", "in response to"), and that the
	// question does not already give.
	slotReason
	// slotDistance: "how far" — a number with a unit of length ("100 km",
	// "a 90-metre throw").
	slotDistance
	// slotAge: "how old" — an age ("a 69-year-old", "aged 28", "Shah,
	// 28,").
	slotAge
	// slotSize: "how big", "how deep" — a number with a unit of length,
	// area or weight ("a crater 10 metres wide", "400 hectares").
	slotSize
	// slotTitle: "what is X's job", "what rank does X hold" — the title
	// the sentence gives the person X ("Wing Commander Vyomika Singh").
	slotTitle
)

func (k slotKind) String() string {
	switch k {
	case slotCount:
		return "a number"
	case slotTime:
		return "a date or time"
	case slotDuration:
		return "a length of time"
	case slotName:
		return "a name"
	case slotReason:
		return "a reason"
	case slotDistance:
		return "a distance"
	case slotAge:
		return "an age"
	case slotSize:
		return "a size"
	case slotTitle:
		return "title"
	}
	return "an answer"
}

// dateRelation is how a question's date bounds the events it asks about.
type dateRelation int

const (
	dateOn     dateRelation = iota // "on 9 May", "the night of 8 May", "between 7 and 10 May"
	dateBy                         // "by 8 May", "until", "before"
	dateAfter                      // "after 10 May", "since"
	dateAround                     // a date that only describes the subject ("the 7 May strikes")
)

// analysis is a question read once: what it asks for, about what, when.
// Every later step uses it; nothing re-reads the question.
type analysis struct {
	// titleOf is, for a slotTitle question, the index of the name whose
	// title is asked.
	titleOf int
	// people are the titles the whole index gives each person, for a
	// report that names them with fewer; nil outside an index.
	people *peopleBook

	text string
	slot slotKind
	// clock: the question asks for a time of day ("at what time");
	// partOfDay: a part of the day answers it too ("what time of day").
	clock, partOfDay bool
	// precise: the question asks for a day, a month or a year by name
	// ("on what date", "which year"), and precision is the coarsest date
	// that answers it: "late May" is no date, "the 1960s" no year.
	precise   bool
	precision corpus.DatePrecision
	// focus is the asked thing's head word ("soldiers" in "how many
	// Pakistani soldiers"), lower-cased, and its index term; a count must
	// be attached to it and a "which X" answer must mention it.
	focus, focusTerm string
	// relation is the question's main verb ("reopen" in "when did the
	// crossing reopen"), lower-cased, and its index term: a sentence that
	// answers says it, in that word or a near one. Empty when the question
	// has none that can be found without parsing, or only a light one.
	relation, relationTerm string
	// subject is the head noun of the relation's subject ("ministry" in
	// "did India's foreign ministry say"), when it is not a name.
	subject, subjectTerm string
	// owner is the name that says whose the subject is ("china" in
	// "China's foreign minister", "pakistani" in "the Pakistani army
	// chief"), lower-cased, or "".
	owner string
	// subjectMod is the common noun or adjective just before the subject
	// ("militia" in "the militia commander", "foreign" in "the foreign
	// ministry"), or "": the speaker found must be that one, not another
	// commander.
	subjectMod string
	// subjectOf is X in "the head of X", when the subject is a head noun:
	// the speaker is whoever's title names X.
	subjectOf []ofPart
	// verbWeighed is the index term of the verb of a "who" question
	// without an auxiliary ("chaired" in "who chaired the committee", "who
	// is leading"), and verbWord the verb as asked. Sources say it in other
	// words too ("explained to reporters" for "briefed"), so a near word
	// serves, but sentences that say it are preferred.
	verbWeighed, verbWord string
	// numbers are the values of the numbers the question gives, besides
	// those of its dates ("how many of the nine sites"): what it counts
	// from is no count it asks for.
	numbers []string
	// opening is the question's first word, lower-cased ("who",
	// "where"); asked is the index term of every word it has.
	opening string
	// happened are the index terms of the verbs the question says took
	// place: past forms ("when he visited") and the verb after "did"
	// ("when did Modi visit"). A sentence that says only that they would
	// happen does not answer it.
	happened []string
	// occasion are the verbs of a "when" clause that sets the question's
	// occasion ("how old was he when he was elected"), as written.
	occasion []string
	asked    map[string]bool
	// identity are the index terms of the title a "who is X" question
	// asks the holder of ("army", "chief" in "who was Pakistan's army
	// chief"): a name answers only with that title, beside it or given it
	// by the report.
	identity []string
	// particle is the particle of a phrasal relation ("down" in "shot
	// down"): another verb with it ("brought down") says the relation.
	particle string
	// phrasal is the relation with its particle as the synonym table has
	// phrasal verbs ("throw_out"), or "" when it has none; worked out once,
	// as every candidate's coverage asks for it.
	phrasal string
	// relationAlt is the verb a relation governs ("hold" in "threaten to
	// hold"), which may stand for it.
	relationAlt string
	// measure: the asked thing is a quantity ("what range", "what was
	// the price"), so only a figure the question does not give answers.
	measure bool
	// focusNamed: the question asks for the name of that thing ("the name
	// of the pilot", "what kind of drones"), so the answer must mention it.
	focusNamed bool
	// names are the runs of capitalised words (names, places, titles),
	// each as its index terms; a sentence that answers mentions them.
	names [][]string
	// nameText is each name run as written, for reasons; nameWords the
	// same, lower-cased word by word, possessives dropped.
	nameText  []string
	nameWords [][]string
	// nameAlts are each name's other names, when it is a country's:
	// "united states", "us" and "washington" for "American" (see
	// [Gazetteer]). ownerAlts are the owner's.
	nameAlts  [][][]string
	ownerAlts [][]string
	// place marks one-word names the question puts after "in" ("killed in
	// Pakistan"): a place, which a sentence names as such, not by its
	// adjective ("Pakistani shells fell on Poonch" is not in Pakistan).
	place []bool
	// nameHead is the common noun a name qualifies in the question
	// ("attack" in "the Pahalgam attack"), or "": a report that has named
	// the attack calls it "the attack" after.
	nameHead []string
	// speaks marks the names of more than one word, or initials, that are
	// the subject of a verb of saying ("what did the US Secretary of State
	// tell him", "what did the DGMO say"): who speaks is named with the
	// statement, not only in the report's headline or lead. A country
	// ("what did India say") speaks through any of its officials.
	speaks []bool
	// speaker is the index of the name whose statement the question asks
	// for, of any length ("how did Pakistan respond"), or -1: another name
	// of the question speaking ("Modi said") is not them.
	speaker int
	// countVerb is the verb of what a reported count counts ("killed" in
	// "how many did the army say were killed"), or "".
	countVerb string
	// object is the head noun of the asked verb's object ("airspace" in
	// "close its airspace", "chief" in "become Pakistan's army chief"), or
	// "": the verb said of something else ("became the second officer to
	// hold the rank") does not answer.
	object string
	// agent is the index of the name that is the whole subject of the
	// question's verb ("when did Pakistan close its airspace", "how did
	// India react"), or -1: a sentence that names it only after a
	// preposition ("closed its airspace to India", "the clashes with
	// India") has another subject.
	agent int
	// topic are the common words of what a statement is asked about
	// ("the dam" in "what did Kell say about the dam"), and topicName
	// marks the names there: a statement on something else is no answer,
	// though its speaker is right.
	topic     []string
	topicName []bool
	// described are the question's nouns with the participle that
	// restricts them ("civilians wounded in the shelling"), as index terms,
	// and the participle as asked: a sentence that gives the noun another
	// participle instead ("each civilian killed") is about others.
	described [][3]string
	// excluded marks the names the question sets aside ("besides
	// Indians", "other than Pakistan"): the answer is something else, so
	// a sentence need not name them, and they are no answer.
	excluded []bool
	// modifies marks the names that qualify the asked thing itself
	// ("Rafale" in "how many Rafale jets"): the sentence must say them
	// of what it counts, not only elsewhere in the report.
	modifies []bool
	// within: the question asks what a place it names is in ("which
	// province is Balakot in?"), which "Balakot in Khyber Pakhtunkhwa"
	// answers without the asked kind's word.
	within bool
	// ordinals are the question's ordinal words with the term of the
	// noun each picks out ("second" "test" of "the second Test"): the
	// third Test is another match.
	ordinals [][2]string
	// given are the numbers the question writes in figures ("of the 78
	// wounded"), which say what group it asks about.
	given []string
	// key are the question's content terms (names included), with their
	// weights and the words that may stand for them.
	key []keyTerm
	// dates are the times the question names, and rel how they bound it.
	dates []corpus.EventDate
	rel   dateRelation
	// datedNoun is the term of the noun a date describes ("briefing" in
	// "the 10 May briefing"), when rel is dateAround.
	datedNoun string
	// reporting: the question asks what someone said or claimed, so any
	// verb of saying in a sentence matches its "say", "claim", "tell".
	reporting bool
	// latest: the question asks for the state now ("latest", "so far").
	latest bool
	// contested: the question asks for each side's account ("what's
	// each side saying"), so every source's answer is quoted.
	contested bool
	// event is what a question dates by an event rather than a day
	// ("before the ceasefire"): its words, where they stand in the
	// question, and how they bound it. The corpus dates it; see
	// [Extractive.dateEvent].
	event    string
	eventAt  [2]int
	eventRel dateRelation
	// content memoises [analysis.contentKeys].
	content []keyTerm
	// dropped are the question's words that only frame it ("long" in "how
	// long"); they are neither searched nor scored.
	search string
}

// keyTerm is one content term of a question.
type keyTerm struct {
	term   string
	word   string // as the question writes it, lower-cased
	weight float64
	name   bool
	// known: the corpus uses the term; an unknown one may be a typo.
	known bool
	// alt is 1 or 2 for a word of one of the two alternatives of an "A or
	// B" question ("a mosque or a militant headquarters"), 0 otherwise: a
	// sentence need only hold one of them.
	alt int
}

// reportingClass is the key term that stands for every verb of saying.
const reportingClass = "\x00say"

// onsetClass is the key term that stands for every way of saying when
// something began: "from 17:00", "with effect from", "came into force".
const onsetClass = "\x00onset"

// Similarity tells how near in meaning two lower-case words are (0 when
// not listed) and lists a word's nearest words, nearest first;
// [retrieval.Similarity] is one.
type Similarity interface {
	Similar(a, b string) float32
	Neighbours(word string) []retrieval.Neighbour
}

// Gazetteer gives a country's other names for one of its names, in lower
// case with words apart by spaces ("united states", "us", "washington"
// for "american"); [retrieval.Thesaurus] is one. Reports use them for
// one another: "What did Islamabad say" is answered by "Pakistan said".
type Gazetteer interface {
	OtherNames(name string) []string
}

// otherNames returns the other names of a question's name (its words,
// lower-cased), each as words; a plural demonym ("Americans") is looked
// up as the adjective too.
func otherNames(g Gazetteer, name []string) [][]string {
	if g == nil || len(name) == 0 {
		return nil
	}
	key := strings.Join(name, " ")
	forms := g.OtherNames(key)
	if len(forms) == 0 && len(name) == 1 {
		if base, ok := strings.CutSuffix(key, "s"); ok {
			forms = g.OtherNames(base)
		}
	}
	out := make([][]string, 0, len(forms))
	for _, f := range forms {
		out = append(out, strings.Fields(f))
	}
	return out
}

// named reports whether name i of the question stands in one of sources
// by itself or, for a country, by one of its other names.
func (a *analysis) named(i int, sources ...[]word) bool {
	if nameMatched(a.nameWords[i], sources...) {
		return true
	}
	if i < len(a.nameAlts) {
		for _, alt := range a.nameAlts[i] {
			if nameMatched(alt, sources...) {
				return true
			}
		}
	}
	return false
}

// ownerNamed reports whether ws names the owner of the asked speaker, by
// itself or by another of its country's names.
func (a *analysis) ownerNamed(ws []word) bool {
	if nameIn([]string{a.owner}, ws) {
		return true
	}
	for _, alt := range a.ownerAlts {
		if nameIn(alt, ws) {
			return true
		}
	}
	return false
}

// NounKinds tells whether a name answers a noun by itself: a person, a
// place or a group ("which minister", "which city"), not a thing ("which
// mosque"); [retrieval.Thesaurus] is one.
type NounKinds interface {
	NamesKind(noun string) bool
}

// Thesaurus lists the words that are synonyms of a question's word in
// its common senses, with their forms; [retrieval.Thesaurus] is one.
type Thesaurus interface {
	Related(word string) []string
}

// auxiliaries end the noun phrase that follows a question word: in "how
// many soldiers did Pakistan lose" the asked thing is "soldiers".
var auxiliaries = wordSet("did", "does", "do", "was", "were", "is", "are", "has", "have", "had",
	"will", "would", "can", "could", "should", "may", "might", "been", "be", "that", "who", "which",
	"in", "on", "at", "of", "for", "to", "from", "by", "with", "after", "before", "during", "since",
	"between", "and", "or", "near", "over", "into", "among", "against", "per", "about", "across",
	"through", "towards", "toward", "under", "within", "without", "along", "around", "behind",
	"outside", "inside", "beyond", "beside", "off", "above", "below", "amid", "via", "despite", "per")

// frameWords are words that frame a question without naming its subject:
// a sentence need not contain "happen" to say what happened, nor "name"
// to give one.
var frameWords = wordSet("happen", "name", "kind", "type", "sort", "exact", "exactly", "way",
	"thing", "anything", "something", "accord", "do", "make", "get", "go", "say", "tell", "claim",
	"report", "according", "time", "date", "day", "take", "took", "give", "gave", "come", "came", "put",
	// … and the words for the source itself: "going by the wire story".
	"piece", "story", "article", "wire", "reports", "reporting", "readout",
	"apart", "aside", "besides", "except", "excluding", "among", "amongst",
	// … and the quantifiers, which say how much, not what: "either
	// attack", "every good".
	"either", "neither", "every", "each", "any", "another",
	// … and chat's shorthand, as a Discord channel writes it: "what's
	// the latest rn", "pls".
	"rn", "asap", "btw", "tbh", "imo", "imho", "fyi", "pls", "plz", "thx", "lol", "idk", "afaik", "iirc", "ngl")

// reportingVerbs are verbs of saying; a question asking what someone
// "claimed" is answered by what they "said", "told" or "warned".
// "Announce" and "declare" are left out: a government announces measures
// and declares an emergency, and neither is answered by a quote.
var reportingVerbs = wordSet("say", "said", "says", "tell", "told", "tells", "claim", "claimed",
	"claims", "state", "stated", "states", "post", "posted", "write", "wrote", "written", "add", "added", "warn", "warned",
	"insist", "insisted", "deny", "denied", "assert", "asserted", "describe", "described",
	"reply", "replied", "respond", "responded", "tweet", "tweeted", "note",
	"noted", "allege", "alleged", "accuse", "accused", "maintain", "maintained", "argue",
	"argued", "react", "reacted", "comment", "commented", "statement", "remark", "remarked")

// asksOnset reports whether the question asks when something began:
// "take effect", "come into force".
func (a *analysis) asksOnset() bool {
	for _, k := range a.key {
		if k.term == onsetClass {
			return true
		}
	}
	return false
}

// onsetVerbs stand before the nouns of the idioms of starting and
// happening: "take effect", "come into force", "took place".
var onsetVerbs = wordSet("take", "takes", "took", "taken", "taking", "into")

// latestWords mark a question about the present state of things.
var latestWords = wordSet("latest", "now", "currently", "current", "yet", "still")

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// analyse reads a question. ref is the date relative words in the question
// ("yesterday") count from; idf weighs its terms.
func analyse(text string, ref time.Time, idf func(string) float64, known func(string) bool) analysis {
	return analyseFirst(text, ref, idf, known, false)
}

// frontClauseLast moves a clause that sets the scene before the question
// proper to its end: "When India revoked the visas, which kinds were
// exempt?" asks which, not when, and reads as "Which kinds were exempt
// when India revoked the visas?". A question that opens "When did…"
// asks when and is left as it is.
func frontClauseLast(text string) string {
	first, rest, ok := strings.Cut(text, " ")
	if !ok {
		return text
	}
	switch strings.ToLower(first) {
	case "when", "while", "once", "after", "before":
	default:
		return text
	}
	if next, _, _ := strings.Cut(rest, " "); auxiliaries[strings.ToLower(next)] {
		return text
	}
	m := mainQuestionRE.FindStringSubmatchIndex(text)
	if m == nil {
		return text
	}
	main := strings.TrimRight(text[m[2]:], " ?")
	clause := text[:m[0]]
	r, size := utf8.DecodeRuneInString(main)
	// No comma before the clause: ", when India accused…" would read as
	// a later question asking when.
	return string(unicode.ToUpper(r)) + main[size:] + " " + strings.ToLower(first[:1]) + first[1:] + clause[len(first):] + "?"
}

// whIsRE finds a question word with "is" run into it: "who's", "where's".
var whIsRE = regexp.MustCompile(`(?i)^(\s*)(who|what|where|when|which|how)['’]s\b`)

// expandWhIs writes out "who's" at a question's start as "who is", which
// chat types and the reading of the question expects whole: "who's
// Pakistan's national security advisor" asks who holds the title.
func expandWhIs(text string) string {
	return whIsRE.ReplaceAllString(text, "${1}${2} is")
}

// mainQuestionRE finds where the question proper starts after a clause:
// a comma or dash, then a question word.
var mainQuestionRE = regexp.MustCompile(`(?i)\s*[,;—–-]\s+((?:what|which|who|whom|whose|where|how|why|did|was|were|is|are|has|had|does|do)\b)`)

// analyseFirst is [analyse], with firstName saying that the question's
// first word is a name ("Munir was promoted on what date?"), which its
// capital alone cannot tell.
func analyseFirst(text string, ref time.Time, idf func(string) float64, known func(string) bool, firstName bool) analysis {
	// Names are matched with expressions made from the question's words,
	// which must be valid UTF-8.
	text = frontClauseLast(expandWhIs(strings.ToValidUTF8(text, "\uFFFD")))
	a := analysis{text: text, asked: map[string]bool{}}
	words := lowerWords(text)
	if len(words) > 0 {
		a.opening = words[0]
	}
	a.happened = happenedVerbs(words)
	a.occasion = occasionVerbs(text)
	for _, w := range words {
		if t := term1(w); t != "" {
			a.asked[t] = true
		}
	}
	a.slot, a.clock, a.focus, a.focusNamed = readSlot(words)
	asking := askingClause(text)
	if asking != "" && len(words) > 0 && !isWhWord(words[0]) && !askingPrepositions[words[0]] && !auxiliaries[words[0]] {
		// "Bahawalpur, where India hit the complex - which province is
		// that in?": a question word inside the opening clause is a
		// relative one; the clause that opens with one asks.
		a.slot, a.clock, a.focus, a.focusNamed = readSlot(lowerWords(asking))
	}
	if n := len(words); a.slot == slotAny && n > 3 && words[0] == "what" && (words[n-1] == "of" || words[n-1] == "from") && dieForms[words[n-2]] {
		// "What did Pope Francis die of?" asks why he died.
		a.slot = slotReason
	}
	// "What time of day" is answered by "in the afternoon" as by "at 2:30".
	a.partOfDay = a.clock && strings.Contains(strings.Join(words, " "), "time of day")
	a.precision, a.precise = askedPrecision(words)
	if a.slot == slotAny && a.focus == "" && asking != "" {
		// "Apart from Nur Khan, which air bases…", "Modi's line alluded
		// to a treaty — what year is it from?": the question word opens
		// a later clause.
		a.slot, a.clock, a.focus, a.focusNamed = readSlot(lowerWords(asking))
	}
	a.ordinals = readOrdinals(words)
	if n := len(words); a.slot == slotAny && a.focus != "" && n > 3 && isCopula(words[1]) &&
		(words[n-1] == "called" || words[n-1] == "named" || words[n-2] == "known" && words[n-1] == "as") {
		// "What's the centre at Muridke actually called?" asks its name:
		// a sentence naming the centre without one is no answer.
		a.slot = slotName
	}
	a.within = a.slot == slotName && len(words) > 2 && words[len(words)-1] == "in" && isCopula(words[len(words)-3])
	if a.slot == slotCount && a.focus == "" && len(words) > 0 && words[0] == "of" {
		// "Of the eighteen wickets they took, how many came in the second
		// innings": the count is of the things the question opened with.
		a.focus = countFocus(words, 0)
	}
	if a.focus != "" {
		a.focusTerm = term1(a.focus)
	}
	a.measure = a.slot == slotAny && (measureNouns[a.focus] || quantityNouns[a.focus] || measureNouns[strings.TrimSuffix(a.focus, "s")])
	a.relation, a.relationAlt, a.subject = readRelationVerb(text, words)
	if i := slices.Index(words, a.relation); a.relation != "" && i >= 0 && particle(at(words, i+1)) && !reportingVerbs[a.relation] {
		// "Shot down", "sum up": a phrasal verb means what neither word
		// does, and the sources say it with another verb and the same
		// particle as often as with its own ("brought down").
		a.particle = at(words, i+1)
		a.phrasal = a.relation + "_" + a.particle
	}
	if slices.Contains(words, "did") && a.relation != "" && !reportingVerbs[a.relation] {
		// "When did Modi visit Adampur": the visit took place.
		if t := term1(a.relation); t != "" && !slices.Contains(a.happened, t) {
			a.happened = append(a.happened, t)
		}
	}
	if a.subject != "" {
		a.subjectTerm = term1(a.subject)
		a.owner = ownerOf(text, a.subject)
		if m := regexp.MustCompile(`(?:^|\s)(\p{Ll}[\p{Ll}-]*)\s+` + regexp.QuoteMeta(a.subject) + `\b`).FindStringSubmatch(text); m != nil && !isDeterminer(m[1]) && !looksVerb(m[1]) && !looksAdverb(m[1]) {
			a.subjectMod = m[1]
		}
		if isHeadNoun(a.subject) {
			a.subjectOf = readSubjectOf(text, a.subject, a.relation)
		}
	}
	if m := countVerbRE.FindStringSubmatch(strings.ToLower(text)); m != nil && a.slot == slotCount && looksVerb(m[1]) {
		a.countVerb = m[1]
	}
	if a.relation != "" && !reportingVerbs[a.relation] && !namingVerbs[a.relation] {
		a.object = readObject(text, words, a.relation)
	}
	if a.relation != "" {
		a.relationTerm = term1(a.relation)
	} else if len(words) > 1 && words[0] == "who" && looksVerb(words[1]) && !auxiliaries[words[1]] {
		a.verbWeighed, a.verbWord = term1(words[1]), words[1]
	} else if len(words) > 2 && words[0] == "who" && isCopula(words[1]) && (looksVerb(words[2]) || strings.HasSuffix(words[2], "ing")) {
		// "Who is leading the delegation", "who was appointed".
		a.verbWeighed, a.verbWord = term1(words[2]), words[2]
	} else if v := verbAfterNoun(text, words); v != "" {
		// "Which ministers sat with Modi": the verb after the asked
		// thing is what they did, as in "who sat with Modi".
		a.verbWeighed, a.verbWord = term1(v), v
	}
	if a.slot == slotName && a.verbWeighed == "" && len(words) > 2 && words[0] == "who" && isCopula(words[1]) {
		// "Who is India's DGMO", "who was the army chief before Munir":
		// the answer is a person the report gives that title.
		// "Who was the only officer to hold the rank", "who was the
		// pony operator killed…" ask who did something, not who holds a
		// title.
		h := headOf(words, 2)
		k := slices.Index(words[2:], h) + 2
		if next := at(words, k+1); h != "" && h != "the" && (next == "" || auxiliaries[next] && next != "to" && next != "who" && next != "that") {
			// Every word of the title, not its owner: "army chief" in
			// "Pakistan's army chief".
			for m := 2; m <= k; m++ {
				if t := term1(words[m]); t != "" && words[m] != "s" && at(words, m+1) != "s" && !isDeterminer(words[m]) {
					a.identity = append(a.identity, t)
				}
			}
		}
	}
	a.dates = corpus.ParseQuestionDates(text, ref)
	a.rel = readRelation(text, a.dates)
	if a.rel == dateAround && len(a.dates) > 0 {
		// "The 10 May briefing": a briefing the sentence dates to
		// another day is another briefing.
		if ws := lowerWords(text[a.dates[0].End:]); len(ws) > 0 && term1(ws[0]) != "" && !auxiliaries[ws[0]] {
			a.datedNoun = term1(ws[0])
		}
	}
	for _, w := range splitWords(text, 0, len(text)) {
		// Numbers of its dates are no such thing.
		if w.num && !slices.ContainsFunc(a.dates, func(d corpus.EventDate) bool { return w.start >= d.Start && w.end <= d.End }) {
			a.numbers = append(a.numbers, numberValue(w.lower))
			if strings.ContainsAny(w.lower, "0123456789") {
				a.given = append(a.given, numberValue(w.lower))
			}
		}
	}
	if len(a.dates) == 0 {
		a.event, a.eventAt, a.eventRel = readEvent(text)
	}
	a.search = dropAskingWords(text)

	dateWords := map[string]bool{}
	for _, d := range a.dates {
		for _, t := range retrieval.Terms(text[d.Start:d.End]) {
			dateWords[t] = true
		}
	}
	runs := nameRuns(text)
	if firstName {
		runs = nameRuns("x " + text)
	}
	for _, run := range runs {
		var terms []string
		for _, w := range run {
			for _, t := range retrieval.Terms(w) {
				if !dateWords[t] {
					terms = append(terms, t)
				}
			}
		}
		if len(terms) > 0 {
			// The rarest word of a name identifies it: "Nations", not
			// "United", in "United Nations".
			slices.SortStableFunc(terms, func(x, y string) int { return cmp.Compare(idf(y), idf(x)) })
			a.names = append(a.names, terms)
			a.nameText = append(a.nameText, strings.Join(run, " "))
			var ws []string
			for _, w := range run {
				if t := term1(w); t != "" && !dateWords[t] {
					ws = append(ws, surface(w))
				}
			}
			a.nameWords = append(a.nameWords, ws)
			a.nameHead = append(a.nameHead, nounAfter(text, run))
			ex := excludedName(text, run)
			a.excluded = append(a.excluded, ex)
			a.modifies = append(a.modifies, !ex && a.focus != "" && qualifiesFocus(text, run, a.focus))
			a.place = append(a.place, len(run) == 1 && placeAfterIn(words, run[0]))
		}
	}
	if a.focus != "" {
		// "The name of the spokesperson Guterres spoke through": the
		// asked thing is the spokesperson, and Guterres the subject of
		// the clause that describes them.
		for _, n := range a.nameWords {
			if len(n) == 0 || n[0] != a.focus {
				continue
			}
			if i := slices.Index(words, a.focus); i > 0 && !auxiliaries[words[i-1]] && !isDeterminer(words[i-1]) && term1(words[i-1]) != "" && !looksVerb(words[i-1]) && !frameWords[words[i-1]] {
				a.focus = words[i-1]
				a.focusTerm = term1(a.focus)
			}
			break
		}
	}
	nameTerms := map[string]bool{}
	for _, n := range a.names {
		for _, t := range n {
			nameTerms[t] = true
		}
	}

	seen := map[string]bool{}
	prev := ""
	forEachLowerWord(a.search, func(w string) {
		t := term1(w)
		after := prev
		prev = w
		if t == "" || seen[t] || dateWords[t] {
			return
		}
		if a.slot == slotTime && (after == "what" || after == "which") && timeNouns[w] {
			// "Which month", "what year" is the time asked, as "what
			// date" is: the answer gives one, not the word.
			return
		}
		if w == "place" && onsetVerbs[after] {
			// "Take place" says only that something happened, as
			// "happen" does.
			return
		}
		if (w == "effect" || w == "force") && onsetVerbs[after] {
			// "Take effect", "come into force" ask when something began:
			// a sentence saying the firing stops "from 17:00" says it,
			// in any of the words for a start. One key term, matched as
			// a class.
			if !seen[onsetClass] {
				seen[onsetClass] = true
				a.key = append(a.key, keyTerm{term: onsetClass, word: w, weight: idf(t)})
			}
			return
		}
		if (reportingVerbs[w] || reportingVerbs[t]) && !nameTerms[t] {
			// Any verb of saying in a sentence answers "say", "claim",
			// "tell": one key term, matched as a class. A word of a
			// name ("the United States") is the name, not a verb.
			if !a.reporting {
				a.reporting = true
				a.key = append(a.key, keyTerm{term: reportingClass, word: w, weight: idf(t)})
			}
			seen[t] = true
			return
		}
		if frameWords[w] || frameWords[t] || emphasisWords[w] {
			// "Did it actually claim": an adverb of emphasis or time asks
			// nothing a sentence must hold.
			return
		}
		if latestWords[w] {
			a.latest = true
		}
		seen[t] = true
		k := keyTerm{term: t, word: w, weight: idf(t), name: nameTerms[t], known: known(t)}
		a.key = append(a.key, k)
	})
	if strings.Contains(strings.ToLower(text), "so far") {
		a.latest = true
	}
	markAlternatives(&a, words)
	a.described = readDescribed(words, a.relation)
	a.speaks = make([]bool, len(a.names))
	a.speaker = -1
	a.topicName = make([]bool, len(a.names))
	if a.reporting {
		if m := aboutRE.FindStringIndex(text); m != nil {
			rest := text[m[1]:]
			// The topic is the noun phrase after "about": "the drone
			// attacks in his address to the nation" asks about the
			// attacks, and the address is where, not what, he said.
			phrase := rest
			if b := topicEndRE.FindStringIndex(rest); b != nil && b[0] > 0 {
				phrase = rest[:b[0]]
			}
			forEachLowerWord(phrase, func(w string) {
				if t := term1(w); t != "" && !nameTerms[t] && !frameWords[w] && !dateWords[t] {
					a.topic = append(a.topic, w)
				}
			})
			for i, n := range a.nameText {
				if strings.Contains(rest, n) {
					a.topicName[i] = true
				}
			}
		}
	}
	a.agent = -1
	if m := agentRE.FindStringSubmatch(text); m != nil && !auxiliaries[m[2]] && !looksAdverb(m[2]) && !plainAdverbs[m[2]] &&
		!strings.HasSuffix(m[1], "'s") && !strings.HasSuffix(m[1], "’s") {
		// A possessive ("did India's foreign ministry say") owns the
		// subject; an adverb ("had New Delhi ever put") hides the verb.
		a.agent = slices.Index(a.nameText, m[1])
	}
	if a.subject == "" && (reportingVerbs[a.relation] || reportingVerbs[a.relationTerm]) {
		re := regexp.MustCompile(`(?i)\b(?:did|does|do|will|would|could|can|has|have|had)\s+(.+?)\s+` + regexp.QuoteMeta(a.relation) + `\b`)
		if m := re.FindStringSubmatch(text); m != nil {
			for _, run := range nameRuns("x " + m[1]) {
				i := slices.Index(a.nameText, strings.Join(run, " "))
				if i >= 0 && a.speaker < 0 {
					a.speaker = i
				}
				if i >= 0 && (len(run) > 1 || isAcronym(run[0])) {
					a.speaks[i] = true
				}
			}
		}
	}
	readTitleAsked(&a, words)
	return a
}

// titleWords name what a person's title is: "what is Misri's job". "Role",
// "office" and "post" are left out: "what role did the US play", "Sharif's
// office said".
var titleWords = wordSet("job", "title", "rank", "position", "designation")

// readTitleAsked turns "what is X's job", "what rank does X hold" into a
// question for X's title: the words job, rank, hold and the like are what
// a title answers, not words a sentence must hold; X must be named with a
// title of their own.
func readTitleAsked(a *analysis, words []string) {
	if len(words) > 2 && words[0] == "who" && isCopula(words[1]) && len(a.names) == 1 && slices.Equal(words[2:], a.nameWords[0]) {
		// "Who is Tammy Bruce?" asks what she is: the title her report
		// gives her.
		a.slot, a.focus, a.focusTerm, a.titleOf = slotTitle, "", "", 0
		return
	}
	if len(words) == 0 || words[0] != "what" && words[0] != "which" || len(a.names) == 0 {
		return
	}
	if a.slot != slotAny && !(a.slot == slotName && titleWords[a.focus]) {
		return
	}
	// The title word is what is asked ("what rank", "which position") or
	// the person's own ("Singh's rank", "Misri's actual job title"), not
	// a word of another question ("what reason … to the top rank").
	asked := false
	for k, w := range words {
		if !titleWords[w] {
			continue
		}
		j := k - 1
		if j >= 0 && (words[j] == "actual" || words[j] == "official" || words[j] == "current" || words[j] == "full" || words[j] == "exact") {
			j--
		}
		if j >= 0 && words[j] == "job" && w == "title" {
			j-- // "job title"
		}
		asked = asked || k == 1 || j >= 0 && words[j] == "s"
	}
	if !asked {
		return
	}
	a.slot, a.focus, a.focusTerm = slotTitle, "", ""
	a.titleOf = 0
	for i, n := range a.nameWords {
		if len(n) > len(a.nameWords[a.titleOf]) {
			a.titleOf = i // the fullest name: "Vikram Misri", not "India"
		}
	}
	switch a.relation {
	case "hold", "holds", "held", "have", "has", "had":
		a.relation, a.relationTerm, a.relationAlt, a.particle, a.phrasal = "", "", "", "", ""
	}
	a.happened = slices.DeleteFunc(a.happened, func(t string) bool { return t == "hold" })
	a.key = slices.DeleteFunc(a.key, func(k keyTerm) bool {
		switch k.word {
		case "hold", "holds", "held", "have", "has", "had", "actual", "official", "full":
			return true
		}
		return titleWords[k.word]
	})
	a.content = nil
}

// relativeDateRE finds a relative clause opening after the question's
// noun ("which country that Modi left…").
var relativeDateRE = regexp.MustCompile(`^(?:which|what)\s+\p{L}+\s+(?:that|which|who|whom)\s`)

// topicEndRE ends the noun phrase a question asks about: a preposition
// or clause word that opens what follows it, or punctuation.
var topicEndRE = regexp.MustCompile(`(?i)[,;?!—–]|\s(?:in|at|during|after|before|since|when|while|to|for|from|by|with|on)\s`)

// aboutRE finds where the topic of a statement starts.
var aboutRE = regexp.MustCompile(`(?i)\b(?:about|regarding|concerning|on\s+the\s+subject\s+of|(?:respond|react|reply|responded|reacted|replied)\s+to)\s+`)

// eventRE finds a time given by an event: "before the ceasefire", "since
// the Pahalgam attack".
var eventRE = regexp.MustCompile(`(?i)\b(before|after|since|until|till|on\s+the\s+day\s+of)\s+the\s+((?:[\p{L}-]+\s+){0,2}[\p{L}-]+)`)

// readEvent reads a time the question gives by an event: the event's
// words (up to the first function word or verb), where the phrase stands
// and whether it bounds from before or after. The bound excludes the
// event's own day: on the day of a ceasefire there was fighting before it
// and quiet after.
func readEvent(text string) (string, [2]int, dateRelation) {
	m := eventRE.FindStringSubmatchIndex(text)
	if m == nil {
		return "", [2]int{}, dateOn
	}
	var words []string
	rest := strings.Fields(text[m[4]:])
	for k, w := range rest {
		lw := strings.TrimRightFunc(strings.ToLower(w), unicode.IsPunct)
		if lw == "" || auxiliaries[lw] || looksVerb(lw) && len(words) > 0 || k == 3 {
			if reportingVerbs[lw] {
				// "After the military said it had shot down five jets":
				// a statement, whose speaker is no event to date.
				return "", [2]int{}, dateOn
			}
			break
		}
		if isNumeric(lw) {
			// "After the four days of fighting": a span, not an event.
			return "", [2]int{}, dateOn
		}
		words = append(words, lw)
		if lw != strings.ToLower(w) {
			break // the phrase ends at its punctuation
		}
	}
	if len(words) == 0 {
		return "", [2]int{}, dateOn
	}
	rel := dateBy
	switch k := strings.ToLower(text[m[2]:m[3]]); {
	case k == "after" || k == "since":
		rel = dateAfter
	case strings.HasPrefix(k, "on"):
		rel = dateOn // "on the day of the ceasefire"
	}
	return strings.Join(words, " "), [2]int{m[0], m[5]}, rel
}

// readDescribed finds the question's nouns restricted by a participle
// beside them, other than its main verb: "for civilians wounded in the
// shelling" gives civilians and wounded.
func readDescribed(words []string, relation string) [][3]string {
	var out [][3]string
	for i := 0; i+1 < len(words); i++ {
		n, p := words[i], words[i+1]
		if !looksVerb(p) || p == relation || reportingVerbs[p] || auxiliaries[n] || looksVerb(n) {
			continue
		}
		// "civilians wounded in": a noun, then the participle and a
		// preposition, so no verb of its own.
		if next := at(words, i+2); next != "in" && next != "by" && next != "on" && next != "at" && next != "during" {
			continue
		}
		if nt, pt := term1(n), term1(p); nt != "" && pt != "" {
			out = append(out, [3]string{nt, pt, p})
		}
	}
	return out
}

// nounAfter returns the common noun right after a name run in the
// question ("attack" in "the Pahalgam attack on 27 April"), lower-cased,
// or "".
func nounAfter(text string, run []string) string {
	re := regexp.MustCompile(regexp.QuoteMeta(strings.Join(run, " ")) + `\s+(\p{Ll}[\p{L}-]*)`)
	m := re.FindStringSubmatch(text)
	if m == nil || term1(m[1]) == "" || looksVerb(m[1]) || auxiliaries[m[1]] {
		return ""
	}
	return m[1]
}

// excludedName reports whether the question sets the name run aside:
// "which country's citizen was among the victims besides Indians" asks for
// one that is not Indian.
func excludedName(text string, run []string) bool {
	if !excludingRE.MatchString(text) {
		return false // the common case, without compiling the pattern below
	}
	re := regexp.MustCompile(`(?i)\b(?:besides|other\s+than|apart\s+from|aside\s+from|except(?:\s+for)?|excluding|not\s+counting)\s+(?:the\s+)?` +
		// … or a later one of a list: "besides India and Nepal".
		`(?:\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*)*(?:,\s*|\s+(?:and|or)\s+))*` + regexp.QuoteMeta(run[0]) + `\b`)
	return re.MatchString(text)
}

// excludingRE finds the words that set something aside, which
// [excludedName] reads on from.
var excludingRE = regexp.MustCompile(`(?i)\b(?:besides|other\s+than|apart\s+from|aside\s+from|except|excluding|not\s+counting)\b`)

// placeAfterIn reports whether name stands right after "in" (or "in
// the") among the question's words.
func placeAfterIn(words []string, name string) bool {
	name = surface(name)
	for i, w := range words {
		if surface(w) != name {
			continue
		}
		if at(words, i-1) == "in" || at(words, i-1) == "the" && at(words, i-2) == "in" {
			return true
		}
	}
	return false
}

// qualifiesFocus reports whether a name run stands right before the asked
// thing's word in the question ("Indian aircraft", "Rafale jets").
func qualifiesFocus(text string, run []string, focus string) bool {
	name := strings.ToLower(strings.Join(run, " "))
	lower := strings.ToLower(text)
	for _, p := range []string{" in ", " of ", " from "} {
		// "which minister in India", "how many soldiers of Pakistan"
		if strings.Contains(lower, focus+p+name) || strings.Contains(lower, focus+p+"the "+name) {
			return true
		}
	}
	if f := strings.Index(lower, focus); f >= 0 {
		// "How many of the electors … were from the United States": the
		// name, after a copula, says which of them are counted.
		rest := lower[f+len(focus):]
		for _, p := range []string{" were from ", " was from ", " are from ", " is from ", " came from ", " come from "} {
			if strings.Contains(rest, p+name) || strings.Contains(rest, p+"the "+name) {
				return true
			}
		}
	}
	phrase := name + " " + focus
	for i := strings.Index(lower, phrase); i >= 0; {
		end := i + len(phrase)
		if end == len(lower) || !unicode.IsLetter(rune(lower[end])) {
			return true
		}
		j := strings.Index(lower[end:], phrase)
		if j < 0 {
			break
		}
		i = end + j
	}
	return false
}

// markAlternatives marks the words of the two alternatives of a question
// that ends "… A or B?": from the determiner or verb before A to the end.
func markAlternatives(a *analysis, words []string) {
	or := slices.Index(words, "or")
	if or < 1 || or+1 >= len(words) {
		return
	}
	start := or - 1
	for start > 0 && !auxiliaries[words[start-1]] && words[start-1] != "a" && words[start-1] != "an" && words[start-1] != "the" && !looksVerb(words[start-1]) {
		start--
	}
	group := map[string]int{}
	for _, w := range words[start:or] {
		group[term1(w)] = 1
	}
	for _, w := range words[or+1:] {
		if t := term1(w); t != "" && group[t] == 0 {
			group[t] = 2
		}
	}
	for i := range a.key {
		a.key[i].alt = group[a.key[i].term]
	}
}

// surface is a word lower-cased without its possessive: how names are
// compared, since stems conflate "Nations" with "nation".
func surface(w string) string {
	w = strings.ToLower(w)
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	return strings.Trim(w, "'’")
}

// term1 is the index term of one word, or "".
func term1(w string) string {
	ts := retrieval.Terms(w)
	if len(ts) == 0 {
		return ""
	}
	// A word whose stem is a stop word ("downed", "others") is one too:
	// the sources' "shot down" never makes the term, so a question's
	// "downed" could never be found in them.
	if t := ts[0]; t != w && len(retrieval.Terms(t)) == 0 {
		return ""
	}
	return ts[0]
}

// forEachLowerWord calls fn with each lower-cased word of text.
func forEachLowerWord(text string, fn func(string)) {
	for _, w := range lowerWords(text) {
		fn(strings.Trim(w, "-"))
	}
}

// readSlot reads what a question asks for from its opening words, and the
// head of the asked noun phrase ("how many Indian aircraft were" →
// "aircraft").
func readSlot(words []string) (slot slotKind, clock bool, focus string, named bool) {
	for i, w := range words[:min(len(words), 4)] {
		if i+1 < len(words) && words[i+1] == "s" && isWhWord(w) {
			// "what's the range": the split contraction is "is".
			words = slices.Concat(words[:i+1], []string{"is"}, words[i+2:])
		}
		next := at(words, i+1)
		switch w {
		case "how":
			switch next {
			case "many", "much":
				return slotCount, false, countFocus(words, i+2), false
			case "far":
				return slotDistance, false, "", false
			case "old":
				return slotAge, false, "", false
			case "big", "large", "wide", "deep", "tall", "high", "heavy":
				return slotSize, false, "", false
			case "long":
				// "How long was Modi's address", "how long will the
				// ban stay": the length is that thing's.
				if v := at(words, i+2); isCopula(v) || v == "will" || v == "did" || v == "does" || v == "has" || v == "had" {
					return slotDuration, false, headOf(words, i+3), false
				}
				return slotDuration, false, "", false
			}
			return slotAny, false, "", false
		case "when":
			return slotTime, false, "", false
		case "who", "whom", "whose":
			return slotName, false, "", false
		case "where":
			return slotName, false, "", false
		case "why":
			return slotReason, false, "", false
		case "what", "which":
			if w == "what" && causeVerbs[next] {
				// "What made the DGMO phone", "what led to the
				// ceasefire": a cause is asked, as by "why".
				return slotReason, false, "", false
			}
			if next == "exact" || next == "precise" || next == "actual" {
				// "What exact day": the time asked for, as askedPrecision reads it.
				next = at(words, i+2)
			}
			switch next {
			case "time", "hour":
				return slotTime, true, "", false
			case "date", "day", "year", "month", "dates", "days", "years", "months", "night", "nights", "weekday", "weekdays":
				return slotTime, false, "", false
			case "kind", "type", "sort":
				if at(words, i+2) == "of" {
					return slotName, false, headOf(words, i+3), true
				}
			}
			j := indexOf(words, "name", i+1, i+5)
			if j < 0 {
				j = indexOf(words, "names", i+1, i+5)
			}
			if j > 0 && at(words, j+1) == "of" {
				// "what was the name of the pilot": a name, of that thing.
				k := j + 2
				if d := at(words, k); d == "the" || d == "a" || d == "an" {
					k++
				}
				return slotName, false, headOf(words, k), true
			}
			if (next == "is" || next == "was" || next == "are" || next == "were") && at(words, i+2) == "the" {
				// "What's the date India froze the treaty" asks when,
				// as "what date did India freeze it" does.
				switch at(words, i+3) {
				case "time", "hour":
					return slotTime, true, "", false
				case "date", "day", "year", "month", "dates", "days", "years", "months", "night", "nights", "weekday", "weekdays":
					return slotTime, false, "", false
				}
				h := headOf(words, i+3)
				if quantityNouns[h] {
					// "what's the ISPR's count of civilians wounded" asks
					// how many civilians: a number, of them.
					if k := indexOf(words, "of", i+3, i+8); k > 0 {
						return slotCount, false, countFocus(words, k+1), false
					}
				}
				// "what is the population of Kashmir": the answer must
				// speak of a population.
				if h != "" {
					return slotAny, false, h, true
				}
			}
			if isCopula(next) {
				// "What was Weber's personal best": the asked thing is
				// the possessive's noun, as in "what was the best".
				if k := indexOf(words, "s", i+2, i+6); k > 0 && !slices.ContainsFunc(words[i+2:k], func(w string) bool { return auxiliaries[w] || looksVerb(w) }) {
					if h := headOf(words, k+1); h != "" && !timeNouns[h] && !seriesOfTime[h] {
						return slotAny, false, h, true
					}
				}
			}
			if w == "which" {
				if next == "did" || next == "was" || next == "were" || next == "is" {
					return slotName, false, "", false
				}
				return slotName, false, headOf(words, i+1), false
			}
			return slotAny, false, headOf(words, i+1), false
		}
	}
	return slotAny, false, "", false
}

// askedPrecision reads the unit of time a question asks for by name: "what
// date", "which day", "what exact day", "in what year", "which month".
func askedPrecision(words []string) (corpus.DatePrecision, bool) {
	for i, w := range words {
		if w != "what" && w != "which" {
			continue
		}
		j := i + 1
		if n := at(words, j); n == "exact" || n == "precise" || n == "actual" {
			j++
		}
		if p, ok := precisionNoun(at(words, j)); ok {
			return p, true
		}
	}
	// "When is the delegation due, exact date?": the precision may be
	// asked for after the question.
	for i, w := range words {
		if w == "exact" || w == "precise" {
			if p, ok := precisionNoun(at(words, i+1)); ok {
				return p, true
			}
		}
	}
	return 0, false
}

// precisionNoun returns the precision a noun of time asks for.
func precisionNoun(w string) (corpus.DatePrecision, bool) {
	switch w {
	case "date", "day", "weekday":
		return corpus.DayPrecision, true
	case "month":
		return corpus.MonthPrecision, true
	case "year":
		return corpus.YearPrecision, true
	}
	return 0, false
}

// countVerbRE reads the verb of a reported count: "say were killed",
// "claim to have shot down", "said had died".
var countVerbRE = regexp.MustCompile(`\b(?:say|said|says|claim|claimed|claims|report|reported|tell|told|estimate|estimated)\s+(?:\w+\s+)?(?:were|was|had been|have been|to have|had|has)\s+(\w+)`)

// namingVerbs give their object a name: "what did India call its
// response" describes the thing named in the question's words, and the
// source names it in its own ("missile strikes … under what it called
// Operation Sindoor").
var namingVerbs = wordSet("call", "name", "dub", "term", "label", "brand", "nickname", "christen", "title")

// readObject returns the head noun of the object right after the verb:
// the last of the common nouns that follow it, past determiners and
// possessive names, up to a preposition, a name or the end. A verb with
// no such object ("cancel on 8 May", "launch Operation Sindoor") has none.
func readObject(text string, words []string, verb string) string {
	raw := textWords(text)
	if len(raw) != len(words) {
		return ""
	}
	i := slices.Index(words, verb)
	if i < 0 {
		return ""
	}
	head := ""
	for j := i + 1; j < len(words); j++ {
		w := words[j]
		switch {
		case w == "s":
			continue // a possessive's split 's
		case head == "" && (isDeterminer(w) || quantifiers[w] || w == "a" || w == "an"):
			continue
		case j == i+1 && (w == "to" || w == "with"):
			continue // "speak to Pakistan's prime minister", "meet with"
		case isCapitalised(raw[j]):
			if at(words, j+1) == "s" && head == "" {
				continue // "Pakistan's army chief": whose, not what
			}
			if n := at(words, j+1); head == "" && j+1 < len(raw) && !isCapitalised(raw[j+1]) && term1(n) != "" && !auxiliaries[n] && !looksVerb(n) && !isNumeric(n) {
				continue // "a Peruvian citizen": a name that qualifies the noun
			}
			return head
		case auxiliaries[w] || term1(w) == "" || isNumeric(w) || isCalendarWord(w) || looksVerb(w) || looksAdverb(w) || plainAdverbs[w]:
			return head
		}
		head = w
	}
	return head
}

// agentRE finds a question's subject when it is a name, and the verb
// after it: "did India react", "will the Security Council meet".
var agentRE = regexp.MustCompile(`\b(?:[Dd]id|[Dd]oes|[Dd]o|[Ww]ill|[Ww]ould|[Cc]ould|[Cc]an|[Hh]as|[Hh]ave|[Hh]ad)\s+(?:the\s+)?((?:\p{Lu}[\p{L}'’-]*\s+)*\p{Lu}[\p{L}'’-]*)\s+(\p{Ll}+)\b`)

// emphasisWords stress a question without asking anything of its answer.
var emphasisWords = wordSet("actually", "really", "indeed", "truly", "exactly", "precisely")

// plainAdverbs stand between a subject and its verb.
var plainAdverbs = wordSet("ever", "never", "not", "also", "still", "just", "actually", "really", "first",
	"later", "then", "already", "even", "only", "again", "once", "soon", "now", "eventually", "finally")

// quantifiers say how much of a noun: "bar every good", "either attack".
var quantifiers = wordSet("every", "either", "neither", "any", "each", "all", "both", "some", "another")

// measureNouns name a quantity by what it measures: "what range", "what
// was the price of". A figure answers them.
var measureNouns = wordSet("range", "distance", "height", "altitude", "speed", "length", "width", "depth",
	"weight", "price", "cost", "value", "worth", "amount", "rate", "percentage", "score", "margin",
	"population", "area", "budget", "capacity", "payload", "temperature", "magnitude", "size", "sum")

// quantityNouns ask for a number: "the count of", "the toll of".
var quantityNouns = wordSet("count", "number", "total", "toll", "tally", "figure", "numbers", "figures")

// isWhWord reports whether w is a question word.
func isWhWord(w string) bool {
	switch w {
	case "who", "whom", "whose", "what", "which", "when", "where", "why", "how":
		return true
	}
	return false
}

// clauseBreakRE ends a clause a question may open with before it asks.
var clauseBreakRE = regexp.MustCompile(`[,;:.?!]\s+|\s+[-–—]\s+`)

// askingClause returns the text from the last clause after the first
// that opens with a question word, or "".
func askingClause(text string) string {
	locs := clauseBreakRE.FindAllStringIndex(text, -1)
	// The last such clause asks: "…on Gaza, where another ceasefire
	// broke down — when did that truce collapse?"
	slices.Reverse(locs)
	for _, l := range locs {
		rest := text[l[1]:]
		ws := lowerWords(rest)
		if len(ws) == 0 {
			continue
		}
		if isWhWord(ws[0]) {
			return rest
		}
		if len(ws) > 1 && askingPrepositions[ws[0]] && (ws[1] == "what" || ws[1] == "which") {
			// "… - on what date was that briefing?", "…, around what
			// time did the firing stop?"
			return rest
		}
	}
	return ""
}

// readOrdinals finds the ordinals that pick out one of a series: "the
// second Test", "his first national address", with the head of the noun
// phrase they open. An adverb ("first go to Peru"), a date ("the 7th of
// May") or an idiom ("for the first time", "in the first place") picks
// out none.
func readOrdinals(words []string) [][2]string {
	var out [][2]string
	for i := 0; i+1 < len(words); i++ {
		o := ordinalWord(words[i])
		if o == "" || i == 0 || !(isDeterminer(words[i-1]) || words[i-1] == "s" || ordinalDeterminers[words[i-1]]) {
			// "Did Munir first get the rank": without a determiner the
			// ordinal is an adverb of the verb.
			continue
		}
		head := ""
		for j := i + 1; j < len(words) && j <= i+3; j++ {
			w := words[j]
			if auxiliaries[w] || looksVerb(w) || lightVerbs[w] || particle(w) || w == "s" || term1(w) == "" ||
				isCalendarWord(w) || isNumeric(w) || isOrdinal(w) || isDeterminer(w) || head != "" && strings.HasSuffix(w, "ing") {
				break // "the first field marshal getting the rank"
			}
			head = w
		}
		if head == "" || timeNouns[head] || seriesOfTime[head] || head == "place" {
			continue
		}
		out = append(out, [2]string{o, term1(head)})
	}
	return out
}

// ordinalDeterminers are the determiners isDeterminer leaves out that
// still make an ordinal pick one of a series: "a second round", "my first
// question".
var ordinalDeterminers = wordSet("a", "an", "this", "that", "my", "your")

// seriesOfTime are the spans of time an ordinal counts, which the dates
// of a sentence answer for: "the first week of June".
var seriesOfTime = wordSet("week", "day", "night", "hour", "weekend", "half", "quarter")

// ordinalWord returns an ordinal that ranks one of a series in words
// ("2nd" as "second"), or "".
func ordinalWord(w string) string {
	switch w {
	case "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth":
		return w
	case "1st":
		return "first"
	case "2nd":
		return "second"
	case "3rd":
		return "third"
	case "4th":
		return "fourth"
	case "5th":
		return "fifth"
	}
	return ""
}

// causeVerbs after "what" ask for a cause: "what made", "what prompted".
var causeVerbs = wordSet("made", "makes", "make", "prompted", "prompts", "caused", "causes", "led", "leads", "drove", "forced", "triggered", "sparked", "provoked")

// askingPrepositions open a clause that asks with "what" or "which"
// after them: "on what date", "at which airport", "around what time".
var askingPrepositions = wordSet("on", "at", "in", "around", "about", "by", "until", "till", "since", "from", "to", "for", "after", "before", "during", "near")

// particle reports whether w, after a verb, makes it a phrasal verb.
func particle(w string) bool {
	switch w {
	case "up", "out", "down", "off", "away", "back", "over":
		return true
	}
	return false
}

// countFocus finds the counted thing after "how many": the head of the
// noun phrase that follows, or — in "how many of those killed … were
// tourists" — the noun after the copula.
func countFocus(words []string, i int) string {
	if at(words, i) == "of" {
		j := i + 1
		if d := at(words, j); d == "the" || d == "those" || d == "these" || d == "them" {
			j++
		}
		if h := headOf(words, j); h != "" && !looksVerb(h) && h != "those" {
			return h
		}
		for k := len(words) - 1; k > i; k-- {
			if k > 0 && (words[k-1] == "were" || words[k-1] == "was" || words[k-1] == "are") {
				return words[k]
			}
		}
		return ""
	}
	if h := headOf(words, i); h != "" {
		return h
	}
	// "by how much did water flows fall": the subject after the
	// auxiliary, whose last word is the verb.
	if auxiliaries[at(words, i)] {
		var np []string
		for _, w := range words[i+1:] {
			if auxiliaries[w] {
				break
			}
			np = append(np, w)
		}
		switch {
		case len(np) >= 2:
			return np[len(np)-2]
		case len(np) == 1:
			return np[0]
		}
	}
	return ""
}

// headOf returns the last word of the noun phrase starting at i, which
// ends at an auxiliary, a preposition or a verb.
func headOf(words []string, i int) string {
	head := ""
	end := i + 4
	for j := i; j < len(words) && j < end; j++ {
		w := words[j]
		if w == "s" {
			// A possessive's split "'s" is no word of the phrase: "the
			// new pontiff's first words".
			end++
			continue
		}
		if auxiliaries[w] || looksVerb(w) || looksAdverb(w) && looksVerb(at(words, j+1)) {
			break // "which agency formally took over"
		}
		if j > i && head != "" && (strings.HasSuffix(w, "ing") || w == "both" || w == "also" || w == "each" || w == "all" || w == "either") {
			break // "how many nights running", "which official both briefed"
		}
		if isNumberWord(w) || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			continue // "which two ministers"
		}
		if head != "" && (isDeterminer(w) || w == "a" || w == "an") {
			break // "the eighteen wickets the spinners took": a new phrase
		}
		head = w
	}
	return head
}

// looksAdverb guesses from its ending that a word is an adverb of
// manner: "formally", "reportedly", "seriously".
func looksAdverb(w string) bool {
	for _, suf := range []string{"ally", "edly", "ously", "ively", "fully", "lessly", "ately", "ently", "antly"} {
		if strings.HasSuffix(w, suf) && len(w) >= len(suf)+3 {
			return true
		}
	}
	return false
}

func isCopula(w string) bool {
	return w == "is" || w == "was" || w == "are" || w == "were"
}

// occasionRE finds a "when" clause after the question's start.
var occasionRE = regexp.MustCompile(`(?i)(\S+)\s+when\s+([^?,;]+)`)

// occasionVerbs returns the verbs in past form of a "when" clause that
// follows the question's main clause.
func occasionVerbs(text string) []string {
	m := occasionRE.FindStringSubmatch(text)
	if m == nil || timeQuestionWords[strings.ToLower(m[1])] {
		return nil // "until when is it expected to last" asks the time
	}
	var out []string
	for _, w := range lowerWords(m[2]) {
		if looksVerb(w) && !reportingVerbs[w] && !lightVerbs[w] && !phraseVerbs[w] && term1(w) != "" {
			out = append(out, w)
		}
	}
	return out
}

// clauseWords open a clause of their own within a question.
var clauseWords = wordSet("when", "while", "before", "after", "if", "because", "once", "until", "since", "as")

// timeQuestionWords make "when" the question's own word: "until when",
// "since when", "by when".
var timeQuestionWords = wordSet("until", "till", "since", "by", "from")

// phraseVerbs say little without the words they take: what "put" means
// is in "put in abeyance", and a report says "held in abeyance".
var phraseVerbs = wordSet("put", "set", "came", "kept", "brought")

// happenedVerbs returns the index terms of the verbs a question puts in
// the past by their form ("visited", "struck"), not after an auxiliary or
// "to" ("was killed" is the checks' affair) and not verbs of saying.
func happenedVerbs(words []string) []string {
	var out []string
	for i, w := range words {
		if !looksVerb(w) || reportingVerbs[w] || i > 0 && (auxiliaries[words[i-1]] || words[i-1] == "to") {
			continue
		}
		if t := term1(w); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// verbAfterNoun finds the past verb of a "which X did" question without
// an auxiliary ("which side asked", "what ministers sat with Modi"): the
// first word after the question word and at most three words of its noun
// phrase that looks like one, or "".
func verbAfterNoun(text string, words []string) string {
	raw := textWords(text)
	if len(raw) != len(words) || len(words) < 3 || words[0] != "which" && words[0] != "what" {
		return ""
	}
	for i := 2; i < min(len(words), 5); i++ {
		w, prev := words[i], words[i-1]
		if auxiliaries[prev] || looksVerb(prev) || isNumeric(prev) || term1(prev) == "" && prev != "s" {
			return "" // "which of", "what did": no plain noun phrase
		}
		if looksVerb(w) && !auxiliaries[w] && !lightVerbs[w] && !reportingVerbs[w] && !frameWords[w] && !isCapitalised(raw[i]) && prev != "s" {
			return w
		}
	}
	return ""
}

// looksVerb guesses that a word is a past-tense verb: it ends the noun
// phrase in "which side asked", "which officers gave".
func looksVerb(w string) bool {
	if strings.HasSuffix(w, "ed") && len(w) >= 4 {
		return true
	}
	switch w {
	case "gave", "made", "took", "said", "told", "met", "held", "led", "sent", "struck",
		"shot", "left", "brought", "saw", "sought", "kept", "lost", "rose", "fell", "hit",
		"wrote", "became", "found", "paid", "spoke", "began", "won", "fought", "flew", "ran", "did", "got",
		"came", "went", "put", "set", "cut", "knew", "thought", "stood", "broke", "chose", "drove", "grew",
		"threw", "felt", "heard", "meant", "built", "spent", "caught", "bought", "fled", "sank", "rang", "beat",
		"sat", "sold", "laid", "drew", "withdrew", "froze", "stole", "shook", "taught", "slept", "hung", "upheld",
		"arose", "overcame", "undertook", "swore", "wore", "tore", "rode", "bore", "forgot", "understood", "sang",
		"swam", "drank", "dug", "bent", "lent", "sped", "dealt", "hid", "ate", "woke", "stuck", "swept", "wept", "spun":
		return true
	}
	return false
}

// indexOf returns the index of w in words[from:to], or -1.
func indexOf(words []string, w string, from, to int) int {
	for j := from; j < min(to, len(words)); j++ {
		if words[j] == w {
			return j
		}
	}
	return -1
}

func at(words []string, i int) string {
	if i < 0 || i >= len(words) {
		return ""
	}
	return words[i]
}

// isDayPart: words that make "the X of 7 May" a time, not a description.
func isDayPart(w string) bool {
	switch w {
	case "night", "morning", "evening", "afternoon", "hours", "day", "week", "end", "start", "beginning", "middle":
		return true
	}
	return false
}

// readRelation reads how the question's date bounds what it asks: "by 8
// May" and "before" look back from it, "after" and "since" forward; a date
// used as an adjective ("the 7 May strikes") only describes the subject.
func readRelation(text string, dates []corpus.EventDate) dateRelation {
	if len(dates) == 0 {
		return dateOn
	}
	before := strings.ToLower(text[:dates[0].Start])
	before = strings.TrimRightFunc(before, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	last := before
	if i := strings.LastIndexFunc(before, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		last = before[i+1:]
	}
	// "Which country that Modi left early in April did Trump travel to":
	// the date is in a clause that describes the asked thing, before the
	// question's own verb.
	if relativeDateRE.MatchString(before) && strings.Contains(strings.ToLower(text[dates[0].End:]), " did ") {
		return dateAround
	}
	switch last {
	case "by", "before", "to", "until", "till", "through":
		// "In the four days to 27 April": up to that day.
		return dateBy
	case "after", "since":
		return dateAfter
	case "of":
		// "the strikes of 7 May" describes the strikes; "the night of 7
		// May" and "which month of 2023" name a time.
		words := strings.Fields(before)
		if len(words) >= 2 && !isDayPart(words[len(words)-2]) && !timeNouns[words[len(words)-2]] {
			return dateAround
		}
	case "the":
		// "the 7 May strikes": the date describes the subject.
		rest := text[dates[0].End:]
		r, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest, " "))
		if unicode.IsLetter(r) && !strings.HasPrefix(strings.TrimLeft(rest, " "), "and") {
			return dateAround
		}
	}
	return dateOn
}

// names1 reports whether an index term is part of a name the question
// gives (or the same word in another form: "Pakistan's" for "Pakistani").
func (a *analysis) names1(t string) bool {
	return a.namedAs(t, false)
}

// qualifies1 is names1 for the names that qualify the asked thing
// ("Pakistani" in "how many Pakistani aircraft did India shoot down"), or
// for every name when none does: "five Indian aircraft" is no count of
// Pakistani ones, though the question names India too.
func (a *analysis) qualifies1(t string) bool {
	return a.namedAs(t, slices.Contains(a.modifies, true))
}

func (a *analysis) namedAs(t string, qualifiers bool) bool {
	for i, n := range a.names {
		if qualifiers && !a.modifies[i] {
			continue
		}
		for _, u := range n {
			if u == t || len(t) >= 4 && len(u) >= 4 && (strings.HasPrefix(u, t) || strings.HasPrefix(t, u)) {
				return true
			}
		}
	}
	return false
}

// lightVerbs say too little to be required of an answer: "what did they do".
var lightVerbs = wordSet("do", "does", "did", "make", "made", "take", "took", "have", "has", "had",
	"get", "got", "go", "went", "happen", "happened", "be", "give", "gave", "name", "mean", "refer")

// readRelationVerb finds the main verb of a question built as "wh-word
// [noun phrase] auxiliary subject verb …": after the auxiliary, the first
// lower-case content word that is followed by a function word, a name or
// the end ("did the UN Security Council decide at…", "did Modi tell the
// chiefs…", "did the crossing reopen?"). Words followed by another content
// word are the subject's adjectives and nouns.
func readRelationVerb(text string, words []string) (verb, governed, subject string) {
	raw := textWords(text)
	if len(raw) != len(words) || len(words) == 0 {
		return "", "", ""
	}
	aux := -1
	for i, w := range words[:min(len(words), 7)] {
		switch w {
		case "did", "does", "do", "will", "would", "can", "could", "has", "have", "had", "should":
			aux = i
		}
		if aux >= 0 {
			break
		}
	}
	if aux < 0 {
		// "How many tourists were wounded": a count's passive verb says
		// what happened to what is counted, and the dead are not the
		// wounded.
		if words[0] == "how" {
			for i := 1; i+1 < len(words); i++ {
				switch words[i] {
				case "were", "was", "are", "is", "been":
					if v := words[i+1]; looksVerb(v) && !lightVerbs[v] && !frameWords[v] && i+1 < len(raw) && !isCapitalised(raw[i+1]) {
						return v, "", ""
					}
				}
			}
			// "How many aircraft took part": a light verb's noun is
			// what they did.
			for i := 2; i+1 < len(words); i++ {
				if w := words[i]; lightVerbs[w] && w != "had" && w != "have" && w != "has" && w != "did" && w != "do" && w != "does" && !auxiliaries[words[i+1]] && term1(words[i+1]) != "" && !isCapitalised(raw[i+1]) && !isDeterminer(words[i+1]) && words[i+1] != "a" {
					return words[i+1], "", ""
				}
			}
		}
		// "When was Malik appointed adviser", "where was the drone shot
		// down": the passive's participle is what happened, and a
		// sentence that does not say it dates or places something else.
		passive := words[0] == "when" || words[0] == "where"
		// "What were people queuing up for": the progressive's verb is
		// what they did.
		progressive := words[0] == "what"
		cop := 1
		if (words[0] == "what" || words[0] == "which") && len(words) > 3 && !isCopula(words[1]) && isCopula(words[2]) && !looksVerb(words[1]) && !auxiliaries[words[1]] {
			// "What time was the blackout lifted", "which day were the
			// schools reopened": the asked noun stands between the
			// question word and the copula, and the participle is still
			// what happened.
			cop, passive = 2, true
		}
		if (passive || progressive) && len(words) > cop+1 && isCopula(words[cop]) {
			for i := cop + 1; i < len(words); i++ {
				if clauseWords[words[i]] {
					break // "… when the Americans offered help getting talks started"
				}
				if v := words[i]; !isCapitalised(raw[i]) && words[i-1] != "s" && !isDeterminer(words[i-1]) && (passive && strings.HasSuffix(v, "ed") && looksVerb(v) || progressive && strings.HasSuffix(v, "ing") && len(v) > 5 && term1(v) != "") && !lightVerbs[v] && !frameWords[v] && !reportingVerbs[v] {
					if at(words, i+1) == "to" {
						break // "supposed to be", "expected to start": a modal's frame
					}
					return v, "", ""
				}
			}
		}
		// "Who briefed reporters" is as often answered by "explained to
		// reporters by": without an auxiliary the verb is only weighed.
		return "", "", ""
	}
	for i := aux + 1; i < len(words); i++ {
		w := words[i]
		if isCapitalised(raw[i]) || term1(w) == "" || isNumeric(w) || w == "s" {
			continue
		}
		if auxiliaries[w] || plainAdverbs[w] || looksAdverb(w) || quantifiers[w] || isOrdinal(w) && w != "last" {
			// "Did India's missiles actually do any damage": an adverb or
			// a quantifier is no verb.
			continue
		}
		if words[i-1] == "s" {
			// "Did India's strike on Nur Khan destroy …": what follows a
			// possessive is the subject's noun, not the verb.
			continue
		}
		next := at(words, i+1)
		if particle(next) && strings.HasSuffix(w, "ed") && looksVerb(w) && !lightVerbs[w] && !frameWords[w] && i-1 != aux && words[i-1] != "the" && !isDeterminer(words[i-1]) {
			// "Has Islamabad owned up to either attack": a past
			// participle with its particle is the verb.
			return w, "", subjectHead(words[aux+1:i], raw[aux+1:i])
		}
		if next == "of" || next == "s" {
			continue // "the head of …", "this year's …": a noun of the subject
		}
		if next == "" || term1(next) == "" || auxiliaries[next] || quantifiers[next] || i+1 < len(raw) && isCapitalised(raw[i+1]) {
			// "take effect", "open fire": a light verb and its noun are
			// one phrase, and the noun alone would be required wrongly.
			if lightVerbs[w] && !auxiliaries[w] && particle(next) && aux > 0 {
				// "Who did Munir take over from": a light verb with its
				// particle is a phrasal verb, which says what happened.
				// A yes-or-no question ("did the strikes take out the
				// base") is answered by what did happen, in any words
				// ("destroyed"), so its light verb is not required.
				return w, "", subjectHead(words[aux+1:i], raw[aux+1:i])
			}
			if !reportingVerbs[w] && (lightVerbs[w] || frameWords[w] || i-1 != aux && lightVerbs[at(words, i-1)]) {
				return "", "", ""
			}
			if next == "to" && term1(at(words, i+2)) != "" {
				governed = at(words, i+2)
			}
			return w, governed, subjectHead(words[aux+1:i], raw[aux+1:i])
		}
	}
	return "", "", ""
}

// subjectHead is the head of a subject noun phrase: its last common noun,
// or the one before "of", "on" and the like ("the head of India's air
// operations" → "head", "the strike on the dam" → "strike").
// A subject that is all names has none: the names are checked as names.
func subjectHead(words, raw []string) string {
	// The head stands before the phrase that modifies it: "the strike
	// on the dam" is a strike.
	if i := slices.IndexFunc(words, func(w string) bool { return headModifiers[w] }); i > 0 {
		words, raw = words[:i], raw[:i]
	}
	for i := len(words) - 1; i >= 0; i-- {
		if isCapitalised(raw[i]) || term1(words[i]) == "" || words[i] == "s" || isNumeric(words[i]) {
			continue // "report 42": the report
		}
		if plainAdverbs[words[i]] || looksAdverb(words[i]) {
			continue // "did The Resistance Front actually claim"
		}
		return words[i]
	}
	return ""
}

// headModifiers open the phrases that follow a noun phrase's head.
var headModifiers = wordSet("of", "on", "in", "at", "near", "against", "over")

// ownerOf finds the name that says whose the subject is: a possessive
// ("China's foreign minister") or a capitalised adjective ("the Pakistani
// army chief") at most three words before it.
func ownerOf(text, subject string) string {
	re := regexp.MustCompile(`(\p{Lu}[\p{L}-]*)(?:['’]s)?\s+(?:[\p{Ll}-]+\s+){0,3}` + regexp.QuoteMeta(subject) + `\b`)
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		owner := strings.ToLower(text[m[2]:m[3]])
		// The question's first word is capitalised as a sentence's is.
		if m[2] == 0 || isCommonCapital(owner) {
			continue
		}
		return owner
	}
	return ""
}

// speakerAsked reports whether the question asks what someone it names
// by a common noun said ("what did Pakistan's military say"): then only
// that speaker's statements answer, and their differing figures are that
// speaker's revisions, not two sides.
func (a *analysis) speakerAsked() bool {
	return a.subject != "" && a.reporting && (reportingVerbs[a.relation] || reportingVerbs[a.relationTerm])
}

// wantsPerson reports whether the question asks who: a person or a body,
// never a place.
func (a *analysis) wantsPerson() bool {
	if a.slot != slotName {
		return false
	}
	return a.opening == "who" || a.opening == "whom" || personNoun(strings.TrimSuffix(a.focus, "s"))
}

// personNoun reports whether a noun names people by what they are or do
// ("which officials", "which minister"): they are not where something
// went.
func personNoun(w string) bool {
	switch w {
	case "official", "leader", "person", "people", "politician", "diplomat", "soldier", "pilot", "militant", "journalist", "analyst":
		return true
	}
	return isTitleWord(w)
}

// asksCountry reports whether the question asks about a country, so that
// a country's adjective may answer it ("which country's citizen").
func (a *analysis) asksCountry() bool {
	return slices.ContainsFunc(a.key, func(k keyTerm) bool {
		switch k.word {
		case "country", "countries", "nation", "nations", "nationality", "nationalities":
			return true
		}
		return false
	})
}

// wantsPlace reports whether the question asks where, or which country,
// city or other place: never a person.
func (a *analysis) wantsPlace() bool {
	if a.slot != slotName {
		return false
	}
	if a.opening == "where" {
		return true
	}
	switch a.focus {
	case "country", "countries", "city", "cities", "town", "towns", "village", "villages", "state", "states",
		"province", "provinces", "region", "regions", "district", "districts", "place", "places", "capital", "nation", "nations":
		return true
	}
	return false
}

// namedSpeaker returns the index of the name the question asks a
// statement of ("what did Home Minister Amit Shah say"), or -1.
func (a *analysis) namedSpeaker() int {
	for i, s := range a.speaks {
		if s && !a.excluded[i] {
			return i
		}
	}
	return -1
}

// nameOf returns the index of the name a key term belongs to, or -1.
func (a *analysis) nameOf(t string) int {
	for i, n := range a.names {
		if slices.Contains(n, t) {
			return i
		}
	}
	return -1
}

// datesRelativeOnly reports whether every date of the question is relative
// and not a weekday ("next week", "yesterday"): counted from a guess at
// "now", such a date guides the choice of sentence but cannot rule one out.
func (a *analysis) datesRelativeOnly() bool {
	for _, d := range a.dates {
		if _, wd := weekdayOnly(a.text, d); !d.Relative || wd || d.Precision == corpus.YearPrecision {
			// A year counted from now ("last year") rules sentences
			// out: the guess at now, the newest report, is wrong by a
			// year only across a New Year.
			return false
		}
	}
	return len(a.dates) > 0
}

// splitQuestion splits a question that asks two things joined by "and"
// before a second question word ("Who chaired X, and who chaired Y?")
// into its parts. A bare "which" in the second part borrows the first
// part's noun ("which did Pakistan close" → "which border crossing did
// Pakistan close"); dates in the second part that count from one in the
// first ("the next day") are resolved by keeping the first part's date
// in front of it.
func splitQuestion(text string) []string {
	words := strings.Fields(text)
	for i := 1; i+1 < len(words); i++ {
		if strings.ToLower(words[i]) != "and" || !strings.HasSuffix(words[i-1], ",") {
			continue
		}
		next := strings.ToLower(words[i+1])
		switch next {
		case "who", "whom", "which", "what", "when", "where", "how", "did", "does", "was", "is", "were":
		default:
			continue
		}
		first := strings.TrimSuffix(strings.Join(words[:i], " "), ",") + "?"
		second := words[i+1:]
		lw := lowerWords(first)
		if (next == "which" || next == "what") && len(second) > 1 && auxiliaries[strings.ToLower(second[1])] && len(lw) > 2 && lw[0] == next {
			// Borrow the noun phrase that follows the first question word.
			var np []string
			for _, w := range strings.Fields(first)[1:] {
				if auxiliaries[strings.ToLower(w)] {
					break
				}
				np = append(np, w)
			}
			second = append([]string{second[0]}, append(np, second[1:]...)...)
		}
		s := strings.Join(second, " ")
		s = strings.ToUpper(s[:1]) + s[1:]
		return []string{first, s}
	}
	return []string{text}
}

// contentKeys are the key terms that are not names, worked out once: the
// coverage floor is checked on them for every candidate sentence.
func (a *analysis) contentKeys() []keyTerm {
	if a.content == nil {
		a.content = slices.DeleteFunc(slices.Clone(a.key), func(k keyTerm) bool { return k.name })
		if a.content == nil {
			a.content = []keyTerm{}
		}
	}
	return a.content
}
