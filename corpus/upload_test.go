package corpus_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/crisisbot/crisisbot/corpus"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

func TestParseUpload(t *testing.T) {
	const fm = "---\ntitle: Ceasefire holds\nurl: https://example.com/a\n---\nGuns fell silent along the Line of Control on Saturday night.\n"
	tests := []struct {
		name, file, data string
		wantTitle        string
		wantErr          string
	}{
		{"markdown", "a.md", fm, "Ceasefire holds", ""},
		{"text with front matter", "a.txt", fm, "Ceasefire holds", ""},
		{"text with front matter, CRLF", "a.txt", strings.ReplaceAll(fm, "\n", "\r\n"), "Ceasefire holds", ""},
		// Old Mac line endings: the front matter is still front matter.
		{"text with front matter, CR", "a.txt", strings.ReplaceAll(fm, "\n", "\r"), "Ceasefire holds", ""},
		{"text with front matter and BOM", "a.txt", "\xef\xbb\xbf" + fm, "Ceasefire holds", ""},
		{"plain text", "notes.txt", "Ceasefire holds\n\nGuns fell silent along the Line of Control on Saturday night, officials said, as residents of Uri and Poonch returned to their homes for the first time in days.\n\nThe agreement was announced on Saturday afternoon by both governments.\n", "Ceasefire holds", ""},
		{"html", "page.html", "<html><head><title>Ceasefire holds</title></head><body><article><p>Guns fell silent along the Line of Control on Saturday night, officials in Srinagar said, as residents of Uri and Poonch returned to their homes for the first time in days.</p><p>The agreement was announced on Saturday afternoon by both governments after talks between their military operations chiefs.</p></article></body></html>", "Ceasefire holds", ""},
		{"windows path", `C:\Users\me\a.md`, fm, "Ceasefire holds", ""},
		{"unsupported", "a.pdf", "%PDF-1.4", "", "a.pdf: unsupported file type: want a .md, .txt or .html file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := corpus.ParseUpload(tt.file, []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				if msg, _ := usererr.Message(err); msg != "That file is not a .md, .txt or .html article." {
					t.Errorf("message for people %q", msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.wantTitle {
				t.Errorf("title %q, want %q", a.Title, tt.wantTitle)
			}
			if strings.Contains(a.Text, "---") || strings.Contains(a.Text, "title:") {
				t.Errorf("front matter leaked into the text: %q", a.Text)
			}
			if !strings.Contains(a.Text, "Guns fell silent") {
				t.Errorf("text %q lacks the story", a.Text)
			}
		})
	}
}

// TestParseUploadRefusesBinary: a file handed over for adding gets the
// checks a corpus file gets, whatever its name says.
func TestParseUploadRefusesBinary(t *testing.T) {
	story := strings.Repeat("The ceasefire held through the night along the Line of Control. ", 5)
	for _, tt := range []struct {
		name, data string
		wantIs     error
	}{
		{"photo.html", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + story, corpus.ErrBinary},
		{"notes.txt", "\x01\x02\x03\x04\x05\x06\x07" + story, corpus.ErrBinary},
		{"notes.txt", "Caf\xe9 talks\n\n" + story, corpus.ErrEncoding},
		{"page.html", "<p>Caf\xe9 " + story + "</p>", corpus.ErrEncoding},
		{"story.md", "# Talks\n\n" + story + "\x00", corpus.ErrBinary},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page, err := corpus.ParseUpload(tt.name, []byte(tt.data))
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("ParseUpload = %q, %v; want an error wrapping %v", page.Text, err, tt.wantIs)
			}
			if msg, ok := usererr.Message(err); !ok || !strings.HasPrefix(msg, "That file is not") {
				t.Errorf("message for people %q", msg)
			}
		})
	}
}
