package corpus

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// ParseUpload reads an article handed over as a file — a local file for
// crisisbot add, an attachment on Discord — named name. Markdown, HTML and
// text with front matter are read exactly as [Parse] reads the files of
// the corpus, so a file gives the same article whether it is copied into
// the corpus directory or added; text without front matter is read as
// [ParsePage] reads plain text, its first line the title (add saves it with
// front matter, so the corpus then reads the same). A file is
// accepted or refused as the index would accept or refuse it, whatever its
// format: the length check that catches paywalls and stubs is for fetched
// pages, which nobody chose line by line; a short file someone chose to add
// is theirs to judge, as it is when they copy it into the corpus.
func ParseUpload(name string, data []byte) (Page, error) {
	page, err := parseUpload(name, data)
	return page, explain(err, "file")
}

// parseUpload is [ParseUpload] without the messages for people.
func parseUpload(name string, data []byte) (Page, error) {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	kind := fileKind(base)
	if kind == "" {
		return Page{}, fmt.Errorf("%s: %w: want a .md, .txt or .html file", base, ErrUnsupported)
	}
	if kind == kindText && !opensWithFrontMatter(normalizeNewlines(string(trimBOM(data)))) {
		if err := checkText(data); err != nil {
			return Page{}, err
		}
		page := extractText(normalizeNewlines(string(trimBOM(data))))
		if strings.TrimSpace(page.Text) == "" {
			return Page{}, ErrNoText
		}
		page.Length = utf8.RuneCountInString(page.Text)
		return page, nil
	}
	a, err := Parse(base, data)
	if err != nil {
		return Page{}, err
	}
	page := Page{Title: a.Title, URL: a.URL, Source: a.Source, Author: a.Author, Published: a.Published, Tags: a.Tags, Text: a.Text}
	page.Length = utf8.RuneCountInString(page.Text)
	return page, nil
}
