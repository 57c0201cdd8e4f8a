// Command prunespecs writes the pruned OpenAPI documents that
// internal/specvalidate embeds: for each document in [prune.Specs] it reads
// the official document from -in, keeps what [prune.Prune] keeps, and writes
// it under the same file name to -out, with the document's licence beside
// it. It runs from go generate in internal/specvalidate:
//
//	go generate ./internal/specvalidate   # or: make specs
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/crisisbot/crisisbot/internal/specvalidate/internal/prune"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "prunespecs:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("prunespecs", flag.ContinueOnError)
	in := fs.String("in", filepath.Join("..", "..", "..", "shared", "specs"), "directory holding the official documents")
	out := fs.String("out", "pruned", "directory to write the pruned documents to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, spec := range prune.Specs() {
		src, err := os.ReadFile(filepath.Join(*in, spec.Source))
		if err != nil {
			return err
		}
		doc, err := prune.Prune(src, spec)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*out, spec.Source), doc, 0o644); err != nil {
			return err
		}
		// The documents are MIT-licensed; the licence travels with a copy.
		license := strings.TrimSuffix(spec.Source, ".json") + ".LICENSE"
		text, err := os.ReadFile(filepath.Join(*in, license))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(*out, license), text, 0o644); err != nil {
			return err
		}
		h, err := prune.ReadHeader(doc)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: version %s, %d of %d bytes, %d operations:\n  %s\n",
			spec.Source, h.Version, len(doc), len(src), len(h.Operations), strings.Join(h.Operations, "\n  "))
	}
	return nil
}
