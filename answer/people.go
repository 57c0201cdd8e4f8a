package answer

import (
	"slices"
	"sync"

	"github.com/crisisbot/crisisbot/corpus"
)

// One report may name a person by a title another leaves out: "US
// President Donald Trump" in one wire story is "President Donald Trump" in
// the next, and a question about "the American president" is answered by
// either. The people book holds, for each surname, the titles every report
// of the index gives it, so a report's person may take a title the corpus
// gives them elsewhere. A title from another report counts only for the
// same person: the word before the surname (the given name) must match,
// so Defence Minister Rajnath Singh lends nothing to Wing Commander
// Vyomika Singh.

// peopleBook maps a person, as "given surname" lower-cased, to the words
// of the titles every report of the index gives them, each word once. It
// is read from the whole index on first use.
type peopleBook struct {
	once    sync.Once
	read    func() map[string][]word
	entries map[string][]word
}

// titlesFor returns the title words the index gives the person whose
// surname is surname and whose entry in the asking report is own, when
// own gives a given name; nil otherwise.
func (pb *peopleBook) titlesFor(surname string, own []word) []word {
	if pb == nil {
		return nil
	}
	given := givenNames(surname, own)
	if len(given) == 0 {
		return nil
	}
	pb.once.Do(func() { pb.entries = pb.read() })
	return pb.entries[given[0]+" "+surname]
}

// addPerson merges a report's title entry for surname into book, under
// each given name the entry puts before it.
func addPerson(book map[string][]word, surname string, entry []word) {
	for _, given := range givenNames(surname, entry) {
		key := given + " " + surname
		have := book[key]
		for _, w := range entry {
			if !slices.ContainsFunc(have, func(h word) bool { return h.lower == w.lower }) {
				have = append(have, w)
			}
		}
		book[key] = have
	}
}

// givenNames are the words before surname in a title entry, lower-cased:
// the given name of "President Donald Trump", in the order the entry
// gives them.
func givenNames(surname string, entry []word) []string {
	var out []string
	for k := 1; k < len(entry); k++ {
		if surface(entry[k].raw) == surname && isCapitalised(entry[k-1].raw) {
			out = append(out, entry[k-1].lower)
		}
	}
	return out
}

// peopleCache keeps the people book of the index answered from last, so
// that a reload starts a new one.
type peopleCache struct {
	mu   sync.Mutex
	of   []*corpus.Article // the articles the book was read from
	book *peopleBook
}

// forArticles returns the people book of arts, which it reads only when
// first asked for a title.
func (pc *peopleCache) forArticles(st *stemmer, arts []*corpus.Article) *peopleBook {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.book != nil && sameArticles(pc.of, arts) {
		return pc.book
	}
	pc.of = arts
	pc.book = &peopleBook{read: func() map[string][]word {
		out := map[string][]word{}
		for _, a := range arts {
			for surname, e := range readTitles(st, a.Text) {
				addPerson(out, surname, e)
			}
		}
		return out
	}}
	return pc.book
}

// sameArticles reports whether two article lists are the same slice: an
// index never changes its list, and a reload makes a new one.
func sameArticles(a, b []*corpus.Article) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
