// Package prune cuts an OpenAPI document down to the operations a project
// uses and the components they reach, so that tests can load a small
// document in a fraction of the time the official one takes.
//
// The result is a faithful subset of the source: every kept path item,
// operation and component is copied byte for byte (re-indented), in the
// source's order, so a request to a kept operation validates against the
// pruned document exactly as it does against the full one. [Prune] keeps,
// besides the operations it is asked for, every operation of the same method
// whose path template could match the same request path (so that a literal
// path such as /users/@me still wins over /users/{user_id}, as it does in the
// full document), the path items' own parameters, every security scheme, and
// the transitive closure of the components that all of these reference.
//
// The pruned document records where it came from in a top-level
// "x-crisisbot-pruned" object (see [Header]): the source file's name, its
// info.version, its SHA-256 and the operations kept.
package prune

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// HeaderKey is the top-level key under which a pruned document records its
// [Header].
const HeaderKey = "x-crisisbot-pruned"

// Spec says which parts of a source document to keep.
type Spec struct {
	// Source is the file name of the source document, such as
	// "discord-openapi.json".
	Source string
	// Operations are the operations to keep, with paths written as the
	// document writes them.
	Operations []Operation
	// Schemas names components.schemas entries to keep even when no kept
	// operation references them, such as an error schema the validator
	// looks up by name.
	Schemas []string
}

// Operation is one method on one path template of a document.
type Operation struct {
	// Method is the HTTP method, upper case.
	Method string
	// Path is the path template as the document's "paths" object keys it,
	// such as "/channels/{channel_id}/messages".
	Path string
}

// String returns "METHOD /path".
func (o Operation) String() string { return o.Method + " " + o.Path }

// Header is what a pruned document records about its source under
// [HeaderKey].
type Header struct {
	// Source is the file name of the source document.
	Source string `json:"source"`
	// Version is the source's info.version.
	Version string `json:"version"`
	// SHA256 is the hex SHA-256 of the source file's bytes.
	SHA256 string `json:"sha256"`
	// Generator is the command that wrote the document.
	Generator string `json:"generator"`
	// Operations are the operations kept, as [Operation.String] writes
	// them, in the source's order.
	Operations []string `json:"operations"`
}

// Generator is the command recorded in every [Header].
const Generator = "go generate ./internal/specvalidate (make specs)"

// Discord is the part of Discord's document that internal/fakediscord serves
// (see routes in internal/fakediscord/rest.go). discordgo requests /api/v9/
// paths; the validator rewrites them to the document's /api/v10/.
func Discord() Spec {
	const (
		app      = "/applications/{application_id}"
		guild    = app + "/guilds/{guild_id}"
		webhook  = "/webhooks/{webhook_id}/{webhook_token}"
		channel  = "/channels/{channel_id}"
		messages = channel + "/messages"
	)
	ops := []Operation{
		{"GET", "/gateway"},
		{"GET", "/gateway/bot"},
		{"GET", "/users/@me"},
		{"GET", "/users/{user_id}"},
		{"POST", "/users/@me/channels"},
		{"POST", "/interactions/{interaction_id}/{interaction_token}/callback"},
		{"POST", webhook},
		{"GET", channel},
		{"GET", messages},
		{"POST", messages},
		{"POST", messages + "/{message_id}/threads"},
		{"POST", channel + "/threads"},
		{"POST", channel + "/typing"},
	}
	for _, scope := range []string{app + "/commands", guild + "/commands"} {
		for _, m := range []string{"GET", "PUT", "POST"} {
			ops = append(ops, Operation{m, scope})
		}
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			ops = append(ops, Operation{m, scope + "/{command_id}"})
		}
	}
	for _, m := range []string{"GET", "PATCH", "DELETE"} {
		ops = append(ops,
			Operation{m, webhook + "/messages/@original"},
			Operation{m, webhook + "/messages/{message_id}"},
			Operation{m, messages + "/{message_id}"},
		)
	}
	return Spec{Source: "discord-openapi.json", Operations: ops}
}

// OpenAI is the part of OpenAI's document that internal/fakeopenai serves,
// with the error schema that [specvalidate.LoadOpenAI] checks undocumented
// error responses against.
func OpenAI() Spec {
	return Spec{
		Source: "openai-openapi.json",
		Operations: []Operation{
			{"POST", "/chat/completions"},
			{"POST", "/embeddings"},
			{"GET", "/models"},
		},
		Schemas: []string{"ErrorResponse"},
	}
}

// Specs returns the specs for every document the project prunes.
func Specs() []Spec { return []Spec{Discord(), OpenAI()} }

// isMethod reports whether key is a key of a path item that holds an
// operation.
func isMethod(key string) bool {
	switch key {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace":
		return true
	}
	return false
}

