package specvalidate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// tinySpec is a small document that exercises base paths, prefix rewrites,
// nullable and error schemas without the slow official documents.
const tinySpec = `{
  "openapi": "3.1.0",
  "info": {"title": "tiny", "version": "1"},
  "servers": [{"url": "https://api.example.com/base"}],
  "paths": {
    "/things/{id}": {
      "put": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
      }
    }
  },
  "components": {"schemas": {
    "Thing": {"type": "object", "required": ["name", "size"], "properties": {
      "name": {"type": "string", "nullable": true},
      "size": {"type": "string", "enum": ["s", "m"], "nullable": true}
    }},
    "Problem": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}
  }}
}`

func writeTinySpec(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "tiny.json")
	if err := os.WriteFile(path, []byte(tinySpec), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestTinySpec(t *testing.T) {
	v, err := Load(writeTinySpec(t), WithPathPrefix("/mount/", "/base/"), WithNullable(), WithoutOpenAPIMode(), WithErrorSchema("Problem"))
	if err != nil {
		t.Fatal(err)
	}
	const thing = `{"name":"a","size":"s"}`
	requests := []struct {
		name, target, body, wantErr string
	}{
		{"base path", "http://127.0.0.1:1/base/things/1", thing, ""},
		{"no base path", "http://127.0.0.1:1/things/1", thing, ""},
		{"rewritten prefix", "http://127.0.0.1:1/mount/things/1", thing, ""},
		{"bad path parameter", "http://127.0.0.1:1/base/things/x", thing, "id"},
		{"nulls", "http://127.0.0.1:1/base/things/1", `{"name":null,"size":null}`, ""},
		{"not in enum", "http://127.0.0.1:1/base/things/1", `{"name":"a","size":"xl"}`, "$.size"},
		{"unknown path", "http://127.0.0.1:1/other/things/1", thing, "not found"},
	}
	for _, tt := range requests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest("PUT", tt.target, tt.body, "Content-Type", "application/json")
			checkErr(t, v.ValidateRequest(r), tt.wantErr)
		})
	}
	responses := []struct {
		name    string
		status  int
		body    string
		wantErr string
	}{
		{"ok", 200, thing, ""},
		{"undocumented error", 404, `{"error":"gone"}`, ""},
		{"undocumented error bad body", 404, `{"err":"gone"}`, "error"},
		{"undocumented success", 201, thing, "201"},
	}
	for _, tt := range responses {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest("PUT", "http://127.0.0.1:1/base/things/1", "")
			checkErr(t, v.ValidateResponse(r, tt.status, jsonHeader(), []byte(tt.body)), tt.wantErr)
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		opts    []Option
		wantErr string
	}{
		{"missing file", filepath.Join(t.TempDir(), "none.json"), nil, "no such file"},
		{"missing error schema", writeTinySpec(t), []Option{WithErrorSchema("Nope")}, `"Nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Load error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRewriteNullable(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"type", `{"type":"string","nullable":true}`, `{"type":["string","null"]}`},
		{"enum", `{"type":"string","enum":["a"],"nullable":true}`, `{"type":["string","null"],"enum":["a",null]}`},
		{"not nullable", `{"type":"string","nullable":false}`, `{"type":"string"}`},
		{"anyOf", `{"anyOf":[{"type":"string"}],"nullable":true}`, `{"anyOf":[{"type":"string"},{"type":"null"}]}`},
		{"ref", `{"$ref":"#/x","description":"d","nullable":true}`, `{"anyOf":[{"$ref":"#/x","description":"d"},{"type":"null"}],"description":"d"}`},
		{"nested", `{"properties":{"a":{"type":"integer","nullable":true,"maximum":9223372036854775807}}}`, `{"properties":{"a":{"type":["integer","null"],"maximum":9223372036854775807}}}`},
		{"example untouched", `{"example":{"nullable":true}}`, `{"example":{"nullable":true}}`},
		{"property named nullable", `{"properties":{"nullable":{"type":"boolean"}}}`, `{"properties":{"nullable":{"type":"boolean"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRewrite(t, rewriteNullable, tt.in, tt.want) })
	}
	if _, err := rewriteNullable([]byte("openapi: 3.1.0\n")); err == nil {
		t.Error("rewriteNullable(YAML): got no error, want one")
	}
}

// checkRewrite runs a document rewrite on in and compares the result with
// want as JSON values.
func checkRewrite(t *testing.T, rewrite func([]byte) ([]byte, error), in, want string) {
	t.Helper()
	out, err := rewrite([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var gotV, wantV any
	if err := json.Unmarshal(out, &gotV); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &wantV); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotV, wantV) {
		t.Errorf("rewrite(%s) = %s, want %s", in, out, want)
	}
}

func TestRewriteBitfields(t *testing.T) {
	widened := func(orig string) string {
		return `{"properties":{"perm":{"anyOf":[` + orig + `,{"type":"string","pattern":"^[0-9]{1,20}$"}]}}}`
	}
	tests := []struct {
		name, in, want string
	}{
		{"integer", `{"properties":{"perm":{"type":"integer","minimum":0}}}`, widened(`{"type":"integer","minimum":0}`)},
		{"nullable integer", `{"properties":{"perm":{"type":["integer","null"]}}}`, widened(`{"type":["integer","null"]}`)},
		{"already string", `{"properties":{"perm":{"type":["string","null"]}}}`, `{"properties":{"perm":{"type":["string","null"]}}}`},
		{"other name", `{"properties":{"flags":{"type":"integer"}}}`, `{"properties":{"flags":{"type":"integer"}}}`},
		{"nested", `{"items":{"properties":{"perm":{"type":"integer"}}}}`, `{"items":` + widened(`{"type":"integer"}`) + `}`},
		{"example untouched", `{"example":{"properties":{"perm":{"type":"integer"}}}}`, `{"example":{"properties":{"perm":{"type":"integer"}}}}`},
	}
	perm := func(spec []byte) ([]byte, error) { return rewriteBitfields(spec, []string{"perm"}) }
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRewrite(t, perm, tt.in, tt.want) })
	}
	if _, err := rewriteBitfields([]byte("openapi: 3.1.0\n"), []string{"perm"}); err == nil {
		t.Error("rewriteBitfields(YAML): got no error, want one")
	}
}

