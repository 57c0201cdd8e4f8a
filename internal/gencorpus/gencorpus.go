// Package gencorpus writes synthetic news corpora for crisisbot's benchmarks:
// Markdown articles with front matter whose words follow a Zipf-like law over
// a vocabulary that keeps growing with the corpus, as real news does (a few
// thousand function and common words carry most of the text, and every new
// article brings a handful of names and rare words), with names, numbers
// and dates in the sentences so the chunker's date extraction and the
// stemmer do their real work.
//
// Every article is a pure function of the seed, its number and its
// revision, so a benchmark can regenerate one article with a new revision to
// simulate an edit, and generation can run on several cores.
package gencorpus

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Options sets the size and shape of a generated corpus.
type Options struct {
	// Articles is how many articles to make.
	Articles int
	// Words is about how many words each article has; 0 means 600.
	Words int
	// Seed selects the corpus; the same seed gives the same files.
	Seed uint64
}

func (o Options) words() int {
	if o.Words <= 0 {
		return 600
	}
	return o.Words
}

// File is one generated article: its path relative to the corpus root and
// its bytes.
type File struct {
	Name string
	Data []byte
}

// vocabSize is the size of the open vocabulary words are drawn from, larger
// than any corpus here uses up, so the vocabulary keeps growing.
const vocabSize = 1_000_000

// zipfS is the exponent of the word law, chosen so that 6M words (10k
// articles of 600) meet some 80k distinct words and 600k words (1k
// articles) some 17k, as the crisis corpus of issue #12 does; with an
// exponent near 1 the made-up tail grows far faster than real text.
const zipfS = 1.4

// tables holds the word lists an article is drawn from. They are built per
// call of [Generate] or [Article] rather than kept in package variables, so
// nothing in the package can be changed from outside.
type tables struct {
	common, names, months, weekdays, onsets, nuclei, endings []string
}

