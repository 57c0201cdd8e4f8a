package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/crisisbot/crisisbot/internal/atomicfile"
	"github.com/crisisbot/crisisbot/internal/usererr"
)

// SourcesFile is the file at the root of a corpus directory that maps
// outlets to their origins. [Load] reads it; it is no article.
const SourcesFile = "sources.yaml"

// Limits of one entry of [SourcesFile]: an origin is a short label shown
// beside every citation, not a description.
const (
	maxOriginLen = 40
	maxOutletLen = 200
)

// ErrBadLabel is wrapped by [SetOrigin] when an outlet or origin cannot be
// written: empty, too long, or holding a line break or control character.
var ErrBadLabel = errors.New("bad outlet or origin")

// Sources maps outlets to the origin labels the moderators gave them
// ("indian", "pakistani", "international", "official", or any other).
// Keys are matched without regard to case or surrounding space; the zero
// value labels nothing.
type Sources struct {
	origins map[string]string // folded outlet or site → label as written
}

// Origin returns the label of a's outlet: its `source:` first, then the
// site of its URL (with and without "www."), or "" when neither is
// labelled.
func (s Sources) Origin(a *Article) string {
	if len(s.origins) == 0 {
		return ""
	}
	if a.Source != "" {
		if o, ok := s.origins[foldOutlet(a.Source)]; ok {
			return o
		}
	}
	if h := siteOf(a.URL); h != "" {
		if o, ok := s.origins[h]; ok {
			return o
		}
		if o, ok := s.origins[strings.TrimPrefix(h, "www.")]; ok {
			return o
		}
	}
	return ""
}

// SameOutlet reports whether outlet, as a moderator writes it, names a's
// outlet the way a line of [SourcesFile] would: its source or its site.
func SameOutlet(a *Article, outlet string) bool {
	k := foldOutlet(outlet)
	h := siteOf(a.URL)
	return k != "" && (k == foldOutlet(a.Source) || k == h || k == strings.TrimPrefix(h, "www."))
}

// Len returns how many outlets are labelled.
func (s Sources) Len() int { return len(s.origins) }

// label sets every article's Origin from s.
func (s Sources) label(arts []Article) {
	for i := range arts {
		arts[i].Origin = s.Origin(&arts[i])
	}
}

// Outlet names who published a: its `source:`, else the site of its URL
// without "www.", else "".
func (a *Article) Outlet() string {
	if a.Source != "" {
		return a.Source
	}
	return strings.TrimPrefix(siteOf(a.URL), "www.")
}

// Attribution is how a citation names a: "Northern Ledger · Indian · 7 May
// 2025" — outlet, origin and published date, each left out when unknown.
func (a *Article) Attribution() string {
	return Attribution(a.Outlet(), a.Origin, a.Published)
}

// Attribution joins an outlet, its origin (see [OriginLabel]) and a date
// as every citation shows them, leaving out what is empty or zero.
func Attribution(outlet, origin string, published time.Time) string {
	var parts []string
	if outlet = strings.TrimSpace(outlet); outlet != "" {
		parts = append(parts, outlet)
	}
	if origin = OriginLabel(origin); origin != "" {
		parts = append(parts, origin)
	}
	if !published.IsZero() {
		parts = append(parts, published.Format("2 January 2006"))
	}
	return strings.Join(parts, " · ")
}

// OriginLabel is an origin as shown: as the moderators wrote it, its first
// letter upper-cased ("indian" → "Indian").
func OriginLabel(origin string) string {
	origin = strings.TrimSpace(origin)
	r, n := utf8.DecodeRuneInString(origin)
	if n == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + origin[n:]
}

