package specvalidate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

//go:generate go run ./internal/prunespecs -in ../../../shared/specs -out pruned

// File names of the official documents under ../shared/specs.
const (
	// OpenAISpec is the file name of OpenAI's document.
	OpenAISpec = "openai-openapi.json"
	// DiscordSpec is the file name of Discord's v10 document.
	DiscordSpec = "discord-openapi.json"
)

// SpecPath returns the path of ../shared/specs/name beside the repository
// root: the nearest directory at or above the working directory that holds
// go.mod. The error wraps [fs.ErrNotExist] when the root or the file is
// missing.
func SpecPath(name string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("spec path %s: %w", name, err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("spec path %s: %w", name, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("spec path %s: no go.mod above the working directory: %w", name, fs.ErrNotExist)
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "specs", name)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("spec path %s: %w", name, err)
	}
	return path, nil
}

// LoadSpec loads the document [SpecPath] finds for name.
func LoadSpec(name string, opts ...Option) (*Validator, error) {
	path, err := SpecPath(name)
	if err != nil {
		return nil, err
	}
	return Load(path, opts...)
}

// LoadOpenAI loads OpenAI's document with the options it needs:
// [WithNullable] and [WithoutOpenAPIMode] for its `nullable`, and
// [WithErrorSchema] with
// "ErrorResponse" for the error statuses it leaves undocumented. Requests
// may use the document's "/v1" base path or leave it out. It takes about
// 11 s.
func LoadOpenAI() (*Validator, error) {
	return LoadSpec(OpenAISpec, WithNullable(), WithoutOpenAPIMode(), WithErrorSchema("ErrorResponse"))
}

// LoadDiscord loads Discord's v10 document, rewriting discordgo's
// "/api/v9/" paths to "/api/v10/" and accepting a command's
// "default_member_permissions" as the decimal string Discord documents
// (see [WithStringBitfield]). It takes about 5 s.
func LoadDiscord() (*Validator, error) {
	return LoadSpec(DiscordSpec, WithPathPrefix("/api/v9/", "/api/v10/"), WithStringBitfield("default_member_permissions"))
}

// Require calls load and returns its Validator, or ends the test: when the
// document is missing it skips with the reason, unless the environment
// variable CI is set, when it fails; any other error fails. Pass a function
// made by sync.OnceValues so the document loads once per test binary.
func Require(tb testing.TB, load func() (*Validator, error)) *Validator {
	tb.Helper()
	v, err := load()
	switch {
	case err == nil:
		return v
	case errors.Is(err, fs.ErrNotExist) && os.Getenv("CI") == "":
		tb.Skipf("OpenAPI document not available (set CI to make this fatal): %v", err)
	default:
		tb.Fatalf("load OpenAPI document: %v", err)
	}
	return nil
}
