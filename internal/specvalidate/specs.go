package specvalidate

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

//go:generate go run ./internal/prunespecs -in ../../../shared/specs -out pruned

// pruned holds the pruned documents that [LoadOpenAI] and [LoadDiscord]
// load: the parts of the official documents that the fakes serve, written by
// internal/prunespecs (go generate, or make specs). Each records the file
// name, info.version and SHA-256 of the document it came from under
// "x-crisisbot-pruned".
//
//go:embed pruned/*.json
var pruned embed.FS

// File names of the official documents under ../shared/specs, which are
// also the names of the pruned documents embedded in this package.
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

// LoadPruned loads the pruned document embedded in this package for name
// ([OpenAISpec] or [DiscordSpec]). A pruned document keeps only the
// operations the fakes serve and the components they reference, and
// validates those operations exactly as the official document does; it
// loads in a fraction of the time and needs nothing outside the repository.
func LoadPruned(name string, opts ...Option) (*Validator, error) {
	p := "pruned/" + name
	spec, err := pruned.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", p, err)
	}
	return load(p, spec, opts...)
}

// openAIOptions are the options OpenAI's document needs: [WithNullable]
// and [WithoutOpenAPIMode] for its `nullable`, and [WithErrorSchema] with
// "ErrorResponse" for the error statuses it leaves undocumented.
func openAIOptions() []Option {
	return []Option{WithNullable(), WithoutOpenAPIMode(), WithErrorSchema("ErrorResponse")}
}

// discordOptions are the options Discord's document needs: discordgo's
// "/api/v9/" paths rewritten to "/api/v10/", and a command's
// "default_member_permissions" accepted as the decimal string Discord
// documents (see [WithStringBitfield]).
func discordOptions() []Option {
	return []Option{WithPathPrefix("/api/v9/", "/api/v10/"), WithStringBitfield("default_member_permissions")}
}

// LoadOpenAI loads the pruned OpenAI document (see [LoadPruned]) with the
// options it needs: [WithNullable] and [WithoutOpenAPIMode] for its
// `nullable`, and [WithErrorSchema] with "ErrorResponse" for the error
// statuses it leaves undocumented. Requests may use the document's "/v1"
// base path or leave it out. With [RecordEnv] set it records what it
// checks. It takes well under a second, a hundredth of what
// [LoadOpenAIFull], which loads the official document, takes.
func LoadOpenAI() (*Validator, error) {
	return LoadPruned(OpenAISpec, append(openAIOptions(), recordFromEnv()...)...)
}

// LoadOpenAIFull loads OpenAI's official document from ../shared/specs
// (see [SpecPath]) with the options [LoadOpenAI] uses. It takes about 20 s
// on an idle machine, several times that under the race detector.
func LoadOpenAIFull() (*Validator, error) {
	return LoadSpec(OpenAISpec, openAIOptions()...)
}

// LoadDiscord loads the pruned Discord v10 document (see [LoadPruned]),
// rewriting discordgo's "/api/v9/" paths to "/api/v10/" and accepting a
// command's "default_member_permissions" as the decimal string Discord
// documents (see [WithStringBitfield]). With [RecordEnv] set it records
// what it checks. It takes a few seconds, a third of what
// [LoadDiscordFull], which loads the official document, takes.
func LoadDiscord() (*Validator, error) {
	return LoadPruned(DiscordSpec, append(discordOptions(), recordFromEnv()...)...)
}

// LoadDiscordFull loads Discord's official v10 document from
// ../shared/specs (see [SpecPath]) with the options [LoadDiscord] uses. It
// takes about 10 s on an idle machine, several times that under the race
// detector.
func LoadDiscordFull() (*Validator, error) {
	return LoadSpec(DiscordSpec, discordOptions()...)
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
