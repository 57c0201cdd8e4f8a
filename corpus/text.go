package corpus

import (
	"strings"
	"unicode"
)

// paraWriter builds an article's Text: runs of white space become one space,
// paragraphs are separated by one blank line, and control characters are
// dropped. Space and breaks are written lazily, so the text never starts or
// ends with white space.
type paraWriter struct {
	b     strings.Builder
	space bool // white space seen since the last character
	brk   bool // paragraph break asked for since the last character
}

// write adds s to the current paragraph.
func (w *paraWriter) write(s string) {
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			w.space = true
		case unicode.IsControl(r):
			// Dropped: stray escape codes and the like are not text.
		default:
			if w.b.Len() > 0 {
				switch {
				case w.brk:
					w.b.WriteString("\n\n")
				case w.space:
					w.b.WriteByte(' ')
				}
			}
			w.brk, w.space = false, false
			w.b.WriteRune(r)
		}
	}
}

// wordBreak asks for a word break before the next character.
func (w *paraWriter) wordBreak() { w.space = true }

// para ends the current paragraph, if it has any text.
func (w *paraWriter) para() { w.brk = true }

// len returns the length of the text written so far, pending space aside.
func (w *paraWriter) len() int { return w.b.Len() }

// String returns the text.
func (w *paraWriter) String() string { return w.b.String() }

// collapseSpace trims s and replaces each run of white space in it by one
// space, dropping control characters.
func collapseSpace(s string) string {
	var w paraWriter
	w.write(s)
	return w.String()
}

// plainText turns the body of a .txt file into Text: every non-blank line is
// a paragraph of its own, as one-paragraph-per-line files expect, and blank
// lines separate paragraphs too.
func plainText(body string) string {
	var w paraWriter
	for line := range strings.Lines(body) {
		w.para()
		w.write(line)
	}
	return w.String()
}
