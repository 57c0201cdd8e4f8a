package answer

import (
	"testing"
	"time"

	"github.com/crisisbot/crisisbot/corpus"
)

func TestAttributionNamesOrigin(t *testing.T) {
	t.Parallel()
	pub := time.Date(2025, 5, 12, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		a    corpus.Article
		want string
	}{
		{corpus.Article{Source: "Potohar Post", Origin: "pakistani", Published: pub}, "Potohar Post (Pakistani, 12 May 2025)"},
		{corpus.Article{Source: "Potohar Post", Published: pub}, "Potohar Post (12 May 2025)"},
		{corpus.Article{ID: "x", Origin: "official"}, "x (Official)"},
	}
	for _, tt := range tests {
		if got := attribution(&tt.a); got != tt.want {
			t.Errorf("attribution() = %q, want %q", got, tt.want)
		}
	}
	c := citationFor(1, &corpus.Article{ID: "a", URL: "https://www.ledger.example/a", Origin: "indian", Published: pub}, "q")
	if got := c.Attribution(); got != "ledger.example · Indian · 12 May 2025" {
		t.Errorf("citation attribution = %q", got)
	}
}
