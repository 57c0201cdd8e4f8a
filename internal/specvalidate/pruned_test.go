package specvalidate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"testing"

	"github.com/crisisbot/crisisbot/internal/specvalidate/internal/prune"
)

// TestPrunedUpToDate checks that each embedded pruned document came from the
// official document in ../shared/specs as it is now, and that pruning that
// document again gives the same bytes. Without ../shared it checks only the
// headers.
func TestPrunedUpToDate(t *testing.T) {
	for _, spec := range prune.Specs() {
		t.Run(spec.Source, func(t *testing.T) {
			doc, err := pruned.ReadFile("pruned/" + spec.Source)
			if err != nil {
				t.Fatal(err)
			}
			h, err := prune.ReadHeader(doc)
			if err != nil {
				t.Fatal(err)
			}
			if h.Source != spec.Source || h.Version == "" || len(h.SHA256) != 64 || len(h.Operations) < len(spec.Operations) {
				t.Errorf("header = %+v, want source %s, a version, a SHA-256 and at least %d operations", h, spec.Source, len(spec.Operations))
			}
			path, err := SpecPath(spec.Source)
			if errors.Is(err, fs.ErrNotExist) {
				t.Skipf("official document not available: %v", err)
			}
			if err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(src)
			if got := hex.EncodeToString(sum[:]); got != h.SHA256 {
				t.Fatalf("%s has SHA-256 %s, but pruned/%s was made from %s (version %s): run make specs", path, got, spec.Source, h.SHA256, h.Version)
			}
			again, err := prune.Prune(src, spec)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, doc) {
				t.Errorf("pruning %s again gives different bytes from pruned/%s: run make specs", path, spec.Source)
			}
		})
	}
}
