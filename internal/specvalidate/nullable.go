package specvalidate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// WithNullable makes the OpenAPI 3.0 keyword `nullable: true` allow null, as
// it does in 3.0 documents, by rewriting the document before it is loaded:
// "null" is added to the schema's type (and to its enum, if it has one), a
// schema with anyOf gains a {"type": "null"} branch, and a schema built from
// $ref, allOf, oneOf or not is wrapped in anyOf with {"type": "null"}.
// Without this, a 3.1 document ignores the keyword (with [WithoutOpenAPIMode])
// or fails to compile (without it), and OpenAI's streamed chunks, whose
// "finish_reason" is null until the last one, never validate. The document
// must be JSON; line numbers in failures refer to the rewritten document.
func WithNullable() Option {
	return func(o *options) {
		o.nullable = true
	}
}

// rewriteNullable returns the JSON document spec with every `nullable`
// keyword replaced by its OpenAPI 3.1 equivalent, as [WithNullable] says.
func rewriteNullable(spec []byte) ([]byte, error) {
	return rewriteJSON(spec, "rewrite nullable", rewriteNode)
}

// rewriteJSON decodes the JSON document spec, passes it through fn and
// encodes the result; what prefixes its errors.
func rewriteJSON(spec []byte, what string, fn func(any) any) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(spec))
	dec.UseNumber() // keep int64 bounds such as 9223372036854775807 exact
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: the document must be JSON: %w", what, err)
	}
	out, err := json.Marshal(fn(doc))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// rewriteNode rewrites node and everything below it, except values that are
// data rather than schemas: examples, defaults, constants, enums and
// extensions.
func rewriteNode(node any) any {
	switch n := node.(type) {
	case []any:
		for i := range n {
			n[i] = rewriteNode(n[i])
		}
		return n
	case map[string]any:
		for k, v := range n {
			switch {
			case isDataKey(k):
				continue
			}
			n[k] = rewriteNode(v)
		}
		return nullableSchema(n)
	default:
		return node
	}
}

// isDataKey reports whether the value under key k of a schema is data
// rather than a schema — an example, a default, a constant, an enum or an
// extension — which the document rewrites must leave as it is.
func isDataKey(k string) bool {
	switch k {
	case "example", "examples", "default", "const", "enum":
		return true
	}
	return strings.HasPrefix(k, "x-")
}

// nullableSchema returns the 3.1 form of schema s if it says nullable.
func nullableSchema(s map[string]any) any {
	nullable, ok := s["nullable"].(bool)
	if !ok {
		return s
	}
	delete(s, "nullable")
	if !nullable {
		return s
	}
	_, hasAnyOf := s["anyOf"]
	composed := false
	for _, k := range []string{"$ref", "allOf", "oneOf", "not"} {
		if _, ok := s[k]; ok {
			composed = true
		}
	}
	nullType := map[string]any{"type": "null"}
	switch {
	case composed:
		wrapped := map[string]any{"anyOf": []any{s, nullType}}
		for _, k := range []string{"title", "description", "deprecated"} {
			if v, ok := s[k]; ok {
				wrapped[k] = v
			}
		}
		return wrapped
	case hasAnyOf:
		if branches, ok := s["anyOf"].([]any); ok {
			s["anyOf"] = append(branches, nullType)
		}
	}
	switch t := s["type"].(type) {
	case string:
		if t != "null" {
			s["type"] = []any{t, "null"}
		}
	case []any:
		if !slices.Contains(t, any("null")) {
			s["type"] = append(t, "null")
		}
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, nil) {
		s["enum"] = append(enum, nil)
	}
	return s
}
