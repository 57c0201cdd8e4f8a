package prune

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// tinyDoc has two overlapping user paths, a path-level parameter, a chain
// of references through responses, headers and schemas (one escaped, one
// into a property), a discriminator mapping, and parts to drop.
const tinyDoc = `{
  "openapi": "3.1.0",
  "info": {"title": "tiny", "version": "7"},
  "servers": [{"url": "https://example.com/api"}],
  "tags": [{"name": "users"}],
  "x-meta": {"big": true},
  "paths": {
    "/users/@me": {
      "get": {"responses": {"200": {"$ref": "#/components/responses/Me"}}},
      "patch": {"responses": {"204": {"description": "no"}}}
    },
    "/users/{user_id}": {
      "parameters": [{"name": "user_id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Id"}}],
      "get": {"responses": {"200": {"description": "u", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}}},
      "delete": {"responses": {"204": {"description": "gone"}}}
    },
    "/pets": {"get": {"responses": {"200": {"description": "p", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}}
  },
  "webhooks": {"hook": {"post": {"responses": {"200": {"description": "h"}}}}},
  "components": {
    "schemas": {
      "Unused": {"type": "string"},
      "User": {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Id"}, "kind": {"$ref": "#/components/schemas/a~1b/properties/k"}}},
      "Id": {"type": "string", "pattern": "^[0-9]+$"},
      "a/b": {"type": "object", "properties": {"k": {"type": "integer"}}},
      "Pet": {"oneOf": [{"type": "object"}], "discriminator": {"propertyName": "t", "mapping": {"cat": "#/components/schemas/Cat"}}},
      "Cat": {"type": "object"},
      "Error": {"type": "object", "example": {"$ref": "data, not a reference"}, "examples": [{"$ref": "data too"}]}
    },
    "responses": {
      "Me": {"description": "me", "headers": {"X-Rate": {"$ref": "#/components/headers/Rate"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}},
      "Other": {"description": "other"}
    },
    "headers": {"Rate": {"schema": {"type": "integer"}}},
    "securitySchemes": {"Token": {"type": "apiKey", "name": "Authorization", "in": "header"}}
  }
}`

func TestPrune(t *testing.T) {
	out, err := Prune([]byte(tinyDoc), Spec{
		Source:     "tiny.json",
		Operations: []Operation{{"GET", "/users/{user_id}"}, {"GET", "/pets"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Keys       []string
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components map[string]map[string]json.RawMessage `json:"components"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("pruned document is not JSON: %v\n%s", err, out)
	}
	top, err := members(out)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range top {
		keys = append(keys, m.key)
	}
	if want := []string{"openapi", "info", HeaderKey, "servers", "paths", "components"}; !slices.Equal(keys, want) {
		t.Errorf("top-level keys = %q, want %q", keys, want)
	}

	paths := map[string][]string{}
	for p, item := range doc.Paths {
		for k := range item {
			paths[p] = append(paths[p], k)
		}
		slices.Sort(paths[p])
	}
	wantPaths := map[string][]string{
		// The literal path overlaps the wanted template, so its GET stays;
		// PATCH and DELETE were not asked for.
		"/users/@me":       {"get"},
		"/users/{user_id}": {"get", "parameters"},
		"/pets":            {"get"},
	}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Errorf("paths = %v, want %v", paths, wantPaths)
	}

	comps := map[string][]string{}
	for kind, entries := range doc.Components {
		for name := range entries {
			comps[kind] = append(comps[kind], name)
		}
		slices.Sort(comps[kind])
	}
	wantComps := map[string][]string{
		"schemas":         {"Cat", "Id", "Pet", "User", "a/b"},
		"responses":       {"Me"},
		"headers":         {"Rate"},
		"securitySchemes": {"Token"},
	}
	if !reflect.DeepEqual(comps, wantComps) {
		t.Errorf("components = %v, want %v", comps, wantComps)
	}

	h, err := ReadHeader(out)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(tinyDoc))
	want := Header{
		Source:     "tiny.json",
		Version:    "7",
		SHA256:     hex.EncodeToString(sum[:]),
		Generator:  Generator,
		Operations: []string{"GET /users/@me", "GET /users/{user_id}", "GET /pets"},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("header = %+v, want %+v", h, want)
	}

	again, err := Prune([]byte(tinyDoc), Spec{Source: "tiny.json", Operations: []Operation{{"GET", "/users/{user_id}"}, {"GET", "/pets"}}})
	if err != nil || string(again) != string(out) {
		t.Errorf("a second Prune gave different bytes (err %v)", err)
	}
}

func TestPruneKeepsBytesAndOrder(t *testing.T) {
	out, err := Prune([]byte(tinyDoc), Spec{Source: "tiny.json", Operations: []Operation{{"GET", "/users/@me"}}})
	if err != nil {
		t.Fatal(err)
	}
	// The User schema keeps its properties in the source's order.
	if i, j := strings.Index(string(out), `"id"`), strings.Index(string(out), `"kind"`); i < 0 || j < i {
		t.Errorf("User's properties reordered or lost:\n%s", out)
	}
	if !strings.HasSuffix(string(out), "}\n") {
		t.Error("pruned document does not end in a newline")
	}
}

func TestPruneExtraSchemas(t *testing.T) {
	out, err := Prune([]byte(tinyDoc), Spec{Source: "tiny.json", Operations: []Operation{{"GET", "/pets"}}, Schemas: []string{"Error"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"Error"`) {
		t.Errorf("Error schema not kept:\n%s", out)
	}
}

func TestPruneErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		ops       []Operation
		wantErr   string
	}{
		{"missing operation", tinyDoc, []Operation{{"POST", "/pets"}}, "no operation POST /pets"},
		{"missing path", tinyDoc, []Operation{{"GET", "/nope"}}, "no operation GET /nope"},
		{"external reference", `{"paths": {"/a": {"get": {"responses": {"200": {"$ref": "other.json#/x"}}}}}}`, []Operation{{"GET", "/a"}}, "other.json"},
		{"dangling reference", `{"paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/X"}}}}}, "components": {}}`, []Operation{{"GET", "/a"}}, "responses/X"},
		{"not an object", `[]`, nil, "JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Prune([]byte(tt.doc), Spec{Source: "x.json", Operations: tt.ops})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Prune error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestOverlap(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"/users/@me", "/users/{user_id}", true},
		{"/users/{id}", "/users/{user_id}", true},
		{"/users/@me", "/users/@you", false},
		{"/users/@me", "/users/@me/channels", false},
		{"/a/{x}/c", "/a/b/{y}", true},
	}
	for _, tt := range tests {
		if got := overlap(tt.a, tt.b); got != tt.want {
			t.Errorf("overlap(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
