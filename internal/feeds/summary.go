package feeds

import (
	"strings"

	"golang.org/x/net/html"
)

// maxSummary bounds a summary kept as an article: a feed's summary is a
// paragraph or two, and one that is not should not stand in for a page.
const maxSummary = 20000

// summaryText returns the plain text of a feed item's summary or content,
// which may be HTML or plain text: tags dropped, entities decoded, block
// elements and line breaks turned into paragraph breaks.
func summaryText(s string) string {
	if len(s) > maxSummary {
		s = s[:maxSummary]
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidy(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			tt := z.Token().Type
			switch string(name) {
			case "script", "style":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr":
				b.WriteString("\n\n")
			}
		}
	}
}

// tidy collapses the white space within each paragraph of s and drops
// empty paragraphs.
func tidy(s string) string {
	var paras []string
	for p := range strings.SplitSeq(strings.ReplaceAll(s, "\r", ""), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}
