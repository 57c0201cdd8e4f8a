package corpus_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
)

// checkPassages fails the test unless passages cover the sentences of a, in
// order, once each, with IDs, indexes and texts that match their offsets.
func checkPassages(tb testing.TB, a corpus.Article, opts corpus.ChunkOptions, passages []corpus.Passage) {
	tb.Helper()
	want := corpus.SplitSentences(a.Text)
	var got []corpus.Span
	for i, p := range passages {
		if p.ID != fmt.Sprintf("%s#%d", a.ID, i) || p.Index != i || p.ArticleID != a.ID {
			tb.Fatalf("passage %d: ID, Index, ArticleID = %q, %d, %q", i, p.ID, p.Index, p.ArticleID)
		}
		if len(p.Sentences) == 0 {
			tb.Fatalf("passage %d has no sentences", i)
		}
		if p.Start != p.Sentences[0].Start || p.End != p.Sentences[len(p.Sentences)-1].End {
			tb.Fatalf("passage %d span %v does not match its sentences %v", i, p.Span, p.Sentences)
		}
		if p.Text != a.Text[p.Start:p.End] {
			tb.Fatalf("passage %d text %q does not match its offsets", i, p.Text)
		}
		if i > 0 && p.Start < passages[i-1].End {
			tb.Fatalf("passage %d starts at %d, inside passage %d ending at %d", i, p.Start, i-1, passages[i-1].End)
		}
		if opts.MaxSentences > 0 && len(p.Sentences) > opts.MaxSentences {
			tb.Fatalf("passage %d has %d sentences, over the limit of %d", i, len(p.Sentences), opts.MaxSentences)
		}
		if opts.MaxChars > 0 && len(p.Sentences) > 1 && len(p.Text) > opts.MaxChars {
			tb.Fatalf("passage %d has %d bytes and %d sentences, over the limit of %d", i, len(p.Text), len(p.Sentences), opts.MaxChars)
		}
		got = append(got, p.Sentences...)
	}
	if !reflect.DeepEqual(got, want) && (len(got) != 0 || len(want) != 0) {
		tb.Fatalf("passages hold sentences %v, want %v", got, want)
	}
}

func TestChunk(t *testing.T) {
	long := "Word " + strings.Repeat("word ", 200) + "end."
	tests := []struct {
		name string
		text string
		opts corpus.ChunkOptions
		want []string // passage texts
	}{
		{
			name: "packs up to three sentences",
			text: "One. Two. Three. Four. Five.",
			want: []string{"One. Two. Three.", "Four. Five."},
		},
		{
			name: "MaxSentences",
			text: "One. Two. Three. Four. Five.",
			opts: corpus.ChunkOptions{MaxSentences: 2},
			want: []string{"One. Two.", "Three. Four.", "Five."},
		},
		{
			name: "MaxChars",
			text: "Alpha beta. Gamma delta. Epsilon.",
			opts: corpus.ChunkOptions{MaxChars: 24},
			want: []string{"Alpha beta. Gamma delta.", "Epsilon."},
		},
		{
			name: "ends at a paragraph once it has two sentences",
			text: "A one. A two.\n\nB one. B two. B three.\n\nC one.",
			want: []string{"A one. A two.", "B one. B two. B three.", "C one."},
		},
		{
			name: "a paragraph that does not fit whole starts a passage",
			text: "Lead.\n\nB one. B two. B three.",
			want: []string{"Lead.", "B one. B two. B three."},
		},
		{
			name: "one-sentence paragraphs pair up",
			text: "A.\n\nB.\n\nC.\n\nD.\n\nE.",
			want: []string{"A.\n\nB.", "C.\n\nD.", "E."},
		},
		{
			name: "a long paragraph splits by MaxSentences",
			text: "A one.\n\nB one. B two. B three. B four. B five.",
			want: []string{"A one.", "B one. B two. B three.", "B four. B five."},
		},
		{
			name: "an over-long sentence is its own passage",
			text: "Short. " + long + " After.",
			opts: corpus.ChunkOptions{MaxChars: 100},
			want: []string{"Short.", long, "After."},
		},
		{
			name: "no sentences",
			text: " \n\n ",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := corpus.Article{ID: "x/y", Text: tt.text}
			passages := corpus.Chunk(a, tt.opts)
			checkPassages(t, a, tt.opts, passages)
			var got []string
			for _, p := range passages {
				got = append(got, p.Text)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Chunk:\n got %q\nwant %q", got, tt.want)
			}
			if again := corpus.Chunk(a, tt.opts); !reflect.DeepEqual(again, passages) {
				t.Error("Chunk is not deterministic")
			}
		})
	}
}

func TestChunkInvariants(t *testing.T) {
	texts := map[string]string{
		"builtin": builtinText(t),
		"paragraphs": strings.Repeat("A sentence here. Another one follows! And a third? Yes.\n\n", 20) +
			strings.Repeat("Mr. Smith went to Washington. ", 30),
		"one long paragraph": strings.Repeat("Sentence number n goes on for a while, then stops. ", 100),
	}
	for name, text := range texts {
		for _, opts := range []corpus.ChunkOptions{{}, {MaxSentences: 1}, {MaxSentences: 5, MaxChars: 200}, {MaxChars: 10}} {
			t.Run(fmt.Sprintf("%s/%+v", name, opts), func(t *testing.T) {
				a := corpus.Article{ID: name, Text: text}
				checkPassages(t, a, opts, corpus.Chunk(a, opts))
			})
		}
	}
}

// builtinText returns the Text of the built-in article.
func builtinText(tb testing.TB) string {
	tb.Helper()
	data := builtinFile(tb)
	return mustParse(tb, "rubio-calls-munir.md", string(data)).Text
}

func TestChunkOptionsFingerprint(t *testing.T) {
	def := corpus.ChunkOptions{}.Fingerprint()
	if got := (corpus.ChunkOptions{MaxSentences: corpus.DefaultMaxSentences, MaxChars: corpus.DefaultMaxChars}).Fingerprint(); got != def {
		t.Errorf("explicit defaults give %q, zero options %q; want the same", got, def)
	}
	seen := map[string]corpus.ChunkOptions{}
	for _, o := range []corpus.ChunkOptions{{}, {MaxSentences: 4}, {MaxChars: 500}, {MaxSentences: 4, MaxChars: 500}} {
		fp := o.Fingerprint()
		if prev, ok := seen[fp]; ok {
			t.Errorf("options %+v and %+v share the fingerprint %q", prev, o, fp)
		}
		seen[fp] = o
	}
	if !strings.Contains(def, "chunk-v") {
		t.Errorf("fingerprint %q does not name the algorithm version", def)
	}
}
