package corpus

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Chunking defaults, used for zero (or negative) [ChunkOptions] fields.
const (
	DefaultMaxSentences = 3
	DefaultMaxChars     = 700
)

// chunkVersion names the sentence splitter and packing algorithm. Change it
// whenever either changes what [Chunk] returns, so indexes built by the old
// code are rebuilt.
const chunkVersion = "chunk-v3"

// ChunkOptions sets how [Chunk] packs sentences into passages.
type ChunkOptions struct {
	// MaxSentences is the most sentences in one passage; 0 means
	// [DefaultMaxSentences].
	MaxSentences int
	// MaxChars is the most bytes in one passage, unless a single sentence
	// is longer; 0 means [DefaultMaxChars].
	MaxChars int
}

// withDefaults returns o with its zero fields set to the defaults.
func (o ChunkOptions) withDefaults() ChunkOptions {
	if o.MaxSentences <= 0 {
		o.MaxSentences = DefaultMaxSentences
	}
	if o.MaxChars <= 0 {
		o.MaxChars = DefaultMaxChars
	}
	return o
}

// Fingerprint returns a string that identifies these settings together with
// the version of the chunking code. Passages built under one fingerprint
// are stale under another: an index stores it and rebuilds when it changes.
func (o ChunkOptions) Fingerprint() string {
	o = o.withDefaults()
	return fmt.Sprintf("%s;max-sentences=%d;max-chars=%d", chunkVersion, o.MaxSentences, o.MaxChars)
}

// Chunk splits a's Text into passages of consecutive sentences (see
// [SplitSentences]). A passage takes sentences while it stays within
// opts.MaxSentences and opts.MaxChars. It prefers to end at a paragraph
// break: it takes in a new paragraph only when it holds a single sentence
// and the whole paragraph fits, so passages follow paragraphs where they
// can and short paragraphs pair up. A sentence longer than MaxChars is a
// passage of its own. The passages cover
// every sentence once, in order; the result depends only on a.ID, a.Text and
// opts.
func Chunk(a Article, opts ChunkOptions) []Passage {
	opts = opts.withDefaults()
	var (
		passages []Passage
		cur      []Span
		first    int // the index of cur's first sentence
	)
	sents := SplitSentences(a.Text)
	dates := sentenceDates(a, sents)
	flush := func() {
		if len(cur) == 0 {
			return
		}
		p := Passage{
			ID:        PassageID(a.ID, len(passages)),
			ArticleID: a.ID,
			Index:     len(passages),
			Span:      Span{cur[0].Start, cur[len(cur)-1].End},
			Sentences: cur,
		}
		p.Text = a.Text[p.Start:p.End]
		p.Dates = passageDates(dates[first : first+len(cur)])
		passages = append(passages, p)
		first += len(cur)
		cur = nil
	}
	// paraEnd[i] is the index of the last sentence in sentence i's paragraph.
	paraEnd := make([]int, len(sents))
	for i := len(sents) - 1; i >= 0; i-- {
		paraEnd[i] = i
		if i+1 < len(sents) && !paragraphBreak(a.Text, sents[i], sents[i+1]) {
			paraEnd[i] = paraEnd[i+1]
		}
	}
	for i, s := range sents {
		if n := len(cur); n > 0 {
			full := n >= opts.MaxSentences || s.End-cur[0].Start > opts.MaxChars
			if paragraphBreak(a.Text, sents[i-1], s) {
				// Take in a new paragraph only as the second sentence of a
				// passage, and only if all of it fits.
				last := paraEnd[i]
				fits := n+last-i+1 <= opts.MaxSentences && sents[last].End-cur[0].Start <= opts.MaxChars
				full = full || n >= 2 || !fits
			}
			if full {
				flush()
			}
		}
		cur = append(cur, s)
	}
	flush()
	return passages
}

// paragraphBreak reports whether a blank line separates the sentences a and
// b of text.
func paragraphBreak(text string, a, b Span) bool {
	return strings.Count(text[a.End:b.Start], "\n") >= 2
}

// PassageID names passage i of article articleID. An index snapshot stores
// only the index and names its passages again when it loads, so both go
// through this one function.
func PassageID(articleID string, i int) string {
	return articleID + "#" + strconv.Itoa(i)
}

// sentenceDates resolves the date mentions of each sentence against the
// article's date and the day the sentences before it last named, with
// offsets moved into the article's text.
func sentenceDates(a Article, sents []Span) [][]EventDate {
	out := make([][]EventDate, len(sents))
	var prior time.Time
	for i, s := range sents {
		ds := ExtractDatesAfter(a.Text[s.Start:s.End], a.Published, prior)
		prior = DayInView(a.Text[s.Start:s.End], ds, prior)
		for k := range ds {
			ds[k].Start += s.Start
			ds[k].End += s.Start
		}
		out[i] = ds
	}
	return out
}

// passageDates numbers a passage's sentence dates by their sentence in it.
func passageDates(dates [][]EventDate) []SentenceDate {
	var out []SentenceDate
	for i, ds := range dates {
		for _, d := range ds {
			out = append(out, SentenceDate{Sentence: i, EventDate: d})
		}
	}
	return out
}
