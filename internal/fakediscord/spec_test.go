package fakediscord_test

import (
	"sync"
	"testing"

	"github.com/crisisbot/crisisbot/internal/fakediscord"
	"github.com/crisisbot/crisisbot/internal/specvalidate"
)

// discordSpec loads Discord's OpenAPI document once per test binary; the
// loading takes about 5 s.
var discordSpec = sync.OnceValues(specvalidate.LoadDiscord)

// validated returns cfg with a Validator for Discord's OpenAPI document.
func validated(tb testing.TB, cfg fakediscord.Config) fakediscord.Config {
	tb.Helper()
	cfg.Validator = specvalidate.Require(tb, discordSpec)
	return cfg
}
