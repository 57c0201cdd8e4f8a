package feeds

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxAnnounce is the most characters of an announcement: Discord's limit
// on a message's content.
const maxAnnounce = 2000

// Announcement is the message for the announce channel about the articles
// a poll saved — "3 new articles:" then a line each with title, outlet and
// link — or "" when it saved none. Links are in <...>, so Discord shows no
// previews; lines that would pass Discord's 2,000-character limit are
// replaced by a count.
func Announcement(rep Report) string {
	n := len(rep.Arrived)
	if n == 0 {
		return ""
	}
	var b strings.Builder
	if n == 1 {
		b.WriteString("1 new article:")
	} else {
		fmt.Fprintf(&b, "%d new articles:", n)
	}
	for i, a := range rep.Arrived {
		line := "\n• " + oneLine(a.Article.Title, 200)
		if a.Article.Source != "" {
			line += " — " + oneLine(a.Article.Source, 80)
		}
		if a.Article.URL != "" {
			line += " <" + a.Article.URL + ">"
		}
		if a.SummaryOnly {
			line += " (summary only)"
		}
		more := fmt.Sprintf("\n…and %d more.", n-i)
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(line)+len(more) > maxAnnounce {
			b.WriteString(more)
			break
		}
		b.WriteString(line)
	}
	return b.String()
}

// oneLine collapses s to one line of at most n characters, with Discord's
// markdown and mention characters defused so a title cannot ping anyone.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.NewReplacer("@", "@\u200b", "<", "‹", ">", "›", "*", `\*`, "_", `\_`, "`", "'", "~", `\~`, "|", `\|`).Replace(s)
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