// Prune returns the part of the JSON OpenAPI document src that spec keeps,
// indented with two spaces and ending in a newline, with its [Header]. It
// fails when an operation spec names is not in src, or when src references
// something other than a component of itself.
func Prune(src []byte, spec Spec) ([]byte, error) {
	top, err := members(src)
	if err != nil {
		return nil, fmt.Errorf("prune %s: %w", spec.Source, err)
	}
	var paths, components json.RawMessage
	var info struct {
		Version string `json:"version"`
	}
	for _, m := range top {
		switch m.key {
		case "paths":
			paths = m.value
		case "components":
			components = m.value
		case "info":
			if err := json.Unmarshal(m.value, &info); err != nil {
				return nil, fmt.Errorf("prune %s: info: %w", spec.Source, err)
			}
		}
	}
	keptPaths, ops, err := prunePaths(paths, spec.Operations)
	if err != nil {
		return nil, fmt.Errorf("prune %s: %w", spec.Source, err)
	}

	// Everything outside components that the pruned document keeps can
	// reference components; so can the components it keeps.
	refs := newRefSet()
	for _, name := range spec.Schemas {
		refs.add(component{"schemas", name})
	}
	sum := sha256.Sum256(src)
	header, err := json.Marshal(Header{
		Source:     spec.Source,
		Version:    info.Version,
		SHA256:     hex.EncodeToString(sum[:]),
		Generator:  Generator,
		Operations: ops,
	})
	if err != nil {
		return nil, fmt.Errorf("prune %s: %w", spec.Source, err)
	}
	var kept []member
	for _, m := range top {
		switch {
		case m.key == "paths":
			m.value = keptPaths
		case m.key == "components", m.key == "webhooks", m.key == "tags", strings.HasPrefix(m.key, "x-"):
			// Components are rebuilt below; webhooks, tags and
			// extensions play no part in validating requests.
			continue
		}
		if err := refs.scan(m.value); err != nil {
			return nil, fmt.Errorf("prune %s: %s: %w", spec.Source, m.key, err)
		}
		kept = append(kept, m)
	}
	// The header goes after info, or first when there is none.
	at := 0
	if i := slices.IndexFunc(kept, func(m member) bool { return m.key == "info" }); i >= 0 {
		at = i + 1
	}
	out := slices.Insert(kept, at, member{HeaderKey, header})
	keptComponents, err := pruneComponents(components, refs)
	if err != nil {
		return nil, fmt.Errorf("prune %s: %w", spec.Source, err)
	}
	if keptComponents != nil {
		out = append(out, member{"components", keptComponents})
	}

	var compact bytes.Buffer
	if err := json.Compact(&compact, object(out)); err != nil {
		return nil, fmt.Errorf("prune %s: %w", spec.Source, err)
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, compact.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("prune %s: %w", spec.Source, err)
	}
	indented.WriteByte('\n')
	return indented.Bytes(), nil
}

// ReadHeader returns the [Header] of a pruned document.
func ReadHeader(doc []byte) (Header, error) {
	var d map[string]json.RawMessage
	if err := json.Unmarshal(doc, &d); err != nil {
		return Header{}, fmt.Errorf("read header: %w", err)
	}
	raw, ok := d[HeaderKey]
	if !ok {
		return Header{}, fmt.Errorf("read header: no %q object", HeaderKey)
	}
	var h Header
	if err := json.Unmarshal(raw, &h); err != nil {
		return Header{}, fmt.Errorf("read header: %s: %w", HeaderKey, err)
	}
	return h, nil
}

// prunePaths returns the paths object with only the operations kept, and
// those operations as strings. Each wanted operation must exist; so are kept
// the operations of the same method on every path template that overlaps a
// wanted one.
func prunePaths(raw json.RawMessage, want []Operation) (json.RawMessage, []string, error) {
	items, err := members(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("paths: %w", err)
	}
	type pathItem struct {
		path    string
		members []member
		methods map[string]bool // upper-case methods it has
	}
	all := make([]pathItem, 0, len(items))
	for _, it := range items {
		ms, err := members(it.value)
		if err != nil {
			return nil, nil, fmt.Errorf("paths: %s: %w", it.key, err)
		}
		p := pathItem{path: it.key, members: ms, methods: map[string]bool{}}
		for _, m := range ms {
			if isMethod(m.key) {
				p.methods[strings.ToUpper(m.key)] = true
			}
		}
		all = append(all, p)
	}

	keep := map[Operation]bool{}
	for _, w := range want {
		found := false
		for _, p := range all {
			if p.path == w.Path && p.methods[w.Method] {
				found = true
			}
		}
		if !found {
			return nil, nil, fmt.Errorf("paths: no operation %s", w)
		}
		for _, p := range all {
			if p.methods[w.Method] && overlap(p.path, w.Path) {
				keep[Operation{w.Method, p.path}] = true
			}
		}
	}

	var out []member
	var ops []string
	for _, p := range all {
		var kept []member
		hasOp := false
		for _, m := range p.members {
			if isMethod(m.key) {
				op := Operation{strings.ToUpper(m.key), p.path}
				if !keep[op] {
					continue
				}
				hasOp = true
				ops = append(ops, op.String())
			}
			kept = append(kept, m)
		}
		if hasOp {
			out = append(out, member{p.path, object(kept)})
		}
	}
	return object(out), ops, nil
}

