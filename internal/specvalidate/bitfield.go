package specvalidate

import "slices"

// WithStringBitfield lets a request give the integer property named name as
// a decimal string as well, by rewriting the document before it is loaded.
// Discord's document types "default_member_permissions" as an integer in
// command requests but as a string in the responses to them; Discord's API
// reference and the API itself take the string form, which discordgo
// sends. The rewrite touches only integer-typed properties of that name,
// and the string must be a plain decimal number, so "32" passes and "abc"
// or "-1" does not.
func WithStringBitfield(name string) Option {
	return func(o *options) {
		o.bitfields = append(o.bitfields, name)
	}
}

// rewriteBitfields returns the JSON document spec with every integer
// property named in names widened as [WithStringBitfield] says.
func rewriteBitfields(spec []byte, names []string) ([]byte, error) {
	return rewriteJSON(spec, "rewrite bitfields", func(doc any) any {
		widenBitfields(doc, names)
		return doc
	})
}

func widenBitfields(node any, names []string) {
	switch n := node.(type) {
	case []any:
		for _, v := range n {
			widenBitfields(v, names)
		}
	case map[string]any:
		if props, ok := n["properties"].(map[string]any); ok {
			for _, name := range names {
				if s, ok := props[name].(map[string]any); ok && allowsInteger(s) {
					props[name] = map[string]any{"anyOf": []any{s, map[string]any{"type": "string", "pattern": "^[0-9]{1,20}$"}}}
				}
			}
		}
		for k, v := range n {
			if isDataKey(k) {
				continue
			}
			widenBitfields(v, names)
		}
	}
}

func allowsInteger(s map[string]any) bool {
	switch t := s["type"].(type) {
	case string:
		return t == "integer"
	case []any:
		return slices.Contains(t, any("integer"))
	}
	return false
}
