package answer

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// markerRE matches a citation marker: [3], [1, 2] or [1,2,3]. Adjacent
// markers such as [1][2] are matched one at a time. A signed number ([-1],
// [+2]) is matched too, though no passage has one: a model writes "[-1]"
// for "no source", and left unmatched it would reach the user looking like
// a citation. [dropInvalid] removes it with the other numbers that name no
// passage.
var markerRE = regexp.MustCompile(`\[\s*[-+]?\d+(?:\s*,\s*[-+]?\d+)*\s*\]`)

// stripMarkers removes citation markers and the space before them.
func stripMarkers(s string) string {
	return strings.TrimSpace(spacedMarkerRE.ReplaceAllString(s, ""))
}

var spacedMarkerRE = regexp.MustCompile(`\s*` + markerRE.String())

// citedAnswer is a model's answer after its markers were checked.
type citedAnswer struct {
	// Text has every marker rewritten to the new numbering, invalid ones
	// removed.
	Text string
	// Order lists the passage numbers (1-based, as the prompt numbered them)
	// in the order the answer first cites them; new number i+1 is Order[i].
	Order []int
	// Claims maps each new number to the answer sentences that cite it.
	Claims map[int][]string
	// Invalid lists the markers that pointed at no passage.
	Invalid []int
}

// checkCitations parses the [n] markers of an answer written over
// nPassages passages. A marker naming no passage is dropped; the rest are
// renumbered in order of first use, so the answer's [1] is the first source
// listed.
func checkCitations(text string, nPassages int) citedAnswer {
	out := citedAnswer{Claims: map[int][]string{}}
	text, out.Invalid = dropInvalid(text, nPassages)
	renum := map[int]int{}
	var b strings.Builder
	last := 0
	type use struct {
		start int
		nums  []int
	}
	var uses []use
	// Every marker left names a passage; renumber by first use.
	for _, loc := range markerRE.FindAllStringIndex(text, -1) {
		b.WriteString(text[last:loc[0]])
		last = loc[1]
		var nums []int
		start := b.Len()
		for _, f := range strings.Split(strings.Trim(text[loc[0]:loc[1]], "[] "), ",") {
			n, _ := strconv.Atoi(strings.TrimSpace(f))
			if _, ok := renum[n]; !ok {
				renum[n] = len(out.Order) + 1
				out.Order = append(out.Order, n)
			}
			if !slices.Contains(nums, renum[n]) {
				nums = append(nums, renum[n])
				b.WriteString("[" + strconv.Itoa(renum[n]) + "]")
			}
		}
		uses = append(uses, use{start: start, nums: nums})
	}
	b.WriteString(text[last:])
	out.Text = strings.TrimSpace(b.String())
	for _, u := range uses {
		claim := claimBefore(out.Text, u.start)
		for _, n := range u.nums {
			out.Claims[n] = append(out.Claims[n], claim)
		}
	}
	return out
}

// dropInvalid removes the numbers of markers that name no passage (zero,
// signed or past the last passage), and a
// marker left empty together with the space before it. It repeats until
// nothing changes, because a removal can bring a new marker together:
// "[0[1]]" leaves "[1]". Each round shortens the text, so it ends.
func dropInvalid(text string, nPassages int) (string, []int) {
	var invalid []int
	for {
		changed := false
		text = spacedMarkerRE.ReplaceAllStringFunc(text, func(m string) string {
			marker := strings.TrimLeft(m, " \t\r\n")
			fields := strings.Split(strings.Trim(marker, "[] "), ",")
			var keep []string
			for _, f := range fields {
				f = strings.TrimSpace(f)
				n, err := strconv.Atoi(f)
				// A sign makes a marker bogus whatever the number: passages
				// are numbered 1, 2, 3, and "[+2]" is no way to cite one.
				if err != nil || n < 1 || n > nPassages || f[0] == '+' || f[0] == '-' {
					invalid = append(invalid, n)
					continue
				}
				keep = append(keep, strconv.Itoa(n))
			}
			if len(keep) == len(fields) {
				return m
			}
			changed = true
			if len(keep) == 0 {
				return ""
			}
			return m[:len(m)-len(marker)] + "[" + strings.Join(keep, ", ") + "]"
		})
		if !changed {
			return text, invalid
		}
	}
}

// claimBefore returns the sentence of text that ends at or contains the
// marker at pos: the text since the previous sentence end or marker.
func claimBefore(text string, pos int) string {
	pos = min(pos, len(text))
	head := text[:pos]
	start := 0
	for i := len(head) - 1; i > 0; i-- {
		if c := head[i]; (c == '.' || c == '!' || c == '?' || c == '\n') && i < len(head)-1 {
			start = i + 1
			break
		}
	}
	claim := markerRE.ReplaceAllString(head[start:], "")
	return strings.TrimSpace(strings.ReplaceAll(claim, "][", ""))
}
