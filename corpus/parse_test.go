package corpus_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestParseFrontMatter(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		src     string
		want    corpus.Article // fields compared: Title URL Source Author Published Tags AddedBy AddedAt Text
		wantErr []string       // substrings of the error; nil means no error
	}{
		{
			name: "all fields",
			path: "a.md",
			src: "---\ntitle: Rubio calls Munir\nurl: https://example.com/a\nsource: Wire\nauthor: Jane Roe\n" +
				"published: 2025-05-10\ntags: [india, pakistan]\nadded_by: alice#1234\nadded_at: 2025-05-11T09:30:00Z\n" +
				"unknown_key: {nested: [1, 2]}\n---\nBody text.\n",
			want: corpus.Article{
				Title: "Rubio calls Munir", URL: "https://example.com/a", Source: "Wire", Author: "Jane Roe",
				Published: time.Date(2025, 5, 10, 0, 0, 0, 0, time.UTC), Tags: []string{"india", "pakistan"},
				AddedBy: "alice#1234", AddedAt: time.Date(2025, 5, 11, 9, 30, 0, 0, time.UTC), Text: "Body text.",
			},
		},
		{
			name: "RFC 3339 time and comma-separated tags in a text file",
			path: "b.txt",
			src:  "---\ntitle: \"Quoted: title\"\npublished: 2025-05-10T14:30:00+05:30\ntags: india, pakistan , ,drones\n---\nBody.\n",
			want: corpus.Article{
				Title: "Quoted: title", Published: time.Date(2025, 5, 10, 9, 0, 0, 0, time.UTC),
				Tags: []string{"india", "pakistan", "drones"}, Text: "Body.",
			},
		},
		{
			name: "CRLF, byte-order mark, empty values and ... closing",
			path: "c.md",
			src:  "\ufeff---\r\ntitle:\r\nauthor: ~\r\ntags:\r\n...\r\nLine one.\r\n",
			want: corpus.Article{Title: "c", Text: "Line one."},
		},
		{
			name: "empty block",
			path: "d.md",
			src:  "---\n---\nJust text.",
			want: corpus.Article{Title: "d", Text: "Just text."},
		},
		{
			name: "no front matter",
			path: "e.md",
			src:  "title: not front matter\n",
			want: corpus.Article{Title: "e", Text: "title: not front matter"},
		},
		{
			name:    "missing closing line",
			path:    "f.md",
			src:     "---\ntitle: Never closed\n\nBody text.\n",
			wantErr: []string{"bad front matter", "line 1", "no closing ---"},
		},
		{
			name:    "bad YAML names the file line",
			path:    "g.md",
			src:     "---\ntitle: ok\nurl: [unclosed\nsource: x\n---\nBody.\n",
			wantErr: []string{"bad front matter", "line 3", "did not find expected ',' or ']'"},
		},
		{
			name:    "bad indentation",
			path:    "g2.md",
			src:     "---\ntitle: ok\nurl: x\n  source: y\n---\nBody.\n",
			wantErr: []string{"bad front matter", "line 4", "mapping values"},
		},
		{
			name:    "bad YAML on the first line",
			path:    "h.md",
			src:     "---\ntitle: a: b\n---\nBody.\n",
			wantErr: []string{"bad front matter", "lines 2-2", "mapping values"},
		},
		{
			name:    "bad date names the field and line",
			path:    "i.md",
			src:     "---\ntitle: x\npublished: 10th of May\n---\nBody.\n",
			wantErr: []string{"bad front matter", "line 3", "published", `"10th of May"`},
		},
		{
			name:    "bad added_at",
			path:    "j.txt",
			src:     "---\nadded_at: yesterday\n---\nBody.\n",
			wantErr: []string{"line 2", "added_at"},
		},
		{
			name:    "a list where a string belongs",
			path:    "k.md",
			src:     "---\ntitle:\n  - one\n  - two\n---\nBody.\n",
			wantErr: []string{"line 2", "title", "got a list"},
		},
		{
			name:    "not a mapping",
			path:    "l.md",
			src:     "---\n- just\n- a list\n---\nBody.\n",
			wantErr: []string{"bad front matter", "want key: value pairs"},
		},
		{
			name:    "front matter but no body",
			path:    "m.md",
			src:     "---\ntitle: Nothing else\n---\n\n",
			wantErr: []string{"no text"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := corpus.Parse(tt.path, []byte(tt.src))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("Parse: got no error, want one containing %q", tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("Parse error = %q, want it to contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got.ID, got.Path, got.Hash = "", "", ""
			if !articleEqual(got, tt.want) {
				t.Errorf("Parse:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// articleEqual compares articles field by field, times with Equal.
func articleEqual(a, b corpus.Article) bool {
	return a.ID == b.ID && a.Path == b.Path && a.Title == b.Title && a.URL == b.URL && a.Source == b.Source &&
		a.Author == b.Author && a.Published.Equal(b.Published) && slices.Equal(a.Tags, b.Tags) &&
		a.AddedBy == b.AddedBy && a.AddedAt.Equal(b.AddedAt) && a.Text == b.Text && a.Hash == b.Hash
}

func TestParseFrontMatterErrorIs(t *testing.T) {
	_, err := corpus.Parse("a.md", []byte("---\npublished: never\n---\nx"))
	if !errors.Is(err, corpus.ErrFrontMatter) {
		t.Errorf("Parse error = %v, want errors.Is ErrFrontMatter", err)
	}
}

func TestParseMarkdown(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		wantTitle string
		wantText  string
	}{
		{
			name:      "headings, emphasis and links",
			src:       "# The *big* story\n\nSome **bold**, _italic_ and ***both*** words; see [the report](https://example.com/r \"Report\").\n\n## Details ##\n\nMore ~~struck~~ text.\n",
			wantTitle: "The big story",
			wantText:  "The big story\n\nSome bold, italic and both words; see the report.\n\nDetails\n\nMore struck text.",
		},
		{
			name:      "title falls back to the ID",
			src:       "## Only a second-level heading\n\nText.",
			wantTitle: "doc",
			wantText:  "Only a second-level heading\n\nText.",
		},
		{
			name:      "setext heading",
			src:       "The headline\n============\n\nBody.",
			wantTitle: "The headline",
			wantText:  "The headline\n\nBody.",
		},
		{
			name:      "images dropped, reference links and autolinks kept as text",
			src:       "![A photo](/img/a.jpg) Caption text with [a ref][1] and <https://example.com>.\n\n[1]: https://example.com/ref\n",
			wantTitle: "doc",
			wantText:  "Caption text with a ref and https://example.com.",
		},
		{
			name:      "link text with emphasis and nested image",
			src:       "[**Bold link**](http://x) and [![logo](l.png) Logo text](http://y).",
			wantTitle: "doc",
			wantText:  "Bold link and Logo text.",
		},
		{
			name:      "literal stars, underscores and escapes survive",
			src:       "It costs 2 * 3 dollars, see snake_case_name and \\*not emphasis\\*.",
			wantTitle: "doc",
			wantText:  "It costs 2 * 3 dollars, see snake_case_name and *not emphasis*.",
		},
		{
			name:      "code spans and fenced code",
			src:       "Run `go test ./...` now.\n\n```go\nfmt.Println(\"*hi*\")\n```\n\nAfter.",
			wantTitle: "doc",
			wantText:  "Run go test ./... now.\n\nfmt.Println(\"*hi*\")\n\nAfter.",
		},
		{
			name:      "lists, quotes, rules, tables and comments",
			src:       "- first item\n- second *item*\n\n1. numbered\n2) also\n\n> Quoted text\n> continues.\n\n---\n\n| Name | Count |\n|------|------:|\n| a | 1 |\n\n<!-- hidden\nnote -->Visible.",
			wantTitle: "doc",
			wantText:  "first item\n\nsecond item\n\nnumbered\n\nalso\n\nQuoted text continues.\n\nName; Count\n\na; 1\n\nVisible.",
		},
		{
			name:      "one paragraph per line, as in the seed articles",
			src:       "First paragraph ends here.\n\"Second paragraph\" starts with a quote.\nThird, after \"a quote\".\n",
			wantTitle: "doc",
			wantText:  "First paragraph ends here.\n\n\"Second paragraph\" starts with a quote.\n\nThird, after \"a quote\".",
		},
		{
			name:      "hard-wrapped prose stays one paragraph",
			src:       "This sentence is wrapped\nacross lines, as Mr.\nSmith wrote it in the U.S.\nor so.\n",
			wantTitle: "doc",
			wantText:  "This sentence is wrapped across lines, as Mr. Smith wrote it in the U.S. or so.",
		},
		{
			name:      "entities and inline HTML",
			src:       "Tom &amp; Jerry<br>said &ldquo;hi&rdquo; <span class=\"x\">here</span>.",
			wantTitle: "doc",
			wantText:  "Tom & Jerry said “hi” here.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustParse(t, "doc.md", tt.src)
			if a.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", a.Title, tt.wantTitle)
			}
			if a.Text != tt.wantText {
				t.Errorf("Text:\n got %q\nwant %q", a.Text, tt.wantText)
			}
		})
	}
}

func TestParsePlainText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"one paragraph per line", "First line.\nSecond   line\twith  spaces.\n", "First line.\n\nSecond line with spaces."},
		{"blank lines", "\n\nA.\n\n\n\nB.\n\n", "A.\n\nB."},
		{"CRLF and control characters", "A\x1b[0m.\r\n  B.\r\n", "A[0m.\n\nB."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustParse(t, "note.txt", tt.src).Text; got != tt.want {
				t.Errorf("Text = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseSeedArticle(t *testing.T) {
	data, err := os.ReadFile(sharedPath(t, "seed", "000_5b6d0429169a74c2.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := corpus.Parse("seed/000_5b6d0429169a74c2.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	paras := strings.Split(a.Text, "\n\n")
	if len(paras) != len(lines) {
		t.Fatalf("got %d paragraphs, want one per line: %d", len(paras), len(lines))
	}
	if a.ID != "seed/000_5b6d0429169a74c2" || a.Title != a.ID {
		t.Errorf("ID, Title = %q, %q; want the path without extension for both", a.ID, a.Title)
	}
}

func TestParseIDAndHash(t *testing.T) {
	data := []byte("Some text.")
	a := mustParse(t, "2025/05/Strikes.Update.markdown", string(data))
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:]); a.Hash != want {
		t.Errorf("Hash = %s, want %s", a.Hash, want)
	}
	if a.ID != "2025/05/Strikes.Update" || a.Path != "2025/05/Strikes.Update.markdown" {
		t.Errorf("ID, Path = %q, %q", a.ID, a.Path)
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		data    string
		wantIs  error
		wantMsg string
	}{
		{"NUL byte", "a.txt", "text\x00more", corpus.ErrBinary, "offset 4"},
		{"invalid UTF-8", "a.md", "caf\xe9 au lait", corpus.ErrEncoding, "byte offset 3"},
		{"truncated UTF-8 at the end", "a.md", "ok \xe2\x80", corpus.ErrEncoding, "byte offset 3"},
		{"UTF-16", "a.txt", "\xff\xfeh\x00i\x00", corpus.ErrEncoding, "UTF-16"},
		{"empty", "a.md", "", corpus.ErrNoText, "no text"},
		{"white space only", "a.txt", " \n\t\n", corpus.ErrNoText, "no text"},
		{"markup only", "a.md", "![img](x.png)\n\n---\n", corpus.ErrNoText, "no text"},
		{"HTML with scripts only", "a.html", "<html><script>var x = 1;</script></html>", corpus.ErrNoText, "no text"},
		{"unsupported extension", "a.pdf", "text", corpus.ErrUnsupported, ".pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := corpus.Parse(tt.path, []byte(tt.data))
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("Parse error = %v, want errors.Is %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Parse error = %q, want it to contain %q", err, tt.wantMsg)
			}
		})
	}
}
