package bot

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/crisisbot/crisisbot/answer"
)

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// checkParts asserts the splitter's promises: no part over the limit,
// nothing lost or duplicated, and no marker or link cut in two.
func checkParts(tb testing.TB, text string, parts []string, limit int) {
	tb.Helper()
	text = strings.ToValidUTF8(text, "\uFFFD") // as SplitMessage sees it
	for i, p := range parts {
		if n := discordLen(p); n > limit {
			tb.Fatalf("part %d is %d long, limit %d", i, n, limit)
		}
		if strings.TrimSpace(p) == "" {
			tb.Fatalf("part %d is empty", i)
		}
	}
	if got, want := stripSpace(strings.Join(parts, "")), stripSpace(text); got != want {
		tb.Fatalf("joined parts differ from the text:\n got %q\nwant %q", got, want)
	}
	// A protected span of the text must appear whole in one part, unless it
	// is itself longer than the limit.
	for _, loc := range protectedRE.FindAllStringIndex(text, -1) {
		span := text[loc[0]:loc[1]]
		if discordLen(span) > limit {
			continue
		}
		found := false
		for _, p := range parts {
			if strings.Contains(p, span) {
				found = true
				break
			}
		}
		if !found {
			tb.Fatalf("%q was cut across parts %q", span, parts)
		}
	}
}

func TestSplitMessage(t *testing.T) {
	sentence := "Rubio spoke with Munir on Friday [1]. "
	tests := []struct {
		name  string
		text  string
		limit int
		parts int
	}{
		{"short", "Hello [1].", 2000, 1},
		{"empty", "  ", 2000, 0},
		{"paragraphs", strings.Repeat("para one [1].\n\n", 300), 2000, 3},
		{"sentences", strings.Repeat(sentence, 120), 2000, 3},
		{"one long word", strings.Repeat("x", 4500), 2000, 3},
		{"markers near the cut", strings.Repeat("ab [12] ", 600), 50, 0},
		{"links", strings.Repeat("[1] [A title](<https://example.com/a/b>) — 10 May 2025\n", 60), 200, 0},
		{"wide runes", strings.Repeat("😀 ", 1500), 2000, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := SplitMessage(tt.text, tt.limit)
			checkParts(t, tt.text, parts, tt.limit)
			if tt.parts > 0 && len(parts) != tt.parts {
				t.Errorf("%d parts, want %d", len(parts), tt.parts)
			}
		})
	}
}

func TestSplitMessagePrefersBoundaries(t *testing.T) {
	para := strings.Repeat("word ", 300) + "end."
	parts := SplitMessage(para+"\n\n"+para, 2000)
	if len(parts) != 2 || !strings.HasSuffix(parts[0], "end.") {
		t.Errorf("did not cut at the paragraph break: %d parts, first ends %q", len(parts), parts[0][len(parts[0])-10:])
	}
	s := strings.Repeat("This is a sentence [1]. ", 100)
	for _, p := range SplitMessage(s, 500) {
		if !strings.HasSuffix(p, "[1].") {
			t.Errorf("part does not end at a sentence: %q", p[len(p)-20:])
		}
	}
}

func TestRenderAnswer(t *testing.T) {
	cites := []answer.Citation{
		{N: 1, Article: "rubio", Title: "Rubio [calls] Munir", URL: "https://example.com/r", Published: time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC), Quote: "Rubio spoke with Munir."},
		{N: 2, Article: "no-url", Title: "Untitled wire", Quote: "Another sentence."},
	}
	t.Run("fits in one", func(t *testing.T) {
		parts := RenderAnswer(answer.Answer{Text: "Rubio spoke with Munir [1][2].", Citations: cites}, MessageLimit)
		if len(parts) != 1 {
			t.Fatalf("%d parts, want 1", len(parts))
		}
		for _, want := range []string{"[1] 10 May 2025 · [Rubio (calls) Munir](<https://example.com/r>)\n> Rubio spoke with Munir.", "[2] Untitled wire\n> Another sentence."} {
			if !strings.Contains(parts[0], want) {
				t.Errorf("missing %q in\n%s", want, parts[0])
			}
		}
	})
	t.Run("long answer keeps sources last", func(t *testing.T) {
		text := strings.Repeat("Rubio spoke with Munir on Friday [1]. ", 150)
		parts := RenderAnswer(answer.Answer{Text: text, Citations: cites, Notice: "Fallback."}, MessageLimit)
		if len(parts) < 3 {
			t.Fatalf("%d parts, want at least 3", len(parts))
		}
		if !strings.HasPrefix(parts[0], "_Fallback._") {
			t.Errorf("notice not first: %q", parts[0][:20])
		}
		last := parts[len(parts)-1]
		if !strings.Contains(last, "**Sources**") {
			t.Errorf("sources not in the last part")
		}
		for _, p := range parts[:len(parts)-1] {
			if strings.Contains(p, "**Sources**") {
				t.Errorf("sources before the last part")
			}
		}
		for _, p := range parts {
			if discordLen(p) > MessageLimit {
				t.Errorf("part of %d characters", discordLen(p))
			}
		}
	})
}

func FuzzSplitMessage(f *testing.F) {
	for _, s := range []string{
		"A claim [1]. Another [2][3].\n\nNew paragraph.",
		"[1] [Title](<https://example.com/x>) — 10 May 2025\n> quote",
		strings.Repeat("x", 100),
		"😀😀😀 [12] 😀",
	} {
		f.Add(s, 40)
	}
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 0 {
			limit = -limit
		}
		limit = limit%2000 + 30
		checkParts(t, strings.TrimSpace(s), SplitMessage(s, limit), limit)
	})
}
