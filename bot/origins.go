package bot

import (
	"strings"

	"github.com/crisisbot/crisisbot/corpus"
)

// outletNote is what /add says of an article's outlet: " — Outlet ·
// Origin", or " — Outlet (origin unlabelled: /label sets it)" for an
// outlet sources.yaml does not label; "" when the article names none.
func outletNote(a *corpus.Article) string {
	name := a.Outlet()
	if name == "" {
		return ""
	}
	name = clip(name, 80)
	if a.Origin == "" {
		return " — " + name + " (origin unlabelled: /label sets it)"
	}
	return " — " + name + " · " + corpus.OriginLabel(a.Origin)
}

// originPrefix starts a /sources search that filters by origin:
// "origin:indian ceasefire" lists the Indian articles about the ceasefire.
const originPrefix = "origin:"

// withOrigin folds an origin filter into a /sources search, so that the
// page buttons, which carry the search, keep it.
func withOrigin(search, origin string) string {
	origin = strings.Join(strings.Fields(origin), "-")
	if origin == "" {
		return search
	}
	return strings.TrimSpace(originPrefix + origin + " " + search)
}

// splitOrigin takes an origin filter off the front of a /sources search:
// the origin asked for (lower case; "unlabelled" or "none" for articles
// without one) and the rest of the search.
func splitOrigin(search string) (origin, rest string, ok bool) {
	s := strings.TrimSpace(search)
	if !strings.HasPrefix(strings.ToLower(s), originPrefix) {
		return "", search, false
	}
	origin, rest, _ = strings.Cut(s[len(originPrefix):], " ")
	return strings.ToLower(strings.ReplaceAll(origin, "-", " ")), rest, true
}

// originMatches reports whether a has the origin a /sources filter asks for.
func originMatches(a *corpus.Article, origin string) bool {
	if origin == "unlabelled" || origin == "none" {
		return a.Origin == ""
	}
	return strings.EqualFold(strings.TrimSpace(a.Origin), origin)
}
