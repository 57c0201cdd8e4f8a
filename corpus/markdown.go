package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// markdownText turns a Markdown body into an article's Text and returns the
// text of its first level-one heading, if any. It is a reader for prose, not
// a full CommonMark implementation: headings, emphasis, links, images, code,
// quotes, lists, tables, rules and HTML comments are handled well enough to
// leave clean sentences behind.
//
// Paragraphs are separated by blank lines, as in Markdown; in addition a line
// that ends a sentence ends its paragraph when the next line starts a new
// sentence, so files written one paragraph per line (the seed articles) keep
// their paragraphs, while hard-wrapped prose still reads as one paragraph.
func markdownText(body string) (text, heading string) {
	body = stripHTMLComments(body)
	var (
		w     paraWriter
		para  []string // lines of the paragraph being read
		fence string   // the fence of the open code block, or ""
	)
	flush := func() {
		if len(para) > 0 {
			w.para()
			w.write(mdInline(strings.Join(para, "\n")))
			w.para()
			para = para[:0]
		}
	}
	block := func(s string) {
		flush()
		w.para()
		w.write(mdInline(s))
		w.para()
	}
	for line := range strings.Lines(body) {
		line = strings.TrimSuffix(line, "\n")
		if fence != "" {
			if t := strings.TrimSpace(line); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
				w.para()
				continue
			}
			w.write(line)
			w.wordBreak()
			continue
		}
		t := trimIndent(line)
		for strings.HasPrefix(t, ">") { // block quotes read as plain paragraphs
			t = trimIndent(strings.TrimPrefix(t[1:], " "))
		}
		switch {
		case strings.TrimSpace(t) == "":
			flush()
		case codeFence(t) != "":
			flush()
			fence = codeFence(t)
			w.para()
		case len(para) > 0 && setextUnderline(t) != 0:
			h := strings.Join(para, " ")
			para = para[:0]
			if setextUnderline(t) == 1 && heading == "" {
				heading = collapseSpace(mdInline(h))
			}
			block(h)
		case thematicBreak(t):
			flush()
		default:
			if level, h, ok := atxHeading(t); ok {
				if level == 1 && heading == "" {
					heading = collapseSpace(mdInline(h))
				}
				block(h)
			} else if item, ok := listItem(t); ok {
				flush()
				para = append(para, item)
			} else if strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "[^") && linkDefinition(t) {
				flush()
			} else if strings.HasPrefix(t, "|") {
				if row := tableRow(t); row != "" {
					block(row)
				}
			} else {
				if len(para) > 0 && lineEndsSentence(para[len(para)-1], t) {
					flush()
				}
				para = append(para, t)
			}
		}
	}
	flush()
	return w.String(), heading
}

// trimIndent removes up to three leading spaces, the indentation Markdown
// allows before a block marker.
func trimIndent(s string) string {
	for i := 0; i < 3 && strings.HasPrefix(s, " "); i++ {
		s = s[1:]
	}
	return s
}

// stripHTMLComments removes <!-- ... --> comments; an unclosed comment runs
// to the end, as in Markdown.
func stripHTMLComments(s string) string {
	if !strings.Contains(s, "<!--") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i+4:], "-->")
		if j < 0 {
			return b.String()
		}
		b.WriteString(" ")
		s = s[i+4+j+3:]
	}
}

// codeFence returns the fence ("```" or "~~~", possibly longer) that opens a
// fenced code block on line t, or "".
func codeFence(t string) string {
	for _, c := range "`~" {
		n := 0
		for n < len(t) && rune(t[n]) == c {
			n++
		}
		if n >= 3 {
			if c == '`' && strings.Contains(t[n:], "`") {
				return "" // an inline code span, not a fence
			}
			return t[:n]
		}
	}
	return ""
}

// setextUnderline returns 1 for a line of "=" and 2 for a line of "-", which
// turn the paragraph above them into a heading, and 0 otherwise.
func setextUnderline(t string) int {
	t = strings.TrimSpace(t)
	switch {
	case t == "":
		return 0
	case strings.Trim(t, "=") == "":
		return 1
	case strings.Trim(t, "-") == "":
		return 2
	}
	return 0
}

// thematicBreak reports whether t is a horizontal rule: three or more "*",
// "-" or "_", possibly spaced.
func thematicBreak(t string) bool {
	t = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, t)
	return len(t) >= 3 && (strings.Trim(t, "*") == "" || strings.Trim(t, "-") == "" || strings.Trim(t, "_") == "")
}

