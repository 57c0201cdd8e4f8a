package answer

import (
	"slices"

	"github.com/crisisbot/crisisbot/retrieval"
)

// sidesNote checks a model's answer against the disagreement in the
// passages it was given: when those passages, read by the extractive
// checks, give different figures or times for what was asked from
// different sources, and the answer cites only some of those sources, it
// returns the "Sources differ" line over all of them, its citations
// numbered from offset. The prompt asks the model to show both sides; this
// makes sure a model that did not is not shown as if it had.
func (e *Extractive) sidesNote(q Question, ix *retrieval.Index, hits []retrieval.Hit, cited []string, offset int) (string, []Citation, bool) {
	a := e.analyse(q, ix)
	if !comparable(a.slot) {
		return "", nil, false
	}
	f := e.findEvidence(&a, hits)
	if len(f.chosen) < 2 {
		return "", nil, false
	}
	differ, missing := false, false
	for _, c := range f.chosen {
		if c.value != f.chosen[0].value {
			differ = true
		}
		if !slices.Contains(cited, c.view.article.ID) {
			missing = true
		}
	}
	if !differ || !missing {
		return "", nil, false
	}
	text, cites := render(&a, f.chosen, offset, nil)
	return text, cites, true
}
