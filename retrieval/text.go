// Package retrieval ranks crisisbot's passages for a question: a vector index
// in chromem-go fused with a BM25 lexical index by reciprocal rank fusion,
// persisted atomically in a data directory and rebuilt incrementally when the
// corpus changes.
package retrieval

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// Terms returns the index terms of text: lower-cased words and numbers,
// stop words removed, English words stemmed. The lexical index, the offline
// embedder and the extractive answerer all use it, so a word counts the same
// way everywhere.
func Terms(text string) []string {
	var out []string
	forEachWord(text, func(w string) {
		if t := term(w); t != "" {
			out = append(out, t)
		}
	})
	return out
}

// termCacheLimit bounds a [termCache]: past it the cache starts over. A
// corpus of 100k news passages uses on the order of 100k word forms, so a
// build keeps nearly all of them, and an embedder that lives as long as the
// process holds at most some 12 MB of them.
const termCacheLimit = 1 << 17

// termCache memoises [term] over many texts: stemming is most of the cost of
// indexing, and a corpus uses the same few thousand words again and again.
// It is safe for concurrent use, because the embedder that keeps one across
// calls embeds a reload's batches while searches embed questions. The zero
// value is an empty cache.
type termCache struct {
	mu sync.RWMutex
	m  map[string]string
}

func (c *termCache) term(w string) string {
	c.mu.RLock()
	t, ok := c.m[w]
	c.mu.RUnlock()
	if ok {
		return t
	}
	// w is usually a slice of a whole passage: copy it, so that the cache
	// does not keep the passage alive.
	w = strings.Clone(w)
	t = term(w)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= termCacheLimit {
		c.m = make(map[string]string)
	}
	c.m[w] = t
	c.mu.Unlock()
	return t
}

// terms is [Terms] through the cache.
func (c *termCache) terms(text string) []string {
	var out []string
	forEachWord(text, func(w string) {
		if t := c.term(w); t != "" {
			out = append(out, t)
		}
	})
	return out
}

// term maps one lower-cased word to its index term, or "" for a stop word.
func term(w string) string {
	w = strings.TrimSuffix(w, "'s")
	w = strings.TrimSuffix(w, "’s")
	w = strings.Trim(w, "'’")
	if w == "" || isStopWord(w) {
		return ""
	}
	if utf8.RuneCountInString(w) == 1 && !isDigitString(w) {
		return ""
	}
	if isDigitString(w) {
		return w
	}
	if base := irregularBase(w); base != "" {
		w = base
	}
	return stem(w)
}

// irregularBase maps the past forms of common irregular verbs to their base,
// which the stemmer cannot do: a question asks what someone "say"s, the
// article reports what they "said". Light verbs (take, give, make, go,
// come) are left alone: "took" in "took time" says nothing about a question
// on when something "took effect".
func irregularBase(w string) string {
	switch w {
	case "said":
		return "say"
	case "spoke", "spoken":
		return "speak"
	case "told":
		return "tell"
	case "met":
		return "meet"
	case "won":
		return "win"
	case "fought":
		return "fight"
	case "held":
		return "hold"
	case "began", "begun":
		return "begin"
	case "sent":
		return "send"
	case "struck", "stricken":
		return "strike"
	case "shot":
		return "shoot"
	case "flew", "flown":
		return "fly"
	case "led":
		return "lead"
	case "left":
		return "leave"
	case "brought":
		return "bring"
	case "thought":
		return "think"
	case "knew", "known":
		return "know"
	case "saw", "seen":
		return "see"
	case "sought":
		return "seek"
	case "kept":
		return "keep"
	case "lost":
		return "lose"
	case "rose", "risen":
		return "rise"
	case "fell", "fallen":
		return "fall"
	case "hit":
		return "hit"
	case "wrote", "written":
		return "write"
	case "broke", "broken":
		return "break"
	case "chose", "chosen":
		return "choose"
	case "drove", "driven":
		return "drive"
	case "ran":
		return "run"
	case "stood":
		return "stand"
	case "became":
		return "become"
	case "found":
		return "find"
	case "paid":
		return "pay"
	case "sold":
		return "sell"
	case "bought":
		return "buy"
	case "built":
		return "build"
	case "spent":
		return "spend"
	case "laid":
		return "lay"
	case "withdrew", "withdrawn":
		return "withdraw"
	case "undertook", "undertaken":
		return "undertake"
	}
	return ""
}

// forEachWord calls fn with every lower-cased word of text. A word is a run
// of letters and digits, with inner apostrophes kept so that "India's" can
// lose its possessive.
func forEachWord(text string, fn func(string)) {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			fn(strings.ToLower(text[start:end]))
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0:
			// Keep an apostrophe only between letters.
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			if !unicode.IsLetter(next) {
				flush(i)
			}
		default:
			flush(i)
		}
	}
	flush(len(text))
}

func isDigitString(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// isStopWord reports whether w is a function word or a question word: they
// carry no topic, and a question's "who", "what" or "did" must not match
// passages by themselves.
func isStopWord(w string) bool {
	switch w {
	case "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
		"any", "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below",
		"between", "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did",
		"didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "few",
		"for", "from", "further", "had", "hadn't", "has", "hasn't", "have", "haven't", "having",
		"he", "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself", "him",
		"himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into",
		"is", "isn't", "it", "it's", "its", "itself", "just", "let's", "may", "me", "might",
		"more", "most", "must", "mustn't", "my", "myself", "no", "nor", "not", "of", "off", "on",
		"once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
		"s", "same", "shall", "shan't", "she", "she'd", "she'll", "she's", "should", "shouldn't",
		"so", "some", "such", "t", "than", "that", "that's", "the", "their", "theirs", "them",
		"themselves", "then", "many", "much", "there", "there's", "these", "they", "they'd", "they'll",
		"they're", "they've", "this", "those", "through", "to", "too", "under", "until", "up",
		"very", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've", "were", "weren't",
		"what", "what's", "when", "when's", "where", "where's", "which", "while", "who", "who's",
		"whom", "why", "why's", "will", "with", "won't", "would", "wouldn't", "you", "you'd",
		"you'll", "you're", "you've", "your", "yours", "yourself", "yourselves":
		return true
	}
	return false
}

// stem is the Snowball (Porter2) English stem of a lower-case word that is
// not a stop word. blevesearch's port is used rather than kljensen's,
// whose module puts a testing helper in the binary; over the corpus and the
// 50,000 English words built in, the two agree on every word that reaches
// here. Words of one or two letters are left alone, as kljensen's did.
func stem(w string) string {
	if len(w) <= 2 {
		return w
	}
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	return env.Current()
}