// atxHeading parses a "# Heading #" line.
func atxHeading(t string) (level int, text string, ok bool) {
	for level < len(t) && t[level] == '#' {
		level++
	}
	if level == 0 || level > 6 || (level < len(t) && t[level] != ' ' && t[level] != '\t') {
		return 0, "", false
	}
	text = strings.TrimSpace(t[level:])
	if closing := strings.TrimRight(text, "#"); closing == "" {
		text = ""
	} else if strings.HasSuffix(closing, " ") || strings.HasSuffix(closing, "\t") {
		text = strings.TrimSpace(closing)
	}
	return level, text, true
}

// listItem returns the text of a bullet ("- ", "* ", "+ ") or numbered
// ("1. ", "2) ") list item, without the marker or a task box.
func listItem(t string) (string, bool) {
	n := 0
	switch {
	case t == "":
		return "", false
	case t[0] == '-' || t[0] == '*' || t[0] == '+':
		n = 1
	default:
		for n < len(t) && n < 9 && t[n] >= '0' && t[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(t) || (t[n] != '.' && t[n] != ')') {
			return "", false
		}
		n++
	}
	if n < len(t) && t[n] != ' ' && t[n] != '\t' {
		return "", false
	}
	item := strings.TrimSpace(t[n:])
	for _, box := range []string{"[ ] ", "[x] ", "[X] "} {
		item = strings.TrimPrefix(item, box)
	}
	return item, true
}

// linkDefinition reports whether t is a link reference definition,
// "[label]: https://...", which is not text.
func linkDefinition(t string) bool {
	end := strings.Index(t, "]:")
	return end > 1 && !strings.Contains(t[1:end], "]")
}

// tableRow returns the cells of a table row joined by "; ", or "" for the
// delimiter row under the header.
func tableRow(t string) string {
	t = strings.TrimSpace(t)
	t = strings.TrimPrefix(t, "|")
	t = strings.TrimSuffix(t, "|")
	if strings.Trim(t, "|-: \t") == "" {
		return ""
	}
	var cells []string
	for c := range strings.SplitSeq(t, "|") {
		if c = strings.TrimSpace(c); c != "" {
			cells = append(cells, c)
		}
	}
	return strings.Join(cells, "; ")
}

// lineEndsSentence reports whether prev ends with a sentence that next does
// not continue: "...failed." followed by "State Department said...".
func lineEndsSentence(prev, next string) bool {
	prev = strings.TrimRightFunc(prev, unicode.IsSpace)
	i := len(prev)
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(prev[:i])
		if !isCloser(r) {
			break
		}
		i -= n
	}
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(prev[:j])
		if !isTerminator(r) {
			break
		}
		j -= n
	}
	if j == i {
		return false
	}
	s := prev + "\n" + strings.TrimLeft(strings.TrimSpace(next), "*_")
	end, ok := sentenceEnd(s, j)
	return ok && end == len(prev)
}

// maxCodeSpan bounds the search for the end of an inline code span, keeping
// [mdInline] linear on text full of stray backticks.
const maxCodeSpan = 1000

