package specvalidate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/crisisbot/crisisbot/internal/specvalidate/internal/prune"
)

// longTestsEnv is the environment variable that turns on the slow tests,
// which load the official documents; CI sets it.
const longTestsEnv = "CRISISBOT_LONG_TESTS"

// requireLong skips tb unless [longTestsEnv] is set.
func requireLong(tb testing.TB) {
	tb.Helper()
	if os.Getenv(longTestsEnv) == "" {
		tb.Skipf("loads the official documents; set %s=1 to run", longTestsEnv)
	}
}

// exchangesFlag names a directory of exchanges recorded with RecordEnv to
// merge into the corpus under testdata/exchanges: make exchanges.
var exchangesFlag = flag.String("exchanges", "", "rewrite testdata/exchanges from the exchanges recorded in this `dir` (see RecordEnv)")

// corpusDir holds one file of exchanges per document, named after it.
const corpusDir = "testdata/exchanges"

// The official documents load once per test binary, slowly.
var (
	openAIFull  = sync.OnceValues(LoadOpenAIFull)
	discordFull = sync.OnceValues(LoadDiscordFull)
)

// corpusFile returns the path of doc's corpus file.
func corpusFile(doc string) string {
	return filepath.Join(corpusDir, strings.TrimSuffix(doc, ".json")+".jsonl")
}

// readExchanges reads a file of exchanges, one JSON object a line.
func readExchanges(tb testing.TB, path string) []Exchange {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []Exchange
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for n := 1; sc.Scan(); n++ {
		var e Exchange
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			tb.Fatalf("%s:%d: %v", path, n, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return out
}

// TestExchangeCorpus checks that the corpus reads and covers both
// documents. With -exchanges DIR it first rewrites the corpus from the
// recording in DIR, keeping the smallest exchange of each shape (see
// [shapeKey]).
func TestExchangeCorpus(t *testing.T) {
	if *exchangesFlag != "" {
		mergeRecording(t, *exchangesFlag)
	}
	for _, doc := range []string{DiscordSpec, OpenAISpec} {
		got := readExchanges(t, corpusFile(doc))
		kinds := map[string]int{}
		for _, e := range got {
			if e.Doc != doc {
				t.Errorf("%s holds an exchange for %s", corpusFile(doc), e.Doc)
			}
			kinds[e.Kind]++
		}
		if kinds[KindRequest] == 0 || kinds[KindResponse] == 0 {
			t.Errorf("%s: %d requests and %d responses, want some of each", corpusFile(doc), kinds[KindRequest], kinds[KindResponse])
		}
	}
}

// mergeRecording replaces the corpus with the exchanges recorded in dir.
func mergeRecording(t *testing.T, dir string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded exchanges in %s (%v)", dir, err)
	}
	// For each document and shape, the smallest exchange, then the first in
	// byte order, so a recording gives the same corpus whatever order the
	// tests ran in.
	best := map[string]map[string][]byte{}
	for _, file := range files {
		for _, e := range readExchanges(t, file) {
			line, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			if best[e.Doc] == nil {
				best[e.Doc] = map[string][]byte{}
			}
			key := shapeKey(e)
			if old, ok := best[e.Doc][key]; !ok || len(line) < len(old) || len(line) == len(old) && bytes.Compare(line, old) < 0 {
				best[e.Doc][key] = line
			}
		}
	}
	if err := os.MkdirAll(corpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for doc, byKey := range best {
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b bytes.Buffer
		for _, k := range keys {
			b.Write(byKey[k])
			b.WriteByte('\n')
		}
		if err := os.WriteFile(corpusFile(doc), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d exchanges", corpusFile(doc), len(keys))
	}
}

// shapeKey sums up what an exchange exercises in a document: its kind,
// method, path with identifiers blanked, query keys, status, whether it is
// authorised, content type, and the shape of its body (the keys and value
// types of JSON, event by event for a stream).
func shapeKey(e Exchange) string {
	path, query, _ := strings.Cut(e.URL, "?")
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.ContainsAny(s, "0123456789") || len(s) > 24 {
			segs[i] = "*"
		}
	}
	var qkeys []string
	for kv := range strings.SplitSeq(query, "&") {
		if k, _, _ := strings.Cut(kv, "="); k != "" {
			qkeys = append(qkeys, k)
		}
	}
	slices.Sort(qkeys)
	header, body := e.Header, e.Body
	if e.Kind == KindResponse {
		header, body = e.ResponseHeader, e.ResponseBody
	}
	auth := e.Header.Get("Authorization") != ""
	return fmt.Sprintf("%s %s %s ?%s %d auth=%t %s %s", e.Kind, e.Method, strings.Join(segs, "/"), strings.Join(qkeys, ","),
		e.Status, auth, mediaType(header), bodyShape(header, body))
}

func mediaType(h http.Header) string {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return h.Get("Content-Type")
	}
	return mt
}

func bodyShape(h http.Header, body []byte) string {
	if isEventStream(h) {
		var shapes []string
		for _, data := range sseData(body) {
			shapes = append(shapes, jsonShape(data))
		}
		slices.Sort(shapes)
		return "events" + fmt.Sprint(slices.Compact(shapes))
	}
	return jsonShape(string(body))
}

// jsonShape returns the keys and value types of the JSON text s, or a note
// of its length when it is not JSON.
func jsonShape(s string) string {
	if strings.TrimSpace(s) == "" {
		return "empty"
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return "text"
	}
	var shape func(any) string
	shape = func(v any) string {
		switch n := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(n))
			for k, e := range n {
				keys = append(keys, k+":"+shape(e))
			}
			slices.Sort(keys)
			return "{" + strings.Join(keys, ",") + "}"
		case []any:
			elems := make([]string, 0, len(n))
			for _, e := range n {
				elems = append(elems, shape(e))
			}
			slices.Sort(elems)
			return "[" + strings.Join(slices.Compact(elems), "|") + "]"
		case string:
			return "s"
		case float64:
			return "n"
		case bool:
			return "b"
		}
		return "null"
	}
	return shape(v)
}

