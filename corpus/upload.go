package corpus

import (
	"bytes"
	"fmt"
	"path"
	"strings"
)

// Article returns the new article an extracted page describes, ready for
// [Store.Add].
func (p Fetched) Article() NewArticle {
	return NewArticle{Title: p.Title, URL: p.URL, Source: p.Source, Author: p.Author, Published: p.Published, Text: p.Text}
}

// ParseUpload reads an article handed over as a file — a local file for
// crisisbot add, an attachment on Discord — named name: Markdown, and text
// with front matter, as the corpus reads them; HTML through [Extract], which
// keeps the story and drops the page's furniture; text without front matter
// as it is, its first line the title.
func ParseUpload(name string, data []byte) (NewArticle, error) {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	switch ext := strings.ToLower(path.Ext(base)); {
	case ext == ".md" || ext == ".markdown" || (ext == ".txt" && hasFrontMatterLine(data)):
		a, err := Parse(base, data)
		if err != nil {
			return NewArticle{}, err
		}
		return NewArticle{Title: a.Title, URL: a.URL, Source: a.Source, Author: a.Author, Published: a.Published, Text: a.Text, Tags: a.Tags}, nil
	case ext == ".txt":
		page, err := Extract("", data, "text/plain; charset=utf-8")
		if err != nil {
			return NewArticle{}, err
		}
		return page.Article(), nil
	case ext == ".html" || ext == ".htm":
		page, err := Extract("", data, "text/html")
		if err != nil {
			return NewArticle{}, err
		}
		return page.Article(), nil
	}
	return NewArticle{}, fmt.Errorf("%s: want a .md, .txt or .html file", base)
}

// hasFrontMatterLine reports whether data opens with a "---" line.
func hasFrontMatterLine(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	return string(bytes.TrimRight(first, " \t\r")) == "---"
}
