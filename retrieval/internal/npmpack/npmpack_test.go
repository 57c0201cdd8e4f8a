package npmpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"testing"
)

func TestFileIntegrity(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	tw := tar.NewWriter(zw)
	body := []byte(`{"words":[]}`)
	if err := tw.WriteHeader(&tar.Header{Name: "package/vectors.json", Mode: 0o644, Size: int64(len(body))}); err != nil {
		t.Fatal(err)
	}
	tw.Write(body)
	tw.Close()
	zw.Close()
	got, err := File(b.Bytes(), "package/vectors.json")
	if err != nil || !bytes.Equal(got, body) {
		t.Errorf("File = %q, %v; want %q", got, err, body)
	}
	if _, err := File(b.Bytes(), "package/other.json"); !errors.Is(err, ErrNotFound) {
		t.Errorf("File(missing) = %v, want ErrNotFound", err)
	}
	if Integrity(b.Bytes()) == Integrity(body) {
		t.Error("a tarball has the integrity of its contents")
	}
	if got := Integrity(nil); got != "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==" {
		t.Errorf("integrity(empty) = %s", got)
	}
}