func TestSpecPath(t *testing.T) {
	_, err := SpecPath("no-such-spec.json")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("SpecPath(missing) error = %v, want fs.ErrNotExist", err)
	}
	path, err := SpecPath(OpenAISpec)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("specs not available: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(filepath.Dir(path)) != "specs" {
		t.Errorf("SpecPath(%q) = %q, want a file in .../shared/specs", OpenAISpec, path)
	}
}

func TestRequireSkipsMissingSpec(t *testing.T) {
	t.Setenv("CI", "")
	var skipped bool
	t.Run("missing", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Require(t, func() (*Validator, error) {
			return nil, fmt.Errorf("spec path x: %w", fs.ErrNotExist)
		})
		t.Error("Require returned, want it to skip")
	})
	if !skipped {
		t.Error("Require with a missing document did not skip the test")
	}
}

// BenchmarkLoad measures loading each document, pruned and official, and
// reports the time per load in seconds:
//
//	go test -run '^$' -bench Load -benchtime 1x ./internal/specvalidate
func BenchmarkLoad(b *testing.B) {
	loads := []struct {
		name string
		load func() (*Validator, error)
	}{
		{"discord/pruned", LoadDiscord},
		{"discord/full", LoadDiscordFull},
		{"openai/pruned", LoadOpenAI},
		{"openai/full", LoadOpenAIFull},
	}
	for _, l := range loads {
		b.Run(l.name, func(b *testing.B) {
			for b.Loop() {
				Require(b, l.load)
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/load")
		})
	}
}
