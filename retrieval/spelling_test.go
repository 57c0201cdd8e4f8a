package retrieval

import (
	"context"
	"testing"
)

func TestSpelling(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeArticle(t, dir, "talks.md", "---\ntitle: Envoys meet\npublished: 2031-06-06\n---\n"+
		"Talks opened in Delmar on Monday. Foreign Minister Ivo Kestrel said the talks would go on, and Kestrel's deputy agreed. "+
		"The minister said little else. Officials from the OSRA bloc flew in from Delmar. \"Peace,\" the envoy said. "+
		"The delegates met a general from the army. The border stays shut: Border guards saw no one.")
	lib := newTestLibrary(t, dir, t.TempDir(), HashEmbedder(64))
	if _, err := lib.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ix := lib.Current()

	tests := []struct {
		word  string
		form  string
		alone bool
	}{
		{"delmar", "Delmar", true},   // a place, alone
		{"kestrel", "Kestrel", true}, // a surname ends its name, possessive or not
		{"osra", "OSRA", true},       // an acronym keeps its capitals; "bloc" after it is no name
		{"ivo", "Ivo", false},        // a given name stands inside the name
		{"foreign", "", false},       // a sentence's first word is no evidence...
		{"minister", "", false},      // ...and "the minister" is lower case
		{"peace", "", false},         // a quote's first word is capitalised whatever it is
		{"border", "", false},        // as is a clause's after a colon
		{"talks", "", false},
		{"general", "", false},
		{"nowhere", "", false},
	}
	for _, tt := range tests {
		form, alone := ix.Spelling(tt.word)
		if form != tt.form || form != "" && alone != tt.alone {
			t.Errorf("Spelling(%q) = %q, %v; want %q, %v", tt.word, form, alone, tt.form, tt.alone)
		}
	}
}
