package specvalidate

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestWithRecordDir(t *testing.T) {
	dir := t.TempDir()
	v, err := Load(writeTinySpec(t), WithNullable(), WithoutOpenAPIMode(), WithRecordDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	good := newRequest("PUT", "http://127.0.0.1:1/base/things/1?x=1", `{"name":"a","size":"s"}`, "Content-Type", "application/json", "Authorization", "Bearer sk-secret")
	bad := newRequest("PUT", "http://127.0.0.1:1/base/things/1", `{"name":"a","size":"xl"}`, "Content-Type", "application/json")
	reqErrs := []error{v.ValidateRequest(good), v.ValidateRequest(bad)}
	binary := []byte{0xff, 0x00, '{'}
	respErr := v.ValidateResponse(good, 200, jsonHeader(), binary)

	files, err := filepath.Glob(filepath.Join(dir, "tiny-*.jsonl"))
	if err != nil || len(files) != 1 {
		t.Fatalf("record files = %v (%v), want one tiny-*.jsonl", files, err)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []Exchange
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e Exchange
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, e)
	}
	if len(got) != 3 {
		t.Fatalf("recorded %d exchanges, want 3: %+v", len(got), got)
	}
	first := got[0]
	if first.Doc != "tiny.json" || first.Kind != KindRequest || first.Method != "PUT" || first.URL != "/base/things/1?x=1" || string(first.Body) != `{"name":"a","size":"s"}` {
		t.Errorf("first exchange = %+v", first)
	}
	if a := first.Header.Get("Authorization"); a != "Bearer redacted" {
		t.Errorf("recorded Authorization = %q, want %q", a, "Bearer redacted")
	}
	resp := got[2]
	if resp.Kind != KindResponse || resp.Status != 200 || string(resp.ResponseBody) != string(binary) || resp.ResponseHeader.Get("Content-Type") != "application/json" {
		t.Errorf("response exchange = %+v", resp)
	}
	// Replaying an exchange gives the verdict it had.
	want := append(reqErrs, respErr)
	for i, e := range got {
		if err := v.Validate(e); (err == nil) != (want[i] == nil) {
			t.Errorf("Validate(exchange %d) = %v, want the recorded verdict %v", i, err, want[i])
		}
	}
}
