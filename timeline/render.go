package timeline

import (
	"strings"

	"github.com/crisisbot/crisisbot/corpus"
)

// Citation names the article a report comes from as the terminal shows
// it: "Northern Ledger · Indian · 7 May 2025 (nl-operation-sindoor)".
func Citation(a *corpus.Article) string {
	if attr := a.Attribution(); attr != "" {
		return attr + " (" + corpus.QuotePath(a.ID) + ")"
	}
	return corpus.QuotePath(a.ID)
}

// Line renders e as one line of text: the date, the sentence, its
// citations in brackets and, when the reports' figures differ, what each
// says.
func Line(e Event) string {
	var b strings.Builder
	b.WriteString(e.Date.String())
	b.WriteString(" — ")
	b.WriteString(e.Sentence())
	b.WriteString(" [")
	for i, r := range e.Reports {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(Citation(r.Article))
	}
	b.WriteString("]")
	if len(e.Differ) > 0 {
		b.WriteString(" ")
		b.WriteString(DifferNote(e, func(a *corpus.Article) string { return a.Attribution() }))
	}
	return b.String()
}

// DifferNote is the line's note on figures that differ, each figure
// followed by its source as name renders it: "Figures differ: tourists —
// 26 (Zafar Daily · Pakistani · 23 April 2025), 25 (Northern Ledger ·
// Indian · 23 April 2025)."
func DifferNote(e Event, name func(*corpus.Article) string) string {
	var b strings.Builder
	b.WriteString("Figures differ: ")
	for i, d := range e.Differ {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d.Thing + " — ")
		for j, f := range d.Figures {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Value)
			if n := name(f.Article); n != "" {
				b.WriteString(" (" + n + ")")
			}
		}
	}
	b.WriteString(".")
	return b.String()
}
