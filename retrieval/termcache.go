package retrieval

// TermCache is [Terms] with its stemming memoised, for a caller that reads
// many texts at once — a timeline reads every dated sentence of the
// corpus — and so meets the same words again and again. It is safe for
// concurrent use; the zero value is ready to use.
type TermCache struct {
	c termCache
}

// Terms returns [Terms] of text.
func (c *TermCache) Terms(text string) []string { return c.c.terms(text) }
