// Package answer answers questions from the retrieved passages — by quoting
// the best-supported source sentences, or through an LLM (behind a small
// chat-provider interface of ours) whose citations are checked. It knows
// nothing of Discord: bot/ and the terminal both render its [Answer].
package answer

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/retrieval"
)

// Answer modes, as reported in JSON output.
const (
	ModeExtractive = "extractive"
	ModeLLM        = "llm"
)

// NoAnswer is what the bot says when its sources do not answer a question.
const NoAnswer = "The sources I have don't answer that."

// Question is what a user asked, with the earlier turns of the conversation
// when it is a follow-up in a thread.
type Question struct {
	Text    string
	History []Turn // oldest first

	// disputed: a clause asking how the sides' accounts differ was set
	// aside from Text (see [withoutDispute]).
	disputed bool
}

// Turn is one earlier question and the answer the bot gave.
type Turn struct {
	Question string
	Answer   string
}

// Citation is one source an answer cites, numbered as the answer's [n]
// markers number it.
type Citation struct {
	N         int
	Article   string // article ID
	Title     string
	URL       string
	Published time.Time
	// Quote is the exact source sentence the cited claim rests on.
	Quote string
	// Source is the outlet (see [corpus.Article.Outlet]) and Origin the
	// label sources.yaml gives it, "" when unlabelled.
	Source string
	Origin string
}

// Attribution names the citation's source as every citation shows it:
// "Northern Ledger · Indian · 7 May 2025", leaving out what is unknown.
func (c Citation) Attribution() string { return corpus.Attribution(c.Source, c.Origin, c.Published) }

// Answer is the bot's reply to one question.
type Answer struct {
	Question  string
	Text      string
	Abstained bool
	Mode      string
	Citations []Citation
	// Support is the share of the question's weighted terms that the best
	// evidence sentence contains (extractive answers only): the quantity
	// the abstention threshold is set on.
	Support float64
	// Unknown is the question's word that made an extractive answerer
	// abstain because no source uses it, if that was the reason.
	Unknown string
	// Reason says why an extractive answerer refused: which check the
	// closest sentence failed ("it gives no number of soldiers").
	Reason string
	// Trace lists, for eval -v, the passages retrieved, the sentences
	// checked and why each was taken or refused.
	Trace []string
	// Notice tells the user something about how the answer was made, e.g.
	// that the LLM was unreachable and the answer is extractive instead.
	Notice string
	// Retrieved are the passages the answer was drawn from, best first,
	// cited or not: the journal keeps the nearest article of a refusal.
	// Empty when nothing was searched (a question about something no
	// source mentions).
	Retrieved []retrieval.Hit
}

// Answerer answers one question. onPartial, when not nil, receives the answer
// text so far as it is written (only streaming answerers call it).
type Answerer interface {
	Answer(ctx context.Context, q Question, onPartial func(text string)) (Answer, error)
}

// IndexSource gives the index now serving; [retrieval.Library] is one. An
// answerer asks for it once per question, so a reload mid-question cannot
// mix two indexes in one answer.
type IndexSource interface {
	Current() *retrieval.Index
}

// CleanQuestion removes what is Discord or terminal syntax rather than
// words: user, role and channel mentions (the IDs would read as words no
// source uses), ANSI escape sequences, and control and zero-width
// characters. Discord and the terminal clean questions the same way.
func CleanQuestion(q string) string {
	q = discordTokenRE.ReplaceAllString(q, " ")
	q = ansiRE.ReplaceAllString(q, "")
	q = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, q)
	return strings.Join(strings.Fields(q), " ")
}

var (
	discordTokenRE = regexp.MustCompile(`<(?:@[!&]?|#)\d+>`)
	ansiRE         = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]`)
)