// variant is an exchange to check, derived from a recorded one.
type variant struct {
	name string
	e    Exchange
}

// recorded names the variant that is the exchange as recorded.
const recorded = "as recorded"

// maxMutations bounds how many values of one body [variants] changes, one
// at a time.
const maxMutations = 6

// variants returns e and, derived from it, exchanges that should mostly
// fail: without authorisation, with a text body, to an unknown path, with
// another method, with an undocumented status, and with one value of the
// JSON body given the wrong type or one member dropped.
func variants(e Exchange) []variant {
	out := []variant{{recorded, e}}
	add := func(name string, change func(*Exchange)) {
		c := e
		c.Header = e.Header.Clone()
		c.ResponseHeader = e.ResponseHeader.Clone()
		change(&c)
		out = append(out, variant{name, c})
	}
	body := &e.Body
	header := e.Header
	setBody := func(c *Exchange, b []byte) { c.Body = b }
	if e.Kind == KindResponse {
		body, header = &e.ResponseBody, e.ResponseHeader
		setBody = func(c *Exchange, b []byte) { c.ResponseBody = b }
		add("undocumented status", func(c *Exchange) { c.Status = 299 })
		add("server error", func(c *Exchange) { c.Status = 503 })
	} else {
		if e.Header.Get("Authorization") != "" {
			add("no authorization", func(c *Exchange) { c.Header.Del("Authorization") })
		}
		add("unknown path", func(c *Exchange) {
			path, query, _ := strings.Cut(c.URL, "?")
			c.URL = path + "/unknown"
			if query != "" {
				c.URL += "?" + query
			}
		})
		other := "DELETE"
		if e.Method == "DELETE" {
			other = "PUT"
		}
		add("method "+other, func(c *Exchange) { c.Method = other })
	}
	if len(*body) > 0 {
		add("text body", func(c *Exchange) {
			if c.Kind == KindResponse {
				c.ResponseHeader.Set("Content-Type", "text/plain")
			} else {
				c.Header.Set("Content-Type", "text/plain")
			}
		})
	}
	if mediaType(header) != "application/json" {
		return out
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(*body))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return out
	}
	for _, m := range mutations(doc) {
		b, err := json.Marshal(m.doc)
		if err != nil {
			continue
		}
		add(m.name, func(c *Exchange) { setBody(c, b) })
	}
	return out
}

