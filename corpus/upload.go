package corpus

import (
	"fmt"
	"path"
	"strings"
)

// ParseUpload reads an article handed over as a file — a local file for
// crisisbot add, an attachment on Discord — named name. Markdown, HTML and
// text with front matter are read exactly as [Parse] reads the files of
// the corpus, so a file gives the same article whether it is copied into
// the corpus directory or added; text without front matter is read as
// [ParsePage] reads plain text, its first line the title. HTML and plain
// text of fewer than [MinArticleChars] characters are refused, as a
// fetched page is.
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
		return checkLength(extractText(normalizeNewlines(string(trimBOM(data)))))
	}
	a, err := Parse(base, data)
	if err != nil {
		return Page{}, err
	}
	page := Page{Title: a.Title, URL: a.URL, Source: a.Source, Author: a.Author, Published: a.Published, Tags: a.Tags, Text: a.Text}
	if kind == kindHTML {
		return checkLength(page)
	}
	return page, nil
}
