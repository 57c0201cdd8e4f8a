package corpus

import (
	"fmt"
	"path"
	"strings"
)

// ParseUpload reads an article handed over as a file — a local file for
// crisisbot add, an attachment on Discord — named name: Markdown, and text
// with front matter, as the corpus reads them; HTML through [ParsePage], which
// keeps the story and drops the page's furniture; text without front matter
// as it is, its first line the title.
func ParseUpload(name string, data []byte) (NewArticle, error) {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	kind := fileKind(base)
	if kind == kindMarkdown || (kind == kindText && opensWithFrontMatter(normalizeNewlines(string(trimBOM(data))))) {
		a, err := Parse(base, data)
		if err != nil {
			return NewArticle{}, err
		}
		return NewArticle{Title: a.Title, URL: a.URL, Source: a.Source, Author: a.Author, Published: a.Published, Text: a.Text, Tags: a.Tags}, nil
	}
	contentType := "text/html"
	switch kind {
	case kindText:
		contentType = "text/plain; charset=utf-8"
	case "":
		return NewArticle{}, fmt.Errorf("%s: want a .md, .txt or .html file", base)
	}
	page, err := ParsePage("", data, contentType)
	if err != nil {
		return NewArticle{}, err
	}
	return page.Article(), nil
}