type mutation struct {
	name string
	doc  any
}

// mutations returns up to maxMutations copies of doc, each with one value
// changed to another type, and up to two with one object member dropped,
// chosen evenly across the document in a fixed order.
func mutations(doc any) []mutation {
	type site struct {
		path []string
		obj  bool // the value is an object member, which can be dropped
	}
	var sites []site
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		switch n := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(n))
			for k := range n {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				p := append(slices.Clip(path), k)
				sites = append(sites, site{p, true})
				walk(n[k], p)
			}
		case []any:
			for i, e := range n {
				p := append(slices.Clip(path), fmt.Sprint(i))
				sites = append(sites, site{p, false})
				walk(e, p)
			}
		}
	}
	walk(doc, nil)
	pick := func(n int, from []site) []site {
		if len(from) <= n {
			return from
		}
		out := make([]site, n)
		for i := range out {
			out[i] = from[i*len(from)/n]
		}
		return out
	}
	var out []mutation
	out = append(out, mutation{"body {}", map[string]any{}})
	for _, s := range pick(maxMutations, sites) {
		out = append(out, mutation{"retype /" + strings.Join(s.path, "/"), changeAt(doc, s.path, false)})
	}
	var members []site
	for _, s := range sites {
		if s.obj {
			members = append(members, s)
		}
	}
	for _, s := range pick(2, members) {
		out = append(out, mutation{"drop /" + strings.Join(s.path, "/"), changeAt(doc, s.path, true)})
	}
	return out
}

// changeAt returns a deep copy of doc with the value at path replaced by
// one of another type, or, with drop, removed from its object.
func changeAt(doc any, path []string, drop bool) any {
	if len(path) == 0 {
		return retype(doc)
	}
	switch n := doc.(type) {
	case map[string]any:
		c := make(map[string]any, len(n))
		for k, v := range n {
			c[k] = v
		}
		if len(path) == 1 && drop {
			delete(c, path[0])
		} else {
			c[path[0]] = changeAt(n[path[0]], path[1:], drop)
		}
		return c
	case []any:
		c := slices.Clone(n)
		for i := range c {
			if fmt.Sprint(i) == path[0] {
				c[i] = changeAt(c[i], path[1:], drop)
			}
		}
		return c
	}
	return doc
}

// retype returns a value of another JSON type than v.
func retype(v any) any {
	switch v.(type) {
	case string:
		return 12345
	case json.Number:
		return "12345"
	case bool:
		return "true"
	case nil:
		return 12345
	case map[string]any:
		return "{}"
	case []any:
		return map[string]any{"not": "an array"}
	}
	return nil
}

// verdict is what a Validator said about an exchange: nothing, or its
// failures' messages.
func verdict(err error) (ok bool, messages []string) {
	if err == nil {
		return true, nil
	}
	var verr *Error
	if !errors.As(err, &verr) {
		return false, []string{err.Error()}
	}
	for _, f := range verr.Failures {
		messages = append(messages, f.Message)
	}
	slices.Sort(messages)
	return false, messages
}

// scope says which requests a pruned document is meant to answer as the
// official one does: those to an operation it kept.
type scope struct {
	prefixes []prefixRewrite // as the document's Validator applies them
	base     string          // the servers' base path, which may be left out
	ops      []string        // "METHOD /template", from the document's Header
}

