// Package corpus reads crisisbot's source articles — Markdown, plain text and
// HTML, from a directory or an embedded file system — and splits them into
// passages whose sentences keep their offsets, so an answer can quote the
// exact sentence it rests on.
package corpus

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// Article is one source document after parsing. Text is the readable body
// with paragraphs separated by a blank line; every offset in [Passage] and
// [Span] points into it.
type Article struct {
	// ID is the path relative to the corpus root, slash-separated, without
	// the extension: "rubio-calls-munir", "2025/05/strikes".
	ID string
	// Path is the path relative to the corpus root, with the extension.
	Path      string
	Title     string
	URL       string
	Source    string
	Author    string
	Published time.Time // zero when the article does not say
	Tags      []string
	AddedBy   string    // who added the article through crisisbot, if anyone
	AddedAt   time.Time // when it was added through crisisbot
	Text      string
	// Hash is the hex SHA-256 of the file's raw bytes; the index uses it to
	// re-embed only articles that changed.
	Hash string
	// Origin is the label sources.yaml gives the article's outlet
	// ("indian", "international"), set by [Load]; "" when unlabelled.
	Origin string
	// Modified is the file's modification time when it was loaded, zero
	// when the file system does not say: with AddedAt it tells what is
	// new in the corpus.
	Modified time.Time
}

// Span is a half-open byte range [Start, End) of an article's Text.
type Span struct {
	Start int
	End   int
}

// Passage is a run of consecutive sentences of one article: the unit that is
// embedded, ranked and cited.
type Passage struct {
	// ID is "<article id>#<index>", stable while the article is unchanged.
	ID        string
	ArticleID string
	Index     int
	Span      // offsets of the passage in the article's Text
	Text      string
	Sentences []Span // offsets in the article's Text, in order
	// Dates are the times the passage's sentences speak of, resolved
	// against the article's Published date, in order; offsets are in the
	// article's Text. The index stores them, so an answer or a timeline
	// never re-reads the text for them.
	Dates []SentenceDate
}

// SentenceDate is one date mention of a passage's sentence.
type SentenceDate struct {
	// Sentence is the index of the sentence in [Passage.Sentences].
	Sentence int
	EventDate
}

// FileError reports one file that could not be loaded; the rest of the
// corpus loads regardless.
type FileError struct {
	Path string // relative to the corpus root
	Err  error
}

// Error returns "path: reason", the path quoted by [QuotePath].
func (e *FileError) Error() string { return QuotePath(e.Path) + ": " + e.Err.Error() }

// Unwrap returns the reason, for [errors.Is] and [errors.As].
func (e *FileError) Unwrap() error { return e.Err }

// QuotePath returns p, a file name, path or article ID, as it may be shown:
// unchanged when every character of it is printable (a letter, mark,
// number, punctuation, symbol or plain space), and quoted with
// [strconv.Quote] otherwise, so that a name holding an escape sequence or a
// control character can neither rewrite a terminal nor break a message.
func QuotePath(p string) string {
	for _, r := range p {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return strconv.Quote(p)
		}
	}
	return p
}
