package answer

import (
	"regexp"
	"slices"
	"strings"
)

// A question about a contested event often says so in a clause of its
// own: "Did India's missiles damage the base on 10 May? what's each side
// saying", "…on 7 May - depends who you ask", "the two governments tell it
// differently". That clause asks for the sources' disagreement, not for a
// fact: no source sentence says "each side" or "differently", so read as
// key words its words only sink the sentences that answer. The clause is
// set aside, and the question it leaves is marked as asking for every
// side's account.

// differRE finds the words that say the accounts differ: "tell it
// differently", "don't seem to agree", "depends who you ask", "each one's
// version".
var differRE = regexp.MustCompile(`(?i)\b(?:differently|disagree\w*|differ|conflicting|contradictory` +
	`|(?:don't|dont|doesn't|doesnt|do not|does not|didn't|did not)\s+(?:\w+\s+){0,2}(?:agree|match|tally|add up|line up)` +
	`|depends (?:on )?who|who you ask|versions?|stories|accounts|narratives)\b`)

// sidesRE finds the sides themselves: "each side", "both governments".
// Named alone they ask about the sides ("are both countries on board?");
// only with a word of saying do they ask for the sides' accounts.
var sidesRE = regexp.MustCompile(`(?i)\b(?:each|both|either|the two|two|the other)\s+(?:sides?|side's|sides'|camps?|governments?|armies|army|countries|country|one's)(?:\s|$|[^\w])`)

// disputeSaying are the words that, beside the sides, ask what they say:
// "what's each side saying", "each side's line", "both sides' numbers".
var disputeSaying = wordSet("say", "says", "saying", "said", "tell", "tells", "telling", "claim", "claims",
	"claiming", "call", "calls", "describe", "describes", "line", "numbers", "figures", "version", "account",
	"story", "think", "view", "position", "take", "blame", "blames", "blaming", "accuses", "insists")

// disputeFiller are the words a dispute clause holds besides its cue, its
// saying and its parties' names: "the Pakistani papers don't seem to
// agree", "depends who you ask I guess".
var disputeFiller = wordSet("seem", "seems", "seemed", "really", "actually", "very", "quite", "guess", "need",
	"want", "pls", "please", "it", "i", "s", "whats", "what's", "their", "they", "them", "other", "own", "even",
	"just", "so", "also", "here", "there", "about", "anyway", "lol", "tbh", "idk")

// isDisputeClause reports whether a clause asks only how the sides'
// accounts differ: a cue, and besides it no more than one word that is
// not a name, a word of saying or filler. "What's each one's version of
// what pushed the other into the ceasefire?" asks about the ceasefire.
func isDisputeClause(c string) bool {
	differs := differRE.MatchString(c)
	sides := sidesRE.MatchString(c)
	if !differs && !sides {
		return false
	}
	if !differs && !slices.ContainsFunc(lowerWords(c), func(w string) bool { return disputeSaying[w] }) {
		return false
	}
	rest := sidesRE.ReplaceAllString(differRE.ReplaceAllString(c, " "), " ")
	content := 0
	for i, w := range textWords(rest) {
		lw := strings.ToLower(w)
		switch {
		case i > 0 && isCapitalised(w), term1(lw) == "", isWhWord(lw), auxiliaries[lw], frameWords[lw],
			reportingVerbs[lw], disputeSaying[lw], disputeFiller[lw]:
			continue
		}
		content++
	}
	// A clause that asks ("what does each side say it achieved?") may
	// hold nothing else: its one other word would be what it asks.
	if slices.ContainsFunc(lowerWords(c), isWhWord) && !whoYouAskRE.MatchString(c) {
		return content == 0
	}
	return content <= 1
}

// whoYouAskRE finds "depends who you ask", whose "who" asks nothing.
var whoYouAskRE = regexp.MustCompile(`(?i)\bwho you ask\b`)

// disputeClauseBreakRE ends a clause: a question mark or full stop, a
// semicolon, or a dash between spaces. A comma does not: "what time,
// Pakistan time, did…" is one clause.
var disputeClauseBreakRE = regexp.MustCompile(`[;.?!]\s+|\s+[-–—]\s+`)

// withoutDispute returns the question without the clauses that ask how
// the sides' accounts differ, and whether it had any. A question that is
// nothing but such clauses ("What does each side say happened?") is left
// as it is: its dispute words are all it asks with.
func withoutDispute(text string) (string, bool) {
	type clause struct {
		text, sep string
		dispute   bool
	}
	var cs []clause
	start := 0
	for _, l := range disputeClauseBreakRE.FindAllStringIndex(text, -1) {
		cs = append(cs, clause{text: text[start:l[0]], sep: text[l[0]:l[1]]})
		start = l[1]
	}
	cs = append(cs, clause{text: text[start:]})

	kept, dropped := 0, 0
	for i := range cs {
		if isDisputeClause(cs[i].text) {
			cs[i].dispute = true
			dropped++
		} else if len(lowerWords(cs[i].text)) > 0 {
			kept++
		}
	}
	if dropped == 0 || kept == 0 {
		return text, false
	}

	var b strings.Builder
	for _, c := range cs {
		if c.dispute {
			continue
		}
		b.WriteString(c.text)
		b.WriteString(c.sep)
	}
	out := strings.TrimRight(b.String(), " -–—;.")
	if strings.HasSuffix(strings.TrimSpace(text), "?") && !strings.HasSuffix(out, "?") {
		out += "?"
	}
	return out, true
}
