package answer

import (
	"regexp"
	"strconv"
	"strings"
)

// Missing says, in words for the asker, what the sources lacked when a is
// a refusal whose reason is known: "no source mentions “pact”" when the
// question names something no article uses, or what the closest passage
// failed to hold ("the closest passage gives no number of soldiers"). It
// is "" when a is no refusal, or its reason says nothing a reader could act
// on (a share of words below a threshold, a model declining).
//
// The reasons are the extractive answerer's own, kept for eval -v in
// [Answer.Reason]; Missing reads only the forms it knows, so a reason
// worded otherwise gives "", never a garbled sentence.
func (a Answer) Missing() string {
	if !a.Abstained {
		return ""
	}
	if a.Unknown != "" {
		return "no source mentions " + curlyQuote(a.Unknown)
	}
	for _, m := range reasonRE.FindAllStringSubmatch(a.Reason, -1) {
		if m[1] == "" {
			return "no passage matched the question"
		}
		if fail := readableFail(m[1]); fail != "" {
			return "the closest passage " + fail
		}
	}
	return ""
}

// noPassageReason is the reason given when retrieval found nothing.
const noPassageReason = "no passage was retrieved"

// reasonRE matches one part's reason in [Answer.Reason], where the parts
// of a question joined by "and" are separated by "; ". The article ID in
// parentheses is left out of what the asker reads: it is a file path.
var reasonRE = regexp.MustCompile(`(?:^|; )(?:the closest sentence \(.*?\) does not answer: it ([^;]+)|` + noPassageReason + `)`)

// failForms are the failed checks worth telling the asker, as the
// extractive answerer words them after "it ".
var failForms = regexp.MustCompile(`^(does not mention "(?:[^"\\]|\\.)*"|does not say what the .+ said|does not say "(?:[^"\\]|\\.)*"|gives no .+|is not about .+)$`)

// goQuotedRE matches a Go-quoted string, as %q writes one.
var goQuotedRE = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// readableFail returns fail (a check's failure after "it ") for a reader,
// its quoted words in curly quotes, or "" when it is no form worth telling.
func readableFail(fail string) string {
	// "does not say "reopen" or a word like it": the quoted verb is what
	// matters; the rest is the checker's hedge.
	fail = strings.TrimSuffix(strings.TrimSpace(fail), " or a word like it")
	if !failForms.MatchString(fail) {
		return ""
	}
	return goQuotedRE.ReplaceAllStringFunc(fail, func(q string) string {
		s, err := strconv.Unquote(q)
		if err != nil {
			return q
		}
		return curlyQuote(s)
	})
}

// curlyQuote sets s in typographic quotes, as the bot's messages quote.
func curlyQuote(s string) string { return "“" + s + "”" }
