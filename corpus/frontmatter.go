package corpus

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crisisbot/crisisbot/internal/usererr"
)

// opensWithFrontMatter reports whether src, with its newlines normalised,
// opens with the "---" line that starts front matter.
func opensWithFrontMatter(src string) bool {
	first, _, _ := strings.Cut(src, "\n")
	return strings.TrimRight(first, " \t") == "---"
}

// splitFrontMatter reads the YAML front matter that src may open with —
// a block between a first line "---" and a closing "---" (or "...") line —
// into a, and returns the rest of src. Without front matter it returns src.
func splitFrontMatter(a *Article, src string) (string, error) {
	if !opensWithFrontMatter(src) {
		return src, nil
	}
	_, rest, _ := strings.Cut(src, "\n")
	line := 2 // file line of rest[pos:]
	for pos := 0; pos <= len(rest); line++ {
		end := strings.IndexByte(rest[pos:], '\n')
		next := len(rest) + 1
		if end >= 0 {
			end += pos
			next = end + 1
		} else {
			end = len(rest)
		}
		if t := strings.TrimRight(rest[pos:end], " \t"); t == "---" || t == "..." {
			if err := readFrontMatter(a, rest[:pos], line); err != nil {
				return "", err
			}
			if next > len(rest) {
				return "", nil
			}
			return rest[next:], nil
		}
		pos = next
	}
	return "", frontMatterError("the block opened by --- on line 1 has no closing --- line", "")
}

// frontMatterError reports bad front matter: detail for the error's text,
// and what is wrong in words for people (the YAML library's own wording
// stays out of it), or "" to use detail.
func frontMatterError(detail, forPeople string) error {
	if forPeople == "" {
		forPeople = detail
	}
	return usererr.Wrap(fmt.Errorf("%w: %s", ErrFrontMatter, detail),
		"That file's front matter (the block between the --- lines at the top) could not be read: "+forPeople+".")
}

// readFrontMatter decodes the YAML block src, which ends just before file
// line closeLine, into a. Unknown keys are ignored.
func readFrontMatter(a *Article, src string, closeLine int) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if n, rest, ok := yamlErrorLine(msg); ok {
			// +1: the opening ---
			return frontMatterError(fmt.Sprintf("line %d: %s", n+1, rest), fmt.Sprintf("it is not valid YAML at line %d", n+1))
		}
		return frontMatterError(fmt.Sprintf("lines 2-%d: %s", closeLine-1, msg), "it is not valid YAML")
	}
	if len(doc.Content) == 0 {
		return nil // an empty block
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		detail := fmt.Sprintf("line %d: want key: value pairs, got %s", root.Line+1, nodeKind(root))
		return frontMatterError(detail, detail)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		if err := setField(a, strings.ReplaceAll(strings.ToLower(k.Value), "-", "_"), v); err != nil {
			// setField's reasons are written for people.
			detail := fmt.Sprintf("line %d: %s: %v", k.Line+1, k.Value, err)
			return frontMatterError(detail, detail)
		}
	}
	return nil
}

// yamlErrorLine splits a YAML error message "line 3: did not find ..." into
// the line number, counted from 1 at the first line of the YAML, and the
// rest.
//
// go.yaml.in/yaml/v3 (v3.0.6, decode.go, parser.fail; unchanged from
// gopkg.in/yaml.v3 v3.0.1) counts lines from 1 for errors of
// its scanner but from 0 for errors of its parser, whose messages are the
// few listed here; for those the number is put right.
func yamlErrorLine(msg string) (int, string, bool) {
	num, rest, ok := strings.Cut(strings.TrimPrefix(msg, "line "), ": ")
	if !ok || !strings.HasPrefix(msg, "line ") {
		return 0, "", false
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		return 0, "", false
	}
	switch rest {
	case "did not find expected <stream-start>", "did not find expected <document start>",
		"did not find expected node content", "did not find expected '-' indicator",
		"did not find expected key", "did not find expected ',' or ']'",
		"did not find expected ',' or '}'", "found undefined tag handle",
		"found duplicate %YAML directive", "found duplicate %TAG directive",
		"found incompatible YAML document":
		n++
	}
	return n, rest, true
}

// setField stores the front matter value v under key in a.
func setField(a *Article, key string, v *yaml.Node) error {
	var err error
	switch key {
	case "title":
		a.Title, err = stringValue(v)
	case "url":
		a.URL, err = stringValue(v)
	case "source":
		a.Source, err = stringValue(v)
	case "author":
		a.Author, err = stringValue(v)
	case "added_by":
		a.AddedBy, err = stringValue(v)
	case "published":
		a.Published, err = timeValue(v)
	case "added_at":
		a.AddedAt, err = timeValue(v)
	case "tags":
		a.Tags, err = tagsValue(v)
	}
	return err
}

// stringValue returns the scalar v with its white space collapsed; null is "".
func stringValue(v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("want a single value, got %s", nodeKind(v))
	}
	if v.Tag == "!!null" {
		return "", nil
	}
	return collapseSpace(v.Value), nil
}

// timeValue parses the scalar v as a date or an RFC 3339 time; null is the
// zero time.
func timeValue(v *yaml.Node) (time.Time, error) {
	s, err := stringValue(v)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, ok := parseTime(s)
	if !ok {
		return time.Time{}, fmt.Errorf("cannot read %q as a date: want 2025-05-10 or an RFC 3339 time like 2025-05-10T14:30:00Z", s)
	}
	return t, nil
}

// tagsValue reads tags written as a YAML list or as one comma-separated
// string, dropping empty ones.
func tagsValue(v *yaml.Node) ([]string, error) {
	var raw []string
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag != "!!null" {
			raw = strings.Split(v.Value, ",")
		}
	case yaml.SequenceNode:
		for _, e := range v.Content {
			if e.Kind == yaml.AliasNode && e.Alias != nil {
				e = e.Alias
			}
			if e.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("want a list of words, got %s in the list", nodeKind(e))
			}
			raw = append(raw, e.Value)
		}
	default:
		return nil, fmt.Errorf("want a list or a comma-separated string, got %s", nodeKind(v))
	}
	var tags []string
	for _, t := range raw {
		if t = collapseSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags, nil
}

// nodeKind names the kind of a YAML node for error messages.
func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// parseTime reads s as a date or a time in one of the forms the corpus
// understands, most common first. Times without a zone are taken as UTC.
func parseTime(s string) (time.Time, bool) {
	layouts := [...]string{
		time.RFC3339Nano,
		"2006-01-02",
		"2006-01-02T15:04:05.999999999Z0700",
		"2006-01-02T15:04:05.999999999",
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999 Z07:00",
		"2006-01-02 15:04:05.999999999",
	}
	s = strings.TrimSpace(s)
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