func newTables() *tables {
	return &tables{
		common:   strings.Fields(commonWords),
		names:    strings.Fields(nameWords),
		months:   strings.Fields("January February March April May June July August September October November December"),
		weekdays: strings.Fields("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
		onsets:   strings.Fields("b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr sh st tr ch th"),
		nuclei:   strings.Fields("a e i o u ai ea ou ie"),
		endings:  []string{"", "", "", "s", "ed", "ing", "tion", "er", "ly", "al", "ment", "ness", "ist", "ive"},
	}
}

// commonWords are function words and frequent news words: they make up most
// tokens, as they do in real text, and include the stop words the index
// drops.
const commonWords = `the of and to in a that for on said is was with by as at from
his it be has have are an were not but its he had this which been they after their
will would also more who over than about two into three government police minister
people country military officials year years week month day state security forces
border army attack strikes ceasefire talks statement told spokesman president prime
foreign ministry defence leaders report reported according killed wounded civilians
troops region area city district capital province villages across near since during
against between under new first last next other some many several most such only
while before when where there them our we could should may might must can did does
called urged warned denied confirmed announced accused claimed added rejected agreed
meeting diplomatic international united nations council sanctions water treaty river
air missile drone aircraft fighter jets shelling artillery fire line control kashmir`

// nameWords are people, places and organisations; articles draw a few each.
const nameWords = `Sharif Modi Munir Jaishankar Dar Rubio Vance Guterres Doval Asim
Rajnath Khawaja Bilawal Imran Shehbaz Ajit Lisa Marco Antonio Ishaq Kavita Farhan
Islamabad Delhi Lahore Srinagar Muzaffarabad Rawalpindi Amritsar Jammu Poonch Uri
Pahalgam Bahawalpur Muridke Sialkot Karachi Mumbai Kupwara Rajouri Neelum Kotli
Reuters Xinhua ISPR NSA IAF PAF UN IMF SAARC OIC BBC AP AFP Dawn Hindu Tribune`

// word returns word r of the open vocabulary, the same every time: a
// common word for the first ranks, then made-up words of two to four
// syllables with a rank code inside (so they stay distinct) and an English
// ending (so the stemmer strips -ing, -ed, -tion as it would on real words).
func (t *tables) word(r uint64) string {
	if r < uint64(len(t.common)) {
		return t.common[r]
	}
	x := r*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	var b strings.Builder
	n := 2 + int(x%3)
	x /= 3
	for range n {
		b.WriteString(t.onsets[x%uint64(len(t.onsets))])
		x /= uint64(len(t.onsets))
		b.WriteString(t.nuclei[x%uint64(len(t.nuclei))])
		x /= uint64(len(t.nuclei))
	}
	for c := r; c > 0; c /= 20 {
		b.WriteByte("bcdfghjklmnprstvwxyz"[c%20])
	}
	b.WriteString(t.endings[x%uint64(len(t.endings))])
	return b.String()
}

// Article returns article i of the corpus at the given revision. Revision 0
// is the original; a higher one is an edit of it with different text.
func Article(o Options, i, revision int) File {
	return newTables().article(o, i, revision)
}

func (t *tables) article(o Options, i, revision int) File {
	names, months, weekdays := t.names, t.months, t.weekdays
	rng := rand.New(rand.NewPCG(o.Seed^uint64(i)*0xA24BAED4963EE407, uint64(revision)+1))
	zipf := rand.NewZipf(rng, zipfS, 1, vocabSize-1)
	pub := time.Date(2025, 4, 20, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(rng.IntN(60)))
	local := []string{names[rng.IntN(len(names))], names[rng.IntN(len(names))], names[rng.IntN(len(names))]}

	var body strings.Builder
	var title []string
	for range 6 {
		title = append(title, t.word(zipf.Uint64()))
	}
	title[0] = capitalise(title[0])
	want := o.words()
	words := 0
	for words < want {
		// A paragraph of two to four sentences.
		nSent := 2 + rng.IntN(3)
		for s := range nSent {
			if s > 0 {
				body.WriteByte(' ')
			}
			n := 10 + rng.IntN(16)
			for w := range n {
				var tok string
				switch x := rng.Float64(); {
				case x < 0.04:
					tok = local[rng.IntN(len(local))]
				case x < 0.055:
					tok = names[rng.IntN(len(names))]
				case x < 0.07:
					tok = fmt.Sprint(rng.IntN(500))
				case x < 0.075:
					tok = "on " + weekdays[rng.IntN(7)]
				case x < 0.08:
					d := pub.AddDate(0, 0, -rng.IntN(20))
					tok = fmt.Sprintf("on %s %d", months[d.Month()-1], d.Day())
				default:
					tok = t.word(zipf.Uint64())
				}
				if w == 0 {
					tok = capitalise(tok)
				}
				if w > 0 {
					body.WriteByte(' ')
				}
				body.WriteString(tok)
				if w > 0 && w < n-1 && rng.IntN(12) == 0 {
					body.WriteByte(',')
				}
			}
			body.WriteByte('.')
			words += n
		}
		body.WriteString("\n\n")
	}
	var f strings.Builder
	fmt.Fprintf(&f, "---\ntitle: %s\nurl: https://news.example/%d/%d\nsource: Synthetic Wire\npublished: %s\ntags: [crisis, %s]\n---\n",
		strings.Join(title, " "), i, revision, pub.Format("2006-01-02"), strings.ToLower(local[0]))
	f.WriteString(body.String())
	return File{Name: Name(i), Data: []byte(f.String())}
}

// Name is the path of article i: two levels of folders, as a large corpus
// would be organised, so no directory holds ten thousand files.
func Name(i int) string {
	return fmt.Sprintf("%02d/a%05d.md", i%100, i)
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// Generate returns every article of the corpus at revision 0, generated on
// all cores.
func Generate(o Options) []File {
	out := make([]File, o.Articles)
	workers := max(1, min(runtime.GOMAXPROCS(0), o.Articles))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			t := newTables()
			for i := w; i < o.Articles; i += workers {
				out[i] = t.article(o, i, 0)
			}
		})
	}
	wg.Wait()
	return out
}

// WriteDir writes the corpus under dir, creating folders as needed.
func WriteDir(ctx context.Context, dir string, o Options) error {
	for _, f := range Generate(o) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := WriteFile(dir, f); err != nil {
			return err
		}
	}
	return nil
}

// WriteFile writes one generated file under dir.
func WriteFile(dir string, f File) error {
	p := filepath.Join(dir, filepath.FromSlash(f.Name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("gencorpus: %w", err)
	}
	if err := os.WriteFile(p, f.Data, 0o644); err != nil {
		return fmt.Errorf("gencorpus: %w", err)
	}
	return nil
}
