package corpus

import (
	"crypto/sha256"
	"strings"
	"testing"
)

// TestTextSumIsTheNormalisedText: the duplicate check's streamed sum is the
// sum of the text with white space collapsed and letters lower-cased,
// however the text is spaced, cased or written.
func TestTextSumIsTheNormalisedText(t *testing.T) {
	for _, text := range []string{
		"", " ", "One", "  Two  words \n\n and\tmore ",
		"Ünïcödé İstanbul ΣΊΣΥΦΟΣ\u00a0non-breaking\u0085next\u2003em",
		strings.Repeat("A long text of many WORDS, ", 800),
		strings.Repeat("ü", 5000) + " end",
		"invalid \xff bytes \xc3 and\xe2\x80 TAILS\xc3",
	} {
		want := sha256.Sum256([]byte(strings.ToLower(strings.Join(strings.Fields(text), " "))))
		if got := textSum(text); got != want {
			t.Errorf("textSum(%.40q) differs from the sum of the normalised text", text)
		}
	}
}