// foldOutlet is the form outlets and sites are compared in.
func foldOutlet(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// siteOf is the lower-case host of an http(s) URL, or "".
func siteOf(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// ReadSources reads [SourcesFile] at the root of fsys. A missing file is
// no error and labels nothing; a malformed one is a [FileError] naming the
// file, whose reason gives the line.
func ReadSources(fsys fs.FS) (Sources, error) {
	data, err := fs.ReadFile(fsys, SourcesFile)
	if errors.Is(err, fs.ErrNotExist) {
		return Sources{}, nil
	}
	if err != nil {
		return Sources{}, &FileError{Path: SourcesFile, Err: err}
	}
	doc, err := parseSources(data)
	if err != nil {
		return Sources{}, &FileError{Path: SourcesFile, Err: err}
	}
	return sourcesOf(doc), nil
}

// parseSources parses the file's YAML and checks its shape: one mapping
// of outlet to a single label. It returns the document node, which
// [SetOrigin] edits in place so the moderators' comments survive.
func parseSources(data []byte) (*yaml.Node, error) {
	if !utf8.Valid(data) {
		return nil, usererr.Wrap(errors.New("not UTF-8 text"), "The sources file is not UTF-8 text.")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if line, detail, ok := yamlErrorLine(msg); ok {
			return nil, sourcesError(line, detail)
		}
		return nil, usererr.Wrap(fmt.Errorf("bad YAML: %s", msg), "The sources file is not valid YAML.")
	}
	if doc.Kind == 0 {
		return &doc, nil // empty file
	}
	m := doc.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return &doc, nil
	}
	if m.Kind != yaml.MappingNode {
		return nil, sourcesError(m.Line, "it must map each outlet to an origin (\"Northern Ledger: indian\"), not hold "+nodeKind(m))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode || strings.TrimSpace(k.Value) == "" {
			return nil, sourcesError(k.Line, "an outlet must be a name, not "+nodeKind(k))
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
			return nil, sourcesError(v.Line, fmt.Sprintf("the origin of %q must be one label, not %s", k.Value, nodeKind(v)))
		}
		if err := checkLabel(k.Value, v.Value); err != nil {
			return nil, sourcesError(k.Line, err.Error())
		}
		key := foldOutlet(k.Value)
		if first, ok := seen[key]; ok {
			return nil, sourcesError(k.Line, fmt.Sprintf("%q is labelled already on line %d", k.Value, first))
		}
		seen[key] = k.Line
	}
	return &doc, nil
}

// sourcesError is a malformed sources file's reason, on line.
func sourcesError(line int, detail string) error {
	return usererr.Wrap(fmt.Errorf("line %d: %s", line, detail),
		fmt.Sprintf("The sources file is malformed on line %d: %s.", line, detail))
}

// sourcesOf collects the labels of a checked document.
func sourcesOf(doc *yaml.Node) Sources {
	s := Sources{origins: map[string]string{}}
	if doc.Kind == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return s
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		s.origins[foldOutlet(m.Content[i].Value)] = strings.TrimSpace(m.Content[i+1].Value)
	}
	return s
}

// checkLabel refuses an outlet or origin that could not be shown on one
// line of a citation.
func checkLabel(outlet, origin string) error {
	outlet, origin = strings.TrimSpace(outlet), strings.TrimSpace(origin)
	switch {
	case outlet == "":
		return fmt.Errorf("%w: no outlet given", ErrBadLabel)
	case origin == "":
		return fmt.Errorf("%w: no origin given for %q", ErrBadLabel, outlet)
	case utf8.RuneCountInString(outlet) > maxOutletLen:
		return fmt.Errorf("%w: the outlet is longer than %d characters", ErrBadLabel, maxOutletLen)
	case utf8.RuneCountInString(origin) > maxOriginLen:
		return fmt.Errorf("%w: the origin of %q is longer than %d characters", ErrBadLabel, outlet, maxOriginLen)
	}
	for _, r := range outlet + origin {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%w: %q holds a line break or control character", ErrBadLabel, outlet+": "+origin)
		}
	}
	return nil
}

// SetOrigin labels outlet with origin in dir's [SourcesFile], creating the
// file if need be, replacing the outlet's earlier label if it had one and
// keeping every other line and comment. The file is replaced atomically
// (a synced temporary file renamed over it), so a reader sees the old
// labels or the new ones. A malformed file is left as it is and the error
// says where it is wrong. It returns the label the outlet had before, or
// "".
func SetOrigin(dir, outlet, origin string) (previous string, err error) {
	outlet, origin = strings.Join(strings.Fields(outlet), " "), strings.TrimSpace(origin)
	if err := checkLabel(outlet, origin); err != nil {
		return "", usererr.Wrap(fmt.Errorf("label: %w", err), "That outlet or origin can't be used: "+strings.TrimPrefix(err.Error(), ErrBadLabel.Error()+": ")+".")
	}
	path := filepath.Join(dir, SourcesFile)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("label: %w", err)
	}
	doc, err := parseSources(data)
	if err != nil {
		return "", fmt.Errorf("label: %s: %w", path, err)
	}
	if doc.Kind == 0 || doc.Content[0].Kind != yaml.MappingNode {
		head := ""
		if doc.Kind != 0 {
			head = doc.Content[0].HeadComment
		}
		*doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: head}}}
	}
	m := doc.Content[0]
	found := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		if foldOutlet(m.Content[i].Value) == foldOutlet(outlet) {
			previous = m.Content[i+1].Value
			m.Content[i+1] = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: origin, LineComment: m.Content[i+1].LineComment}
			found = true
		}
	}
	if !found {
		m.Content = append(m.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: outlet},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: origin})
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("label: %w", err)
	}
	tmp, err := atomicfile.WriteTemp(dir, ".crisisbot-*.tmp", 0o644, strings.NewReader(string(out)))
	if err != nil {
		return "", fmt.Errorf("label: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("label: write %s: %w", path, err)
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		return previous, fmt.Errorf("label: %w", err)
	}
	return previous, nil
}

// SetOrigin labels outlet with origin in the store's corpus directory, as
// [SetOrigin] does, while no article is being added or removed.
func (s *Store) SetOrigin(outlet, origin string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return SetOrigin(s.dir, outlet, origin)
}