// newScope returns the scope of the pruned document doc.
func newScope(tb testing.TB, doc string, prefixes []prefixRewrite, base string) scope {
	tb.Helper()
	raw, err := pruned.ReadFile("pruned/" + doc)
	if err != nil {
		tb.Fatal(err)
	}
	h, err := prune.ReadHeader(raw)
	if err != nil {
		tb.Fatal(err)
	}
	return scope{prefixes: prefixes, base: base, ops: h.Operations}
}

// covers reports whether the request e records is to an operation in the
// scope.
func (sc scope) covers(e Exchange) bool {
	path, _, _ := strings.Cut(e.URL, "?")
	for _, p := range sc.prefixes {
		if strings.HasPrefix(path, p.from) {
			path = p.to + strings.TrimPrefix(path, p.from)
			break
		}
	}
	path = strings.TrimPrefix(path, sc.base)
	got := strings.Split(path, "/")
	for _, op := range sc.ops {
		method, tmpl, _ := strings.Cut(op, " ")
		want := strings.Split(tmpl, "/")
		if method != e.Method || len(want) != len(got) {
			continue
		}
		match := true
		for i := range want {
			if want[i] != got[i] && !strings.HasPrefix(want[i], "{") {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// TestPrunedMatchesFull checks, for every exchange in the corpus and the
// variants derived from it, that the pruned document gives the verdict and
// the failure messages the official one gives. A variant to an operation
// the pruned document left out (another method, an unknown path) is only
// checked to be rejected by it, since the fakes serve no such operation;
// but an exchange as recorded must not be to an operation the official
// document has and the pruned one lacks. It loads
// the official documents: set CRISISBOT_LONG_TESTS=1.
func TestPrunedMatchesFull(t *testing.T) {
	requireLong(t)
	docs := []struct {
		name         string
		pruned, full func() (*Validator, error)
		scope        scope
	}{
		{DiscordSpec, discordSpec, discordFull, newScope(t, DiscordSpec, []prefixRewrite{{"/api/v9/", "/api/v10/"}}, "/api/v10")},
		{OpenAISpec, openAISpec, openAIFull, newScope(t, OpenAISpec, nil, "/v1")},
	}
	go discordFull()
	go openAIFull()
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			full := Require(t, d.full)
			pruned := Require(t, d.pruned)
			var checked, failing, outside int
			for i, e := range readExchanges(t, corpusFile(d.name)) {
				for _, v := range variants(e) {
					gotOK, gotMsgs := verdict(pruned.Validate(v.e))
					wantOK, wantMsgs := verdict(full.Validate(v.e))
					name := fmt.Sprintf("exchange %d (%s %s %s %d), %s", i+1, e.Kind, e.Method, e.URL, e.Status, v.name)
					if !d.scope.covers(v.e) {
						outside++
						switch {
						case gotOK:
							t.Errorf("%s: outside the pruned document, but it accepts %s %s", name, v.e.Method, v.e.URL)
						case wantOK && v.name == recorded:
							t.Errorf("%s: the tests use %s %s, which the official document accepts and the pruned one lacks: add it to prune.Specs", name, v.e.Method, v.e.URL)
						}
						continue
					}
					checked++
					if !wantOK {
						failing++
					}
					if gotOK != wantOK || !slices.Equal(gotMsgs, wantMsgs) {
						t.Errorf("%s: pruned document says ok=%t %q, official says ok=%t %q", name, gotOK, gotMsgs, wantOK, wantMsgs)
					}
				}
			}
			t.Logf("%d exchanges checked against both documents, %d of them failing; %d outside the pruned document", checked, failing, outside)
			if failing == 0 || failing == checked {
				t.Errorf("%d of %d exchanges fail, want some to pass and some to fail", failing, checked)
			}
		})
	}
}