// overlap reports whether some request path could match both path
// templates: they have as many segments, and where both segments are
// literal they are equal.
func overlap(a, b string) bool {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	if len(as) != len(bs) {
		return false
	}
	for i := range as {
		if as[i] != bs[i] && !isParam(as[i]) && !isParam(bs[i]) {
			return false
		}
	}
	return true
}

// isParam reports whether a path template segment holds a parameter.
func isParam(seg string) bool { return strings.Contains(seg, "{") }

// component names one entry of the components object, such as
// {"schemas", "Message"}.
type component struct {
	kind, name string
}

// refSet is the set of components reached so far, with those not yet
// scanned for references of their own.
type refSet struct {
	seen    map[component]bool
	pending []component
}

func newRefSet() *refSet { return &refSet{seen: map[component]bool{}} }

func (s *refSet) add(c component) {
	if !s.seen[c] {
		s.seen[c] = true
		s.pending = append(s.pending, c)
	}
}

// scan adds every component raw references: the targets of "$ref" and the
// values of a discriminator's "mapping".
func (s *refSet) scan(raw json.RawMessage) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	return s.walk(v, false)
}

func (s *refSet) walk(v any, inMapping bool) error {
	switch n := v.(type) {
	case []any:
		for _, e := range n {
			if err := s.walk(e, false); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range n {
			if isData(k, e) {
				continue
			}
			if str, ok := e.(string); ok && (k == "$ref" || inMapping) {
				c, err := parseRef(str)
				if err != nil {
					return err
				}
				s.add(c)
				continue
			}
			if err := s.walk(e, k == "mapping"); err != nil {
				return err
			}
		}
	}
	return nil
}

// isData reports whether the value e under key k is data rather than part
// of the document — an example, a default, a constant, an enum or an
// extension — whose "$ref" keys, if any, are not references. A media type's
// "examples" is a map of Example objects, which may be references; a
// schema's is an array of data.
func isData(k string, e any) bool {
	switch k {
	case "example", "default", "const", "enum":
		return true
	case "examples":
		_, isArray := e.([]any)
		return isArray
	}
	return strings.HasPrefix(k, "x-")
}

// parseRef returns the component a local reference such as
// "#/components/schemas/Message" or "#/components/schemas/A/properties/b"
// points into.
func parseRef(ref string) (component, error) {
	rest, ok := strings.CutPrefix(ref, "#/components/")
	if !ok {
		return component{}, fmt.Errorf("reference %q: only references to #/components/ are supported", ref)
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return component{}, fmt.Errorf("reference %q: no component name", ref)
	}
	unescape := strings.NewReplacer("~1", "/", "~0", "~")
	return component{parts[0], unescape.Replace(parts[1])}, nil
}

// pruneComponents returns the components object with the components refs
// reaches from its starting set, and every security scheme; nil if that
// leaves nothing.
func pruneComponents(raw json.RawMessage, refs *refSet) (json.RawMessage, error) {
	if raw == nil {
		if len(refs.pending) > 0 {
			return nil, fmt.Errorf("components: none, but %s/%s is referenced", refs.pending[0].kind, refs.pending[0].name)
		}
		return nil, nil
	}
	kinds, err := members(raw)
	if err != nil {
		return nil, fmt.Errorf("components: %w", err)
	}
	byKind := map[string][]member{}
	index := map[component]json.RawMessage{}
	for _, k := range kinds {
		entries, err := members(k.value)
		if err != nil {
			return nil, fmt.Errorf("components: %s: %w", k.key, err)
		}
		byKind[k.key] = entries
		for _, e := range entries {
			index[component{k.key, e.key}] = e.value
			if k.key == "securitySchemes" {
				refs.add(component{k.key, e.key})
			}
		}
	}
	for len(refs.pending) > 0 {
		c := refs.pending[0]
		refs.pending = refs.pending[1:]
		v, ok := index[c]
		if !ok {
			return nil, fmt.Errorf("components: %s/%s is referenced but not defined", c.kind, c.name)
		}
		if err := refs.scan(v); err != nil {
			return nil, fmt.Errorf("components: %s/%s: %w", c.kind, c.name, err)
		}
	}
	var out []member
	for _, k := range kinds {
		var kept []member
		for _, e := range byKind[k.key] {
			if refs.seen[component{k.key, e.key}] {
				kept = append(kept, e)
			}
		}
		if len(kept) > 0 {
			out = append(out, member{k.key, object(kept)})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return object(out), nil
}

// member is one key and its undecoded value in a JSON object.
type member struct {
	key   string
	value json.RawMessage
}

// members returns the members of the JSON object raw in order.
func members(raw json.RawMessage) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, fmt.Errorf("want a JSON object, got %v", tok)
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("want an object key, got %v", tok)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		out = append(out, member{key, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

// object encodes members as a JSON object, in order.
func object(ms []member) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key) // a string always marshals
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}
