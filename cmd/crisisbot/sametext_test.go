package main

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSameTextEveryPath: one text is accepted or refused the same way
// whether it comes as Markdown, plain text or HTML, and whether it is
// added with `add` or found by `index` in the corpus directory.
func TestSameTextEveryPath(t *testing.T) {
	bodies := []struct {
		name, text string
	}{
		{"report", "Pakistani artillery shelled Poonch for most of Wednesday, officials said. Twelve civilians were killed and dozens wounded as families sheltered in bunkers. The army said it had returned fire along the Line of Control and that its posts had not been hit."},
		{"stub", "Subscribe to read."},
		{"empty", ""},
	}
	formats := []struct {
		ext    string
		render func(title, body string) string
	}{
		{".md", func(title, body string) string { return "---\ntitle: " + title + "\n---\n" + body + "\n" }},
		{".txt", func(title, body string) string { return title + "\n\n" + body + "\n" }},
		{".html", func(title, body string) string {
			return "<html><head><title>" + html.EscapeString(title) + "</title></head><body><article><h1>" + html.EscapeString(title) + "</h1><p>" + html.EscapeString(body) + "</p></article></body></html>"
		}},
	}
	for _, b := range bodies {
		verdicts := map[string]bool{}
		for _, f := range formats {
			title := "Shelling in Poonch " + strings.TrimPrefix(f.ext, ".")
			content := f.render(title, b.text)

			corpusDir, dataDir, getenv := addTestEnv(t)
			_, addErr := runSub(t, addCmd, getenv, "--corpus", corpusDir, "--data", dataDir, writeAddFile(t, "poonch"+f.ext, content))
			verdicts["add "+f.ext] = addErr == nil

			corpusDir, dataDir, _ = addTestEnv(t)
			if err := os.WriteFile(filepath.Join(corpusDir, "poonch"+f.ext), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			verdicts["index "+f.ext] = indexedIDs(t, corpusDir, dataDir)["poonch"]
		}
		for _, f := range formats {
			if verdicts["add "+f.ext] != verdicts["index "+f.ext] {
				t.Errorf("%s text as %s: add and index differ: %v", b.name, f.ext, describe(verdicts))
			}
			// A title alone is what the formats hold differently (front
			// matter, a first line, a heading); any text with a body is
			// taken or refused alike in every format.
			if b.text != "" && verdicts["add "+f.ext] != verdicts["add .md"] {
				t.Errorf("%s text: formats differ: %v", b.name, describe(verdicts))
			}
		}
	}
}

func describe(v map[string]bool) string {
	var parts []string
	for _, k := range []string{"add .md", "index .md", "add .txt", "index .txt", "add .html", "index .html"} {
		parts = append(parts, fmt.Sprintf("%s=%v", k, v[k]))
	}
	return strings.Join(parts, " ")
}