// mdInline removes inline Markdown from one paragraph: emphasis markers,
// link targets (keeping the link text), images, code-span backticks,
// inline HTML tags and backslash escapes, then decodes HTML entities.
func mdInline(s string) string {
	brackets := matchPairs(s, '[', ']')
	parens := matchPairs(s, '(', ')')
	// link returns where the text of the link opened at s[i] ends, and
	// where the whole link ends.
	link := func(i int) (textEnd, end int, ok bool) {
		textEnd = brackets[i]
		if textEnd < 0 || textEnd+1 >= len(s) {
			return 0, 0, false
		}
		switch s[textEnd+1] {
		case '(':
			if c := parens[textEnd+1]; c >= 0 {
				return textEnd, c + 1, true
			}
		case '[':
			if c := brackets[textEnd+1]; c >= 0 {
				return textEnd, c + 1, true
			}
		}
		return 0, 0, false
	}
	type pending struct{ at, resume int } // the text of a link ends at at; skip to resume
	var (
		b     strings.Builder
		links []pending
	)
	for i := 0; i < len(s); {
		if n := len(links); n > 0 && i >= links[n-1].at {
			i = max(i, links[n-1].resume)
			links = links[:n-1]
			continue
		}
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (isASCIIPunct(s[i+1]) || s[i+1] == '\n'):
			b.WriteByte(s[i+1])
			i += 2
		case c == '`':
			n := runLen(s, i, '`')
			if end := closingRun(s, i+n, n); end >= 0 {
				b.WriteString(s[i+n : end])
				i = end + n
			} else {
				b.WriteString(s[i : i+n])
				i += n
			}
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if _, end, ok := link(i + 1); ok {
				b.WriteByte(' ')
				i = end
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '[':
			if textEnd, end, ok := link(i); ok {
				links = append(links, pending{textEnd, end})
			} else {
				b.WriteByte(c)
			}
			i++
		case c == '<':
			if end, keep, ok := angleTag(s, i); ok {
				b.WriteString(keep)
				i = end
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '*' || c == '_' || c == '~':
			n := runLen(s, i, c)
			if !emphasisRun(s, i, n) {
				b.WriteString(s[i : i+n])
			}
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return html.UnescapeString(b.String())
}

// matchPairs returns, for every index of s holding open, the index of the
// matching close (or -1), skipping backslash-escaped characters. It runs in
// one pass with a stack.
func matchPairs(s string, open, close byte) []int {
	match := make([]int, len(s))
	var stack []int
	for i := 0; i < len(s); i++ {
		match[i] = -1
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				match[i] = -1
			}
		case open:
			stack = append(stack, i)
		case close:
			if n := len(stack); n > 0 {
				match[stack[n-1]] = i
				stack = stack[:n-1]
			}
		}
	}
	return match
}

// runLen returns how many bytes c repeat from s[i].
func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// closingRun returns the index of the next run of exactly n backticks at or
// after from, looking no further than [maxCodeSpan] bytes, or -1.
func closingRun(s string, from, n int) int {
	limit := min(len(s), from+maxCodeSpan)
	for j := from; j < limit; {
		if s[j] != '`' {
			j++
			continue
		}
		m := runLen(s, j, '`')
		if m == n {
			return j
		}
		j += m
	}
	return -1
}

// emphasisRun reports whether the run of n "*", "_" or "~" at s[i] marks
// emphasis (to be dropped) rather than standing for itself, as in "2 * 3",
// "snake_case" or "~5 km".
func emphasisRun(s string, i, n int) bool {
	if s[i] == '~' && n < 2 {
		return false
	}
	prev, next := ' ', ' '
	if i > 0 {
		prev, _ = utf8.DecodeLastRuneInString(s[:i])
	}
	if i+n < len(s) {
		next, _ = utf8.DecodeRuneInString(s[i+n:])
	}
	if unicode.IsSpace(prev) && unicode.IsSpace(next) {
		return false
	}
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return !alnum(prev) || !alnum(next)
}

// angleTag recognises an autolink "<https://...>", whose address is kept,
// or an inline HTML tag "<b>", "</span>", "<br/>", which is dropped. It
// returns where the tag ends and the text to keep.
func angleTag(s string, i int) (end int, keep string, ok bool) {
	const maxTag = 300
	j := i + 1
	for j < len(s) && j-i < maxTag && s[j] != '>' && s[j] != '<' && s[j] != '\n' {
		j++
	}
	if j >= len(s) || s[j] != '>' {
		return 0, "", false
	}
	inner := s[i+1 : j]
	switch {
	case strings.HasPrefix(inner, "http://"), strings.HasPrefix(inner, "https://"), strings.HasPrefix(inner, "mailto:"):
		if strings.ContainsAny(inner, " \t") {
			return 0, "", false
		}
		return j + 1, inner, true
	case inner == "":
		return 0, "", false
	}
	name := strings.TrimPrefix(inner, "/")
	r, _ := utf8.DecodeRuneInString(name)
	if r >= utf8.RuneSelf || !unicode.IsLetter(r) {
		return 0, "", false
	}
	if tag := strings.ToLower(strings.TrimRight(strings.Fields(name + " ")[0], "/")); tag == "br" || tag == "p" || tag == "div" {
		return j + 1, " ", true
	}
	return j + 1, "", true
}

// isASCIIPunct reports whether c is ASCII punctuation, which a backslash
// escapes in Markdown.
func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}
