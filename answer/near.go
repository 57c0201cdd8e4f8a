package answer

import (
	"strings"

	"github.com/crisisbot/crisisbot/retrieval"
)

// countsApart is the word-similarity table the checks use: the table,
// except that a number or an ordinal stands only for itself and nothing
// stands for it. GloVe puts the words of a count side by side ("two" and
// "four" at 0.97, "first" and "second" at 0.93), because they are used
// the same way, but a sentence about the second Test says nothing of the
// first, and a four-day visit is no two-day one.
type countsApart struct{ sim Similarity }

// newCountsApart wraps sim, keeping nil for no table.
func newCountsApart(sim Similarity) Similarity {
	if sim == nil {
		return nil
	}
	return countsApart{sim: sim}
}

// Similar is the table's similarity, or 0 when either word counts and
// the two differ: a count's other near words are the words it is used
// with ("first" is near "the" at 0.82, "one" near "most"), not what it
// means. "Both" for "two" is lost with them.
func (s countsApart) Similar(a, b string) float32 {
	// Most pairs are not near at all: look them up before the words.
	v := s.sim.Similar(a, b)
	if v == 0 || a == b || !countingWord(a) && !countingWord(b) {
		return v
	}
	return 0
}

// Neighbours are the table's, unchanged: the checks ask it only whether a
// word has any.
func (s countsApart) Neighbours(word string) []retrieval.Neighbour { return s.sim.Neighbours(word) }

// countingWord reports whether w is a number or an ordinal written out,
// or a compound of one ("four-day", "second-largest").
func countingWord(w string) bool {
	for part := range strings.SplitSeq(w, "-") {
		if isNumberWord(part) || countOrdinals[part] {
			return true
		}
	}
	return false
}

// countOrdinals are the ordinals of a count. "Last", "next" and "latest"
// are not: they say when, and "past" is near "last" in that sense too.
var countOrdinals = wordSet("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
