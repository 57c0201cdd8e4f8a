package corpus_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

// v2Corpus is the shared evaluation corpus, beside the repository.
const v2Corpus = "../../shared/eval/v2/corpus"

// loadV2 loads the shared evaluation corpus, or skips the test when it is
// absent.
func loadV2(tb testing.TB) []corpus.Article {
	tb.Helper()
	if _, err := os.Stat(v2Corpus); err != nil {
		tb.Skipf("no shared evaluation corpus: %v", err)
	}
	res, err := corpus.LoadDir(context.Background(), v2Corpus, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return res.Articles
}

// describeDate renders one mention for a golden file.
func describeDate(text string, d corpus.EventDate) string {
	var flags []string
	flags = append(flags, d.Precision.String())
	if d.Relative {
		flags = append(flags, "relative")
	}
	if !d.YearKnown {
		flags = append(flags, "no year")
	}
	if d.Part != "" {
		flags = append(flags, "part="+d.Part)
	}
	return fmt.Sprintf("%q → %s [%s] %s..%s", text[d.Start:d.End], d, strings.Join(flags, " "),
		d.From.Format("2006-01-02"), d.To.Format("2006-01-02"))
}

// TestExtractDatesV2 resolves the dates of every sentence of the shared
// evaluation corpus against its article's published date and compares them
// with testdata/dates.golden, which is read by eye for errors.
func TestExtractDatesV2(t *testing.T) {
	var b strings.Builder
	for _, a := range loadV2(t) {
		fmt.Fprintf(&b, "## %s, published %s\n", a.ID, a.Published.Format("Monday 2006-01-02"))
		for _, sp := range corpus.SplitSentences(a.Text) {
			sentence := a.Text[sp.Start:sp.End]
			dates := corpus.ExtractDates(sentence, a.Published)
			if len(dates) == 0 {
				continue
			}
			fmt.Fprintf(&b, "> %s\n", strings.ReplaceAll(sentence, "\n", " "))
			for _, d := range dates {
				fmt.Fprintf(&b, "    %s\n", describeDate(sentence, d))
			}
		}
		b.WriteString("\n")
	}
	golden(t, "dates.golden", []byte(b.String()))
}

var _ = time.Time{}
