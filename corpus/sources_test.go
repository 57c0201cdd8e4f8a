package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestLoadLabelsOrigins(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"a.md":         {Data: []byte("---\ntitle: A\nsource: Northern Herald\n---\nText of a.")},
		"b.md":         {Data: []byte("---\ntitle: B\nurl: https://www.courier.example/b\n---\nText of b.")},
		"c.md":         {Data: []byte("---\ntitle: C\nsource: Unknown Gazette\n---\nText of c.")},
		"sources.yaml": {Data: []byte("# origins\nnorthern  herald: northern\ncourier.example: wire\n")},
	}
	res, err := Load(context.Background(), fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	got := map[string]string{}
	for _, a := range res.Articles {
		got[a.ID] = a.Origin
	}
	want := map[string]string{"a": "northern", "b": "wire", "c": ""}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: origin %q, want %q", id, got[id], w)
		}
	}
}

func TestLoadMalformedSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"list value", "Northern Herald: [a, b]\n", "line 1"},
		{"duplicate", "A: x\nB: y\na: z\n", "line 3"},
		{"not a mapping", "- a\n- b\n", "line 1"},
		{"bad yaml", "A: x\n  B: : y\n", "line 2"},
		{"empty origin", "A: x\nB:\n", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"a.md":         {Data: []byte("---\ntitle: A\nsource: A\n---\nText.")},
				"sources.yaml": {Data: []byte(tt.yaml)},
			}
			res, err := Load(context.Background(), fsys, Options{})
			if err != nil {
				t.Fatalf("the articles must still load: %v", err)
			}
			if len(res.Articles) != 1 || res.Articles[0].Origin != "" {
				t.Fatalf("articles %+v, want one, unlabelled", res.Articles)
			}
			if len(res.Errors) != 1 || res.Errors[0].Path != SourcesFile || !strings.Contains(res.Errors[0].Error(), tt.want) {
				t.Fatalf("errors %v, want one naming %s and %s", res.Errors, SourcesFile, tt.want)
			}
		})
	}
}

func TestSetOrigin(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if prev, err := SetOrigin(dir, "Northern  Herald", "northern"); err != nil || prev != "" {
		t.Fatalf("first label: %q, %v", prev, err)
	}
	path := filepath.Join(dir, SourcesFile)
	data, _ := os.ReadFile(path)
	os.WriteFile(path, append([]byte("# kept\n"), data...), 0o644)
	if prev, err := SetOrigin(dir, "northern herald", "official"); err != nil || prev != "northern" {
		t.Fatalf("relabel: %q, %v", prev, err)
	}
	if _, err := SetOrigin(dir, "courier.example", "wire"); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(path)
	if !strings.Contains(string(data), "# kept") {
		t.Errorf("the comment was lost:\n%s", data)
	}
	src, err := ReadSources(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if o := src.Origin(&Article{Source: "Northern Herald"}); o != "official" {
		t.Errorf("Northern Herald: %q, want official", o)
	}
	if o := src.Origin(&Article{URL: "https://courier.example/x"}); o != "wire" {
		t.Errorf("courier.example: %q, want wire", o)
	}
	for _, bad := range [][2]string{{"", "x"}, {"A", ""}, {"A", "two\nlines"}, {"A", strings.Repeat("x", 41)}} {
		if _, err := SetOrigin(dir, bad[0], bad[1]); err == nil {
			t.Errorf("SetOrigin(%q, %q) succeeded", bad[0], bad[1])
		}
	}
	os.WriteFile(path, []byte("A: [x]\n"), 0o644)
	if _, err := SetOrigin(dir, "B", "y"); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("over a malformed file: %v, want an error naming line 1", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "A: [x]\n" {
		t.Errorf("the malformed file was changed: %q", data)
	}
}

func TestAttribution(t *testing.T) {
	t.Parallel()
	pub := time.Date(2025, 5, 7, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		a    Article
		want string
	}{
		{Article{Source: "Northern Ledger", Origin: "indian", Published: pub}, "Northern Ledger · Indian · 7 May 2025"},
		{Article{Source: "Northern Ledger", Published: pub}, "Northern Ledger · 7 May 2025"},
		{Article{URL: "https://www.ledger.example/x"}, "ledger.example"},
		{Article{}, ""},
	}
	for _, tt := range tests {
		if got := tt.a.Attribution(); got != tt.want {
			t.Errorf("Attribution() = %q, want %q", got, tt.want)
		}
	}
}
